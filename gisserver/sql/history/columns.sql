-- The columns of a layer's table in their order: an as-of layer has the same (as_of.py).
SELECT a.attname AS name
  FROM pg_attribute AS a
 WHERE a.attrelid = to_regclass(%(table)s) AND a.attnum > 0 AND NOT a.attisdropped
 ORDER BY a.attnum
