-- Entries of the audit trail (gisserver.audit.trail): {where} is composed of quoted columns and
-- bound values only; {direction} is ASC (paging on with after=) or DESC (the latest entries).
SELECT id, at, actor, actor_role, etl_run_id, layer, feature_id, operation, version,
       before, after, request_id, host(client_address) AS client_address, if_match
  FROM audit_log
 WHERE {where}
 ORDER BY id {direction}
 LIMIT %(limit)s
