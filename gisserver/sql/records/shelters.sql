-- The shelters used during an incident's window [start, end): shelters whose occupancy rose in
-- an audited change made in the window and which lie (as that change left them) within
-- radius_m of the incident or inside one of the hazard zones involved (a GeoJSON
-- GeometryCollection, or null; each zone is tested on its own, made valid: zones overlap, and
-- a collection of overlapping polygons is no valid geometry for GEOS). Per shelter: the occupancy before its first change in the
-- window, the highest and the last occupancy in the window, and the people admitted (the sum
-- of the rises).
WITH incident AS (SELECT ST_GeomFromGeoJSON(%(geometry)s) AS geom),
zones AS (
    SELECT ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(g), 4326)) AS geom
      FROM jsonb_array_elements(coalesce(%(zones)s::jsonb -> 'geometries', '[]'::jsonb)) AS g
),
changes AS (
    SELECT a.id, a.at, a.feature_id,
           (a.before -> 'properties' ->> 'occupancy')::bigint AS before_occupancy,
           (a.after -> 'properties' ->> 'occupancy')::bigint AS after_occupancy,
           a.after -> 'properties' ->> 'name' AS name,
           (a.after -> 'properties' ->> 'capacity')::bigint AS capacity,
           ST_SetSRID(ST_GeomFromGeoJSON(a.after -> 'geometry'), 4326) AS geom
      FROM audit_log AS a
     WHERE a.at >= %(start)s AND a.at < %(end)s
       AND a.layer = 'shelters' AND a.operation IN ('update', 'replace')
),
per_shelter AS (
    SELECT c.feature_id AS id,
           (array_agg(c.name ORDER BY c.id DESC))[1] AS name,
           (array_agg(c.capacity ORDER BY c.id DESC))[1] AS capacity,
           (array_agg(c.before_occupancy ORDER BY c.id))[1] AS occupancy_before,
           max(c.after_occupancy) AS occupancy_peak,
           (array_agg(c.after_occupancy ORDER BY c.id DESC))[1] AS occupancy_last,
           sum(greatest(c.after_occupancy - coalesce(c.before_occupancy, 0), 0)) AS admitted,
           (array_agg(c.geom ORDER BY c.id DESC))[1] AS geom
      FROM changes AS c
     GROUP BY c.feature_id
    HAVING bool_or(c.after_occupancy > coalesce(c.before_occupancy, 0))
)
SELECT s.id, s.name, s.capacity, s.occupancy_before, s.occupancy_peak, s.occupancy_last,
       s.admitted, ST_Distance(s.geom::geography, i.geom::geography) AS distance_m,
       z.in_zone, ST_AsGeoJSON(s.geom, 7, 0)::jsonb AS geometry
  FROM per_shelter AS s
 CROSS JOIN incident AS i
 CROSS JOIN LATERAL (
     SELECT EXISTS (SELECT 1 FROM zones WHERE ST_Intersects(s.geom, zones.geom)) AS in_zone
 ) AS z
 WHERE ST_DWithin(s.geom::geography, i.geom::geography, %(radius_m)s) OR z.in_zone
 ORDER BY s.admitted DESC, s.id
