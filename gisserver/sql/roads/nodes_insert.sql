-- The junctions that are new (or moved).
INSERT INTO road_nodes (id, geom)
SELECT e.node, e.pt
FROM road_ends AS e
WHERE e.first AND NOT EXISTS (SELECT 1 FROM road_nodes AS n WHERE n.id = e.node)
ORDER BY e.node
