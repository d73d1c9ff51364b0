-- Move incident %(incident)s to %(to)s: the trigger of migration 0009 records the transition
-- (who, when, the note of this transaction); answers the transition it recorded.
WITH moved AS (
    UPDATE incidents SET status = %(to)s WHERE id = %(incident)s RETURNING id, version
)
SELECT m.id, m.version FROM moved AS m
