-- Each place (lons, lats) on its nearest road segment: among the "candidates" nearest by the
-- index (planar, in degrees), the nearest geodesically; the point on it nearest in metres, its
-- fraction (of the segment's length: what the cost is split by) and line_fraction (where
-- ST_LineSubstring finds it), computed as snap.sql does, and the (geodesic) distance to it.
SELECT p.ordinal, s.id AS edge,
       ST_LineLocatePoint(m.flat, m.near) AS fraction,
       ST_LineLocatePoint(s.geom, ST_Scale(m.near, 1 / m.k, 1)) AS line_fraction,
       s.snap_m
  FROM unnest(%(lons)s::float8[], %(lats)s::float8[]) WITH ORDINALITY AS p(lon, lat, ordinal)
 CROSS JOIN LATERAL (
     SELECT c.id, c.geom, ST_Distance(c.geom::geography, c.here::geography) AS snap_m
       FROM (SELECT r.id, r.geom, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326) AS here
               FROM roads AS r
              ORDER BY r.geom <-> ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326)
              LIMIT %(candidates)s) AS c
      ORDER BY snap_m, c.id
      LIMIT 1) AS s
 CROSS JOIN LATERAL (
      SELECT f.k, ST_Scale(s.geom, f.k, 1) AS flat,
             ST_ClosestPoint(ST_Scale(s.geom, f.k, 1),
                             ST_SetSRID(ST_MakePoint(p.lon * f.k, p.lat), 4326)) AS near
        FROM (SELECT cos(radians(p.lat)) * (1 - 0.00669437999014 * sin(radians(p.lat)) ^ 2)
                     / (1 - 0.00669437999014) AS k) AS f
 ) AS m
 ORDER BY p.ordinal
