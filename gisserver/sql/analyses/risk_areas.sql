-- Hazard zones in force at a time that intersect an area of interest, with the geodesic area of
-- the intersection and the assets inside each zone (and, unless scope = 'zone', inside the area
-- of interest too).
--
-- The placeholder in braces (the zone's public columns, quoted, prefixed z.) is filled in by
-- gisserver.analyses.risk. Parameters: aoi (WKB, EPSG:4326), at (timestamptz), hazard_types
-- (text[] or NULL = all), min_rank (severity_rank: 1 = low .. 4 = extreme), scope ('area' or
-- 'zone').
WITH aoi AS MATERIALIZED (
    SELECT ST_SetSRID(ST_GeomFromWKB(%(aoi)s), 4326) AS geom
),
zones AS MATERIALIZED (
    SELECT z.id,
           {columns},
           z.geom,
           severity_rank(z.severity) AS severity_rank,
           ST_CollectionExtract(ST_Intersection(z.geom, a.geom), 3) AS part
    FROM hazard_zones AS z, aoi AS a
    WHERE z.geom && a.geom
      AND ST_Intersects(z.geom, a.geom)
      AND (z.valid_from IS NULL OR z.valid_from <= %(at)s)
      AND (z.valid_to IS NULL OR z.valid_to > %(at)s)
      AND (%(hazard_types)s::text[] IS NULL OR z.hazard_type = ANY (%(hazard_types)s::text[]))
      AND severity_rank(z.severity) >= %(min_rank)s
)
SELECT z.id,
       {columns},
       ST_AsGeoJSON(z.geom, 9) AS geometry,
       coalesce(ST_Area(z.part::geography), 0) AS intersection_area_m2,
       ST_Area(z.geom::geography) AS zone_area_m2,
       sh.shelters, sh.shelter_count, sh.capacity, sh.occupancy,
       st.stockpiles, st.stockpile_count,
       ca.cameras, ca.camera_count,
       inc.incidents, inc.incident_count
FROM zones AS z
CROSS JOIN aoi AS a
CROSS JOIN LATERAL (
    SELECT count(*) AS shelter_count,
           coalesce(sum(s.capacity), 0) AS capacity,
           coalesce(sum(s.occupancy), 0) AS occupancy,
           coalesce(json_agg(json_build_object(
               'id', s.id, 'name', s.name, 'status', s.status, 'capacity', s.capacity,
               'occupancy', s.occupancy) ORDER BY s.id), '[]'::json) AS shelters
    FROM shelters AS s
    WHERE s.geom && z.geom AND ST_Intersects(z.geom, s.geom)
      AND (%(scope)s = 'zone' OR ST_Intersects(a.geom, s.geom))
) AS sh
CROSS JOIN LATERAL (
    SELECT count(*) AS stockpile_count,
           coalesce(json_agg(json_build_object(
               'id', p.id, 'name', p.name, 'kind', p.kind, 'status', p.status)
               ORDER BY p.id), '[]'::json) AS stockpiles
    FROM stockpiles AS p
    WHERE p.geom && z.geom AND ST_Intersects(z.geom, p.geom)
      AND (%(scope)s = 'zone' OR ST_Intersects(a.geom, p.geom))
) AS st
CROSS JOIN LATERAL (
    -- never the stream address: it is private
    SELECT count(*) AS camera_count,
           coalesce(json_agg(json_build_object(
               'id', c.id, 'name', c.name, 'status', c.status) ORDER BY c.id), '[]'::json)
               AS cameras
    FROM cameras AS c
    WHERE c.geom && z.geom AND ST_Intersects(z.geom, c.geom)
      AND (%(scope)s = 'zone' OR ST_Intersects(a.geom, c.geom))
) AS ca
CROSS JOIN LATERAL (
    SELECT count(*) AS incident_count,
           coalesce(json_agg(json_build_object(
               'id', i.id, 'incident_type', i.incident_type, 'severity', i.severity,
               'status', i.status, 'reported_at', i.reported_at) ORDER BY i.id), '[]'::json)
               AS incidents
    FROM incidents AS i
    WHERE i.geom && z.geom AND ST_Intersects(z.geom, i.geom)
      AND (%(scope)s = 'zone' OR ST_Intersects(a.geom, i.geom))
      AND i.status NOT IN ('resolved', 'closed', 'cancelled')
      AND i.reported_at <= %(at)s
) AS inc
ORDER BY z.severity_rank DESC, intersection_area_m2 DESC, z.id
