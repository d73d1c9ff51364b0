-- The k features of one layer nearest to a point, ordered by geodesic distance on the WGS84
-- ellipsoid, found through the layer's GIST index (no scan of the table).
--
-- The placeholders in braces are filled in by gisserver.analyses.nearest (psycopg.sql): the table
-- (quoted), the layer's public columns (quoted, prefixed t.), layer-specific computed columns and
-- the filters (a boolean clause over t with bound parameters only).
-- Parameters: lon, lat (WGS84 degrees), k, candidates (>= k), max_distance_m (NULL = none), and
-- those of the filters (status, min_free_capacity, at, item, min_quantity, today).
--
-- Why it is exact: step 1 takes `candidates` rows by planar KNN (`<->` in degrees, index-assisted)
-- and measures them geodesically; the k-th smallest of those distances is an upper bound of the
-- true k-th geodesic distance. Step 2 takes every row within that bound: ST_DWithin(geography)
-- behind a bounding box that provably contains the geodesic disc. The box comes from a sphere of
-- radius 6335439 m, the smallest radius of curvature of WGS84 (a(1-e^2), meridional at the
-- equator): the ellipsoid's metric is everywhere at least that sphere's in the same lon/lat, so
-- an ellipsoidal distance d is at least R * (the spherical angle), and the disc of radius d lies
-- in the spherical cap of angle d/R, whose lon/lat box is exact. A cap reaching a pole or the
-- antimeridian widens to the full longitude band (correct, only slower).
--
-- The point is written out where it is used (not a CTE) so that it is a constant the KNN index
-- scan can order by.
WITH candidates AS MATERIALIZED (
    SELECT ST_Distance(
               t.geom::geography,
               ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)::geography) AS distance_m
    FROM {table} AS t
    WHERE {filters}
    ORDER BY t.geom <-> ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)
    LIMIT %(candidates)s
),
reach AS MATERIALIZED (
    -- the k-th candidate distance; with fewer than k candidates every row was seen: their maximum
    SELECT least(
        %(max_distance_m)s::float8,
        coalesce(
            (SELECT c.distance_m FROM candidates AS c
             ORDER BY c.distance_m OFFSET %(k)s - 1 LIMIT 1),
            (SELECT max(c.distance_m) FROM candidates AS c)
        )
    ) * (1 + 1e-9) + 1e-3 AS radius_m
),
cap AS (
    SELECT r.radius_m,
           r.radius_m / 6335439.0 AS angle,
           %(lat)s::float8 - degrees(r.radius_m / 6335439.0) AS lat_lo,
           %(lat)s::float8 + degrees(r.radius_m / 6335439.0) AS lat_hi,
           -- clamped: only used when the cap reaches neither a pole nor angle pi/2
           degrees(asin(greatest(-1.0, least(1.0,
               sin(r.radius_m / 6335439.0) / cos(radians(%(lat)s::float8)))))) + 1e-9 AS dlon
    FROM reach AS r
),
box AS MATERIALIZED (
    SELECT c.radius_m,
           CASE
               WHEN c.radius_m IS NULL THEN NULL
               WHEN c.angle >= pi() / 2 OR c.lat_hi >= 90 OR c.lat_lo <= -90
                   THEN ST_MakeEnvelope(
                       -180, greatest(c.lat_lo, -90), 180, least(c.lat_hi, 90), 4326)
               WHEN %(lon)s::float8 - c.dlon < -180 OR %(lon)s::float8 + c.dlon > 180
                   THEN ST_MakeEnvelope(-180, c.lat_lo - 1e-9, 180, c.lat_hi + 1e-9, 4326)
               ELSE ST_MakeEnvelope(%(lon)s::float8 - c.dlon, c.lat_lo - 1e-9,
                                    %(lon)s::float8 + c.dlon, c.lat_hi + 1e-9, 4326)
           END AS envelope
    FROM cap AS c
)
SELECT *
FROM (
    SELECT t.id,
           {columns},
           {extra}
           ST_AsGeoJSON(t.geom, 9) AS geometry,
           ST_Distance(t.geom::geography, o.geog) AS distance_m,
           degrees(ST_Azimuth(o.geog, t.geom::geography)) AS bearing_deg
    FROM {table} AS t,
         box AS b,
         (SELECT ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)::geography AS geog) AS o
    WHERE t.geom && b.envelope
      AND ST_DWithin(t.geom::geography, o.geog, b.radius_m)
      AND {filters}
) AS found
WHERE %(max_distance_m)s::float8 IS NULL OR found.distance_m <= %(max_distance_m)s::float8
ORDER BY found.distance_m, found.id
LIMIT %(k)s
