-- The assignments that arrived are on scene from their first position near, and their units
-- on scene (audited: a status is a version of record). Their rows are this transaction's
-- already (positions_units.sql, positions_arrival.sql).
WITH arrived AS (
    UPDATE assignments AS a
       SET status = 'on_scene', on_scene_at = v.at
      FROM unnest(%(assignments)s::bigint[], %(ats)s::timestamptz[]) AS v(id, at)
     WHERE a.id = v.id AND a.status IN ('assigned', 'en_route')
    RETURNING a.unit_id
)
UPDATE units SET status = 'on_scene'
 WHERE id IN (SELECT unit_id FROM arrived) AND status <> 'on_scene'
