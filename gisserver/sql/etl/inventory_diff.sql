-- What the inventory upsert would do, so an unchanged file writes nothing.
SELECT count(*) FILTER (WHERE t.id IS NULL) AS inserted,
       count(*) FILTER (WHERE t.id IS NOT NULL
                          AND (t.quantity, t.unit, t.source)
                              IS DISTINCT FROM (s.quantity, s.unit, %(source)s))
           AS updated,
       (SELECT count(*) FROM stockpile_items r
         WHERE r.source = %(source)s
           AND NOT EXISTS (SELECT 1 FROM etl_inventory k
                            WHERE k.stockpile_id = r.stockpile_id AND k.item = r.item
                              AND k.expires_on IS NOT DISTINCT FROM r.expires_on)) AS absent
  FROM etl_inventory s
  LEFT JOIN stockpile_items t
    ON t.stockpile_id = s.stockpile_id AND t.item = s.item
   AND COALESCE(t.expires_on, 'infinity'::date) = COALESCE(s.expires_on, 'infinity'::date)
