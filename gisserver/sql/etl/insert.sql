-- The first load of a source (the layer has no row of it): every staged row is new, so a plain
-- INSERT does without the upsert's conflict handling, RETURNING and per-row comparison.
-- A concurrent load of the same source makes it fail on the unique (source, source_id); the
-- loader then takes the upsert path.
INSERT INTO {table} (source, source_id, {columns}, properties, geom)
SELECT %(source)s, s.source_id, {staged_columns}, s.properties, s.geom
  FROM etl_staging s
