-- The planner's row count of a table (reltuples; -1 when never analysed), without scanning it.
SELECT GREATEST(reltuples, 0)::bigint AS rows, reltuples < 0 AS unanalysed
  FROM pg_class
 WHERE oid = to_regclass({table_name})
