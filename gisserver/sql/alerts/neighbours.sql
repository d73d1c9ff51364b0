-- What a batch of changes (the events %(events)s) may concern besides the changed features:
-- the incidents and shelters within a changed zone's extent, and the zones within a changed
-- shelter's, stockpile's or camera's (an event's extent covers the feature before and after
-- the change, so a feature that moved out, or was deleted, is found too).
WITH changed AS (
    SELECT layer, ST_MakeEnvelope(min_lon, min_lat, max_lon, max_lat, 4326) AS box
      FROM events
     WHERE id = ANY (%(events)s::bigint[]) AND type = 'feature' AND min_lon IS NOT NULL
)
SELECT 'incidents' AS layer, i.id
  FROM incidents AS i JOIN changed AS c ON c.layer = 'hazard_zones' AND i.geom && c.box
UNION
SELECT 'shelters', s.id
  FROM shelters AS s JOIN changed AS c ON c.layer = 'hazard_zones' AND s.geom && c.box
UNION
SELECT 'hazard_zones', z.id
  FROM hazard_zones AS z
  JOIN changed AS c ON c.layer IN ('shelters', 'stockpiles', 'cameras') AND z.geom && c.box
