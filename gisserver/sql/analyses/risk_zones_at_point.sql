-- Hazard zones in force at a time that contain a point; a point on a zone's boundary counts as
-- inside (ST_Intersects), because a command centre would rather warn than miss.
-- The placeholder in braces (the zone's public columns) is filled in by gisserver.analyses.risk.
-- Parameters: lon, lat (WGS84 degrees), at (timestamptz).
SELECT z.id,
       {columns},
       ST_AsGeoJSON(z.geom, 9) AS geometry
FROM hazard_zones AS z
WHERE z.geom && ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)
  AND ST_Intersects(z.geom, ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326))
  AND (z.valid_from IS NULL OR z.valid_from <= %(at)s)
  AND (z.valid_to IS NULL OR z.valid_to > %(at)s)
ORDER BY severity_rank(z.severity) DESC, z.id
