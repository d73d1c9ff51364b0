from __future__ import annotations

import psycopg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from psycopg import sql
from sqlalchemy import create_engine

from gisserver import migrations
from gisserver.db import sqlalchemy_url
from gisserver.layers import LAYER_IDS, SEVERITIES, load_layers
from gisserver.models import Base
from gisserver.settings import PROJECT_ROOT

PG_TYPES = {
    "string": {"text"},
    "integer": {"integer", "bigint"},
    "number": {"numeric", "double precision", "real"},
    "boolean": {"boolean"},
    "datetime": {"timestamp with time zone"},
    "date": {"date"},
}


@pytest.fixture()
def scratch_db(database_url: str, test_cluster):
    """A separate empty database for migrating up and down."""
    if test_cluster is None:
        pytest.skip("needs the session's own cluster")
    name = "migration_scratch"
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield database_url.rsplit("/", 1)[0] + "/" + name


def _tables(url: str) -> set[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        ).fetchall()
    return {r[0] for r in rows}


def test_upgrade_then_downgrade_then_upgrade(scratch_db: str):
    migrations.upgrade(scratch_db)
    tables = _tables(scratch_db)
    assert set(LAYER_IDS) <= tables
    assert {
        "stockpile_items",
        "population_sources",
        "population_units",
        "population_raster_tiles",
        "etl_runs",
    } <= tables
    assert migrations.current_revision(scratch_db) == migrations.head_revision(scratch_db)

    migrations.downgrade(scratch_db, "base")
    assert not (set(LAYER_IDS) & _tables(scratch_db))
    assert migrations.current_revision(scratch_db) is None

    migrations.upgrade(scratch_db)
    assert set(LAYER_IDS) <= _tables(scratch_db)


def _indexes(url: str, names: tuple[str, ...]) -> dict[str, str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname = ANY(%s)", [list(names)]
        ).fetchall()
    return dict(rows)


def _has_severity_rank(url: str) -> bool:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT to_regprocedure('severity_rank(text)') IS NOT NULL").fetchone()
    assert row is not None
    return bool(row[0])


SEVERITY_INDEXES = ("hazard_zones_tile_priority_idx", "incidents_tile_priority_idx")


def test_0003_down_restores_0002_and_up_again(scratch_db: str):
    migrations.upgrade(scratch_db, "0003")
    assert _has_severity_rank(scratch_db)
    for definition in _indexes(scratch_db, SEVERITY_INDEXES).values():
        assert "severity_rank(severity) DESC NULLS LAST" in definition

    migrations.downgrade(scratch_db, "0002")
    assert migrations.current_revision(scratch_db) == "0002"
    assert not _has_severity_rank(scratch_db)
    restored = _indexes(scratch_db, SEVERITY_INDEXES)
    assert set(restored) == set(SEVERITY_INDEXES)
    for definition in restored.values():
        assert "array_position(ARRAY['extreme'::text, 'high'::text" in definition

    migrations.upgrade(scratch_db, "0003")
    assert _has_severity_rank(scratch_db)
    assert all("severity_rank" in d for d in _indexes(scratch_db, SEVERITY_INDEXES).values())


def test_severity_rank_is_the_order_of_severities(conn):
    """Migration 0003's severity_rank() and gisserver.layers.SEVERITIES are one vocabulary."""
    rows = conn.execute(
        "SELECT s, severity_rank(s) FROM unnest(%s::text[]) WITH ORDINALITY AS u(s, n) ORDER BY n",
        [list(SEVERITIES)],
    ).fetchall()
    assert rows == [(s, i) for i, s in enumerate(SEVERITIES, start=1)]
    assert conn.execute("SELECT severity_rank('catastrophic'), severity_rank(NULL)").fetchone() == (
        None,
        None,
    )
    layers = load_layers(PROJECT_ROOT / "layers")
    for layer_id in ("hazard_zones", "incidents"):
        assert layers[layer_id].fields["severity"].enum == SEVERITIES


def test_severity_rank_is_inlined(conn):
    """LANGUAGE sql IMMUTABLE, not STRICT: the planner replaces the call by its body (no function
    call per row, and an index on it matches a query ordering by it)."""
    plan = "\n".join(
        r[0]
        for r in conn.execute(
            "EXPLAIN (VERBOSE, COSTS OFF) SELECT severity_rank(severity) FROM hazard_zones"
        )
    )
    assert "array_position" in plan and "severity_rank(" not in plan, plan


def test_models_match_migrated_schema(database_url: str):
    engine = create_engine(sqlalchemy_url(database_url))
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(
                conn,
                opts={
                    "include_object": lambda o, name, type_, r, c: (
                        not (type_ == "table" and name in {"spatial_ref_sys", "alembic_version"})
                        and type_ not in {"index", "unique_constraint", "foreign_key_constraint"}
                    ),
                    "compare_type": False,
                },
            )
            diff = compare_metadata(ctx, Base.metadata)
    finally:
        engine.dispose()
    assert diff == []


def test_layer_fields_exist_with_matching_types(conn):
    layers = load_layers(PROJECT_ROOT / "layers")
    for layer in layers:
        rows = conn.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'public' AND table_name = %s",
            (layer.table,),
        ).fetchall()
        columns = dict(rows)
        assert "geom" in columns, layer.id
        for name, field in layer.fields.items():
            assert name in columns, f"{layer.id}.{name} has no column"
            assert columns[name] in PG_TYPES[field.type], (layer.id, name, columns[name])


def test_derived_fields_run_on_their_tables_with_their_type(conn):
    layers = load_layers(PROJECT_ROOT / "layers")
    assert "free_capacity" in layers["shelters"].derived
    for layer in layers:
        for name, derived in layer.derived.items():
            statement = sql.SQL("SELECT pg_typeof((SELECT {} FROM {} AS t LIMIT 1))::text").format(
                sql.SQL(derived.sql("t")), sql.Identifier(layer.table)
            )
            row = conn.execute(statement).fetchone()
            assert row is not None
            assert row[0] in PG_TYPES[derived.type], (layer.id, name, row[0])


def test_gist_index_on_every_layer(conn):
    for layer_id in LAYER_IDS:
        row = conn.execute(
            "SELECT count(*) FROM pg_indexes WHERE tablename = %s AND indexdef ILIKE %s",
            (layer_id, "%USING gist (geom)%"),
        ).fetchone()
        assert row[0] == 1, layer_id


@pytest.mark.parametrize(
    ("statement", "constraint"),
    [
        (
            "INSERT INTO shelters (source, source_id, name, status, geom) VALUES "
            "('t', '1', 'x', 'maybe', 'SRID=4326;POINT(0 0)')",
            "status",
        ),
        (
            "INSERT INTO shelters (source, source_id, name, capacity, geom) VALUES "
            "('t', '2', 'x', -1, 'SRID=4326;POINT(0 0)')",
            "capacity",
        ),
        (
            "INSERT INTO hazard_zones (source, source_id, hazard_type, severity, geom) VALUES "
            "('t', '1', 'flood', 'catastrophic', "
            "'SRID=4326;MULTIPOLYGON(((0 0,1 0,1 1,0 0)))')",
            "severity",
        ),
    ],
)
def test_check_constraints_refuse_bad_values(conn, statement: str, constraint: str):
    with pytest.raises(psycopg.errors.CheckViolation) as info:
        conn.execute(statement)
    assert constraint in str(info.value)
    conn.rollback()


def test_writes_bump_the_layer_version(conn):
    before = conn.execute("SELECT version FROM layer_versions WHERE layer = 'cameras'").fetchone()[
        0
    ]
    conn.execute(
        "INSERT INTO cameras (source, source_id, name, geom) "
        "VALUES ('t', 'v1', 'cam', 'SRID=4326;POINT(1 1)')"
    )
    after = conn.execute("SELECT version FROM layer_versions WHERE layer = 'cameras'").fetchone()[0]
    conn.rollback()
    assert after == before + 1
