-- One tile of the offline basemap (WebMercatorQuad z/x/y): two MVT layers drawn from the
-- project's own data, so that the map is readable with no internet (docs/webmap.md "Basemap").
--   roads: the road network's segments (table roads), merged per class and name (one feature
--     per street in the tile, fewer and longer lines), of the classes drawn at this zoom only,
--     simplified to the zoom's tolerance. Attributes road_class, name.
--   areas: basemap_areas (the city boundary; water and parks where loaded), clipped to the
--     tile, simplified. Attributes kind, name; feature id the area's id.
-- Both read what touches the tile grown by the 64/4096 buffer (the filter: tiles/filter.sql,
-- with an exact ST_Intersects so that a line whose box touches the tile but not its shape does
-- not come); the two change versions come from the same snapshot, for the ETag.
-- Parameters: z, x, y (ST_TileEnvelope order: column before row), tolerance (EPSG:3857
-- metres), classes (text[] of the road classes drawn at this zoom; NULL: every class).
WITH
tile AS (
    SELECT ST_TileEnvelope(%(z)s, %(x)s, %(y)s) AS envelope, {filter} AS filter
),
streets AS (
    SELECT r.road_class, r.name,
           ST_AsMVTGeom(
               ST_Simplify(ST_Transform(ST_LineMerge(ST_Collect(
                   ST_ClipByBox2D(r.geom, tile.filter::box2d))), 3857), %(tolerance)s),
               tile.envelope, 4096, 64, true) AS geom
    FROM roads AS r, tile
    WHERE r.geom && {filter}
      AND ST_Intersects(r.geom, {filter})
      AND (%(classes)s::text[] IS NULL OR r.road_class = ANY(%(classes)s::text[]))
    GROUP BY r.road_class, r.name, tile.envelope
),
areas AS (
    SELECT a.id AS fid, a.kind, a.name,
           ST_AsMVTGeom(
               ST_Simplify(ST_Transform(ST_ClipByBox2D(a.geom, tile.filter::box2d), 3857),
                           %(tolerance)s, true),
               tile.envelope, 4096, 64, true) AS geom
    FROM basemap_areas AS a, tile
    WHERE a.geom && {filter}
      AND ST_Intersects(a.geom, {filter})
)
SELECT coalesce((SELECT ST_AsMVT(s, 'roads', 4096, 'geom') FROM streets AS s), '\x'::bytea)
       || coalesce((SELECT ST_AsMVT(a, 'areas', 4096, 'geom', 'fid') FROM areas AS a),
                   '\x'::bytea) AS mvt,
       (SELECT version FROM basemap_version) AS areas_version,
       (SELECT version FROM road_network) AS roads_version
