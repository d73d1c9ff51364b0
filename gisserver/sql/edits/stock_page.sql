-- A page of moves, newest (highest id) first: those with a line at the stockpile, of the item,
-- made at or after "since", before the move "after" (the last one of the previous page).
SELECT DISTINCT move_id
  FROM stock_moves
 WHERE (%(stockpile_id)s::bigint IS NULL OR stockpile_id = %(stockpile_id)s::bigint)
   AND (%(item)s::text IS NULL OR item = %(item)s::text)
   AND (%(since)s::timestamptz IS NULL OR at >= %(since)s::timestamptz)
   AND (%(after)s::bigint IS NULL OR move_id < %(after)s::bigint)
 ORDER BY move_id DESC
 LIMIT %(limit)s
