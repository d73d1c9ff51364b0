-- The tiles of a raster source that meet a window (in the raster's CRS), as raster WKB.
SELECT id, rast::bytea AS wkb
  FROM population_raster_tiles
 WHERE population_source_id = %(source_id)s
   AND ST_ConvexHull(rast) && ST_MakeEnvelope(%(xmin)s, %(ymin)s, %(xmax)s, %(ymax)s, %(srid)s);
