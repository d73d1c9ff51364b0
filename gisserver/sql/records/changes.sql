-- The audit trail's entries of one incident (create, update, replace, delete), oldest first.
SELECT id, at, operation, version, actor, actor_role, before, after
  FROM audit_log
 WHERE layer = 'incidents' AND feature_id = %(id)s
   AND operation IN ('create', 'update', 'replace', 'delete')
 ORDER BY id
