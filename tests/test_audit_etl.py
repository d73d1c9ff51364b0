"""The ETL in the audit trail: every load's changes name its run, each row exactly once, counted
here from the source file itself; the bulk first load (no trigger on its new table) writes the
trail in the triggers' shape, also when it falls back to moving its rows in; updates and
``--replace`` retirements leave history; an unchanged reload and a dry run leave nothing.

The loads run as the ETL's own login role (gisserver_etl) in a database of this module's own,
whose layers start empty (the bulk path needs an empty layer).
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql

from gisserver import migrations
from gisserver.audit import ETL_ACTOR
from gisserver.cluster import PrivateCluster
from gisserver.etl import bulk as bulk_module
from gisserver.etl import load_file
from gisserver.etl import loader as loader_module
from gisserver.settings import Settings

LON, LAT = -71.1, 42.37
BULK_MIN = 5
# The value the layers' triggers give a feature (migration 0006), for comparison.
TRIGGER_VALUE = (
    "jsonb_build_object('id', t.id, 'version', t.version, "
    "'geometry', ST_AsGeoJSON(t.geom, 9, 0)::jsonb, "
    "'properties', to_jsonb(t) - '{id,geom,version}'::text[])"
)


@pytest.fixture(scope="module")
def etl_database(database_url: str, test_cluster: PrivateCluster | None) -> Iterator[str]:
    """A migrated database of this module's own; the ETL's login role's URL for it."""
    if test_cluster is None:
        pytest.skip("needs the session's own cluster (its login roles, a database of its own)")
    name = f"audit_etl_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(database_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = database_url.rsplit("/", 1)[0] + "/" + name
    try:
        migrations.upgrade(url)
        yield test_cluster.url("write").rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(database_url, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@pytest.fixture()
def etl(etl_database: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[psycopg.Connection]:
    """The ETL's connection (autocommit: each load is its own transaction); small files take
    the bulk path; the layers are emptied afterwards (as the owner: the trail stays)."""
    monkeypatch.setattr(loader_module, "BULK_LOAD_MIN_ROWS", BULK_MIN)
    with psycopg.connect(etl_database, autocommit=True) as connection:
        assert connection.execute("SELECT session_user").fetchone() == ("gisserver_etl",)
        yield connection
        connection.execute("DELETE FROM stockpile_items")
        for layer in ("shelters", "cameras", "hazard_zones"):
            connection.execute(sql.SQL("DELETE FROM {}").format(sql.Identifier(layer)))


def points_file(path: Path, rows: list[dict[str, Any]]) -> Path:
    """A GeoJSON file of points, each placed by the number its source id ends with."""
    features = []
    for props in rows:
        i = int(props["source_id"][-4:])
        point = {"type": "Point", "coordinates": [LON + i / 1000, LAT + i / 2000]}
        features.append({"type": "Feature", "properties": props, "geometry": point})
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def features_in(path: Path) -> dict[str, dict[str, Any]]:
    """source_id -> properties, read from the file (the count the trail must match)."""
    document = json.loads(path.read_text())
    return {f["properties"]["source_id"]: f["properties"] for f in document["features"]}


def shelters(count: int, prefix: str = "s", capacity: int = 10) -> list[dict[str, Any]]:
    return [
        {"source_id": f"{prefix}{i:04d}", "name": f"Shelter {prefix}{i}", "capacity": capacity}
        for i in range(count)
    ]


def run_trail(conn: psycopg.Connection[Any], run_id: int) -> list[tuple[Any, ...]]:
    """(operation, source_id, actor, feature_id, version) of a run's entries."""
    return conn.execute(
        "SELECT operation, coalesce(after, before) #>> '{properties,source_id}', actor,"
        " feature_id, version FROM audit_log WHERE etl_run_id = %s ORDER BY id",
        (run_id,),
    ).fetchall()


def layer_ids(conn: psycopg.Connection[Any], source: str) -> dict[str, int]:
    rows = conn.execute("SELECT source_id, id FROM shelters WHERE source = %s", (source,))
    return {sid: fid for sid, fid in rows.fetchall()}


def test_a_bulk_first_load_is_in_the_trail_once_per_row_in_the_triggers_shape(
    etl: psycopg.Connection[Any],
    settings: Settings,
    tmp_path: Path,
    caplog,
    monkeypatch: pytest.MonkeyPatch,
):
    monkeypatch.setattr(bulk_module, "_PAIRS", 3)  # the properties built in several pieces
    path = points_file(tmp_path / "shelters.geojson", shelters(40))
    expected = features_in(path)
    with caplog.at_level(logging.INFO, logger="gisserver.etl"):
        report = load_file(etl, "shelters", path, source="bulk", settings=settings)
    assert any("indexes built" in m for m in caplog.messages)  # the bulk path, swapped in
    assert not any("rows moved into the layer" in m for m in caplog.messages)
    entries = run_trail(etl, report.run_id)
    assert len(entries) == len(expected) == 40
    ids = layer_ids(etl, "bulk")
    assert sorted(entries) == sorted(("create", sid, ETL_ACTOR, ids[sid], 1) for sid in expected)
    # the value the triggers would have written, for every row
    same = etl.execute(
        sql.SQL(
            "SELECT count(*) FILTER (WHERE a.after = {}), count(*) FROM audit_log AS a "
            "JOIN shelters AS t ON t.id = a.feature_id "
            "WHERE a.etl_run_id = %s AND a.layer = 'shelters'"
        ).format(sql.SQL(TRIGGER_VALUE)),
        (report.run_id,),
    ).fetchone()
    assert same == (40, 40)
    context = etl.execute(
        "SELECT DISTINCT actor_role, request_id, client_address, if_match, before IS NULL "
        "FROM audit_log WHERE etl_run_id = %s",
        (report.run_id,),
    ).fetchall()
    assert context == [(None, None, None, None, True)]

    # the swapped-in layer kept its triggers, transition tables included: an update after the
    # load is recorded with its previous version
    triggers = etl.execute(
        "SELECT tgname, tgoldtable, tgnewtable FROM pg_trigger "
        "WHERE tgrelid = 'shelters'::regclass AND tgname LIKE 'shelters_audit_%' ORDER BY 1"
    ).fetchall()
    assert triggers == [
        ("shelters_audit_delete", "old_rows", None),
        ("shelters_audit_insert", None, "new_rows"),
        ("shelters_audit_update", "old_rows", "new_rows"),
    ]
    etl.execute("UPDATE shelters SET capacity = 99 WHERE id = %s", (ids["s0003"],))
    history = etl.execute(
        "SELECT version, ended_by, properties->>'capacity' FROM feature_history "
        "WHERE layer = 'shelters' AND feature_id = %s",
        (ids["s0003"],),
    ).fetchall()
    assert history == [(1, "update", "10")]


def test_a_bulk_load_that_moves_its_rows_in_is_in_the_trail_once(
    etl: psycopg.Connection[Any],
    etl_database: str,
    settings: Settings,
    tmp_path: Path,
    caplog,
    monkeypatch: pytest.MonkeyPatch,
):
    """A reader holds the layer, the swap is given up, the rows are moved in: the entries
    written for the swap are undone and the layer's triggers write them, with the run."""
    monkeypatch.setattr(bulk_module, "SWAP_LOCK_WAIT", "50ms")
    monkeypatch.setattr(bulk_module, "SWAP_ATTEMPTS", 1)
    path = points_file(tmp_path / "shelters.geojson", shelters(30))
    with psycopg.connect(etl_database) as reader:
        reader.execute("SELECT count(*) FROM shelters").fetchone()  # its transaction stays open
        with caplog.at_level(logging.INFO, logger="gisserver.etl"):
            report = load_file(etl, "shelters", path, source="busy", settings=settings)
        reader.rollback()
    assert any("rows moved into the layer" in m for m in caplog.messages)
    entries = run_trail(etl, report.run_id)
    ids = layer_ids(etl, "busy")
    assert sorted(entries) == sorted(
        ("create", sid, ETL_ACTOR, ids[sid], 1) for sid in features_in(path)
    )


def test_reloads_update_retire_and_leave_the_unchanged_alone(
    etl: psycopg.Connection[Any], settings: Settings, tmp_path: Path
):
    first = points_file(tmp_path / "first.geojson", shelters(8))  # below BULK_MIN? no: 8 >= 5
    created = load_file(etl, "shelters", first, source="city", settings=settings)
    assert len(run_trail(etl, created.run_id)) == 8
    ids = layer_ids(etl, "city")

    # the same file again: nothing changes, nothing is recorded
    again = load_file(etl, "shelters", first, source="city", settings=settings)
    assert (again.unchanged, run_trail(etl, again.run_id)) == (8, [])
    # a dry run of a changing file: nothing recorded either
    rows = shelters(8)
    rows[1]["capacity"] = 50  # changed
    rows[2]["name"] = "Renamed"  # changed
    del rows[5:7]  # retired with --replace: s0005, s0006
    rows.append({"source_id": "n0009", "name": "New", "capacity": 5})  # new
    second = points_file(tmp_path / "second.geojson", rows)
    dry = load_file(etl, "shelters", second, source="city", replace=True, dry_run=True,
                    settings=settings)  # fmt: skip
    assert run_trail(etl, dry.run_id) == []

    report = load_file(etl, "shelters", second, source="city", replace=True, settings=settings)
    assert (report.inserted, report.updated, report.retired) == (1, 2, 2)
    new_id = layer_ids(etl, "city")["n0009"]
    assert sorted(run_trail(etl, report.run_id)) == sorted(
        [
            ("update", "s0001", ETL_ACTOR, ids["s0001"], 2),
            ("update", "s0002", ETL_ACTOR, ids["s0002"], 2),
            ("delete", "s0005", ETL_ACTOR, ids["s0005"], 1),
            ("delete", "s0006", ETL_ACTOR, ids["s0006"], 1),
            ("create", "n0009", ETL_ACTOR, new_id, 1),
        ]
    )
    history = etl.execute(
        "SELECT feature_id, version, ended_by, valid_to = now() FROM feature_history "
        "WHERE layer = 'shelters' AND feature_id = ANY(%s) ORDER BY feature_id",
        (list(ids.values()),),
    ).fetchall()
    # valid_to is the load's transaction time, which is long over: not now()
    assert [row[:3] for row in history] == [
        (ids["s0001"], 1, "update"),
        (ids["s0002"], 1, "update"),
        (ids["s0005"], 1, "delete"),
        (ids["s0006"], 1, "delete"),
    ]
    changed = etl.execute(
        "SELECT feature_id, before #>> '{properties,capacity}', after #>> '{properties,capacity}'"
        " FROM audit_log WHERE etl_run_id = %s AND operation = 'update' ORDER BY feature_id",
        (report.run_id,),
    ).fetchall()
    assert changed == [(ids["s0001"], "10", "50"), (ids["s0002"], "10", "10")]


def test_a_small_first_load_is_recorded_by_the_triggers_with_its_run(
    etl: psycopg.Connection[Any], settings: Settings, tmp_path: Path
):
    path = points_file(tmp_path / "few.geojson", shelters(3, prefix="f"))
    report = load_file(etl, "shelters", path, source="few", settings=settings)
    ids = layer_ids(etl, "few")
    assert sorted(run_trail(etl, report.run_id)) == sorted(
        ("create", sid, ETL_ACTOR, ids[sid], 1) for sid in features_in(path)
    )
