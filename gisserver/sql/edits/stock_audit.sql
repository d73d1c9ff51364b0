-- One audit row per stockpile a move changed, with the move as its "after"; who and through
-- which request as migration 0006's triggers record it.
INSERT INTO audit_log (layer, feature_id, operation, version, after, actor, actor_role,
                       etl_run_id, request_id, client_address, if_match)
SELECT 'stockpiles', s.id, 'stock-move', s.version, %(move)s::jsonb,
       coalesce(audit_setting('actor'), session_user), audit_setting('actor_role'),
       audit_setting('etl_run')::bigint, audit_setting('request_id'),
       audit_setting('client_address')::inet, audit_setting('if_match')
  FROM stockpiles AS s
 WHERE s.id = ANY(%(ids)s)
 ORDER BY s.id
