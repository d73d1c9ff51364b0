-- One alert, its geometry as GeoJSON.
SELECT id, rule, subject, status, event, category, severity, urgency, certainty, headline,
       description, instruction, details, raised_at, acknowledged_at, acknowledged_by,
       resolved_at, resolved_by, resolution, expires, updated_at, version,
       ST_AsGeoJSON(geom) AS geometry
  FROM alerts
 WHERE id = %(id)s
