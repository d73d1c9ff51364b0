-- The junctions that are gone or moved (a moved one is inserted again by nodes_insert.sql).
DELETE FROM road_nodes AS n
WHERE NOT EXISTS (
    SELECT 1 FROM road_ends AS e
    WHERE e.first AND e.node = n.id AND ST_AsEWKB(e.pt) = ST_AsEWKB(n.geom)
)
