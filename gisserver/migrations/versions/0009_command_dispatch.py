"""Command and dispatch: the incident lifecycle, the response units and their tracks, and the
assignments of units to incidents.

**Incidents** get the phases ``closed`` (after ``resolved``) and ``cancelled`` (a false report),
and an emergency response level (``response_level``; the levels are the enum of
``layers/incidents.yaml``). Every change of an incident's status, whoever makes it (the
transition endpoint, a Features write, the ETL, psql), is a row of ``incident_transitions``
with who, when and the note (``gisserver.note``), written by a trigger in the same transaction.

**Units** (``units``) are a layer like the others (audited, versioned, in the feed), with one
difference: an update that changes nothing but the unit's position (``geom``, ``position_at``,
``speed``, ``heading``) is not a version of record. Positions arrive by the thousand (AVL), and
their record is the track, ``unit_positions``: every position reported, partitioned by month of
its time (``unit_positions_partition(month)`` creates a month; the positions endpoint calls it
for the months of a batch). Each batch of positions is one audit row (operation ``positions``,
who sent it) and so one event of type ``positions`` in the feed; each position keeps the id of
its batch's audit row.

**Assignments** (``assignments``): a unit sent to an incident, ``assigned`` -> ``en_route`` ->
``on_scene`` -> ``released`` with the time of each; audited like a layer (its geometry is where
the unit was sent). A unit has at most one assignment not released (a unique index: two
concurrent assignments of one unit cannot both commit).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

FEED_LOCK = 7_470_310_015
CHANNEL = "gisserver_events"

# As migration 0006's, with one more (optional) trigger argument: the columns whose change
# alone is not a version of record (a unit's position).
FEATURE_VALUE = (
    "jsonb_build_object('id', {r}.id, 'version', {r}.version, "
    "'geometry', ST_AsGeoJSON({r}.geom, 9, 0)::jsonb, "
    "'properties', to_jsonb({r}) - '{{id,geom,version}}'::text[])"
)
CHANGED = (
    "((to_jsonb(o) - '{{version,updated_at,geom}}'::text[] - untracked) "
    "IS DISTINCT FROM (to_jsonb(n) - '{{version,updated_at,geom}}'::text[] - untracked) "
    "OR (o.geom IS DISTINCT FROM n.geom AND NOT 'geom' = ANY (untracked)))"
)
CONTEXT_COLUMNS = "actor, actor_role, etl_run_id, request_id, client_address, if_match"
CONTEXT_VALUES = (
    "coalesce(audit_setting('actor'), session_user), audit_setting('actor_role'), "
    "audit_setting('etl_run')::bigint, audit_setting('request_id'), "
    "audit_setting('client_address')::inet, audit_setting('if_match')"
)
INCIDENT_PHASES = (
    "('reported', 'verified', 'responding', 'contained', 'resolved', 'closed', 'cancelled')"
)
UNIT_TYPES = (
    "('fire_engine', 'ladder', 'ambulance', 'police_car', 'rescue_team', 'hazmat', "
    "'command', 'other')"
)
UNIT_STATUSES = "('available', 'assigned', 'en_route', 'on_scene', 'returning', 'out_of_service')"
POSITION_COLUMNS = "geom,position_at,speed,heading"


def upgrade() -> None:
    new_value = FEATURE_VALUE.format(r="n")
    old_value = FEATURE_VALUE.format(r="o")
    changed = CHANGED.format()
    op.execute(
        f"""
-- The incident lifecycle ------------------------------------------------------------------
ALTER TABLE incidents DROP CONSTRAINT incidents_status_check;
ALTER TABLE incidents ADD CONSTRAINT incidents_status_check CHECK (status IN {INCIDENT_PHASES});
ALTER TABLE incidents ADD COLUMN response_level text
    CHECK (response_level IN ('I', 'II', 'III', 'IV'));
DROP INDEX IF EXISTS incidents_tile_priority_idx;
CREATE INDEX incidents_tile_priority_idx ON incidents
    ((status IN ('resolved', 'closed', 'cancelled')), severity_rank(severity) DESC NULLS LAST,
     reported_at DESC, id);

CREATE TABLE incident_transitions (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    incident_id bigint NOT NULL,
    from_status text,
    to_status text NOT NULL,
    at timestamptz NOT NULL DEFAULT now(),
    actor text NOT NULL,
    actor_role text,
    etl_run_id bigint,
    request_id text,
    note text
);
COMMENT ON TABLE incident_transitions IS
    'Every change of an incident''s status: who, when, why (append-only)';
CREATE INDEX incident_transitions_incident_idx ON incident_transitions (incident_id, id);
CREATE INDEX incident_transitions_at_idx ON incident_transitions (at);

CREATE FUNCTION record_incident_transitions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO incident_transitions
        (incident_id, from_status, to_status, actor, actor_role, etl_run_id, request_id, note)
    SELECT n.id, o.status, n.status, coalesce(audit_setting('actor'), session_user),
           audit_setting('actor_role'), audit_setting('etl_run')::bigint,
           audit_setting('request_id'), audit_setting('note')
      FROM old_rows AS o JOIN new_rows AS n ON n.id = o.id
     WHERE o.status IS DISTINCT FROM n.status
     ORDER BY n.id;
    RETURN NULL;
END $$;
CREATE TRIGGER incidents_transitions AFTER UPDATE ON incidents
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION record_incident_transitions();
CREATE TRIGGER incident_transitions_append_only BEFORE UPDATE OR DELETE ON incident_transitions
    FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change();
CREATE TRIGGER incident_transitions_no_truncate BEFORE TRUNCATE ON incident_transitions
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change();

-- The audit trail: columns whose change alone is not a version (TG_ARGV[1]); position batches
ALTER TABLE audit_log DROP CONSTRAINT audit_log_operation_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_operation_check CHECK (operation IN
    ('create', 'replace', 'update', 'delete', 'stock-move', 'positions'));

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
         WHERE {changed};
        INSERT INTO audit_log
            (layer, feature_id, operation, version, before, after, {CONTEXT_COLUMNS})
        SELECT layer_id, n.id, coalesce(audit_setting('operation'), 'update'), n.version,
               {old_value}, {new_value}, {CONTEXT_VALUES}
          FROM old_rows AS o JOIN new_rows AS n ON n.id = o.id
         WHERE {changed};
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

-- The feed: a batch of positions is an event of its own type
ALTER TABLE events DROP CONSTRAINT events_type_check;
ALTER TABLE events ADD CONSTRAINT events_type_check
    CHECK (type IN ('feature', 'alert', 'positions'));
CREATE OR REPLACE FUNCTION publish_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM new_audit) THEN
        RETURN NULL;
    END IF;
    -- Held until commit: the next transaction's ids come after ours (commit order).
    PERFORM pg_advisory_xact_lock({FEED_LOCK});
    INSERT INTO events (id, at, type, layer, feature_id, operation, version, audit_id,
                        etl_run_id, min_lon, min_lat, max_lon, max_lat)
    SELECT nextval('event_ids'), a.at,
           CASE WHEN a.layer = 'alerts' THEN 'alert'
                WHEN a.operation = 'positions' THEN 'positions'
                ELSE 'feature' END,
           a.layer, a.feature_id, a.operation, a.version, a.id, a.etl_run_id,
           ST_XMin(e.box), ST_YMin(e.box), ST_XMax(e.box), ST_YMax(e.box)
      FROM (SELECT * FROM new_audit ORDER BY id) AS a
      CROSS JOIN LATERAL (
          SELECT ST_Extent(g)::box3d AS box FROM (
              SELECT ST_GeomFromGeoJSON(a.before -> 'geometry') AS g
               WHERE jsonb_typeof(a.before -> 'geometry') = 'object'
              UNION ALL
              SELECT ST_GeomFromGeoJSON(a.after -> 'geometry')
               WHERE jsonb_typeof(a.after -> 'geometry') = 'object'
          ) AS geometries
      ) AS e
     ORDER BY a.id;
    PERFORM pg_notify('{CHANNEL}', '');
    RETURN NULL;
END $$;

-- Response units ----------------------------------------------------------------------------
CREATE TABLE units (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source text NOT NULL,
    source_id text NOT NULL,
    properties jsonb NOT NULL DEFAULT '{{}}'::jsonb,
    loaded_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    name text NOT NULL,
    unit_type text NOT NULL CHECK (unit_type IN {UNIT_TYPES}),
    capabilities text[] NOT NULL DEFAULT '{{}}'::text[],
    home_station text,
    status text NOT NULL DEFAULT 'available' CHECK (status IN {UNIT_STATUSES}),
    position_at timestamptz,
    speed double precision CHECK (speed >= 0),
    heading double precision CHECK (heading >= 0 AND heading < 360),
    version bigint NOT NULL DEFAULT 1,
    geom geometry(Point, 4326) NOT NULL,
    UNIQUE (source, source_id)
);
COMMENT ON COLUMN units.position_at IS 'the time of the position the unit is shown at (AVL)';
COMMENT ON COLUMN units.speed IS 'metres per second, at position_at';
COMMENT ON COLUMN units.heading IS 'degrees clockwise from true north, at position_at';
CREATE INDEX units_geom_idx ON units USING gist (geom);
CREATE INDEX units_status_idx ON units (status);
CREATE INDEX units_capabilities_idx ON units USING gin (capabilities);
CREATE INDEX units_tile_priority_idx ON units ((status = 'out_of_service'), id);
INSERT INTO layer_versions (layer) VALUES ('units');
CREATE TRIGGER units_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON units FOR EACH STATEMENT EXECUTE FUNCTION bump_layer_version('units');
CREATE TRIGGER units_next_version BEFORE UPDATE ON units
    FOR EACH ROW EXECUTE FUNCTION next_feature_version();
CREATE TRIGGER units_audit_insert AFTER INSERT ON units
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION record_feature_changes('units');
CREATE TRIGGER units_audit_update AFTER UPDATE ON units
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION record_feature_changes('units', '{POSITION_COLUMNS}');
CREATE TRIGGER units_audit_delete AFTER DELETE ON units
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION record_feature_changes('units');

-- Every position reported, partitioned by month
CREATE TABLE unit_positions (
    unit_id bigint NOT NULL,
    at timestamptz NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    audit_id bigint NOT NULL,
    speed double precision,
    heading double precision,
    geom geometry(Point, 4326) NOT NULL
) PARTITION BY RANGE (at);
COMMENT ON TABLE unit_positions IS
    'Every AVL position reported (the track), by month of its time; audit_id: its batch';
CREATE INDEX unit_positions_unit_idx ON unit_positions (unit_id, at);
CREATE TRIGGER unit_positions_append_only BEFORE UPDATE OR DELETE ON unit_positions
    FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change();

-- A month of the track, in UTC (idempotent; run as its owner, so the API's role needs no DDL
-- right).
CREATE FUNCTION unit_positions_partition(month date) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp SET TimeZone = 'UTC' AS $$
DECLARE
    first date := date_trunc('month', month)::date;
    name text := format('unit_positions_y%sm%s', to_char(first, 'YYYY'), to_char(first, 'MM'));
BEGIN
    IF to_regclass('public.' || name) IS NULL THEN
        PERFORM pg_advisory_xact_lock(7470310017);
        IF to_regclass('public.' || name) IS NULL THEN
            EXECUTE format(
                'CREATE TABLE %I PARTITION OF unit_positions FOR VALUES FROM (%L) TO (%L)',
                name, first, (first + interval '1 month')::date);
        END IF;
    END IF;
    RETURN name;
END $$;
REVOKE ALL ON FUNCTION unit_positions_partition(date) FROM PUBLIC;
SELECT unit_positions_partition((date_trunc('month', now()) + m * interval '1 month')::date)
  FROM generate_series(-1, 2) AS m;

-- Assignments ---------------------------------------------------------------------------------
CREATE TABLE assignments (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    incident_id bigint NOT NULL,
    unit_id bigint NOT NULL,
    status text NOT NULL DEFAULT 'assigned'
        CHECK (status IN ('assigned', 'en_route', 'on_scene', 'released')),
    assigned_at timestamptz NOT NULL DEFAULT now(),
    assigned_by text NOT NULL,
    en_route_at timestamptz,
    on_scene_at timestamptz,
    released_at timestamptz,
    note text,
    updated_at timestamptz NOT NULL DEFAULT now(),
    version bigint NOT NULL DEFAULT 1,
    geom geometry(Point, 4326) NOT NULL
);
COMMENT ON TABLE assignments IS
    'Units sent to incidents: assigned -> en_route -> on_scene -> released (audited); '
    'geom: where the unit was sent';
CREATE UNIQUE INDEX assignments_one_open_idx ON assignments (unit_id)
    WHERE status <> 'released';
CREATE INDEX assignments_incident_idx ON assignments (incident_id, id);
CREATE INDEX assignments_assigned_at_idx ON assignments (assigned_at);
CREATE TRIGGER assignments_next_version BEFORE UPDATE ON assignments
    FOR EACH ROW EXECUTE FUNCTION next_feature_version();
CREATE TRIGGER assignments_audit_insert AFTER INSERT ON assignments
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION record_feature_changes('assignments');
CREATE TRIGGER assignments_audit_update AFTER UPDATE ON assignments
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION record_feature_changes('assignments');
CREATE TRIGGER assignments_audit_delete AFTER DELETE ON assignments
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION record_feature_changes('assignments');
"""
    )


def downgrade() -> None:
    op.execute(
        """
DROP TRIGGER incidents_transitions ON incidents;
DROP TABLE assignments, unit_positions, units, incident_transitions;
DROP FUNCTION unit_positions_partition(date), record_incident_transitions();
DELETE FROM layer_versions WHERE layer = 'units';
ALTER TABLE incidents DROP COLUMN response_level;
ALTER TABLE incidents DROP CONSTRAINT incidents_status_check;
UPDATE incidents SET status = 'resolved' WHERE status IN ('closed', 'cancelled');
ALTER TABLE incidents ADD CONSTRAINT incidents_status_check CHECK (status IN
    ('reported', 'verified', 'responding', 'contained', 'resolved'));
ALTER TABLE events DROP CONSTRAINT events_type_check;
-- (not checked against past events: the feed is append-only)
ALTER TABLE events ADD CONSTRAINT events_type_check CHECK (type IN ('feature', 'alert'))
    NOT VALID;
ALTER TABLE audit_log DROP CONSTRAINT audit_log_operation_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_operation_check CHECK (operation IN
    ('create', 'replace', 'update', 'delete', 'stock-move')) NOT VALID;
DROP INDEX IF EXISTS incidents_tile_priority_idx;
CREATE INDEX incidents_tile_priority_idx ON incidents
    ((status = 'resolved'), severity_rank(severity) DESC NULLS LAST, reported_at DESC, id);
-- record_feature_changes and publish_events keep their 0009 bodies: with no second argument
-- and no positions they behave as 0006's and 0008's.
"""
    )
