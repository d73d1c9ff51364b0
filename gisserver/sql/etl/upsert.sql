-- Staged rows into the layer, keyed on (source, source_id). A row whose values are all the
-- same is not touched (IS DISTINCT FROM), so updated_at and the layer version only move when
-- something changed. xmax = 0 marks a freshly inserted row.
WITH written AS (
    INSERT INTO {table} AS t (source, source_id, {columns}, properties, geom)
    SELECT %(source)s, s.source_id, {staged_columns}, s.properties, s.geom
      FROM etl_staging s
    ON CONFLICT (source, source_id) DO UPDATE
       SET ({columns}, properties, geom, updated_at)
         = ({excluded_columns}, EXCLUDED.properties, EXCLUDED.geom, now())
     WHERE ({target_columns}, t.properties, t.geom)
           IS DISTINCT FROM ({excluded_columns}, EXCLUDED.properties, EXCLUDED.geom)
    RETURNING (xmax = 0) AS inserted
)
SELECT count(*) FILTER (WHERE inserted) AS inserted,
       count(*) FILTER (WHERE NOT inserted) AS updated
  FROM written
