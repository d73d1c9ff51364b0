-- The basemap areas' change version (and the road network's): the basemap tiles' ETag.
SELECT (SELECT version FROM basemap_version), (SELECT version FROM road_network)
