-- The lots of one item at some stockpiles, as they are now.
SELECT stockpile_id, unit, expires_on, quantity
  FROM stockpile_items
 WHERE stockpile_id = ANY(%(ids)s) AND item = %(item)s
 ORDER BY stockpile_id, unit, expires_on NULLS LAST
