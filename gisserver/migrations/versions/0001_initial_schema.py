"""Initial schema: the five published layers, stockpile inventory, population sources, ETL runs.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Columns every layer table has: a stable id for URLs, the (source, source_id) upsert key,
# unmapped source attributes, and load/update times.
COMMON = """
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source text NOT NULL,
    source_id text NOT NULL,
    properties jsonb NOT NULL DEFAULT '{}'::jsonb,
    loaded_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
"""

SEVERITY = "('low', 'moderate', 'high', 'extreme')"

UPGRADE = f"""
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE EXTENSION IF NOT EXISTS postgis_raster;

CREATE TABLE hazard_zones (
    {COMMON}
    hazard_type text NOT NULL CHECK (hazard_type IN
        ('flood', 'storm_surge', 'landslide', 'fire', 'chemical', 'earthquake', 'tsunami',
         'heat', 'wind', 'other')),
    severity text NOT NULL CHECK (severity IN {SEVERITY}),
    name text,
    description text,
    valid_from timestamptz,
    valid_to timestamptz,
    geom geometry(MultiPolygon, 4326) NOT NULL,
    UNIQUE (source, source_id),
    CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from)
);

CREATE TABLE shelters (
    {COMMON}
    name text NOT NULL,
    address text,
    city text,
    capacity integer CHECK (capacity >= 0),
    occupancy integer NOT NULL DEFAULT 0 CHECK (occupancy >= 0),
    status text NOT NULL DEFAULT 'standby'
        CHECK (status IN ('open', 'closed', 'full', 'standby')),
    wheelchair_accessible boolean,
    pets_allowed boolean,
    has_food boolean,
    has_medical boolean,
    phone text,
    geom geometry(Point, 4326) NOT NULL,
    UNIQUE (source, source_id)
);

CREATE TABLE stockpiles (
    {COMMON}
    name text NOT NULL,
    kind text NOT NULL DEFAULT 'depot' CHECK (kind IN ('depot', 'warehouse', 'cache')),
    address text,
    status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
    geom geometry(Point, 4326) NOT NULL,
    UNIQUE (source, source_id)
);

CREATE TABLE stockpile_items (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    stockpile_id bigint NOT NULL REFERENCES stockpiles (id) ON DELETE CASCADE,
    item text NOT NULL CHECK (item IN
        ('water', 'food_ration', 'blanket', 'medical_kit', 'sandbag', 'generator', 'salt',
         'fuel', 'cot', 'hygiene_kit', 'ppe', 'pump', 'tarp')),
    quantity numeric NOT NULL CHECK (quantity >= 0),
    unit text NOT NULL,
    expires_on date,
    source text NOT NULL,
    loaded_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX stockpile_items_lot_key
    ON stockpile_items (stockpile_id, item, COALESCE(expires_on, 'infinity'::date));

CREATE TABLE cameras (
    {COMMON}
    name text NOT NULL,
    status text NOT NULL DEFAULT 'online' CHECK (status IN ('online', 'offline')),
    direction text,
    stream_url text,
    geom geometry(Point, 4326) NOT NULL,
    UNIQUE (source, source_id)
);

CREATE TABLE incidents (
    {COMMON}
    incident_type text NOT NULL CHECK (incident_type IN
        ('fire', 'flood', 'chemical', 'collision', 'medical', 'structural', 'power_outage',
         'gas_leak', 'storm_damage', 'other')),
    severity text NOT NULL DEFAULT 'moderate' CHECK (severity IN {SEVERITY}),
    status text NOT NULL DEFAULT 'reported' CHECK (status IN
        ('reported', 'verified', 'responding', 'contained', 'resolved')),
    reported_at timestamptz NOT NULL,
    description text,
    geom geometry(Geometry, 4326) NOT NULL
        CHECK (GeometryType(geom) IN ('POINT', 'POLYGON', 'MULTIPOLYGON')),
    UNIQUE (source, source_id)
);

CREATE TABLE population_sources (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9_.-]*$'),
    kind text NOT NULL CHECK (kind IN ('raster', 'census')),
    title text,
    description text,
    licence text,
    attribution text,
    reference_year integer,
    srid integer,
    total_population double precision,
    footprint geometry(MultiPolygon, 4326),
    properties jsonb NOT NULL DEFAULT '{{}}'::jsonb,
    loaded_at timestamptz NOT NULL DEFAULT now()
);

-- Census-style polygons with a head count (areal-weighted interpolation).
CREATE TABLE population_units (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    population_source_id bigint NOT NULL REFERENCES population_sources (id) ON DELETE CASCADE,
    unit_id text NOT NULL,
    population double precision NOT NULL CHECK (population >= 0),
    properties jsonb NOT NULL DEFAULT '{{}}'::jsonb,
    geom geometry(MultiPolygon, 4326) NOT NULL,
    UNIQUE (population_source_id, unit_id)
);

-- Population rasters as in-database tiles, kept in the raster's own CRS (people per cell).
CREATE TABLE population_raster_tiles (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    population_source_id bigint NOT NULL REFERENCES population_sources (id) ON DELETE CASCADE,
    rast raster NOT NULL
);

CREATE TABLE etl_runs (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job text NOT NULL,
    layer text NOT NULL,
    source text NOT NULL,
    file text,
    started_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    rows_read integer NOT NULL DEFAULT 0,
    rows_loaded integer NOT NULL DEFAULT 0,
    rows_inserted integer NOT NULL DEFAULT 0,
    rows_updated integer NOT NULL DEFAULT 0,
    rows_unchanged integer NOT NULL DEFAULT 0,
    rows_retired integer NOT NULL DEFAULT 0,
    rows_rejected integer NOT NULL DEFAULT 0,
    status text NOT NULL DEFAULT 'running'
        CHECK (status IN ('running', 'succeeded', 'failed', 'aborted', 'dry_run')),
    error text,
    rejects_file text
);

CREATE INDEX hazard_zones_geom_idx ON hazard_zones USING gist (geom);
CREATE INDEX shelters_geom_idx ON shelters USING gist (geom);
CREATE INDEX stockpiles_geom_idx ON stockpiles USING gist (geom);
CREATE INDEX cameras_geom_idx ON cameras USING gist (geom);
CREATE INDEX incidents_geom_idx ON incidents USING gist (geom);
CREATE INDEX population_units_geom_idx ON population_units USING gist (geom);
CREATE INDEX population_sources_footprint_idx ON population_sources USING gist (footprint);
CREATE INDEX population_raster_tiles_rast_idx
    ON population_raster_tiles USING gist (ST_ConvexHull(rast));
CREATE INDEX population_raster_tiles_source_idx ON population_raster_tiles (population_source_id);
CREATE INDEX stockpile_items_item_idx ON stockpile_items (item);
CREATE INDEX hazard_zones_validity_idx ON hazard_zones (valid_from, valid_to);
CREATE INDEX incidents_reported_at_idx ON incidents (reported_at);
CREATE INDEX incidents_status_idx ON incidents (status);
CREATE INDEX shelters_status_idx ON shelters (status);
CREATE INDEX cameras_status_idx ON cameras (status);

-- A per-layer change version: bumped by any write, used for ETags and tile freshness.
CREATE TABLE layer_versions (
    layer text PRIMARY KEY,
    version bigint NOT NULL DEFAULT 1,
    changed_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO layer_versions (layer)
    VALUES ('hazard_zones'), ('shelters'), ('stockpiles'), ('cameras'), ('incidents');

CREATE FUNCTION bump_layer_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE layer_versions SET version = version + 1, changed_at = now()
     WHERE layer = TG_ARGV[0];
    RETURN NULL;
END $$;

CREATE TRIGGER hazard_zones_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON hazard_zones FOR EACH STATEMENT EXECUTE FUNCTION bump_layer_version('hazard_zones');
CREATE TRIGGER shelters_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON shelters FOR EACH STATEMENT EXECUTE FUNCTION bump_layer_version('shelters');
CREATE TRIGGER stockpiles_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON stockpiles FOR EACH STATEMENT EXECUTE FUNCTION bump_layer_version('stockpiles');
CREATE TRIGGER stockpile_items_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON stockpile_items FOR EACH STATEMENT EXECUTE FUNCTION bump_layer_version('stockpiles');
CREATE TRIGGER cameras_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON cameras FOR EACH STATEMENT EXECUTE FUNCTION bump_layer_version('cameras');
CREATE TRIGGER incidents_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON incidents FOR EACH STATEMENT EXECUTE FUNCTION bump_layer_version('incidents');
"""

DOWNGRADE = """
DROP TABLE IF EXISTS layer_versions, etl_runs, population_raster_tiles, population_units,
    population_sources, incidents, cameras, stockpile_items, stockpiles, shelters, hazard_zones
    CASCADE;
DROP FUNCTION IF EXISTS bump_layer_version();
"""


def upgrade() -> None:
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute(DOWNGRADE)
