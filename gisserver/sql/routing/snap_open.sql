-- One point (lon, lat) snapped to the nearest routable segment however far the index must walk
-- past unusable ones (a point deep inside a closed hazard zone): see snap.sql.
SELECT c.id AS edge_id,
       greatest(1e-6, least(1 - 1e-6, ST_LineLocatePoint(c.geom, c.here))) AS fraction,
       ST_Distance(c.geom::geography, c.here::geography) AS snap_m,
       ST_X(ST_ClosestPoint(c.geom, c.here)) AS lon,
       ST_Y(ST_ClosestPoint(c.geom, c.here)) AS lat
  FROM (SELECT r.id, r.geom, ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326) AS here
          FROM roads AS r
         WHERE NOT (r.id = ANY (%(unusable)s::bigint[]))
         ORDER BY r.geom <-> ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)
         LIMIT 8) AS c
 ORDER BY snap_m, c.id
 LIMIT 1
