-- The incidents (of %(ids)s; NULL: all) not finished (resolved, closed, cancelled) that lie
-- inside a hazard zone in force at %(now)s (a point on the boundary counts), with those zones, the most severe first.
SELECT i.id AS subject_id, ST_AsBinary(i.geom) AS wkb,
       jsonb_build_object('id', i.id, 'incident_type', i.incident_type, 'severity', i.severity,
                          'status', i.status) AS facts,
       jsonb_agg(jsonb_build_object('id', z.id, 'name', z.name, 'hazard_type', z.hazard_type,
                                    'severity', z.severity)
                 ORDER BY severity_rank(z.severity) DESC NULLS LAST, z.id) AS zones
  FROM incidents AS i
  JOIN hazard_zones AS z ON ST_Intersects(z.geom, i.geom)
 WHERE (%(ids)s::bigint[] IS NULL OR i.id = ANY (%(ids)s::bigint[]))
   AND i.status NOT IN ('resolved', 'closed', 'cancelled')
   AND (z.valid_from IS NULL OR z.valid_from <= %(now)s)
   AND (z.valid_to IS NULL OR z.valid_to > %(now)s)
 GROUP BY i.id
