-- One alert as CAP writes it: its columns and its geometry (WKB, EPSG:4326).
SELECT id, version, status, event, category, severity, urgency, certainty, headline,
       description, instruction, raised_at, updated_at, expires, resolved_at, resolution,
       subject, ST_AsBinary(geom) AS wkb
  FROM alerts
 WHERE id = %(id)s
