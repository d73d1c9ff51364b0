-- The lots of one item at the stockpiles of a move, first-expiring first (no expiry last),
-- locked in that stable order.
SELECT id, stockpile_id, expires_on, quantity, unit
  FROM stockpile_items
 WHERE stockpile_id = ANY(%(ids)s) AND item = %(item)s
 ORDER BY stockpile_id, expires_on NULLS LAST, id
   FOR UPDATE
