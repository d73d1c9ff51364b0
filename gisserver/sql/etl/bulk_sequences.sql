-- The sequences of the layer's identity (or serial) columns beside those of the new table
-- made like it, by their names.
SELECT layer_seq.relname AS layer_sequence, load_seq.relname AS load_sequence
  FROM pg_attribute a
  JOIN pg_class layer_seq ON layer_seq.oid = pg_get_serial_sequence(%(table)s, a.attname)::regclass
  JOIN pg_class load_seq ON load_seq.oid = pg_get_serial_sequence(%(load)s, a.attname)::regclass
 WHERE a.attrelid = %(table)s::regclass AND a.attnum > 0 AND NOT a.attisdropped
 ORDER BY a.attnum
