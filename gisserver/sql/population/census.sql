-- Census units meeting the area, each with its geodesic area and the geodesic area inside, and
-- the source's loaded_at read in the same snapshot: a reload committed since the caller read the
-- source shows as another loaded_at (or no row at all), never as a mix of two loads.
-- A source with no unit in the area gives one row whose unit columns are null.
WITH area AS (SELECT ST_GeomFromWKB(%(wkb)s, 4326) AS g)
SELECT s.loaded_at, u.id, u.unit_id, u.population, u.unit_m2, u.inside_m2
  FROM population_sources s
  LEFT JOIN LATERAL (
      SELECT u.id, u.unit_id, u.population,
             ST_Area(u.geom::geography) AS unit_m2,
             CASE WHEN ST_CoveredBy(u.geom, a.g) THEN ST_Area(u.geom::geography)
                  ELSE ST_Area(ST_Intersection(u.geom, a.g)::geography) END AS inside_m2
        FROM population_units u, area a
       WHERE u.population_source_id = s.id
         AND u.geom && a.g
         AND ST_Intersects(u.geom, a.g)
  ) u ON true
 WHERE s.id = %(source_id)s;
