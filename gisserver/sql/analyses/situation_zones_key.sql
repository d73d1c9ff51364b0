-- What the situation report's population at risk depends on, cheaply: the hazard zones' change
-- version (layer_versions, bumped by every write of a zone), the population sources as loaded,
-- and which zones touching the box are in force at %(at)s. The same three give the same answer,
-- so it is worked out again only when one of them moves (gisserver.analyses.situation).
SELECT (SELECT v.version FROM layer_versions AS v WHERE v.layer = 'hazard_zones') AS zones_version,
       (SELECT string_agg(s.id || ':' || s.loaded_at, ',' ORDER BY s.id)
          FROM population_sources AS s) AS population_version,
       (SELECT coalesce(array_agg(z.id ORDER BY z.id), '{}')
          FROM hazard_zones AS z
         WHERE z.geom && ST_MakeEnvelope(%(minx)s, %(miny)s, %(maxx)s, %(maxy)s, 4326)
           AND (z.valid_from IS NULL OR z.valid_from <= %(at)s)
           AND (z.valid_to IS NULL OR z.valid_to > %(at)s)) AS zone_ids
