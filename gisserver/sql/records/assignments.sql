-- The units sent to one incident, each with the summary of its track from assigned_at to
-- released_at (or now): positions, geodesic distance along the time-ordered positions, first and
-- last position time, and the track itself (GeoJSON, for the report's map). The track is read
-- per assignment with a bound time range, so only the months of the assignment are scanned
-- (run-time partition pruning of unit_positions).
SELECT a.id, a.unit_id, u.name AS unit_name, u.unit_type, a.status, a.assigned_at,
       a.assigned_by, a.en_route_at, a.on_scene_at, a.released_at, a.note,
       coalesce(m.positions, 0) AS positions,
       CASE WHEN m.positions > 1 THEN ST_Length(m.line::geography) ELSE 0 END AS distance_m,
       m.first_at, m.last_at,
       CASE WHEN m.positions > 1 THEN ST_AsGeoJSON(m.line, 7, 0)::jsonb END AS track
  FROM assignments AS a
  LEFT JOIN units AS u ON u.id = a.unit_id
  LEFT JOIN LATERAL (
        SELECT count(*) AS positions, ST_MakeLine(p.geom ORDER BY p.at) AS line,
               min(p.at) AS first_at, max(p.at) AS last_at
          FROM unit_positions AS p
         WHERE p.unit_id = a.unit_id
           AND p.at >= a.assigned_at AND p.at <= coalesce(a.released_at, now())
       ) AS m ON true
 WHERE a.incident_id = %(id)s
 ORDER BY a.assigned_at, a.id
