-- Census units meeting the area, each with its geodesic area and the geodesic area inside.
WITH area AS (SELECT ST_GeomFromWKB(%(wkb)s, 4326) AS g)
SELECT u.id, u.unit_id, u.population,
       ST_Area(u.geom::geography) AS unit_m2,
       CASE WHEN ST_CoveredBy(u.geom, a.g) THEN ST_Area(u.geom::geography)
            ELSE ST_Area(ST_Intersection(u.geom, a.g)::geography) END AS inside_m2
  FROM population_units u, area a
 WHERE u.population_source_id = %(source_id)s
   AND u.geom && a.g
   AND ST_Intersects(u.geom, a.g);
