-- The units that arrived are on scene (audited: a status is a version of record).
UPDATE units SET status = 'on_scene' WHERE id = ANY(%(ids)s::bigint[]) AND status <> 'on_scene'
