-- Every version of one feature, oldest first (gisserver.audit.feature_versions): the previous
-- ones from feature_history, whose properties (every column but id, geom and version) become a
-- row of the layer again, and the current one, the layer's row, valid since its updated_at.
-- Who made a version is the trail's entry for it (not its 'delete', which names the version it
-- ended). {properties} are the layer's shown fields and derived fields over the row "t".
WITH versions AS (
    SELECT h.version, h.valid_from, h.valid_to, h.ended_by,
           jsonb_populate_record(NULL::{table}, h.properties) AS r, h.geom
      FROM feature_history AS h
     WHERE h.layer = %(layer)s AND h.feature_id = %(id)s
    UNION ALL
    SELECT c.version, c.updated_at, NULL, NULL, c, c.geom
      FROM {table} AS c
     WHERE c.id = %(id)s
)
SELECT v.version, v.valid_from, v.valid_to, v.ended_by,
       a.operation, a.actor, a.actor_role, a.etl_run_id,
       (SELECT row_to_json(p) FROM (SELECT {properties}) AS p) AS properties,
       ST_AsGeoJSON(v.geom, 7, 0)::json AS geometry
  FROM versions AS v
 CROSS JOIN LATERAL (SELECT (v.r).*) AS t
  LEFT JOIN LATERAL (
        SELECT e.operation, e.actor, e.actor_role, e.etl_run_id
          FROM audit_log AS e
         WHERE e.layer = %(layer)s AND e.feature_id = %(id)s AND e.version = v.version
           AND e.operation <> 'delete'
         ORDER BY e.id DESC
         LIMIT 1) AS a ON true
 ORDER BY v.version, v.valid_from
