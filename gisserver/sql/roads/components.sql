-- The network's connected pieces, one-way ignored (pgRouting's connected components), and how
-- many segments lie outside the largest piece (the one with the most segments).
WITH components AS (
    SELECT component, node
    FROM pgr_connectedComponents(
        'SELECT id, from_node AS source, to_node AS target, '
        '1.0::float8 AS cost, 1.0::float8 AS reverse_cost FROM roads'
    )
), sizes AS (
    SELECT c.component, count(*) AS segments
    FROM roads AS r
    JOIN components AS c ON c.node = r.from_node
    GROUP BY c.component
)
SELECT count(*) AS pieces, coalesce(sum(segments) - max(segments), 0) AS outside_largest
FROM sizes
