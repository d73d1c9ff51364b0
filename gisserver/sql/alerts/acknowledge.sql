-- Acknowledge an active alert.
UPDATE alerts
   SET status = 'acknowledged', acknowledged_at = now(), acknowledged_by = %(by)s,
       details = CASE WHEN %(note)s::text IS NULL THEN details
                      ELSE details || jsonb_build_object('acknowledgement_note', %(note)s::text)
                 END
 WHERE id = %(id)s AND status = 'active'
RETURNING id
