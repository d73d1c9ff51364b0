-- One MVT layer of a vector tile; composed into tiles_tile.sql once per layer.
-- First CTE: the candidate features, narrow (id and priority only, so that sorting many is
--   cheap). The index (&&) finds those touching the tile grown by its buffer; at most
--   limit + 1 are kept, the most important first (the layer's priority order), so that the
--   layer knows whether it was thinned without counting every feature.
-- Second CTE: the layer's MVT bytes (empty when no feature) and whether it was thinned; the
--   attributes and geometry are read for the kept features only.
{rows} AS (
    SELECT t.id, {priority_columns}
    FROM {table} AS t
    WHERE t.geom && (SELECT filter FROM tile){exact_filter}
    ORDER BY {priority_order}
    LIMIT %(limit)s + 1
),
{layer} AS (
    SELECT
        coalesce((
            SELECT ST_AsMVT(f, {layer_name}, 4096, 'geom', 'fid')
            FROM (
                SELECT t.id AS fid, {attributes},
                       ST_AsMVTGeom({geometry}, tile.envelope, 4096, 64, true) AS geom
                FROM (SELECT id FROM {rows} ORDER BY {priority_order} LIMIT %(limit)s) AS r
                JOIN {table} AS t ON t.id = r.id, tile
            ) AS f
            WHERE f.geom IS NOT NULL
        ), '\x'::bytea) AS mvt,
        (SELECT count(*) FROM {rows}) > %(limit)s AS thinned
)
