-- The alerts about one incident (subject incidents/<id>), and those about the hazard zones
-- involved (subject hazard_zones/<id>) that were raised before the window ended and not
-- resolved before it began.
SELECT id, rule, subject, status, severity, event, headline, raised_at, acknowledged_at,
       acknowledged_by, resolved_at, resolved_by, resolution
  FROM alerts
 WHERE subject = %(incident)s
    OR (subject = ANY(%(zones)s)
        AND raised_at < %(end)s AND (resolved_at IS NULL OR resolved_at >= %(start)s))
 ORDER BY raised_at, id
