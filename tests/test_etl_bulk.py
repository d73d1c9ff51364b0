"""The bulk path of a first load into an empty layer: indexes and unique/primary-key
constraints dropped before the COPY and built again after it, all inside the load's savepoint.

Every layer of the shared test database holds rows from other tests, so these tests migrate a
database of their own in the session's cluster. ``BULK_LOAD_MIN_ROWS`` is lowered so that
small files take the bulk path.
"""

from __future__ import annotations

import csv
import json
import logging
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql

from gisserver import migrations
from gisserver.cluster import PrivateCluster
from gisserver.etl import LoadAborted, load_file
from gisserver.etl import loader as loader_module
from gisserver.etl.mapping import RowMapper
from gisserver.etl.runs import LoadFailed
from gisserver.settings import Settings

LON, LAT = -71.1, 42.37
BULK_MIN = 5
LOADER_LOG = "gisserver.etl.loader"

Catalog = dict[str, list[tuple[Any, ...]]]


@pytest.fixture(scope="module")
def bulk_database(database_url: str, test_cluster: PrivateCluster | None) -> Iterator[str]:
    """A migrated database of this module's own, whose layers start with no rows at all."""
    if test_cluster is None:
        pytest.skip("needs the session's own cluster to create a database in")
    name = f"etl_bulk_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(database_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = database_url.rsplit("/", 1)[0] + "/" + name
    try:
        migrations.upgrade(url)
        yield url
    finally:
        with psycopg.connect(database_url, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@pytest.fixture()
def bulk(bulk_database: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[psycopg.Connection]:
    """An autocommit connection (each load is its own transaction, so its lock ends with it);
    the layers are emptied again afterwards."""
    monkeypatch.setattr(loader_module, "BULK_LOAD_MIN_ROWS", BULK_MIN)
    with psycopg.connect(bulk_database, autocommit=True) as connection:
        yield connection
        connection.execute(
            "TRUNCATE stockpile_items, stockpiles, shelters, cameras, incidents, hazard_zones"
        )


def catalog(conn: psycopg.Connection[Any], table: str) -> Catalog:
    """The table's indexes and constraints as definitions, plus the foreign keys that point
    at it (they name the index they rely on)."""
    return {
        "indexes": conn.execute(
            "SELECT indexname, indexdef FROM pg_indexes "
            "WHERE schemaname = 'public' AND tablename = %s ORDER BY indexname",
            (table,),
        ).fetchall(),
        "constraints": conn.execute(
            "SELECT conname, contype, pg_get_constraintdef(oid), conindid::regclass::text "
            "FROM pg_constraint WHERE conrelid = %s::regclass ORDER BY conname",
            (table,),
        ).fetchall(),
        "referenced_by": conn.execute(
            "SELECT conname, conrelid::regclass::text, pg_get_constraintdef(oid), "
            "conindid::regclass::text FROM pg_constraint "
            "WHERE confrelid = %s::regclass ORDER BY conname",
            (table,),
        ).fetchall(),
    }


def index_oids(conn: psycopg.Connection[Any], table: str) -> dict[str, int]:
    """Index name -> oid: an index built again has a new oid under the same name."""
    rows = conn.execute(
        "SELECT indexrelid::regclass::text, indexrelid::oid::bigint FROM pg_index "
        "WHERE indrelid = %s::regclass",
        (table,),
    ).fetchall()
    return {name: int(oid) for name, oid in rows}


def count(conn: psycopg.Connection[Any], table: str) -> int:
    row = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))).fetchone()
    assert row is not None
    return int(row[0])


def points_file(path: Path, rows: list[dict[str, Any]]) -> Path:
    """A GeoJSON file of points, one per row (row i at LON + i/1000)."""
    features = [
        {
            "type": "Feature",
            "properties": props,
            "geometry": {"type": "Point", "coordinates": [LON + i / 1000, LAT + i / 2000]},
        }
        for i, props in enumerate(rows)
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def shelter_rows(count: int, prefix: str = "s") -> list[dict[str, Any]]:
    return [
        {"source_id": f"{prefix}{i:04d}", "name": f"Shelter {prefix}{i}", "capacity": i * 10}
        for i in range(count)
    ]


def built_messages(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == LOADER_LOG and "indexes built" in r.getMessage()
    ]


def test_bulk_load_into_an_empty_layer_builds_the_same_indexes(
    bulk: psycopg.Connection[Any],
    settings: Settings,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
):
    monkeypatch.setattr(loader_module, "BATCH_SIZE", 7)  # several batches in one COPY
    assert count(bulk, "shelters") == 0
    before, oids = catalog(bulk, "shelters"), index_oids(bulk, "shelters")
    rows = shelter_rows(40)
    path = points_file(tmp_path / "shelters.geojson", rows)

    with caplog.at_level(logging.INFO, logger=LOADER_LOG):
        report = load_file(bulk, "shelters", path, source="bulk-a", settings=settings)
    assert (report.status, report.inserted, report.rejected) == ("succeeded", 40, 0)
    assert count(bulk, "shelters") == 40
    stored = {
        sid: (name, capacity, x, y)
        for sid, name, capacity, x, y in bulk.execute(
            "SELECT source_id, name, capacity, ST_X(geom), ST_Y(geom) FROM shelters "
            "WHERE source = 'bulk-a'"
        ).fetchall()
    }
    assert stored == {
        r["source_id"]: (r["name"], r["capacity"], LON + i / 1000, LAT + i / 2000)
        for i, r in enumerate(rows)
    }
    # the bulk path was taken: every index of the table was built again (new oids) ...
    after_oids = index_oids(bulk, "shelters")
    assert after_oids.keys() == oids.keys()
    assert all(after_oids[name] != oid for name, oid in oids.items())
    messages = built_messages(caplog)
    assert len(messages) == 1 and messages[0].startswith(f"{path}: {len(oids)} indexes built in ")
    # ... with exactly the definitions they had
    assert catalog(bulk, "shelters") == before
    # the rebuilt unique constraint still does its job
    with pytest.raises(psycopg.errors.UniqueViolation):
        bulk.execute(
            "INSERT INTO shelters (source, source_id, name, geom) "
            "VALUES ('bulk-a', 's0000', 'again', ST_Point(0, 0, 4326))"
        )

    # a first load of another source into the now non-empty layer: no bulk path
    caplog.clear()
    second = points_file(tmp_path / "more.geojson", shelter_rows(20, prefix="m"))
    with caplog.at_level(logging.INFO, logger=LOADER_LOG):
        report = load_file(bulk, "shelters", second, source="bulk-b", settings=settings)
    assert report.inserted == 20 and count(bulk, "shelters") == 60
    assert built_messages(caplog) == []
    assert index_oids(bulk, "shelters") == after_oids  # untouched
    assert catalog(bulk, "shelters") == before


def test_below_the_threshold_no_bulk_path(
    bulk: psycopg.Connection[Any],
    settings: Settings,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
):
    oids = index_oids(bulk, "cameras")
    path = points_file(tmp_path / "few.geojson", [{"source_id": "c1", "name": "x"}] * 1)
    with caplog.at_level(logging.INFO, logger=LOADER_LOG):
        load_file(bulk, "cameras", path, source="few", settings=settings)
    assert count(bulk, "cameras") == 1
    assert built_messages(caplog) == []
    assert index_oids(bulk, "cameras") == oids


def test_a_long_reader_makes_the_load_keep_the_indexes(
    bulk: psycopg.Connection[Any],
    bulk_database: str,
    settings: Settings,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
):
    """A transaction that has read the empty layer and stays open: the load does not wait for
    it (every new reader would queue behind its lock request) but keeps the indexes."""
    monkeypatch.setattr(loader_module, "BULK_LOCK_WAIT", "200ms")
    oids = index_oids(bulk, "shelters")
    path = points_file(tmp_path / "shelters.geojson", shelter_rows(30))
    with psycopg.connect(bulk_database) as reader:
        assert reader.execute("SELECT count(*) FROM shelters").fetchone() == (0,)  # stays open
        with caplog.at_level(logging.INFO, logger=LOADER_LOG):
            report = load_file(bulk, "shelters", path, source="bulk-busy", settings=settings)
        # the reader was never blocked: its transaction still answers, now seeing the rows
        reader.rollback()
        assert reader.execute("SELECT count(*) FROM shelters").fetchone() == (30,)
    assert (report.status, report.inserted) == ("succeeded", 30)
    assert built_messages(caplog) == []
    assert any("lock not granted in 200ms" in r.getMessage() for r in caplog.records)
    assert index_oids(bulk, "shelters") == oids
    lock_timeout = bulk.execute("SHOW lock_timeout").fetchone()
    assert lock_timeout == ("0",)  # the session's setting is untouched


def test_repeated_source_id_falls_back_to_the_staging_table(
    bulk: psycopg.Connection[Any],
    settings: Settings,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
):
    before, oids = catalog(bulk, "cameras"), index_oids(bulk, "cameras")
    dropped: list[int] = []  # per bulk attempt: how many indexes it dropped
    real_drop = loader_module._drop_indexes

    def observed_drop(cur: psycopg.Cursor[Any], layer: Any) -> Any:
        rebuild = real_drop(cur, layer)
        dropped.append(len(rebuild))
        return rebuild

    monkeypatch.setattr(loader_module, "_drop_indexes", observed_drop)
    rows = [{"source_id": f"c{i}", "name": f"Camera {i}"} for i in range(12)]
    rows[7] = {"source_id": "c2", "name": "Camera 2 again"}  # row 8 repeats row 3's id
    path = points_file(tmp_path / "cameras.geojson", rows)
    with caplog.at_level(logging.INFO, logger=LOADER_LOG):
        report = load_file(bulk, "cameras", path, source="dup", settings=settings)
    assert (report.status, report.read, report.inserted, report.rejected) == (
        "succeeded",
        12,
        11,
        1,
    )
    assert dropped == [len(oids)]  # the bulk path was tried, and dropped every index
    assert any("loading again through the staging table" in m for m in caplog.messages)
    assert built_messages(caplog) == []
    assert report.rejects_file is not None
    with report.rejects_file.open(newline="") as fh:
        rejects = list(csv.DictReader(fh))
    assert [(r["row"], r["source_id"], r["field"]) for r in rejects] == [("8", "c2", "source_id")]
    assert rejects[0]["reason"] == "duplicate source id (first at row 3)"
    stored = dict(bulk.execute("SELECT source_id, name FROM cameras").fetchall())
    assert stored == {r["source_id"]: r["name"] for i, r in enumerate(rows) if i != 7}
    assert catalog(bulk, "cameras") == before
    # the bulk attempt was rolled back with its savepoint: the original indexes, not rebuilt
    assert index_oids(bulk, "cameras") == oids


def test_bulk_load_with_every_row_rejected_changes_nothing(
    bulk: psycopg.Connection[Any], settings: Settings, tmp_path: Path
):
    before, oids = catalog(bulk, "hazard_zones"), index_oids(bulk, "hazard_zones")
    version = bulk.execute(
        "SELECT version FROM layer_versions WHERE layer = 'hazard_zones'"
    ).fetchone()
    rows = [{"source_id": f"h{i}", "hazard_type": "flood", "severity": "high"} for i in range(8)]
    path = points_file(tmp_path / "points-not-zones.geojson", rows)  # points: all rejected
    report = load_file(
        bulk, "hazard_zones", path, source="none", max_reject_ratio=1.0, settings=settings
    )
    assert (report.status, report.inserted, report.rejected) == ("succeeded", 0, 8)
    assert count(bulk, "hazard_zones") == 0
    assert catalog(bulk, "hazard_zones") == before
    assert index_oids(bulk, "hazard_zones") == oids
    assert (
        bulk.execute("SELECT version FROM layer_versions WHERE layer = 'hazard_zones'").fetchone()
        == version
    )


POISON = "etl_bulk_test_poison"


@pytest.fixture()
def poison_check(bulk: psycopg.Connection[Any]) -> Iterator[None]:
    """A CHECK the mapping knows nothing of: the server refuses a row in the middle of COPY."""
    bulk.execute(
        sql.SQL("ALTER TABLE incidents ADD CONSTRAINT {} CHECK (description <> 'poison')").format(
            sql.Identifier(POISON)
        )
    )
    yield
    bulk.execute(sql.SQL("ALTER TABLE incidents DROP CONSTRAINT {}").format(sql.Identifier(POISON)))


@pytest.mark.parametrize("failure", ["interrupt", "rejects", "refused"])
def test_failure_halfway_leaves_the_layer_empty_and_its_indexes(
    bulk: psycopg.Connection[Any],
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
    failure: str,
):
    if failure == "refused":
        request.getfixturevalue("poison_check")
    before, oids = catalog(bulk, "incidents"), index_oids(bulk, "incidents")
    rows = [
        {"source_id": f"i{i}", "incident_type": "fire", "reported_at": "2024-03-01T10:00:00Z"}
        for i in range(30)
    ]
    monkeypatch.setattr(loader_module, "BATCH_SIZE", 6)
    if failure == "refused":  # the server refuses row 20 (4th batch) during the COPY
        rows[19]["description"] = "poison"
        expected: type[BaseException] = LoadFailed
    elif failure == "interrupt":  # Ctrl-C while the 2nd batch is mapped (the 1st is copied)
        request.getfixturevalue("ctrl_c_at_batch")(2)
        expected = KeyboardInterrupt
    else:  # the last batch's rows all rejected: above --max-reject-ratio after the COPY
        for row in rows[24:]:
            row["incident_type"] = "alien landing"
        expected = LoadAborted
    path = points_file(tmp_path / "incidents.geojson", rows)
    with pytest.raises(expected):
        load_file(
            bulk, "incidents", path, source="halfway", max_reject_ratio=0.1, settings=settings
        )
    assert count(bulk, "incidents") == 0
    assert catalog(bulk, "incidents") == before
    assert index_oids(bulk, "incidents") == oids
    status = bulk.execute("SELECT status FROM etl_runs WHERE source = 'halfway'").fetchall()
    assert status == [("aborted" if failure == "rejects" else "failed",)]
    bulk.execute("DELETE FROM etl_runs WHERE source = 'halfway'")
    # and the layer still takes a bulk load afterwards
    monkeypatch.undo()
    monkeypatch.setattr(loader_module, "BULK_LOAD_MIN_ROWS", BULK_MIN)
    for row in rows:
        row["incident_type"], row["description"] = "fire", "fine"
    points_file(path, rows)
    report = load_file(bulk, "incidents", path, source="halfway-2", settings=settings)
    assert report.inserted == 30 and count(bulk, "incidents") == 30
    assert catalog(bulk, "incidents") == before


def test_stockpiles_primary_key_survives_for_the_inventory(
    bulk: psycopg.Connection[Any],
    settings: Settings,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
):
    """stockpile_items' foreign key relies on stockpiles' primary key: that one index is kept
    (same oid), the others are built again, and the inventory loads afterwards."""
    before, oids = catalog(bulk, "stockpiles"), index_oids(bulk, "stockpiles")
    assert [c for c in before["referenced_by"] if c[1] == "stockpile_items"]
    assert "stockpiles_pkey" in oids
    rows = [{"source_id": f"d{i}", "name": f"Depot {i}", "kind": "depot"} for i in range(10)]
    path = points_file(tmp_path / "depots.geojson", rows)
    with caplog.at_level(logging.INFO, logger=LOADER_LOG):
        report = load_file(bulk, "stockpiles", path, source="depots", settings=settings)
    assert report.inserted == 10
    assert len(built_messages(caplog)) == 1
    after = index_oids(bulk, "stockpiles")
    assert after["stockpiles_pkey"] == oids["stockpiles_pkey"]  # never dropped
    assert all(after[n] != oid for n, oid in oids.items() if n != "stockpiles_pkey")
    assert catalog(bulk, "stockpiles") == before

    inventory = tmp_path / "inventory.csv"
    inventory.write_text(
        "stockpile_source,stockpile_source_id,item,quantity,unit,expires_on\n"
        "depots,d1,water,120,litre,2027-01-01\n"
        "depots,d4,blanket,35,each,\n"
    )
    items = load_file(bulk, "stockpile_items", inventory, source="inv", settings=settings)
    assert (items.inserted, items.rejected) == (2, 0)
    lots = bulk.execute(
        "SELECT s.source_id, i.item, i.quantity::float FROM stockpile_items i "
        "JOIN stockpiles s ON s.id = i.stockpile_id ORDER BY 1"
    ).fetchall()
    assert lots == [("d1", "water", 120.0), ("d4", "blanket", 35.0)]


def test_a_reader_waits_for_the_bulk_load_and_then_sees_every_row(
    bulk: psycopg.Connection[Any],
    bulk_database: str,
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
):
    """A reader that arrives while the bulk load holds its lock (indexes dropped, rows half
    copied) waits, then counts all rows: it never sees the layer without its indexes or half
    full. The reader is started from inside the load, once the lock is held, and the load
    goes on only once the server shows the reader waiting for that lock."""
    rows = shelter_rows(30, prefix="r")
    path = points_file(tmp_path / "read.geojson", rows)
    monkeypatch.setattr(loader_module, "BATCH_SIZE", 10)
    result: dict[str, Any] = {}
    reader_conn = psycopg.connect(bulk_database, autocommit=True)
    watcher = psycopg.connect(bulk_database, autocommit=True)
    reader_pid = reader_conn.info.backend_pid

    def read() -> None:
        try:
            result["count"] = count(reader_conn, "shelters")
        except BaseException as exc:  # reported by the test thread
            result["error"] = exc

    reader = threading.Thread(target=read, name="reader")
    calls = {"n": 0}
    real_map = RowMapper.map_batch

    def map_then_let_a_reader_in(self: RowMapper, columns: Any, size: int) -> Any:
        calls["n"] += 1
        if calls["n"] == 2:
            held = watcher.execute(
                "SELECT mode FROM pg_locks WHERE pid = %s AND relation = 'shelters'::regclass "
                "AND granted",
                (bulk.info.backend_pid,),
            ).fetchall()
            assert ("AccessExclusiveLock",) in held
            reader.start()
            deadline = time.monotonic() + 30
            waiting = (
                "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE pid = %s AND NOT granted "
                "AND relation = 'shelters'::regclass)"
            )
            while watcher.execute(waiting, (reader_pid,)).fetchone() != (True,):
                assert reader.is_alive(), result
                assert time.monotonic() < deadline, "the reader never waited for the lock"
        return real_map(self, columns, size)

    monkeypatch.setattr(RowMapper, "map_batch", map_then_let_a_reader_in)
    try:
        report = load_file(bulk, "shelters", path, source="read", settings=settings)
        reader.join(timeout=30)
        assert not reader.is_alive()
    finally:
        reader_conn.close()
        watcher.close()
    assert report.inserted == 30
    assert "error" not in result, result
    assert result["count"] == 30
