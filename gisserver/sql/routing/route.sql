-- The fastest paths from point -1 (on segment "edge" at "fraction") to each point of
-- the targets (negative point ids; their fractions: target_fractions), over the graph
-- and the points given as query texts (see edges.sql). One row per traversed piece, in order:
-- the segment, its name and class, the seconds it took, and its geometry in the direction
-- driven: the first and last pieces are the parts of their segments between the point and the
-- junction (or between the two points when both lie on one segment).
WITH path AS (
    SELECT p.end_pid, p.path_seq, p.node, p.edge, p.cost, p.agg_cost,
           lead(p.node) OVER (PARTITION BY p.end_pid ORDER BY p.path_seq) AS next_node
      FROM pgr_withPoints({edges}, {points}, -1, %(targets)s::bigint[],
                          directed => true, driving_side => 'b', details => false) AS p
), ends AS (
    SELECT t.pid, t.fraction
      FROM unnest(%(targets)s::bigint[], %(target_fractions)s::float8[]) AS t(pid, fraction)
), pieces AS (
    SELECT p.end_pid, p.path_seq, p.edge, p.cost, p.agg_cost, r.name, r.road_class,
           CASE
               WHEN p.node = -1 AND p.next_node = p.end_pid THEN
                   CASE WHEN %(fraction)s::float8 <= e.fraction
                        THEN ST_LineSubstring(r.geom, %(fraction)s::float8, e.fraction)
                        ELSE ST_Reverse(ST_LineSubstring(r.geom, e.fraction, %(fraction)s::float8))
                   END
               WHEN p.node = -1 AND p.next_node = r.to_node THEN
                   ST_LineSubstring(r.geom, %(fraction)s::float8, 1)
               WHEN p.node = -1 THEN
                   ST_Reverse(ST_LineSubstring(r.geom, 0, %(fraction)s::float8))
               WHEN p.next_node = p.end_pid AND p.node = r.from_node THEN
                   ST_LineSubstring(r.geom, 0, e.fraction)
               WHEN p.next_node = p.end_pid THEN
                   ST_Reverse(ST_LineSubstring(r.geom, e.fraction, 1))
               WHEN p.node = r.from_node THEN r.geom
               ELSE ST_Reverse(r.geom)
           END AS geom
      FROM path AS p
      JOIN ends AS e ON e.pid = p.end_pid
      JOIN roads AS r ON r.id = p.edge
)
SELECT end_pid, path_seq, edge, cost, agg_cost, name, road_class,
       ST_Length(geom::geography) AS length_m,
       ST_AsGeoJSON(geom, 7)::json -> 'coordinates' AS coordinates
  FROM pieces
 ORDER BY end_pid, path_seq
