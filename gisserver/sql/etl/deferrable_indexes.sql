-- The indexes of a layer table that a bulk load into the empty layer drops and builds again
-- after its COPY (one sorted build is much cheaper than maintaining an index row by row):
-- all but those a foreign key relies on (stockpiles' primary key). A primary key or unique
-- constraint comes with its definition, to be added back as a constraint.
SELECT i.indexrelid::regclass::text AS index_name,
       c.conname AS constraint_name,
       pg_get_indexdef(i.indexrelid) AS index_definition,
       pg_get_constraintdef(c.oid) AS constraint_definition
  FROM pg_index i
  LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid
 WHERE i.indrelid = %(table)s::regclass
   AND NOT EXISTS (SELECT 1 FROM pg_constraint f
                    WHERE f.contype = 'f' AND f.conindid = i.indexrelid)
 ORDER BY i.indexrelid
