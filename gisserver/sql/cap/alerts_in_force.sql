-- The alerts in force (active or acknowledged) for the Atom feed, newest change first.
SELECT id, version, status, event, category, severity, urgency, certainty, headline,
       description, instruction, raised_at, updated_at, expires, resolved_at, resolution,
       subject, ST_AsBinary(geom) AS wkb
  FROM alerts
 WHERE status IN ('active', 'acknowledged')
 ORDER BY updated_at DESC, id DESC
 LIMIT %(limit)s
