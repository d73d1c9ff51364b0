-- The population sources (all, or the one named), each with the part of the area its
-- footprint covers (geodesic m²).
-- An area inside the footprint is covered whole: no intersection to compute.
WITH area AS (
    SELECT g, ST_Area(g::geography) AS area_m2
      FROM (SELECT ST_GeomFromWKB(%(wkb)s, 4326) AS g) a
)
SELECT s.id, s.name, s.kind, s.srid, s.title, s.licence, s.attribution, s.reference_year,
       s.total_population, s.properties, s.loaded_at,
       ST_AsBinary(s.footprint) AS footprint_wkb,
       CASE WHEN NOT (s.footprint && a.g) THEN 0
            WHEN ST_CoveredBy(a.g, s.footprint) THEN a.area_m2
            WHEN ST_Intersects(s.footprint, a.g)
            THEN ST_Area(ST_Intersection(s.footprint, a.g)::geography)
            ELSE 0 END AS covered_m2,
       a.area_m2
  FROM population_sources s, area a
 WHERE %(name)s::text IS NULL OR s.name = %(name)s
 ORDER BY s.name;
