-- Every change of one incident's status (written by migration 0009's trigger), oldest first.
SELECT id, from_status, to_status, at, actor, actor_role, note
  FROM incident_transitions
 WHERE incident_id = %(id)s
 ORDER BY at, id
