-- The candidates of a nearest-by-drive-time question: up to %(limit)s features of one layer
-- that pass the filters, nearest first by the index (planar), within %(max_distance_m)s metres
-- (geodesic; NULL: no limit), with only what the search needs: id and a point (the feature's
-- own point; a point on its surface otherwise). Their properties are read afterwards for the
-- few the search keeps (nearest.sql with the ids filter).
-- {table}, {filters}: as nearest.sql.
SELECT t.id, ST_X(p.g) AS lon, ST_Y(p.g) AS lat
  FROM {table} AS t
 CROSS JOIN LATERAL (SELECT ST_PointOnSurface(t.geom) AS g) AS p
 WHERE {filters}
   AND (%(max_distance_m)s::float8 IS NULL
        OR ST_DWithin(t.geom::geography,
                      ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)::geography,
                      %(max_distance_m)s::float8))
 ORDER BY t.geom <-> ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326), t.id
 LIMIT %(limit)s
