-- Put quantities into a stockpile's lots of the given expiries, creating the lots it lacks.
INSERT INTO stockpile_items AS t (stockpile_id, item, quantity, unit, expires_on, source)
SELECT %(stockpile_id)s, %(item)s, d.quantity, %(unit)s, d.expires_on, %(source)s
  FROM unnest(%(expiries)s::date[], %(quantities)s::numeric[]) AS d(expires_on, quantity)
    ON CONFLICT (stockpile_id, item, COALESCE(expires_on, 'infinity'::date)) DO UPDATE
   SET quantity = t.quantity + EXCLUDED.quantity, updated_at = now()
