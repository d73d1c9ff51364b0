-- How many of this source's rows --replace would delete.
SELECT count(*)
  FROM {table} AS t
 WHERE t.source = %(source)s
   AND NOT EXISTS (SELECT 1 FROM etl_staging s WHERE s.source_id = t.source_id)
   AND NOT EXISTS (SELECT 1 FROM etl_rejected r WHERE r.source_id = t.source_id)
