-- The fastest posted speed of the network and its road classes (gisserver.routing.network:
-- what bounds the distance a search can cover in a given time).
SELECT max(r.maxspeed_kmh) AS posted_kmh, array_agg(DISTINCT r.road_class) AS classes
  FROM roads AS r
