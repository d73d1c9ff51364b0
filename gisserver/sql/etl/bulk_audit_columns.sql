-- The columns of a bulk load's new table that an audit value's properties hold: all but id,
-- geom and version (migration 0006's to_jsonb(row) - '{id,geom,version}'), in their order.
SELECT a.attname
  FROM pg_attribute a
 WHERE a.attrelid = %(table)s::regclass AND a.attnum > 0 AND NOT a.attisdropped
   AND a.attname NOT IN ('id', 'geom', 'version')
 ORDER BY a.attnum
