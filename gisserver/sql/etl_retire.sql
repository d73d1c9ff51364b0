-- --replace: this source's rows that the file no longer has. Other sources are never touched.
DELETE FROM {table} AS t
 WHERE t.source = %(source)s
   AND NOT EXISTS (SELECT 1 FROM etl_staging s WHERE s.source_id = t.source_id)
