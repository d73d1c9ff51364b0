-- Arrival, found before the batch's audit row (its rows are locked here, so that the
-- transaction never waits for a row while it holds the feed's lock): the open assignments
-- (assigned, en_route) of the batch's units, locked, and for each the earliest position at or
-- after it was assigned within %(radius)s metres (geodesic) of where the unit was sent.
WITH batch AS (
    SELECT * FROM unnest(%(ids)s::bigint[], %(lons)s::float8[], %(lats)s::float8[],
                         %(ats)s::timestamptz[]) AS p(unit_id, lon, lat, at)
), open AS (
    SELECT a.id, a.unit_id, a.assigned_at, a.geom
      FROM assignments AS a
     WHERE a.unit_id = ANY(%(ids)s::bigint[]) AND a.status IN ('assigned', 'en_route')
       FOR NO KEY UPDATE
)
SELECT o.id, o.unit_id, min(p.at) AS at
  FROM open AS o
  JOIN batch AS p ON p.unit_id = o.unit_id
 WHERE p.at >= o.assigned_at
   AND ST_DWithin(ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326)::geography,
                  o.geom::geography, %(radius)s)
 GROUP BY o.id, o.unit_id
 ORDER BY o.id
