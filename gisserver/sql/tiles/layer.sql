-- One MVT layer of a vector tile; composed into tiles/tile.sql once per layer.
-- First CTE: the candidate features, narrow (row address and priority only, so that sorting
--   many is cheap), the most important first (the layer's priority order), at most limit + 1
--   so that the layer knows whether it was thinned without counting every feature, each with
--   its rank. The planner either finds the features touching the tile with the GIST index and
--   keeps the first limit + 1 (a top-N sort), or, when the tile holds most of the layer, walks
--   the layer's priority index (migration 0002) until limit + 1 of them touch the tile.
-- Second CTE: the layer's MVT bytes (empty when no feature) and whether it was thinned; the
--   attributes and geometry are read for the kept features only, by row address (a TID scan;
--   one statement sees one snapshot, so the same row versions). A feature whose geometry falls outside the tile's grid gets a
--   NULL geom, which ST_AsMVT skips (no "WHERE geom IS NOT NULL": the planner would push it
--   down and compute every ST_AsMVTGeom twice).
{rows} AS (
    SELECT k._row, row_number() OVER (ORDER BY {priority_order}) AS _rank
    FROM (
        SELECT t.ctid AS _row, {priority_columns}
        FROM {table} AS t
        WHERE t.geom && {filter}{exact_filter}
        ORDER BY {priority_order}
        LIMIT %(limit)s + 1
    ) AS k
),
{layer} AS (
    SELECT
        coalesce((
            SELECT ST_AsMVT(f, {layer_name}, 4096, 'geom', 'fid')
            FROM (
                SELECT t.id AS fid, {attributes},
                       ST_AsMVTGeom({geometry}, tile.envelope, 4096, 64, true) AS geom
                FROM {table} AS t, tile
                WHERE t.ctid = ANY(ARRAY(SELECT _row FROM {rows} WHERE _rank <= %(limit)s))
            ) AS f
        ), '\x'::bytea) AS mvt,
        EXISTS (SELECT FROM {rows} WHERE _rank > %(limit)s) AS thinned
)
