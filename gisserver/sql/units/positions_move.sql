-- Each unit to its newest position of the batch, where that is newer than the one it is shown
-- at. An update of the position alone is no version of record (migration 0009's trigger
-- argument): no audit row, no history; the unit's version (its ETag) and the layer's change.
UPDATE units AS u
   SET geom = ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326),
       position_at = p.at,
       speed = p.speed,
       heading = p.heading
  FROM unnest(%(ids)s::bigint[], %(lons)s::float8[], %(lats)s::float8[],
              %(ats)s::timestamptz[], %(speeds)s::float8[], %(headings)s::float8[])
       AS p(id, lon, lat, at, speed, heading)
 WHERE u.id = p.id
   AND (u.position_at IS NULL OR u.position_at < p.at)
RETURNING u.id
