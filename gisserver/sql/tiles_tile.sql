-- A vector tile of WebMercatorQuad tile z/x/y holding the composed layers
-- (tiles_layer.sql once per layer), with the layers' change versions read in the same snapshot
-- so that the ETag always matches the content.
-- Parameters: z, x, y (tile), limit (features per layer), tolerance (EPSG:3857 metres),
-- layers (text[] of layer ids, for the versions).
WITH
tile AS (
    -- envelope: the tile in EPSG:3857. filter: the tile grown by the 64/4096 buffer, clamped to
    -- the world (ST_TileEnvelope's margin runs past +-180 degrees at the edges, which would wrap
    -- round in EPSG:4326), in the storage SRID 4326 so that the GIST index on geom is used.
    -- A rectangle in EPSG:3857 is a rectangle in EPSG:4326: the 4326 filter is exact.
    SELECT e.envelope,
           ST_Transform(ST_MakeEnvelope(
               greatest(ST_XMin(e.grown), -20037508.342789244),
               greatest(ST_YMin(e.grown), -20037508.342789244),
               least(ST_XMax(e.grown), 20037508.342789244),
               least(ST_YMax(e.grown), 20037508.342789244),
               3857), 4326) AS filter
    FROM (
        SELECT ST_TileEnvelope(%(z)s, %(x)s, %(y)s) AS envelope,
               ST_TileEnvelope(%(z)s, %(x)s, %(y)s, margin => 64.0 / 4096) AS grown
    ) AS e
),
{layers}
SELECT {mvt} AS mvt,
       ARRAY[{thinned}]::boolean[] AS thinned,
       (SELECT jsonb_object_agg(layer, version) FROM layer_versions
         WHERE layer = ANY(%(layers)s)) AS versions
