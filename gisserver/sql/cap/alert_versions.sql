-- When each earlier version of alerts was written (its updated_at as the audit trail kept it):
-- the sent of the CAP messages an Update or Cancel references.
SELECT feature_id, version, (after -> 'properties' ->> 'updated_at')::timestamptz AS sent
  FROM audit_log
 WHERE layer = 'alerts' AND feature_id = ANY(%(ids)s) AND after IS NOT NULL
 ORDER BY feature_id, version
