-- One point (lon, lat) snapped to the nearest routable segment however far the index must walk
-- past unusable ones (a point deep inside a closed hazard zone): see snap.sql, whose point on
-- the segment (nearest in metres), fraction and line_fraction this computes the same way.
SELECT c.id AS edge_id,
       greatest(1e-6, least(1 - 1e-6, ST_LineLocatePoint(m.flat, m.near))) AS fraction,
       ST_LineLocatePoint(c.geom, ST_Scale(m.near, 1 / m.k, 1)) AS line_fraction,
       c.snap_m, ST_X(m.near) / m.k AS lon, ST_Y(m.near) AS lat
  FROM (SELECT r.id, r.geom,
               ST_Distance(r.geom::geography,
                           ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)::geography) AS snap_m
          FROM roads AS r
         WHERE NOT (r.id = ANY (%(unusable)s::bigint[]))
         ORDER BY r.geom <-> ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)
         LIMIT 8) AS c
 CROSS JOIN LATERAL (
      SELECT f.k, ST_Scale(c.geom, f.k, 1) AS flat,
             ST_ClosestPoint(ST_Scale(c.geom, f.k, 1),
                             ST_SetSRID(ST_MakePoint(%(lon)s * f.k, %(lat)s), 4326)) AS near
        FROM (SELECT cos(radians(%(lat)s)) * (1 - 0.00669437999014 * sin(radians(%(lat)s)) ^ 2)
                     / (1 - 0.00669437999014) AS k) AS f
 ) AS m
 ORDER BY c.snap_m, c.id
 LIMIT 1
