-- One row per lot (stockpile, item, expiry); unchanged lots are not touched.
WITH written AS (
    INSERT INTO stockpile_items AS t (stockpile_id, item, quantity, unit, expires_on, source)
    SELECT stockpile_id, item, quantity, unit, expires_on, %(source)s FROM etl_inventory
    ON CONFLICT (stockpile_id, item, COALESCE(expires_on, 'infinity'::date)) DO UPDATE
       SET quantity = EXCLUDED.quantity, unit = EXCLUDED.unit, source = EXCLUDED.source,
           updated_at = now()
     WHERE (t.quantity, t.unit, t.source)
           IS DISTINCT FROM (EXCLUDED.quantity, EXCLUDED.unit, EXCLUDED.source)
    RETURNING (xmax = 0) AS inserted
)
SELECT count(*) FILTER (WHERE inserted) AS inserted,
       count(*) FILTER (WHERE NOT inserted) AS updated
  FROM written
