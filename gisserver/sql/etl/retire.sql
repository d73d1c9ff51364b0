-- --replace: this source's rows that the file no longer has (a row the file still has but
-- whose new version was rejected is kept). Other sources are never touched.
DELETE FROM {table} AS t
 WHERE t.source = %(source)s
   AND NOT EXISTS (SELECT 1 FROM etl_staging s WHERE s.source_id = t.source_id)
   AND NOT EXISTS (SELECT 1 FROM etl_rejected r WHERE r.source_id = t.source_id)
