-- Arrival: an open assignment (assigned, en_route) of a unit of the batch that reported a
-- position at or after it was assigned, within %(radius)s metres (geodesic) of where it was
-- sent, is on scene from the earliest such position. The status is checked again on the row
-- itself (a release committed meanwhile wins).
WITH batch AS (
    SELECT * FROM unnest(%(ids)s::bigint[], %(lons)s::float8[], %(lats)s::float8[],
                         %(ats)s::timestamptz[]) AS p(unit_id, lon, lat, at)
), arrived AS (
    SELECT a.id, min(p.at) AS at
      FROM assignments AS a
      JOIN batch AS p ON p.unit_id = a.unit_id
     WHERE a.status IN ('assigned', 'en_route')
       AND p.at >= a.assigned_at
       AND ST_DWithin(ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326)::geography,
                      a.geom::geography, %(radius)s)
     GROUP BY a.id
)
UPDATE assignments AS a
   SET status = 'on_scene', on_scene_at = arrived.at
  FROM arrived
 WHERE a.id = arrived.id
   AND a.status IN ('assigned', 'en_route')
RETURNING a.id, a.unit_id, a.on_scene_at
