-- The source's rows now, and how many of the staged segments are already there exactly
-- (same id, name, class, one-way, speed and geometry); a multiset comparison.
WITH staged AS (
    SELECT source_id, name, road_class, one_way, maxspeed_kmh, ST_AsEWKB(geom) AS wkb
    FROM roads_staging
), stored AS (
    SELECT source_id, name, road_class, one_way, maxspeed_kmh, ST_AsEWKB(geom) AS wkb
    FROM roads
    WHERE source = %(source)s
)
SELECT
    (SELECT count(*) FROM stored) AS stored,
    (SELECT count(*) FROM (SELECT * FROM staged INTERSECT ALL SELECT * FROM stored) AS s) AS same
