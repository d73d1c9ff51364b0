-- The audit trail of a bulk first load (etl/bulk.py): a 'create' for every row of the new table,
-- which has no trigger of its own, valued as the layer's insert trigger values it (migration
-- 0006: id, version, geometry, properties) and attributed to the transaction's actor (the
-- run, gisserver.audit.act_as). The settings are read once, not per row. {properties} is
-- jsonb_build_object over the columns by name (bulk_audit_columns.sql): the same value as the
-- triggers' to_jsonb(row) minus id, geom and version, made three times faster (to_jsonb of the
-- whole row turns the geometry into GeoJSON too, only for it to be removed).
INSERT INTO audit_log (layer, feature_id, operation, version, after,
                       actor, actor_role, etl_run_id, request_id, client_address, if_match)
SELECT %(layer)s, n.id, 'create', n.version,
       jsonb_build_object('id', n.id, 'version', n.version,
                          'geometry', ST_AsGeoJSON(n.geom, 9, 0)::jsonb,
                          'properties', {properties}),
       c.actor, c.actor_role, c.etl_run_id, c.request_id, c.client_address, c.if_match
  FROM {table} AS n,
       (SELECT coalesce(audit_setting('actor'), session_user) AS actor,
               audit_setting('actor_role') AS actor_role,
               audit_setting('etl_run')::bigint AS etl_run_id,
               audit_setting('request_id') AS request_id,
               audit_setting('client_address')::inet AS client_address,
               audit_setting('if_match') AS if_match) AS c
