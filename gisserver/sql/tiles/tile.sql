-- A vector tile of WebMercatorQuad tile z/x/y holding the composed layers
-- (tiles/layer.sql once per layer), with the layers' change versions read in the same snapshot
-- so that the ETag always matches the content.
-- Parameters: z, x, y (tile), limit (features per layer), tolerance (EPSG:3857 metres),
-- layers (text[] of layer ids, for the versions).
-- Run it unprepared (a custom plan per tile, see tiles/filter.sql); planning takes ~0.4 ms.
WITH
tile AS (
    -- envelope: the tile in EPSG:3857. filter: see tiles/filter.sql.
    SELECT ST_TileEnvelope(%(z)s, %(x)s, %(y)s) AS envelope, {filter} AS filter
),
{layers}
SELECT {mvt} AS mvt,
       ARRAY[{thinned}]::boolean[] AS thinned,
       (SELECT jsonb_object_agg(layer, version) FROM layer_versions
         WHERE layer = ANY(%(layers)s)) AS versions
