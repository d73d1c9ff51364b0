-- The active stockpiles (of %(ids)s; NULL: all) with a lot in stock that has expired or
-- expires within %(days)s days of %(today)s.
SELECT p.id AS subject_id, ST_AsBinary(p.geom) AS wkb,
       jsonb_build_object('id', p.id, 'name', p.name) AS facts,
       jsonb_agg(jsonb_build_object('item', i.item, 'quantity', i.quantity, 'unit', i.unit,
                                    'expires_on', i.expires_on)
                 ORDER BY i.expires_on, i.item) AS lots
  FROM stockpiles AS p
  JOIN stockpile_items AS i ON i.stockpile_id = p.id
 WHERE (%(ids)s::bigint[] IS NULL OR p.id = ANY (%(ids)s::bigint[]))
   AND p.status IS DISTINCT FROM 'inactive'
   AND i.quantity > 0
   AND i.expires_on <= %(today)s::date + %(days)s::integer
 GROUP BY p.id
