-- The file's own node ids against the junctions built from the geometry, for one source: ids
-- found at two or more junctions, junctions carrying two or more ids, and the junctions with
-- either problem. A staged segment is found among the roads by its source, id and geometry.
WITH ends AS (
    SELECT r.from_node AS node, s.file_from AS file_node
    FROM roads_staging AS s
    JOIN roads AS r
      ON r.source = %(source)s
     AND coalesce(r.source_id, '') = coalesce(s.source_id, '')
     AND ST_AsEWKB(r.geom) = ST_AsEWKB(s.geom)
    WHERE s.file_from IS NOT NULL
    UNION
    SELECT r.to_node, s.file_to
    FROM roads_staging AS s
    JOIN roads AS r
      ON r.source = %(source)s
     AND coalesce(r.source_id, '') = coalesce(s.source_id, '')
     AND ST_AsEWKB(r.geom) = ST_AsEWKB(s.geom)
    WHERE s.file_to IS NOT NULL
), split_ids AS (
    SELECT file_node FROM ends GROUP BY file_node HAVING count(DISTINCT node) > 1
), merged_nodes AS (
    SELECT node FROM ends GROUP BY node HAVING count(DISTINCT file_node) > 1
)
SELECT
    (SELECT count(*) FROM ends) AS ends_with_ids,
    (SELECT count(*) FROM split_ids) AS ids_at_several_junctions,
    (SELECT count(*) FROM merged_nodes) AS junctions_with_several_ids,
    (SELECT count(DISTINCT node) FROM ends
     WHERE node IN (SELECT node FROM merged_nodes)
        OR file_node IN (SELECT file_node FROM split_ids)) AS junctions_disagreeing
