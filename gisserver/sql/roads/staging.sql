-- The segments of one load, before they replace the source's rows (dropped at commit; and
-- here, when an outer transaction holds the previous load's).
DROP TABLE IF EXISTS roads_staging;
CREATE TEMP TABLE roads_staging (
    seq integer NOT NULL,  -- the order read
    row integer NOT NULL,  -- the file's feature
    source_id text,
    name text,
    road_class text NOT NULL,
    one_way smallint NOT NULL,
    maxspeed_kmh real,
    file_from text,
    file_to text,
    geom geometry(LineString, 4326) NOT NULL
) ON COMMIT DROP
