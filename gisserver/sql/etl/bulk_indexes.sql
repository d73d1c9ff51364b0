-- The layer's indexes, which a bulk load builds on its new table once the rows are in: a plain
-- index with its definition, the index of a primary key, unique or exclusion constraint with
-- the constraint's.
SELECT ic.relname AS index_name,
       c.conname AS constraint_name,
       pg_get_indexdef(i.indexrelid) AS index_definition,
       pg_get_constraintdef(c.oid) AS constraint_definition
  FROM pg_index i
  JOIN pg_class ic ON ic.oid = i.indexrelid
  LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid
 WHERE i.indrelid = %(table)s::regclass
 ORDER BY i.indexrelid
