-- Each point (lons, lats) snapped to the nearest routable segment among its "candidates"
-- nearest by the index (planar), measured geodesically: routable = not in "unusable" (closed
-- by a hazard zone in force, or stranded: see stranded.sql). A point whose candidates are all
-- unusable gets no segment here (gisserver.routing.search then searches further for it alone).
-- fraction: where the point on the segment lies along it (0 its first vertex, 1 its last), kept
-- just inside the segment: pgRouting takes a point at 0 or 1 for the junction itself.
WITH unusable AS MATERIALIZED (SELECT unnest(%(unusable)s::bigint[]) AS id)
SELECT p.ordinal, s.id AS edge_id,
       greatest(1e-6, least(1 - 1e-6, s.fraction)) AS fraction, s.snap_m, s.lon, s.lat
  FROM unnest(%(lons)s::float8[], %(lats)s::float8[]) WITH ORDINALITY AS p(lon, lat, ordinal)
  LEFT JOIN LATERAL (
      SELECT c.id, ST_LineLocatePoint(c.geom, c.here) AS fraction,
             ST_Distance(c.geom::geography, c.here::geography) AS snap_m,
             ST_X(ST_ClosestPoint(c.geom, c.here)) AS lon,
             ST_Y(ST_ClosestPoint(c.geom, c.here)) AS lat
        FROM (SELECT r.id, r.geom, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326) AS here
                FROM roads AS r
               ORDER BY r.geom <-> ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326)
               LIMIT %(candidates)s) AS c
       WHERE c.id NOT IN (SELECT u.id FROM unusable AS u)
       ORDER BY snap_m, c.id
       LIMIT 1
  ) AS s ON true
 ORDER BY p.ordinal
