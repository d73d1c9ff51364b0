-- The union of the census units as the footprint (polygons only, slivers kept).
UPDATE population_sources
   SET total_population = %(total)s,
       footprint = (
           SELECT ST_Multi(ST_CollectionExtract(ST_UnaryUnion(ST_Collect(geom)), 3))
             FROM population_units
            WHERE population_source_id = %(source_id)s)
 WHERE id = %(source_id)s;
