-- Each place (lons, lats) on its nearest road segment (by the index, planar): the segment, the
-- fraction along it of the point nearest to the place, and the (geodesic) distance to it.
SELECT p.ordinal, s.id AS edge,
       ST_LineLocatePoint(s.geom, s.here) AS fraction,
       ST_Distance(s.geom::geography, s.here::geography) AS snap_m
  FROM unnest(%(lons)s::float8[], %(lats)s::float8[]) WITH ORDINALITY AS p(lon, lat, ordinal)
 CROSS JOIN LATERAL (
     SELECT r.id, r.geom, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326) AS here
       FROM roads AS r
      ORDER BY r.geom <-> ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326)
      LIMIT 1) AS s
 ORDER BY p.ordinal
