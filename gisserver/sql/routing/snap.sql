-- Each point (lons, lats) snapped to the nearest routable segment among its "candidates"
-- nearest by the index (planar), measured geodesically: routable = not in "unusable" (closed
-- by a hazard zone in force, or stranded: see stranded.sql). A point whose candidates are all
-- unusable gets no segment here (gisserver.routing.search then searches further for it alone).
-- The point on the segment is the one nearest in metres, not in degrees (a degree of longitude
-- is shorter than one of latitude: at 42° N the nearest point in degrees of a street 90 m away
-- lies some 15 m along it from the nearest in metres). It is found where both are drawn at the
-- same scale: longitudes times k = cos φ · N / M (N, M: the WGS84 ellipsoid's radii of
-- curvature at the point's latitude φ), in which lengths are metres to within 1e-4 over a
-- city. "fraction": the part of the segment's length before the point (what its cost is split
-- by), kept just inside the segment: pgRouting takes a point at 0 or 1 for the junction
-- itself; "line_fraction": the same point as ST_LineSubstring locates it on the geometry.
WITH unusable AS MATERIALIZED (SELECT unnest(%(unusable)s::bigint[]) AS id)
SELECT p.ordinal, s.id AS edge_id,
       greatest(1e-6, least(1 - 1e-6, ST_LineLocatePoint(m.flat, m.near))) AS fraction,
       ST_LineLocatePoint(s.geom, ST_Scale(m.near, 1 / m.k, 1)) AS line_fraction,
       s.snap_m, ST_X(m.near) / m.k AS lon, ST_Y(m.near) AS lat
  FROM unnest(%(lons)s::float8[], %(lats)s::float8[]) WITH ORDINALITY AS p(lon, lat, ordinal)
  LEFT JOIN LATERAL (
      SELECT c.id, c.geom, ST_Distance(c.geom::geography, c.here::geography) AS snap_m
        FROM (SELECT r.id, r.geom, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326) AS here
                FROM roads AS r
               ORDER BY r.geom <-> ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326)
               LIMIT %(candidates)s) AS c
       WHERE c.id NOT IN (SELECT u.id FROM unusable AS u)
       ORDER BY snap_m, c.id
       LIMIT 1
  ) AS s ON true
  LEFT JOIN LATERAL (
      SELECT f.k, ST_Scale(s.geom, f.k, 1) AS flat,
             ST_ClosestPoint(ST_Scale(s.geom, f.k, 1),
                             ST_SetSRID(ST_MakePoint(p.lon * f.k, p.lat), 4326)) AS near
        FROM (SELECT cos(radians(p.lat)) * (1 - 0.00669437999014 * sin(radians(p.lat)) ^ 2)
                     / (1 - 0.00669437999014) AS k) AS f
  ) AS m ON s.id IS NOT NULL
 ORDER BY p.ordinal
