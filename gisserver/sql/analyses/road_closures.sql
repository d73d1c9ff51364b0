-- The road segments of %(ids)s (closed or slowed by hazard zones in force: worked out by
-- gisserver.routing.network), touching %(bbox)s when given (minlon, minlat, maxlon, maxlat).
SELECT r.id, r.name, r.road_class, r.one_way, r.length_m, r.source,
       ST_AsGeoJSON(r.geom, 7) AS geometry
  FROM roads AS r
 WHERE r.id = ANY (%(ids)s::bigint[])
   AND (%(bbox)s::float8[] IS NULL
        OR r.geom && ST_MakeEnvelope((%(bbox)s::float8[])[1], (%(bbox)s::float8[])[2],
                                     (%(bbox)s::float8[])[3], (%(bbox)s::float8[])[4], 4326))
 ORDER BY r.id
 LIMIT %(limit)s
