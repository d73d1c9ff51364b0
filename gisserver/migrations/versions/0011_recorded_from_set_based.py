"""The audit trigger's history: ``feature_history.recorded_from`` computed in the trigger's own
INSERT ... SELECT instead of by a per-row trigger, and each row's ``to_jsonb`` computed once.

Migration 0010 set ``recorded_from`` (when a version became the database's: the end of the
feature's previous version, or its creation in the audit trail, whichever is later;
``valid_from`` where neither is known) with a BEFORE INSERT trigger on every history row: a
PL/pgSQL call and two queries per row. Measured on the bench's full size (1,100,000 history
rows): 110,000 history rows inserted in 8.3 s and 6.8 s with it, 5.5 s and 3.3 s without (about
27 µs a row). ``record_feature_changes`` (migration 0009's) now computes the same values for all
the rows of a statement in one statement, as two index probes per row
(``feature_history_feature_idx``, newest version first; 0010's ``audit_log_created_idx``), into
a map by feature id that its inserts then read, and the trigger is dropped. An index on the
creation times of each layer (``audit_log_created_since_idx``) serves the as-of rows' "created
since the instant". The lookups run
before the inserts on purpose: done inside the INSERT ... SELECT, a lookup planned while
``feature_history`` was empty (a fresh database: the first statement that writes history)
scanned the table the same statement was filling, once per row (20,000 deleted rows: 6.9 s,
and quadratic; now 2.0 s). The column stays NOT NULL:
nothing else writes ``feature_history`` (the roles may only insert, grants.sql), and a row
written another way without it is refused.

0009's body also computed ``to_jsonb`` of each old and new row up to nine times (the change test
in both statements, the history's properties, the audit's before and after), and with a
geometry column ``to_jsonb`` writes the geometry as GeoJSON only for it to be dropped. Each is
now computed once (a materialized CTE feeding both inserts in one statement; the values written
are the same). A 100,000-row UPDATE of the bench's shelters through the audit, history and feed
triggers (rolled back): 40.9 s and 31.7 s with 0010, 21.4 s and 23.7 s with this.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-18
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# As migration 0009's.
FEATURE_VALUE = (
    "jsonb_build_object('id', {r}.id, 'version', {r}.version, "
    "'geometry', ST_AsGeoJSON({r}.geom, 9, 0)::jsonb, "
    "'properties', to_jsonb({r}) - '{{id,geom,version}}'::text[])"
)
CHANGED = (
    "((to_jsonb(o) - '{version,updated_at,geom}'::text[] - untracked) "
    "IS DISTINCT FROM (to_jsonb(n) - '{version,updated_at,geom}'::text[] - untracked) "
    "OR (o.geom IS DISTINCT FROM n.geom AND NOT 'geom' = ANY (untracked)))"
)
CONTEXT_COLUMNS = "actor, actor_role, etl_run_id, request_id, client_address, if_match"
CONTEXT_VALUES = (
    "coalesce(audit_setting('actor'), session_user), audit_setting('actor_role'), "
    "audit_setting('etl_run')::bigint, audit_setting('request_id'), "
    "audit_setting('client_address')::inet, audit_setting('if_match')"
)
# Migration 0010's start of a version, for the old row o ending now(): the end of the feature's
# latest version in the history (versions grow with time: the newest one ended last), or its
# latest creation, whichever is later; else the version's own valid_from; never after now().
RECORDED_FROM = """least(now(), coalesce(greatest(
                (SELECT p.valid_to FROM feature_history AS p
                  WHERE p.layer = layer_id AND p.feature_id = {r}.id
                  ORDER BY p.version DESC LIMIT 1),
                (SELECT max(a.at) FROM audit_log AS a
                  WHERE a.operation = 'create' AND a.layer = layer_id AND a.feature_id = {r}.id
                    AND a.at <= now())),
                least({r}.updated_at, now())))"""
# Migration 0010's trigger (the downgrade puts it back).
START_0010 = """least({h}.valid_to, coalesce(greatest(
    (SELECT max(p.valid_to) FROM feature_history AS p
      WHERE p.layer = {h}.layer AND p.feature_id = {h}.feature_id {earlier}),
    (SELECT max(c.at) FROM audit_log AS c
      WHERE c.operation = 'create' AND c.layer = {h}.layer AND c.feature_id = {h}.feature_id
        AND c.at <= {h}.valid_to)),
    {h}.valid_from))"""


def _record_feature_changes_0009() -> str:
    """Migration 0009's ``record_feature_changes`` (the downgrade puts it back)."""
    new_value = FEATURE_VALUE.format(r="n")
    old_value = FEATURE_VALUE.format(r="o")
    return f"""
CREATE OR REPLACE FUNCTION record_feature_changes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    layer_id text := TG_ARGV[0];
    untracked text[] := coalesce(string_to_array(TG_ARGV[1], ','), '{{}}'::text[]);
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO audit_log (layer, feature_id, operation, version, after, {CONTEXT_COLUMNS})
        SELECT layer_id, n.id, 'create', n.version, {new_value}, {CONTEXT_VALUES}
          FROM new_rows AS n;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO feature_history
            (layer, feature_id, version, valid_from, valid_to, ended_by, properties, geom)
        SELECT layer_id, o.id, o.version, least(o.updated_at, now()), now(),
               coalesce(audit_setting('operation'), 'update'),
               to_jsonb(o) - '{{id,geom,version}}'::text[], o.geom
          FROM old_rows AS o JOIN new_rows AS n ON n.id = o.id
         WHERE {CHANGED};
        INSERT INTO audit_log
            (layer, feature_id, operation, version, before, after, {CONTEXT_COLUMNS})
        SELECT layer_id, n.id, coalesce(audit_setting('operation'), 'update'), n.version,
               {old_value}, {new_value}, {CONTEXT_VALUES}
          FROM old_rows AS o JOIN new_rows AS n ON n.id = o.id
         WHERE {CHANGED};
    ELSE
        INSERT INTO feature_history
            (layer, feature_id, version, valid_from, valid_to, ended_by, properties, geom)
        SELECT layer_id, o.id, o.version, least(o.updated_at, now()), now(), 'delete',
               to_jsonb(o) - '{{id,geom,version}}'::text[], o.geom
          FROM old_rows AS o;
        INSERT INTO audit_log (layer, feature_id, operation, version, before, {CONTEXT_COLUMNS})
        SELECT layer_id, o.id, 'delete', o.version, {old_value}, {CONTEXT_VALUES}
          FROM old_rows AS o;
    END IF;
    RETURN NULL;
END $$;
"""


# The same values as 0009's, each row's to_jsonb computed once (0009 computed it up to nine
# times a row: in the change test of both statements, the history's properties and the audit's
# before/after; with a geometry column, to_jsonb also writes the geometry as GeoJSON, only for it
# to be dropped), and recorded_from set in the history's INSERT ... SELECT.
FEATURE_JSON = (
    "jsonb_build_object('id', c.id, 'version', c.{v}, "
    "'geometry', ST_AsGeoJSON(c.{g}, 9, 0)::jsonb, "
    "'properties', c.{j} - '{{id,geom,version}}'::text[])"
)


def _record_feature_changes() -> str:
    """``record_feature_changes`` with recorded_from, one to_jsonb per old and new row."""
    before = FEATURE_JSON.format(v="old_version", g="old_geom", j="oj")
    after = FEATURE_JSON.format(v="new_version", g="new_geom", j="nj")
    recorded_from = "(began ->> c.id::text)::timestamptz"
    began = f"SELECT jsonb_object_agg(o.id, {RECORDED_FROM.format(r='o')}) INTO began FROM old_rows AS o;"
    return f"""
CREATE OR REPLACE FUNCTION record_feature_changes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    layer_id text := TG_ARGV[0];
    untracked text[] := coalesce(string_to_array(TG_ARGV[1], ','), '{{}}'::text[]);
    began jsonb;  -- recorded_from by feature id, read before this trigger writes
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO audit_log (layer, feature_id, operation, version, after, {CONTEXT_COLUMNS})
        SELECT layer_id, n.id, 'create', n.version, {FEATURE_VALUE.format(r="n")},
               {CONTEXT_VALUES}
          FROM new_rows AS n;
    ELSIF TG_OP = 'UPDATE' THEN
        {began}
        WITH pairs AS MATERIALIZED (
            SELECT o.id, o.version AS old_version, o.updated_at, o.geom AS old_geom,
                   n.version AS new_version, n.geom AS new_geom,
                   to_jsonb(o) AS oj, to_jsonb(n) AS nj
              FROM old_rows AS o JOIN new_rows AS n ON n.id = o.id
        ),
        changed AS MATERIALIZED (
            SELECT * FROM pairs AS c
             WHERE (c.oj - '{{version,updated_at,geom}}'::text[] - untracked)
                   IS DISTINCT FROM (c.nj - '{{version,updated_at,geom}}'::text[] - untracked)
                OR (c.old_geom IS DISTINCT FROM c.new_geom AND NOT 'geom' = ANY (untracked))
        ),
        history AS (
            INSERT INTO feature_history (layer, feature_id, version, valid_from, valid_to,
                                         ended_by, properties, geom, recorded_from)
            SELECT layer_id, c.id, c.old_version, least(c.updated_at, now()), now(),
                   coalesce(audit_setting('operation'), 'update'),
                   c.oj - '{{id,geom,version}}'::text[], c.old_geom, {recorded_from}
              FROM changed AS c
        )
        INSERT INTO audit_log
            (layer, feature_id, operation, version, before, after, {CONTEXT_COLUMNS})
        SELECT layer_id, c.id, coalesce(audit_setting('operation'), 'update'), c.new_version,
               {before}, {after}, {CONTEXT_VALUES}
          FROM changed AS c;
    ELSE
        {began}
        WITH gone AS MATERIALIZED (
            SELECT o.id, o.version AS old_version, o.updated_at, o.geom AS old_geom,
                   to_jsonb(o) AS oj
              FROM old_rows AS o
        ),
        history AS (
            INSERT INTO feature_history (layer, feature_id, version, valid_from, valid_to,
                                         ended_by, properties, geom, recorded_from)
            SELECT layer_id, c.id, c.old_version, least(c.updated_at, now()), now(), 'delete',
                   c.oj - '{{id,geom,version}}'::text[], c.old_geom, {recorded_from}
              FROM gone AS c
        )
        INSERT INTO audit_log (layer, feature_id, operation, version, before, {CONTEXT_COLUMNS})
        SELECT layer_id, c.id, 'delete', c.old_version, {before}, {CONTEXT_VALUES}
          FROM gone AS c;
    END IF;
    RETURN NULL;
END $$;
"""


def upgrade() -> None:
    op.execute(
        _record_feature_changes()
        + """
DROP TRIGGER feature_history_recorded_from ON feature_history;
DROP FUNCTION feature_history_recorded_from();
-- The features created after an instant (sql/history/layer_as_of.sql), by a range of the
-- creation time: 0010's (layer, feature_id, at) index answers per feature; read for a whole
-- layer it is a scan of every creation, so the planner took audit_log_at_idx instead and
-- read every audit row since the instant (500,000 after the bench's T: 0.5 to 0.8 s).
CREATE INDEX audit_log_created_since_idx ON audit_log (layer, at) INCLUDE (feature_id)
    WHERE operation = 'create';
"""
    )


def downgrade() -> None:
    op.execute(
        _record_feature_changes_0009()
        + f"""
DROP INDEX IF EXISTS audit_log_created_since_idx;
CREATE FUNCTION feature_history_recorded_from() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.recorded_from := {START_0010.format(h="NEW", earlier="")};
    RETURN NEW;
END $$;
CREATE TRIGGER feature_history_recorded_from BEFORE INSERT ON feature_history
    FOR EACH ROW EXECUTE FUNCTION feature_history_recorded_from();
"""
    )
