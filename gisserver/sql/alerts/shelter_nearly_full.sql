-- The shelters (of %(ids)s; NULL: all) with a capacity whose occupancy is at or above
-- %(share)s (numeric: 0.9 * 100 is exactly 90) of it.
SELECT s.id AS subject_id, ST_AsBinary(s.geom) AS wkb,
       jsonb_build_object('id', s.id, 'name', s.name, 'status', s.status,
                          'occupancy', s.occupancy, 'capacity', s.capacity,
                          'threshold', %(share)s::numeric) AS facts
  FROM shelters AS s
 WHERE (%(ids)s::bigint[] IS NULL OR s.id = ANY (%(ids)s::bigint[]))
   AND s.capacity > 0
   AND s.occupancy >= %(share)s::numeric * s.capacity
