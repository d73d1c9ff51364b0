-- The staged areas as the source's.
INSERT INTO basemap_areas (kind, name, source, geom)
SELECT kind, name, %(source)s, geom FROM basemap_staging
