-- A page of alerts, newest first ({where}: the filters; one more row than the page says
-- whether another page follows).
SELECT id, rule, subject, status, event, category, severity, urgency, certainty, headline,
       description, instruction, details, raised_at, acknowledged_at, acknowledged_by,
       resolved_at, resolved_by, resolution, expires, updated_at, version,
       ST_AsGeoJSON(geom) AS geometry
  FROM alerts
 WHERE {where}
 ORDER BY id DESC
 LIMIT %(limit)s
