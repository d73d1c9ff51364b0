-- Assignments (of incident %(incident)s, or the one %(assignment)s), oldest first, with their
-- unit.
SELECT a.id, a.incident_id, a.unit_id, u.name AS unit_name, u.unit_type, a.status,
       a.assigned_at, a.assigned_by, a.en_route_at, a.on_scene_at, a.released_at, a.note,
       a.version, ST_X(a.geom) AS lon, ST_Y(a.geom) AS lat
  FROM assignments AS a
  LEFT JOIN units AS u ON u.id = a.unit_id
 WHERE (%(incident)s::bigint IS NULL OR a.incident_id = %(incident)s)
   AND (%(assignment)s::bigint IS NULL OR a.id = %(assignment)s)
 ORDER BY a.id
