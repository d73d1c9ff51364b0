-- The source's areas, before the staged ones replace them.
DELETE FROM basemap_areas WHERE source = %(source)s
