-- The batch's units that exist, locked in id order (two batches naming the same units never
-- wait for each other in a circle), with the time of the position each is shown at; and the
-- database's clock, which the batch's times are checked against.
SELECT u.id, u.position_at, now() AS now
  FROM units AS u
 WHERE u.id = ANY(%(ids)s::bigint[])
 ORDER BY u.id
   FOR NO KEY UPDATE
