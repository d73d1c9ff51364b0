-- The active stockpiles (of %(ids)s; NULL: all) holding an item of %(minimums)s (item ->
-- minimum) below its minimum: the quantity of its lots not expired on %(today)s, summed.
WITH held AS (
    SELECT i.stockpile_id, i.item, string_agg(DISTINCT i.unit, ', ') AS unit,
           coalesce(sum(i.quantity) FILTER (WHERE i.expires_on IS NULL
                                               OR i.expires_on >= %(today)s), 0) AS quantity,
           (%(minimums)s::jsonb ->> i.item)::numeric AS minimum
      FROM stockpile_items AS i
     WHERE %(minimums)s::jsonb ? i.item
       AND (%(ids)s::bigint[] IS NULL OR i.stockpile_id = ANY (%(ids)s::bigint[]))
     GROUP BY i.stockpile_id, i.item
)
SELECT p.id AS subject_id, ST_AsBinary(p.geom) AS wkb,
       jsonb_build_object('id', p.id, 'name', p.name) AS facts,
       jsonb_agg(jsonb_build_object('item', h.item, 'quantity', h.quantity, 'unit', h.unit,
                                    'minimum', h.minimum) ORDER BY h.item) AS items
  FROM held AS h
  JOIN stockpiles AS p ON p.id = h.stockpile_id
 WHERE p.status IS DISTINCT FROM 'inactive'
   AND h.quantity < h.minimum
 GROUP BY p.id
