-- The cameras (of %(ids)s; NULL: all) that have reported nothing (no change of the feature)
-- for %(minutes)s minutes before %(now)s. Only cameras that report are watched: those changed
-- at least once since they were loaded (a snapshot loaded by the ETL never reports, and would
-- otherwise raise an alert per camera half an hour after every load).
SELECT c.id AS subject_id, ST_AsBinary(c.geom) AS wkb,
       jsonb_build_object('id', c.id, 'name', c.name, 'status', c.status,
                          'last_report', c.updated_at) AS facts
  FROM cameras AS c
 WHERE (%(ids)s::bigint[] IS NULL OR c.id = ANY (%(ids)s::bigint[]))
   AND c.updated_at > c.loaded_at
   AND c.updated_at < %(now)s - %(minutes)s * interval '1 minute'
