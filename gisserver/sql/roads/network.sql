-- The whole network: segments, junctions, loops (both ends at one junction), the version.
SELECT
    (SELECT count(*) FROM roads) AS segments,
    (SELECT count(*) FROM road_nodes) AS nodes,
    (SELECT count(*) FROM roads WHERE from_node = to_node) AS loops,
    (SELECT version FROM road_network) AS version
