-- One unit's track in [from, to), oldest first: the filter on "at" prunes the months outside.
SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat, at, speed, heading
  FROM unit_positions
 WHERE unit_id = %(unit_id)s AND at >= %(from)s AND at < %(to)s
 ORDER BY at
 LIMIT %(limit)s
