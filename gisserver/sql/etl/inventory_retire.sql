-- --replace: this inventory source's lots that the file no longer lists (the ledger's triggers
-- write a count line of -quantity for each); their stockpiles get a new version.
WITH retired AS (
    DELETE FROM stockpile_items AS t
     WHERE t.source = %(source)s
       AND NOT EXISTS (SELECT 1 FROM etl_inventory s
                        WHERE s.stockpile_id = t.stockpile_id AND s.item = t.item
                          AND s.expires_on IS NOT DISTINCT FROM t.expires_on)
    RETURNING t.stockpile_id
),
touched AS (
    UPDATE stockpiles SET updated_at = now()
     WHERE id IN (SELECT stockpile_id FROM retired)
)
SELECT count(*) AS retired FROM retired
