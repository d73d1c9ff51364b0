-- Units %(units)s, locked in id order (two dispatches of overlapping units never deadlock),
-- with their open assignment if they have one.
SELECT u.id, u.name, u.status, a.id AS assignment_id, a.incident_id AS assigned_to
  FROM units AS u
  LEFT JOIN assignments AS a ON a.unit_id = u.id AND a.status <> 'released'
 WHERE u.id = ANY(%(units)s)
 ORDER BY u.id
   FOR UPDATE OF u
