-- The stockpiles of a move, locked in id order: moves touching a stockpile run one after the
-- other (two transfers A -> B and B -> A lock A first both), and today's date for expiries.
SELECT id, status, current_date AS today
  FROM stockpiles
 WHERE id = ANY(%(ids)s)
 ORDER BY id
   FOR NO KEY UPDATE
