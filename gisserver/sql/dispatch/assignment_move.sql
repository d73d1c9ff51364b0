-- Move assignment %(assignment)s to %(to)s at %(at)s (its time column set), and its unit to
-- %(unit_status)s.
WITH moved AS (
    UPDATE assignments
       SET status = %(to)s,
           en_route_at = CASE WHEN %(to)s = 'en_route' THEN %(at)s ELSE en_route_at END,
           on_scene_at = CASE WHEN %(to)s = 'on_scene' THEN %(at)s ELSE on_scene_at END,
           released_at = CASE WHEN %(to)s = 'released' THEN %(at)s ELSE released_at END,
           note = coalesce(%(note)s, note)
     WHERE id = %(assignment)s
    RETURNING unit_id
)
UPDATE units AS u SET status = %(unit_status)s
  FROM moved AS m
 WHERE u.id = m.unit_id AND u.status IS DISTINCT FROM %(unit_status)s
