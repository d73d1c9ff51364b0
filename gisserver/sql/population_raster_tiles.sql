-- The ids of a raster source's tiles that meet both a window and the area (in the raster's CRS).
-- A tile the area misses holds no cell centre inside it, so skipping it is exact.
SELECT id
  FROM population_raster_tiles
 WHERE population_source_id = %(source_id)s
   AND ST_ConvexHull(rast) && ST_MakeEnvelope(%(xmin)s, %(ymin)s, %(xmax)s, %(ymax)s, %(srid)s)
   AND ST_Intersects(ST_ConvexHull(rast), ST_GeomFromWKB(%(area)s, %(srid)s));
