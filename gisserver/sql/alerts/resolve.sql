-- Resolve an open alert (by the rules, or by a person through the API).
UPDATE alerts
   SET status = 'resolved', resolved_at = now(), resolved_by = %(by)s,
       resolution = %(resolution)s
 WHERE id = %(id)s AND status <> 'resolved'
RETURNING id
