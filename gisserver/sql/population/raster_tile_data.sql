-- Tiles by id, as raster WKB (for the ones not in the process's tile cache).
SELECT id, rast::bytea AS wkb
  FROM population_raster_tiles
 WHERE id = ANY(%(ids)s);
