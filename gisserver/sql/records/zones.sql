-- The hazard zones in force that met the incident during its window [start, end): every
-- version of every zone, the current ones (hazard_zones, valid since updated_at) and the
-- previous ones (feature_history: changed or deleted since), whose version overlapped the
-- window, whose own validity (valid_from, valid_to) overlapped it and whose area intersects the
-- incident's geometry. One row per zone: its latest such version.
WITH incident AS (SELECT ST_GeomFromGeoJSON(%(geometry)s) AS geom),
versions AS (
    SELECT z.id, z.version, z.updated_at AS version_from, NULL::timestamptz AS version_to,
           z.hazard_type, z.severity, z.name, z.valid_from, z.valid_to, z.geom, true AS current
      FROM hazard_zones AS z
    UNION ALL
    SELECT h.feature_id, h.version, h.valid_from, h.valid_to,
           h.properties ->> 'hazard_type', h.properties ->> 'severity', h.properties ->> 'name',
           (h.properties ->> 'valid_from')::timestamptz,
           (h.properties ->> 'valid_to')::timestamptz, h.geom, false
      FROM feature_history AS h
     WHERE h.layer = 'hazard_zones' AND h.valid_from < %(end)s AND h.valid_to > %(start)s
)
SELECT DISTINCT ON (v.id)
       v.id, v.version, v.hazard_type, v.severity, v.name, v.valid_from, v.valid_to,
       v.version_from, v.version_to,
       EXISTS (SELECT 1 FROM hazard_zones WHERE id = v.id) AS exists_now,
       ST_AsGeoJSON(v.geom, 7, 0)::jsonb AS geometry
  FROM versions AS v, incident AS i
 WHERE v.version_from < %(end)s AND (v.version_to IS NULL OR v.version_to > %(start)s)
   AND (v.valid_from IS NULL OR v.valid_from < %(end)s)
   AND (v.valid_to IS NULL OR v.valid_to > %(start)s)
   AND ST_Intersects(v.geom, i.geom)
 ORDER BY v.id, v.version DESC
