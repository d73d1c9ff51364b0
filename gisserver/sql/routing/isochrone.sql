-- Isochrones of each time in "seconds" around point -1 (the search graph with the point as its
-- vertex -1: gisserver.routing.network.from_point_query):
-- every junction reached within the time, and every segment leaving a reached junction driven as
-- far as the remaining time allows (the whole segment, or the part of it reached), gathered and
-- wrapped in a concave hull ("concavity": 0 hugs the roads, 1 is the convex hull).
WITH reached AS (
    SELECT d.node, d.agg_cost
      FROM pgr_drivingDistance({edges}, -1, %(max_seconds)s::float8, directed => true) AS d
     WHERE d.node > 0
), graph AS ({edges_query}),
driven AS (
    -- along each segment, from its first vertex (cost) and from its last (reverse_cost)
    SELECT t.seconds, CASE WHEN n.agg_cost + g.cost <= t.seconds THEN r.geom
                           ELSE ST_LineSubstring(r.geom, 0, (t.seconds - n.agg_cost) / g.cost)
                      END AS geom
      FROM unnest(%(seconds)s::float8[]) AS t(seconds)
      JOIN reached AS n ON n.agg_cost < t.seconds
      JOIN graph AS g ON g.source = n.node AND g.cost > 0
      JOIN roads AS r ON r.id = g.id
    UNION ALL
    SELECT t.seconds, CASE WHEN n.agg_cost + g.reverse_cost <= t.seconds THEN r.geom
                           ELSE ST_LineSubstring(r.geom,
                                                 1 - (t.seconds - n.agg_cost) / g.reverse_cost, 1)
                      END AS geom
      FROM unnest(%(seconds)s::float8[]) AS t(seconds)
      JOIN reached AS n ON n.agg_cost < t.seconds
      JOIN graph AS g ON g.target = n.node AND g.reverse_cost > 0
      JOIN roads AS r ON r.id = g.id
    UNION ALL
    SELECT t.seconds, ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)
      FROM unnest(%(seconds)s::float8[]) AS t(seconds)
), hulls AS (
    SELECT d.seconds, ST_ConcaveHull(ST_Collect(d.geom), %(concavity)s, false) AS geom,
           count(*) AS pieces
      FROM driven AS d
     GROUP BY d.seconds
)
SELECT h.seconds, h.pieces,
       (SELECT count(*) FROM reached AS n WHERE n.agg_cost <= h.seconds) AS junctions,
       ST_Area(h.geom::geography) AS area_m2,
       ST_AsGeoJSON(h.geom, 7) AS geometry
  FROM hulls AS h
 ORDER BY h.seconds
