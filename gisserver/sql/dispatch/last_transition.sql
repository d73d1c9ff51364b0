-- The newest transition of incident %(incident)s (the one this transaction recorded).
SELECT id, incident_id, from_status, to_status, at, actor, actor_role, note
  FROM incident_transitions
 WHERE incident_id = %(incident)s
 ORDER BY id DESC
 LIMIT 1
