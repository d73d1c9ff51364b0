-- The areas of one load, before they replace the source's rows (dropped at commit; and here,
-- when an outer transaction holds the previous load's).
DROP TABLE IF EXISTS basemap_staging;
CREATE TEMP TABLE basemap_staging (
    kind text NOT NULL,
    name text,
    geom geometry(MultiPolygon, 4326) NOT NULL
) ON COMMIT DROP
