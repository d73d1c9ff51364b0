-- One row per lot (stockpile, item, expiry); unchanged lots are not touched. The ledger's
-- triggers (migration 0007) write a count line per lot changed (new - old); the stockpiles
-- whose lots changed get a new version (their ETag), as a stock move gives them.
WITH written AS (
    INSERT INTO stockpile_items AS t (stockpile_id, item, quantity, unit, expires_on, source)
    SELECT stockpile_id, item, quantity, unit, expires_on, %(source)s FROM etl_inventory
    ON CONFLICT (stockpile_id, item, COALESCE(expires_on, 'infinity'::date)) DO UPDATE
       SET quantity = EXCLUDED.quantity, unit = EXCLUDED.unit, source = EXCLUDED.source,
           updated_at = now()
     WHERE (t.quantity, t.unit, t.source)
           IS DISTINCT FROM (EXCLUDED.quantity, EXCLUDED.unit, EXCLUDED.source)
    RETURNING (xmax = 0) AS inserted, stockpile_id
),
touched AS (
    UPDATE stockpiles SET updated_at = now()
     WHERE id IN (SELECT stockpile_id FROM written)
)
SELECT count(*) FILTER (WHERE inserted) AS inserted,
       count(*) FILTER (WHERE NOT inserted) AS updated
  FROM written
