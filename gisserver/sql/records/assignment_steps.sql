-- Who moved each assignment of one incident to each of its statuses (the audit trail's
-- create and updates whose status differs from the version before).
SELECT feature_id AS assignment_id, after -> 'properties' ->> 'status' AS status, actor,
       actor_role
  FROM audit_log
 WHERE layer = 'assignments' AND feature_id = ANY(%(ids)s)
   AND operation IN ('create', 'update', 'replace')
   AND (before IS NULL
        OR before -> 'properties' ->> 'status' IS DISTINCT FROM after -> 'properties' ->> 'status')
 ORDER BY id
