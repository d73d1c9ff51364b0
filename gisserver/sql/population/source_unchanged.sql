-- A population source as stored, to tell whether a reload of the same file would change it:
-- its properties (the loader's options and the file's digest), metadata, total and row count.
SELECT s.id,
       s.properties,
       jsonb_build_object('title', s.title, 'licence', s.licence,
                          'attribution', s.attribution, 'reference_year', s.reference_year),
       s.total_population,
       s.srid,
       CASE s.kind
           WHEN 'raster' THEN (SELECT count(*) FROM population_raster_tiles t
                                WHERE t.population_source_id = s.id)
           ELSE (SELECT count(*) FROM population_units u WHERE u.population_source_id = s.id)
       END
  FROM population_sources s
 WHERE s.name = %(name)s AND s.kind = %(kind)s
