-- Ends within %(eps)s degrees of latitude (the tolerance in metres / 111,320) of each other
-- are one junction, transitively (DBSCAN with one point per cluster is single linkage).
-- Longitudes are scaled by the cosine of their latitude first, so that the tolerance is the
-- same distance east-west as north-south. A junction's place is its first end (lowest road id,
-- then first vertex before last), and its id is that end's number, road id * 2 + 0 or 1: the
-- junctions of roads a load leaves alone keep their ids, unless one of the load's segments now
-- ends there first.
INSERT INTO road_ends (road, which, pt, node, first)
WITH ends AS (
    SELECT id AS road, 0 AS which, ST_StartPoint(geom) AS pt FROM roads
    UNION ALL
    SELECT id, 1, ST_EndPoint(geom) FROM roads
), clustered AS (
    SELECT road, which, pt,
           ST_ClusterDBSCAN(
               ST_MakePoint(ST_X(pt) * cos(radians(ST_Y(pt))), ST_Y(pt)),
               eps := %(eps)s,
               minpoints := 1
           ) OVER () AS cluster
    FROM ends
), firsts AS (
    SELECT cluster, min(road * 2 + which) AS first_end FROM clustered GROUP BY cluster
)
SELECT c.road, c.which, c.pt, f.first_end, c.road * 2 + c.which = f.first_end
FROM clustered AS c
JOIN firsts AS f USING (cluster)
