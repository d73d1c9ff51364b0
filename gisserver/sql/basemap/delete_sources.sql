-- Every area of these sources.
DELETE FROM basemap_areas WHERE source = ANY(%(sources)s)
