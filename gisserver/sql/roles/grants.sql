-- Least privilege, applied after every migration (idempotent; run by the migrating role).
--
--   gisserver_read   reads every table of ours: the web tier's login role is a member
--   gisserver_write  owns the tables of ours (the ETL's bulk path rebuilds indexes and swaps
--                    tables, which only an owner may do) and may add custom CRSs: the ETL's
--                    login role is a member
--   gisserver_edit   reads, and writes the rows of the editable tables (the layers, stock,
--                    idempotency keys): the web tier's login role for API writes is a member
--
-- The audit trail, the feature history, the stock ledger (stock_moves) and the change feed
-- (events) stay owned by the migrating role: every other role may only INSERT and SELECT them
-- (and a trigger refuses UPDATE, DELETE and TRUNCATE).
--
-- Neither may create roles, databases or extensions, and neither is a superuser: only the
-- migrating role is. Tables that belong to an extension (PostGIS's spatial_ref_sys) keep their
-- owner.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gisserver_read') THEN
        CREATE ROLE gisserver_read NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gisserver_write') THEN
        CREATE ROLE gisserver_write NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gisserver_edit') THEN
        CREATE ROLE gisserver_edit NOLOGIN;
    END IF;
END
$$;

GRANT gisserver_read TO gisserver_write;
GRANT gisserver_read TO gisserver_edit;
-- The migrating role must be a member to hand the tables over (a superuser always is).
DO $$
BEGIN
    IF NOT pg_has_role(current_user, 'gisserver_write', 'MEMBER') THEN
        EXECUTE format('GRANT gisserver_write TO %I', current_user);
    END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO gisserver_read;
GRANT CREATE ON SCHEMA public TO gisserver_write;

DO $$
DECLARE
    object record;
BEGIN
    FOR object IN
        SELECT c.oid::regclass AS name, c.relkind
        FROM pg_class AS c
        JOIN pg_namespace AS n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public'
          AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
          AND c.relname NOT IN ('audit_log', 'feature_history', 'stock_moves', 'events',
                                'event_ids', 'alerts', 'subscriptions', 'deliveries',
                                'feed_cursors', 'incident_transitions', 'unit_positions')
          -- the track's monthly partitions stay their creator's (the migrating role)
          AND NOT c.relispartition
          AND NOT EXISTS (
              SELECT 1 FROM pg_depend AS d
              WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
          )
          -- a sequence owned by a table follows its table
          AND NOT (c.relkind = 'S' AND EXISTS (
              SELECT 1 FROM pg_depend AS d
              WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i')
          ))
    LOOP
        IF object.relkind = 'S' THEN
            EXECUTE format('ALTER SEQUENCE %s OWNER TO gisserver_write', object.name);
        ELSIF object.relkind IN ('v', 'm') THEN
            EXECUTE format('ALTER %s %s OWNER TO gisserver_write',
                           CASE object.relkind WHEN 'v' THEN 'VIEW' ELSE 'MATERIALIZED VIEW' END,
                           object.name);
        ELSE
            EXECUTE format('ALTER TABLE %s OWNER TO gisserver_write', object.name);
        END IF;
    END LOOP;
END
$$;

GRANT SELECT ON ALL TABLES IN SCHEMA public TO gisserver_read;
GRANT SELECT, INSERT ON spatial_ref_sys TO gisserver_write;
-- Tables made later by the writer (the ETL's swap tables) are readable at once.
ALTER DEFAULT PRIVILEGES FOR ROLE gisserver_write IN SCHEMA public
    GRANT SELECT ON TABLES TO gisserver_read;

-- The web tier records refused authentications and when a key was last used (its only writes).
DO $$
BEGIN
    IF to_regclass('public.security_events') IS NOT NULL THEN
        GRANT INSERT ON security_events TO gisserver_read;
        GRANT UPDATE (last_used_at) ON api_keys TO gisserver_read;
    END IF;
END
$$;

-- Live operations (migration 0006 on): the append-only tables, and what API writes may change.
DO $$
DECLARE
    editable text;
BEGIN
    IF to_regclass('public.audit_log') IS NOT NULL THEN
        REVOKE ALL ON audit_log, feature_history FROM gisserver_write, gisserver_edit;
        GRANT SELECT, INSERT ON audit_log, feature_history TO gisserver_write, gisserver_edit;
        GRANT SELECT, INSERT, UPDATE, DELETE ON idempotency_keys TO gisserver_edit;
        FOREACH editable IN ARRAY ARRAY['hazard_zones', 'shelters', 'stockpiles', 'cameras',
                                        'incidents', 'stockpile_items', 'units']
        LOOP
            IF to_regclass('public.' || editable) IS NOT NULL THEN
                EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO gisserver_edit',
                               editable);
            END IF;
        END LOOP;
        GRANT UPDATE ON layer_versions TO gisserver_edit;
        GRANT INSERT ON security_events TO gisserver_edit;
        GRANT UPDATE (last_used_at) ON api_keys TO gisserver_edit;
    END IF;
END
$$;

-- The stock ledger (migration 0007 on): written by the triggers of stockpile_items, as whoever
-- changes the lots (API edits, ETL loads), with move ids from its sequence; never changed.
DO $$
BEGIN
    IF to_regclass('public.stock_moves') IS NOT NULL THEN
        REVOKE ALL ON stock_moves FROM gisserver_write, gisserver_edit;
        GRANT SELECT, INSERT ON stock_moves TO gisserver_write, gisserver_edit;
        GRANT USAGE ON SEQUENCE stock_move_ids TO gisserver_write, gisserver_edit;
    END IF;
END
$$;

-- The change feed (migration 0008 on): events are written by the audit trail's trigger, as
-- whoever changes a layer, with ids from event_ids; alerts, webhook subscriptions, their
-- deliveries and the feed's cursors are written by the API and the worker (gisserver_edit).
-- A subscription's secret is read by the worker only (the edit role), never by the read role.
DO $$
BEGIN
    IF to_regclass('public.events') IS NOT NULL THEN
        REVOKE ALL ON events FROM gisserver_write, gisserver_edit;
        GRANT SELECT, INSERT ON events TO gisserver_write, gisserver_edit;
        GRANT USAGE ON SEQUENCE event_ids TO gisserver_write, gisserver_edit;
        GRANT SELECT, INSERT, UPDATE ON alerts TO gisserver_edit;
        GRANT SELECT, INSERT, UPDATE, DELETE ON subscriptions, deliveries, feed_cursors
            TO gisserver_edit;
        REVOKE SELECT ON subscriptions FROM gisserver_read;
        GRANT SELECT (id, url, types, layers, bbox, status, cursor, failing_since,
                      next_attempt_at, attempts, created_by, created_at, updated_at)
            ON subscriptions TO gisserver_read;
    END IF;
END
$$;

-- Command and dispatch (migration 0009 on): the incidents' transitions (written by a trigger, as
-- whoever changes an incident) and the units' tracks are append-only; the API writes the
-- assignments and, through unit_positions_partition (run as its owner), adds a month to the
-- track.
DO $$
BEGIN
    IF to_regclass('public.unit_positions') IS NOT NULL THEN
        REVOKE ALL ON incident_transitions, unit_positions FROM gisserver_write, gisserver_edit;
        GRANT SELECT, INSERT ON incident_transitions, unit_positions
            TO gisserver_write, gisserver_edit;
        GRANT SELECT, INSERT, UPDATE ON assignments TO gisserver_edit;
        GRANT EXECUTE ON FUNCTION unit_positions_partition(date) TO gisserver_edit;
    END IF;
END
$$;
