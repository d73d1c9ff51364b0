-- The cameras (of %(ids)s; NULL: all) that have reported nothing (no change of the feature)
-- for %(minutes)s minutes before %(now)s.
SELECT c.id AS subject_id, ST_AsBinary(c.geom) AS wkb,
       jsonb_build_object('id', c.id, 'name', c.name, 'status', c.status,
                          'last_report', c.updated_at) AS facts
  FROM cameras AS c
 WHERE (%(ids)s::bigint[] IS NULL OR c.id = ANY (%(ids)s::bigint[]))
   AND c.updated_at < %(now)s - %(minutes)s * interval '1 minute'
