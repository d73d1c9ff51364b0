-- What the clock changed between %(lo)s and %(hi)s: the hazard zones whose validity began or
-- ended in that interval (no event says so: time did it), and the incidents and shelters inside
-- them, whose rules are evaluated again.
WITH crossed AS (
    SELECT id, geom
      FROM hazard_zones
     WHERE (valid_from > %(lo)s AND valid_from <= %(hi)s)
        OR (valid_to > %(lo)s AND valid_to <= %(hi)s)
)
SELECT 'hazard_zones' AS layer, c.id FROM crossed AS c
UNION
SELECT 'incidents', i.id FROM incidents AS i JOIN crossed AS c ON ST_Intersects(i.geom, c.geom)
UNION
SELECT 'shelters', s.id FROM shelters AS s JOIN crossed AS c ON ST_Intersects(s.geom, c.geom)
