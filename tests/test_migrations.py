"""The migrations are the schema: up and down, and the layer files agree with what they create
(columns, types, NOT NULL, defaults, CHECKed enumerations, derived fields' SQL, severity_rank)."""

from __future__ import annotations

import re
from typing import Any

import psycopg
import pytest
from psycopg import sql

from gisserver import migrations
from gisserver.layers import LAYER_IDS, SEVERITIES, load_layers
from gisserver.settings import PROJECT_ROOT

PG_TYPES = {
    "string": {"text"},
    "integer": {"integer", "bigint"},
    "number": {"numeric", "double precision", "real"},
    "boolean": {"boolean"},
    "datetime": {"timestamp with time zone"},
    "date": {"date"},
    "list": {"ARRAY"},  # text[]: the udt is checked in the test
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


# Set by every load from the load's source name, never mapped from a file: NOT NULL without
# being a required field.
SET_BY_LOADS = {"source"}
_CHECK_IN = re.compile(r"^CHECK \(\((\w+) = ANY \(ARRAY\[(.*)\]\)\)\)$")
_TEXT = re.compile(r"'((?:[^']|'')*)'::text")


def _table_columns(conn: psycopg.Connection, table: str) -> dict[str, dict[str, Any]]:
    rows = conn.execute(
        "SELECT column_name, data_type, is_nullable = 'NO', column_default, udt_name "
        "FROM information_schema.columns WHERE table_schema = 'public' AND table_name = %s",
        (table,),
    ).fetchall()
    return {r[0]: {"type": r[1], "not_null": r[2], "default": r[3], "udt": r[4]} for r in rows}


def _checked_values(conn: psycopg.Connection, table: str) -> dict[str, tuple[str, ...]]:
    """column -> the values its ``CHECK (column IN (...))`` accepts, in the migration's order."""
    rows = conn.execute(
        "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE contype = 'c' AND conrelid = %s::regclass",
        (table,),
    ).fetchall()
    found = {}
    for (definition,) in rows:
        match = _CHECK_IN.match(definition)
        if match:
            values = _TEXT.findall(match.group(2))
            found[match.group(1)] = tuple(v.replace("''", "'") for v in values)
    return found


def _default_value(expression: str | None) -> Any:
    if expression is None:
        return None
    text = _TEXT.fullmatch(expression)
    if text:
        return text.group(1).replace("''", "'")
    try:
        return int(expression)
    except ValueError:
        return expression  # e.g. now(): not a value a layer file could state


def test_layer_files_describe_the_migrated_tables(conn):
    """Every field of every layer is a column of its table with the matching type; a required
    field is NOT NULL and a NOT NULL column without a default is required; a field's default is
    its column's; an enumeration is what the column's CHECK accepts, where there is one."""
    problems = []
    for layer in load_layers(PROJECT_ROOT / "layers"):
        columns = _table_columns(conn, layer.table)
        checked = _checked_values(conn, layer.table)
        assert {"id", "geom"} <= set(columns), layer.id
        for name, field in layer.fields.items():
            where = f"{layer.id}.{name}"
            column = columns.get(name)
            if column is None:
                problems.append(f"{where}: no column")
                continue
            if column["type"] not in PG_TYPES[field.type]:
                problems.append(f"{where}: {field.type} but the column is {column['type']}")
            if field.is_list and column["udt"] != "_text":
                problems.append(f"{where}: a list but the column is not text[] ({column['udt']})")
            must_be_given = column["not_null"] and column["default"] is None
            if field.required and not column["not_null"]:
                problems.append(f"{where}: required but the column is nullable")
            if must_be_given and not field.required and name not in SET_BY_LOADS:
                problems.append(f"{where}: NOT NULL without a default but not required")
            if field.default is not None and _default_value(column["default"]) != field.default:
                problems.append(f"{where}: default {field.default!r}, column {column['default']}")
            if name in checked and set(checked[name]) != set(field.enum or ()):
                problems.append(f"{where}: enum {field.enum} but CHECK accepts {checked[name]}")
            # A list field's enum (the values of its items) is checked by the application
            # (edits, ETL), not by a CHECK: a CHECK on items needs a function per column.
            if field.enum and name not in checked and not field.is_list:
                problems.append(f"{where}: enum {field.enum} but no CHECK on the column")
    assert problems == []


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
