-- Travel times between point -1 (the origin, on segment "origin_edge" at "origin_fraction")
-- and each place (on segment "edges" at "fractions", "snaps" metres away: places.sql): one
-- search from the origin (vertex -1 of the search graph: gisserver.routing.network's
-- from_point_query) over the whole graph (pgr_drivingDistance, up to "max_seconds"), then each
-- place reached through its segment from whichever end of it is quicker (or along it, when the
-- origin lies on the same segment).
-- "towards" false: from the origin to each place, over the graph as it is; true: from each place
-- to the origin (the search runs over the reversed graph, so the times at the junctions are
-- times *to* the origin). The graph's costs below are always the segments' own directions.
-- A place farther than "max_snap_m" from its segment, or not reached, gets NULL seconds.
WITH reached AS MATERIALIZED (
    SELECT d.node, d.agg_cost
      FROM pgr_drivingDistance({search_edges}, -1, %(max_seconds)s::float8,
                               directed => true) AS d
     WHERE d.node > 0
), places AS (
    SELECT p.ordinal, p.edge, p.fraction, p.snap_m
      FROM unnest(%(edges)s::bigint[], %(fractions)s::float8[], %(snaps)s::float8[])
           WITH ORDINALITY AS p(edge, fraction, snap_m, ordinal)
), graph AS (
    SELECT g.* FROM ({edges_query}) AS g WHERE g.id IN (SELECT pl.edge FROM places AS pl)
)
SELECT pl.ordinal, pl.edge, pl.fraction, pl.snap_m,
       CASE WHEN pl.snap_m <= %(max_snap_m)s THEN least(
           CASE WHEN NOT %(towards)s AND g.cost >= 0 THEN a.agg_cost + pl.fraction * g.cost END,
           CASE WHEN NOT %(towards)s AND g.reverse_cost >= 0
                THEN b.agg_cost + (1 - pl.fraction) * g.reverse_cost END,
           CASE WHEN %(towards)s AND g.cost >= 0 THEN (1 - pl.fraction) * g.cost + b.agg_cost END,
           CASE WHEN %(towards)s AND g.reverse_cost >= 0
                THEN pl.fraction * g.reverse_cost + a.agg_cost END,
           -- along the origin's own segment
           CASE WHEN pl.edge = %(origin_edge)s AND g.cost >= 0
                 AND (pl.fraction >= %(origin_fraction)s) <> %(towards)s
                THEN abs(pl.fraction - %(origin_fraction)s) * g.cost END,
           CASE WHEN pl.edge = %(origin_edge)s AND g.reverse_cost >= 0
                 AND (pl.fraction <= %(origin_fraction)s) <> %(towards)s
                THEN abs(pl.fraction - %(origin_fraction)s) * g.reverse_cost END
       ) END AS seconds
  FROM places AS pl
  JOIN graph AS g ON g.id = pl.edge
  LEFT JOIN reached AS a ON a.node = g.source
  LEFT JOIN reached AS b ON b.node = g.target
 ORDER BY pl.ordinal
