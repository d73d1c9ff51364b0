-- The population sources (all, or the one named), each with the part of the area its
-- footprint covers (geodesic m²), in one statement (one snapshot, one round trip).
-- The source filter (in braces) is filled in by gisserver.analyses.population: every source,
-- or the one named by the name parameter.
-- With no source (or no source of that name) one row still comes back, its source columns null,
-- so the area's size is known all the same.
-- An area inside the footprint is covered whole: no intersection to compute.
--
-- For a raster source the area meets, the same statement also lists the tiles that meet the area
-- in the raster's CRS (ids and upper-left corners, read from the tile headers only): the caller
-- reads their cells from its tile cache or by id. A tile the area misses holds no cell centre
-- inside it, so skipping it is exact; the area is first cut to 1 degree around the footprint,
-- as the caller does before projecting (no cell lies outside, and far vertices do not project).
-- The caller masks with its own projection of the area: the two projections agree to far less
-- than the half cell that separates any cell centre from its tile's edge, so no tile whose
-- cells count is left out.
WITH area AS MATERIALIZED (
    SELECT g, ST_Area(g::geography) AS area_m2
      FROM (SELECT ST_GeomFromWKB(%(wkb)s, 4326) AS g) a
)
SELECT s.id, s.name, s.kind, s.srid, s.title, s.licence, s.attribution, s.reference_year,
       s.total_population, s.properties, s.loaded_at,
       ST_AsBinary(s.footprint) AS footprint_wkb,
       CASE WHEN s.id IS NULL OR NOT (s.footprint && a.g) THEN 0
            WHEN ST_CoveredBy(a.g, s.footprint) THEN a.area_m2
            WHEN ST_Intersects(s.footprint, a.g)
            THEN ST_Area(ST_Intersection(s.footprint, a.g)::geography)
            ELSE 0 END AS covered_m2,
       a.area_m2,
       t.tile_ids, t.tile_x, t.tile_y
  FROM area a
  LEFT JOIN population_sources s ON {source_filter}
  LEFT JOIN LATERAL (
      SELECT CASE WHEN ST_Contains(n.box, a.g) THEN a.g ELSE ST_Intersection(a.g, n.box) END AS g
        FROM (SELECT ST_Expand(ST_Envelope(s.footprint), 1.0) AS box) n
       WHERE s.kind = 'raster' AND s.footprint && a.g
  ) near ON true
  LEFT JOIN LATERAL (
      SELECT array_agg(r.id ORDER BY r.id) AS tile_ids,
             array_agg(ST_UpperLeftX(r.rast) ORDER BY r.id) AS tile_x,
             array_agg(ST_UpperLeftY(r.rast) ORDER BY r.id) AS tile_y
        FROM (SELECT ST_Transform(near.g, s.srid) AS g) p, population_raster_tiles r
       WHERE near.g IS NOT NULL AND NOT ST_IsEmpty(near.g)
         AND r.population_source_id = s.id
         AND ST_ConvexHull(r.rast) && p.g
         AND ST_Intersects(ST_ConvexHull(r.rast), p.g)
  ) t ON true
 ORDER BY s.name;
