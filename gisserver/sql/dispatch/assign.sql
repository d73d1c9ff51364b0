-- Send units %(units)s to incident %(incident)s (to its point %(point)s); they become assigned.
WITH sent AS (
    INSERT INTO assignments (incident_id, unit_id, assigned_by, note, geom)
    SELECT %(incident)s, unit_id, %(by)s, %(note)s, ST_GeomFromWKB(%(point)s, 4326)
      FROM unnest(%(units)s::bigint[]) AS unit_id
     ORDER BY unit_id
    RETURNING id
), busy AS (
    UPDATE units SET status = 'assigned' WHERE id = ANY(%(units)s)
)
SELECT id FROM sent ORDER BY id
