-- Take quantities out of lots (the CHECK quantity >= 0 stays the last guard).
UPDATE stockpile_items AS t
   SET quantity = t.quantity - d.quantity, updated_at = now()
  FROM unnest(%(ids)s::bigint[], %(quantities)s::numeric[]) AS d(id, quantity)
 WHERE t.id = d.id
