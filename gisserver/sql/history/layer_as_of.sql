-- The rows of one layer as they were at %(as_of)s, with the columns of its table (the query it
-- stands in for is unchanged: gisserver.analyses.as_of names this after the table).
--
-- A current row is the feature at that instant unless the feature changed since (a history row
-- ended after it) or was created since (its audit trail's 'create' is later: an ETL load's
-- updated_at may say otherwise, the audit trail is when the row came into the database). Any
-- other feature in force then is the history row whose [recorded_from, valid_to) holds the
-- instant (migration 0010): a feature deleted since is there, one created since is not.
-- {current} and {previous} are the table's columns from the row and from the history row
-- (id, version and geom from its columns, the rest from its properties).
SELECT {current}
  FROM {table} AS t
 WHERE NOT EXISTS (SELECT FROM feature_history AS h
                    WHERE h.layer = {layer} AND h.feature_id = t.id
                      AND h.valid_to > %(as_of)s)
   AND NOT EXISTS (SELECT FROM audit_log AS c
                    WHERE c.operation = 'create' AND c.layer = {layer} AND c.feature_id = t.id
                      AND c.at > %(as_of)s)
UNION ALL
SELECT {previous}
  FROM feature_history AS h
       CROSS JOIN LATERAL jsonb_populate_record(NULL::{table}, h.properties) AS r
 WHERE h.layer = {layer}
   AND tstzrange(h.recorded_from, h.valid_to) @> %(as_of)s::timestamptz
