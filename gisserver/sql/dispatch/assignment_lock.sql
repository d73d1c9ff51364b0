-- Assignment %(assignment)s, locked (with its unit's row: the unit's status follows it).
SELECT a.id, a.incident_id, a.unit_id, a.status, a.assigned_at, a.en_route_at, a.on_scene_at
  FROM assignments AS a
 WHERE a.id = %(assignment)s
   FOR UPDATE
