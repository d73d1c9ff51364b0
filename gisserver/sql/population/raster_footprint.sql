-- The raster's extent, densified in its own CRS and transformed to lon/lat, as the footprint.
UPDATE population_sources
   SET total_population = %(total)s,
       footprint = ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Transform(
           ST_Segmentize(
               ST_MakeEnvelope(%(xmin)s, %(ymin)s, %(xmax)s, %(ymax)s, %(srid)s),
               %(segment)s::float8),
           4326)), 3))
 WHERE id = %(source_id)s;
