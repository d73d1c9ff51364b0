-- Every road's junctions from its ends; only the roads whose junctions change are written.
UPDATE roads AS r
SET from_node = e.from_node, to_node = e.to_node
FROM (
    SELECT road,
           max(node) FILTER (WHERE which = 0) AS from_node,
           max(node) FILTER (WHERE which = 1) AS to_node
    FROM road_ends
    GROUP BY road
) AS e
WHERE r.id = e.road AND (r.from_node, r.to_node) IS DISTINCT FROM (e.from_node, e.to_node)
