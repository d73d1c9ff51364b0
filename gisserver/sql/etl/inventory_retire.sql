-- --replace: this inventory source's lots that the file no longer lists.
DELETE FROM stockpile_items AS t
 WHERE t.source = %(source)s
   AND NOT EXISTS (SELECT 1 FROM etl_inventory s
                    WHERE s.stockpile_id = t.stockpile_id AND s.item = t.item
                      AND s.expires_on IS NOT DISTINCT FROM t.expires_on)
