-- The segments a point must not be snapped to: those with an end outside the largest strongly
-- connected piece of their (weakly) connected network, e.g. a one-way street that leaves the
-- city and ends at its boundary: from there nothing can be reached, or it cannot be reached.
-- Snapping a point to such a segment would answer "no route" where the street beside it routes.
WITH edges AS (
    SELECT r.id, r.from_node AS source, r.to_node AS target,
           CASE WHEN r.one_way = -1 THEN -1 ELSE 1 END::float8 AS cost,
           CASE WHEN r.one_way = 1 THEN -1 ELSE 1 END::float8 AS reverse_cost
      FROM roads AS r
), strong AS (
    SELECT s.node, s.component
      FROM pgr_strongComponents(
               'SELECT id, from_node AS source, to_node AS target,
                       CASE WHEN one_way = -1 THEN -1 ELSE 1 END::float8 AS cost,
                       CASE WHEN one_way = 1 THEN -1 ELSE 1 END::float8 AS reverse_cost
                  FROM roads') AS s
), weak AS (
    SELECT w.node, w.component
      FROM pgr_connectedComponents(
               'SELECT id, from_node AS source, to_node AS target, 1::float8 AS cost,
                       1::float8 AS reverse_cost FROM roads') AS w
), sizes AS (
    SELECT w.component AS weak, s.component AS strong, count(*) AS nodes
      FROM weak AS w JOIN strong AS s ON s.node = w.node
     GROUP BY 1, 2
), main AS (
    SELECT DISTINCT ON (weak) weak, strong FROM sizes ORDER BY weak, nodes DESC, strong
), main_nodes AS (
    SELECT s.node FROM strong AS s JOIN main AS m ON m.strong = s.component
)
SELECT coalesce(array_agg(e.id ORDER BY e.id), '{}') AS road_ids
  FROM edges AS e
 WHERE e.source NOT IN (SELECT node FROM main_nodes)
    OR e.target NOT IN (SELECT node FROM main_nodes)
