-- Least privilege, applied after every migration (idempotent; run by the migrating role).
--
--   gisserver_read   reads every table of ours: the web tier's login role is a member
--   gisserver_write  owns the tables of ours (the ETL's bulk path rebuilds indexes and swaps
--                    tables, which only an owner may do) and may add custom CRSs: the ETL's
--                    (and later the API writes') login role is a member
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
END
$$;

GRANT gisserver_read TO gisserver_write;
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
