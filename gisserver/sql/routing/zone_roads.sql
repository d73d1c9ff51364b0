-- For each hazard zone of a severity the routing profile acts on: the roads it touches (a road
-- touching a zone's boundary is touched). Derived once per change of the zones or the network
-- (gisserver.routing.network): which zones are in force is judged per query, from valid_from
-- and valid_to, so that a zone coming into force or ending takes effect at once.
SELECT z.id AS zone_id, z.hazard_type, z.severity, z.valid_from, z.valid_to,
       array_agg(r.id ORDER BY r.id) AS road_ids
  FROM hazard_zones AS z
  JOIN roads AS r ON r.geom && z.geom AND ST_Intersects(r.geom, z.geom)
 WHERE z.severity = ANY (%(severities)s)
 GROUP BY z.id
 ORDER BY z.id
