-- The shelters (of %(ids)s; NULL: all) whose status is open inside a hazard zone in force at
-- %(now)s, with those zones, the most severe first.
SELECT s.id AS subject_id, ST_AsBinary(s.geom) AS wkb,
       jsonb_build_object('id', s.id, 'name', s.name, 'status', s.status,
                          'occupancy', s.occupancy, 'capacity', s.capacity) AS facts,
       jsonb_agg(jsonb_build_object('id', z.id, 'name', z.name, 'hazard_type', z.hazard_type,
                                    'severity', z.severity)
                 ORDER BY severity_rank(z.severity) DESC NULLS LAST, z.id) AS zones
  FROM shelters AS s
  JOIN hazard_zones AS z ON ST_Intersects(z.geom, s.geom)
 WHERE (%(ids)s::bigint[] IS NULL OR s.id = ANY (%(ids)s::bigint[]))
   AND s.status = 'open'
   AND (z.valid_from IS NULL OR z.valid_from <= %(now)s)
   AND (z.valid_to IS NULL OR z.valid_to > %(now)s)
 GROUP BY s.id
