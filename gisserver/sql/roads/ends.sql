-- Both ends of every road and the junction each belongs to (dropped at commit).
DROP TABLE IF EXISTS road_ends;
CREATE TEMP TABLE road_ends (
    road bigint NOT NULL,
    which smallint NOT NULL,  -- 0 the first vertex, 1 the last
    pt geometry(Point, 4326) NOT NULL,
    node bigint NOT NULL,
    first boolean NOT NULL    -- the junction's first end: its place
) ON COMMIT DROP
