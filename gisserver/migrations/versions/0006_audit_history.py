"""Live operations: a version per feature (its ETag), an append-only audit trail and the previous
versions of every feature (history), both written by triggers in the transaction of the change,
whoever makes it (API, ETL, psql); and the table that makes a retried create idempotent.

Who made a change comes from transaction-local settings (``gisserver.audit.act_as``):
``gisserver.actor``, ``.actor_role``, ``.etl_run``, ``.request_id``, ``.client_address``,
``.if_match`` and ``.operation`` (``replace`` for a PUT); without them the session's user is
recorded.

The audit trail and the history are append-only: a trigger refuses UPDATE, DELETE and TRUNCATE,
and their owner is the migrating role (``sql/roles/grants.sql`` does not hand them to
gisserver_write), so the roles the application uses may only INSERT and SELECT them.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

LAYERS = ("hazard_zones", "shelters", "stockpiles", "cameras", "incidents")

# A feature as the audit trail and the history keep it: GeoJSON-like, every column.
FEATURE_VALUE = (
    "jsonb_build_object('id', {r}.id, 'version', {r}.version, "
    "'geometry', ST_AsGeoJSON({r}.geom, 9, 0)::jsonb, "
    "'properties', to_jsonb({r}) - '{{id,geom,version}}'::text[])"
)
# Updates that change nothing but the version and update time (a stock move on a stockpile)
# get a new version (its ETag changes) but no audit row or history row of their own.
CHANGED = (
    "((to_jsonb(o) - '{version,updated_at,geom}'::text[]) "
    "IS DISTINCT FROM (to_jsonb(n) - '{version,updated_at,geom}'::text[]) "
    "OR o.geom IS DISTINCT FROM n.geom)"
)
CONTEXT_COLUMNS = "actor, actor_role, etl_run_id, request_id, client_address, if_match"
CONTEXT_VALUES = (
    "coalesce(audit_setting('actor'), session_user), audit_setting('actor_role'), "
    "audit_setting('etl_run')::bigint, audit_setting('request_id'), "
    "audit_setting('client_address')::inet, audit_setting('if_match')"
)


def upgrade() -> None:
    columns = "\n".join(
        f"ALTER TABLE {layer} ADD COLUMN version bigint NOT NULL DEFAULT 1;" for layer in LAYERS
    )
    new_value = FEATURE_VALUE.format(r="n")
    old_value = FEATURE_VALUE.format(r="o")
    op.execute(
        f"""
{columns}

CREATE TABLE audit_log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    actor text NOT NULL,
    actor_role text,
    etl_run_id bigint,
    layer text NOT NULL,
    feature_id bigint,
    operation text NOT NULL CHECK (operation IN
        ('create', 'replace', 'update', 'delete', 'stock-move')),
    version bigint,
    before jsonb,
    after jsonb,
    request_id text,
    client_address inet,
    if_match text
);
COMMENT ON TABLE audit_log IS
    'Every change of a published layer, from the API or the ETL: append-only';
COMMENT ON COLUMN audit_log.if_match IS
    'the If-Match the writer sent (null: an unconditional write, e.g. from QGIS)';
CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_feature_idx ON audit_log (layer, feature_id, id);
CREATE INDEX audit_log_actor_idx ON audit_log (actor, id);

CREATE TABLE feature_history (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    layer text NOT NULL,
    feature_id bigint NOT NULL,
    version bigint NOT NULL,
    valid_from timestamptz NOT NULL,
    valid_to timestamptz NOT NULL,
    ended_by text NOT NULL CHECK (ended_by IN ('update', 'replace', 'delete')),
    properties jsonb NOT NULL,
    geom geometry(Geometry, 4326) NOT NULL,
    CHECK (valid_to >= valid_from)
);
COMMENT ON TABLE feature_history IS
    'The previous versions of every feature with their validity [valid_from, valid_to): '
    'the current version is the row in the layer (valid since its updated_at); append-only';
CREATE INDEX feature_history_feature_idx ON feature_history (layer, feature_id, version);
CREATE INDEX feature_history_validity_idx ON feature_history (layer, valid_from, valid_to);
CREATE INDEX feature_history_geom_idx ON feature_history USING gist (geom);

CREATE FUNCTION audit_setting(name text) RETURNS text LANGUAGE sql STABLE AS
$$ SELECT nullif(current_setting('gisserver.' || name, true), '') $$;

-- A new version for every UPDATE, whoever makes it.
CREATE FUNCTION next_feature_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.version := OLD.version + 1;
    NEW.updated_at := now();
    RETURN NEW;
END $$;

CREATE FUNCTION record_feature_changes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    layer_id text := TG_ARGV[0];
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

CREATE FUNCTION refuse_append_only_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: its rows are never changed or deleted', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change();
CREATE TRIGGER feature_history_append_only BEFORE UPDATE OR DELETE ON feature_history
    FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change();
CREATE TRIGGER feature_history_no_truncate BEFORE TRUNCATE ON feature_history
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change();

-- A retried create (the same Idempotency-Key from the same caller) gets the first answer.
CREATE TABLE idempotency_keys (
    actor text NOT NULL,
    key text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    request_sha256 bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    status integer NOT NULL,
    headers jsonb NOT NULL DEFAULT '{{}}'::jsonb,
    body text NOT NULL DEFAULT '',
    PRIMARY KEY (actor, key)
);
CREATE INDEX idempotency_keys_created_at_idx ON idempotency_keys (created_at);
"""
    )
    for layer in LAYERS:
        op.execute(
            f"""
CREATE TRIGGER {layer}_next_version BEFORE UPDATE ON {layer}
    FOR EACH ROW EXECUTE FUNCTION next_feature_version();
CREATE TRIGGER {layer}_audit_insert AFTER INSERT ON {layer}
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION record_feature_changes('{layer}');
CREATE TRIGGER {layer}_audit_update AFTER UPDATE ON {layer}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION record_feature_changes('{layer}');
CREATE TRIGGER {layer}_audit_delete AFTER DELETE ON {layer}
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION record_feature_changes('{layer}');
"""
        )


def downgrade() -> None:
    for layer in LAYERS:
        op.execute(
            f"""
DROP TRIGGER IF EXISTS {layer}_next_version ON {layer};
DROP TRIGGER IF EXISTS {layer}_audit_insert ON {layer};
DROP TRIGGER IF EXISTS {layer}_audit_update ON {layer};
DROP TRIGGER IF EXISTS {layer}_audit_delete ON {layer};
ALTER TABLE {layer} DROP COLUMN version;
"""
        )
    op.execute(
        """
DROP TABLE idempotency_keys, feature_history, audit_log;
DROP FUNCTION record_feature_changes(), next_feature_version(), refuse_append_only_change(),
    audit_setting(text);
"""
    )
