-- What the routing of this process derives from the network and the hazard zones is still
-- current while these two numbers stay the same: the newest change of a hazard zone in the feed
-- (every write of a zone, API, ETL or psql, is an audit row and so an event) and the network's
-- version (bumped by every load of roads).
SELECT (SELECT max(e.id) FROM events AS e WHERE e.layer = 'hazard_zones') AS zones_version,
       (SELECT n.version FROM road_network AS n) AS network_version,
       (SELECT count(*) FROM roads) AS segments
