-- The junctions (from_node, to_node) are set by nodes_assign.sql, in the same transaction.
INSERT INTO roads (source, source_id, name, road_class, one_way, maxspeed_kmh, length_m,
                   from_node, to_node, geom)
SELECT %(source)s, source_id, name, road_class, one_way, maxspeed_kmh,
       ST_Length(geom::geography), 0, 0, geom
FROM roads_staging
ORDER BY seq
