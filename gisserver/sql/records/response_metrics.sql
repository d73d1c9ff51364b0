-- Response metrics of the incidents reported in [from, to) (of one type, or all; or the one
-- incident %(incident)s), in seconds:
--   time_to_verify       the first transition to 'verified' - reported_at
--   time_to_dispatch     the first assignment's assigned_at - reported_at
--   time_to_first_arrival the earliest on_scene_at - reported_at
--   on_scene             the earliest on_scene_at -> the latest released_at of the assignments
--                        that arrived; while one of them is not released (on_scene_open) it
--                        runs to the moment the incident last became finished (resolved,
--                        closed, cancelled), or to now while it is not.
-- One row per incident of the page (reported_at, id order; offset, limit), each carrying the
-- aggregates over all the incidents matched (an open on-scene time is not aggregated).
WITH scope AS (
    SELECT i.id, i.incident_type, i.reported_at, i.status
      FROM incidents AS i
     WHERE i.reported_at >= %(from)s AND i.reported_at < %(to)s
       AND (%(type)s::text IS NULL OR i.incident_type = %(type)s::text)
       AND (%(incident)s::bigint IS NULL OR i.id = %(incident)s::bigint)
),
per AS MATERIALIZED (
    SELECT s.id, s.incident_type, s.reported_at,
           extract(epoch FROM v.at - s.reported_at)::float8 AS time_to_verify_s,
           extract(epoch FROM a.first_assigned - s.reported_at)::float8 AS time_to_dispatch_s,
           extract(epoch FROM a.first_on_scene - s.reported_at)::float8
               AS time_to_first_arrival_s,
           extract(epoch FROM CASE WHEN a.unreleased THEN coalesce(f.at, now())
                                   ELSE a.last_released END - a.first_on_scene)::float8
               AS on_scene_s,
           coalesce(a.unreleased, false) AS on_scene_open
      FROM scope AS s
      LEFT JOIN LATERAL (
            SELECT min(t.at) AS at FROM incident_transitions AS t
             WHERE t.incident_id = s.id AND t.to_status = 'verified') AS v ON true
      LEFT JOIN LATERAL (
            SELECT min(x.assigned_at) AS first_assigned, min(x.on_scene_at) AS first_on_scene,
                   max(x.released_at) FILTER (WHERE x.on_scene_at IS NOT NULL) AS last_released,
                   bool_or(x.on_scene_at IS NOT NULL AND x.released_at IS NULL) AS unreleased
              FROM assignments AS x
             WHERE x.incident_id = s.id) AS a ON true
      LEFT JOIN LATERAL (
            SELECT min(t.at) AS at FROM incident_transitions AS t
             WHERE t.incident_id = s.id
               AND s.status IN ('resolved', 'closed', 'cancelled')
               AND t.to_status IN ('resolved', 'closed', 'cancelled')
               AND t.id > coalesce((SELECT max(u.id) FROM incident_transitions AS u
                                     WHERE u.incident_id = s.id
                                       AND u.to_status NOT IN ('resolved', 'closed',
                                                               'cancelled')), 0)) AS f ON true
),
summary AS (
    SELECT count(*) AS matched,
           jsonb_build_object(
               'time_to_verify_s', {time_to_verify_s},
               'time_to_dispatch_s', {time_to_dispatch_s},
               'time_to_first_arrival_s', {time_to_first_arrival_s},
               'on_scene_s', {on_scene_s}) AS aggregates
      FROM per
)
SELECT p.*, g.matched, g.aggregates
  FROM summary AS g
  LEFT JOIN LATERAL (SELECT * FROM per ORDER BY reported_at, id
                     OFFSET %(offset)s LIMIT %(limit)s) AS p ON true
 ORDER BY p.reported_at, p.id
