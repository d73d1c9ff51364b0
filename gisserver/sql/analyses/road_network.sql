-- The road network in figures: per source, its segments, length and load time; the junctions;
-- the network's version (bumped by every load) and extent.
SELECT (SELECT n.version FROM road_network AS n) AS version,
       (SELECT n.changed_at FROM road_network AS n) AS changed_at,
       (SELECT count(*) FROM road_nodes) AS junctions,
       (SELECT ST_Extent(r.geom)::geometry FROM roads AS r) IS NULL AS empty,
       (SELECT ARRAY[ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)]
          FROM (SELECT ST_Extent(r.geom) AS e FROM roads AS r) AS x) AS bbox,
       (SELECT coalesce(jsonb_agg(s ORDER BY s.source), '[]'::jsonb)
          FROM (SELECT r.source, count(*) AS segments, round(sum(r.length_m)::numeric / 1000, 1)
                       AS length_km, max(r.loaded_at) AS loaded_at
                  FROM roads AS r GROUP BY r.source) AS s) AS sources,
       (SELECT coalesce(jsonb_object_agg(c.road_class, c.segments), '{}'::jsonb)
          FROM (SELECT r.road_class, count(*) AS segments FROM roads AS r
                 GROUP BY r.road_class) AS c) AS classes,
       (SELECT count(*) FROM roads AS r WHERE r.one_way <> 0) AS one_way_segments
