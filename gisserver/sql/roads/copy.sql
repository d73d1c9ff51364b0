COPY roads_staging (seq, row, source_id, name, road_class, one_way, maxspeed_kmh, file_from, file_to, geom)
FROM STDIN
