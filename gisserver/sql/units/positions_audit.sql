-- One audit row for the whole batch (operation 'positions', who sent it); its trigger publishes
-- the feed's 'positions' event, whose bbox is the moved units' MultiPoint ("geometry").
INSERT INTO audit_log (layer, feature_id, operation, version, after, actor, actor_role,
                       etl_run_id, request_id, client_address, if_match)
VALUES ('units', NULL, 'positions', NULL, %(after)s::jsonb,
        coalesce(audit_setting('actor'), session_user), audit_setting('actor_role'),
        audit_setting('etl_run')::bigint, audit_setting('request_id'),
        audit_setting('client_address')::inet, audit_setting('if_match'))
RETURNING id
