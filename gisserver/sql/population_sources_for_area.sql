-- Every population source with the part of the area its footprint covers (geodesic m²).
WITH area AS (SELECT ST_GeomFromWKB(%(wkb)s, 4326) AS g)
SELECT s.id, s.name, s.kind, s.srid, s.title, s.licence, s.attribution, s.reference_year,
       s.total_population, s.properties,
       CASE WHEN s.footprint && a.g AND ST_Intersects(s.footprint, a.g)
            THEN ST_Area(ST_Intersection(s.footprint, a.g)::geography)
            ELSE 0 END AS covered_m2,
       ST_Area(a.g::geography) AS area_m2
  FROM population_sources s, area a
 ORDER BY s.name;
