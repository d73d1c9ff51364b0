"""The bulk path of a first load into an empty layer: the rows are copied into a new table
made like the layer, its indexes built once they are in, and the new table then takes the
layer's place, everything (names, constraints, triggers, privileges, ids, the foreign key from
stockpile_items) as it was; readers read the empty layer meanwhile.

Every layer of the shared test database holds rows from other tests, so these tests migrate a
database of their own in the session's cluster. ``BULK_LOAD_MIN_ROWS`` is lowered so that
small files take the bulk path.
"""

from __future__ import annotations

import csv
import json
import logging
import threading
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
from gisserver.etl import bulk as bulk_module
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
    """The table's indexes and constraints as definitions, the foreign keys that point at it
    (they name the index they rely on), its triggers, owner, privileges, comment and identity
    sequence."""
    return {
        "table": conn.execute(
            "SELECT relowner::regrole::text, relacl::text, obj_description(oid, 'pg_class'), "
            "pg_get_serial_sequence(%s, 'id') FROM pg_class WHERE oid = %s::regclass",
            (table, table),
        ).fetchall(),
        "triggers": conn.execute(
            "SELECT tgname, pg_get_triggerdef(oid), tgenabled FROM pg_trigger "
            "WHERE tgrelid = %s::regclass AND NOT tgisinternal ORDER BY tgname",
            (table,),
        ).fetchall(),
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


def test_a_long_reader_makes_the_load_move_its_rows_into_the_layer(
    bulk: psycopg.Connection[Any],
    bulk_database: str,
    settings: Settings,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
):
    """A transaction that has read the empty layer and stays open: the load does not wait for
    it to put its table in the layer's place (every new reader would queue behind its lock
    request) but moves the rows into the layer, whose indexes and ids stay as they were."""
    monkeypatch.setattr(bulk_module, "SWAP_LOCK_WAIT", "100ms")
    monkeypatch.setattr(bulk_module, "SWAP_ATTEMPTS", 2)
    oids, before = index_oids(bulk, "shelters"), catalog(bulk, "shelters")
    path = points_file(tmp_path / "shelters.geojson", shelter_rows(30))
    with psycopg.connect(bulk_database) as reader:
        assert reader.execute("SELECT count(*) FROM shelters").fetchone() == (0,)  # stays open
        with caplog.at_level(logging.INFO, logger="gisserver.etl"):
            report = load_file(bulk, "shelters", path, source="bulk-busy", settings=settings)
        # the reader was never blocked: its transaction still answers, now seeing the rows
        reader.rollback()
        assert reader.execute("SELECT count(*) FROM shelters").fetchone() == (30,)
    assert (report.status, report.inserted) == ("succeeded", 30)
    assert len(built_messages(caplog)) == 1  # on the new table, before the swap was tried
    assert "shelters: in use (lock not granted in 100ms, 2 times): rows moved into the layer" in (
        caplog.messages
    )
    assert index_oids(bulk, "shelters") == oids
    assert catalog(bulk, "shelters") == before
    assert load_tables(bulk) == []
    # the layer's ids go on after the moved rows
    top = bulk.execute("SELECT max(id) FROM shelters").fetchone()
    new = bulk.execute(
        "INSERT INTO shelters (source, source_id, name, geom) "
        "VALUES ('bulk-busy', 'next', 'next', ST_Point(0, 0, 4326)) RETURNING id"
    ).fetchone()
    assert top and new and new[0] > top[0]
    lock_timeout = bulk.execute("SHOW lock_timeout").fetchone()
    assert lock_timeout == ("0",)  # the session's setting is untouched


def load_tables(conn: psycopg.Connection[Any]) -> list[str]:
    """Tables left behind by a bulk load (none should be)."""
    rows = conn.execute(
        "SELECT tablename FROM pg_tables WHERE tablename LIKE %s", ("%\\_load\\_%",)
    )
    return [r[0] for r in rows.fetchall()]


@pytest.fixture()
def viewer_role(bulk: psycopg.Connection[Any]) -> Iterator[str]:
    """A role of this test's own (roles belong to the whole cluster)."""
    role = f"etl_bulk_viewer_{uuid.uuid4().hex[:8]}"
    bulk.execute(sql.SQL("CREATE ROLE {}").format(sql.Identifier(role)))
    yield role
    bulk.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(role)))
    bulk.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))


def test_the_swap_keeps_privileges_comment_ids_and_the_version(
    bulk: psycopg.Connection[Any],
    settings: Settings,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    viewer_role: str,
):
    role = sql.Identifier(viewer_role)
    bulk.execute(sql.SQL("GRANT SELECT ON incidents TO {}").format(role))
    bulk.execute(sql.SQL("GRANT INSERT, UPDATE ON incidents TO {} WITH GRANT OPTION").format(role))
    bulk.execute("COMMENT ON TABLE incidents IS 'reported incidents'")
    # ids taken before (a row loaded, then deleted): the swapped table goes on after them
    taken = bulk.execute(
        "INSERT INTO incidents (source, source_id, incident_type, reported_at, geom) "
        "VALUES ('gone', 'g', 'fire', now(), ST_Point(0, 0, 4326)) RETURNING id"
    ).fetchone()
    bulk.execute("DELETE FROM incidents")
    version = bulk.execute(
        "SELECT version FROM layer_versions WHERE layer = 'incidents'"
    ).fetchone()
    try:
        before = catalog(bulk, "incidents")
        assert before["table"][0][1] and viewer_role in before["table"][0][1]
        rows = [
            {"source_id": f"i{i}", "incident_type": "fire", "reported_at": "2024-03-01T10:00:00Z"}
            for i in range(12)
        ]
        with caplog.at_level(logging.INFO, logger="gisserver.etl"):
            report = load_file(
                bulk,
                "incidents",
                points_file(tmp_path / "i.geojson", rows),
                source="swap",
                settings=settings,
            )
        assert report.inserted == 12 and len(built_messages(caplog)) == 1
        assert not [m for m in caplog.messages if "rows moved" in m]  # swapped, not moved
        assert catalog(bulk, "incidents") == before
        assert load_tables(bulk) == []
        ids = bulk.execute("SELECT min(id), max(id), count(*) FROM incidents").fetchone()
        assert taken and ids and ids[0] > taken[0] and ids[2] == 12
        after = bulk.execute(
            "SELECT version FROM layer_versions WHERE layer = 'incidents'"
        ).fetchone()
        assert version and after and after[0] > version[0]  # ETags and tile caches see it
    finally:
        bulk.execute("COMMENT ON TABLE incidents IS NULL")


@pytest.mark.parametrize("obstacle", ["view", "row security"])
def test_what_the_swap_cannot_carry_over_makes_it_move_the_rows(
    bulk: psycopg.Connection[Any],
    settings: Settings,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    obstacle: str,
):
    """A view on the layer (it would have to be dropped) or row security (a table made LIKE
    the layer does not have it): the swap is undone and the rows moved into the layer."""
    undo = {
        "view": (
            "CREATE VIEW cameras_online AS SELECT * FROM cameras WHERE status = 'online'",
            "DROP VIEW cameras_online",
        ),
        "row security": (
            "ALTER TABLE cameras ENABLE ROW LEVEL SECURITY",
            "ALTER TABLE cameras DISABLE ROW LEVEL SECURITY",
        ),
    }[obstacle]
    bulk.execute(undo[0])
    try:
        before, oids = catalog(bulk, "cameras"), index_oids(bulk, "cameras")
        rows = [{"source_id": f"c{i}", "name": f"Camera {i}"} for i in range(9)]
        with caplog.at_level(logging.INFO, logger="gisserver.etl"):
            report = load_file(
                bulk,
                "cameras",
                points_file(tmp_path / "c.geojson", rows),
                source="obstacle",
                settings=settings,
            )
        assert report.inserted == 9 and count(bulk, "cameras") == 9
        assert [
            m
            for m in caplog.messages
            if m.startswith("cameras: the new table cannot take the layer's place (")
            and m.endswith("): rows moved into the layer")
        ]
        assert index_oids(bulk, "cameras") == oids and catalog(bulk, "cameras") == before
        assert load_tables(bulk) == []
        if obstacle == "view":
            assert count(bulk, "cameras_online") == 9
    finally:
        bulk.execute(undo[1])


def test_repeated_source_id_falls_back_to_the_staging_table(
    bulk: psycopg.Connection[Any],
    settings: Settings,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
):
    before, oids = catalog(bulk, "cameras"), index_oids(bulk, "cameras")
    made: list[str] = []  # the new tables of bulk attempts
    real_create = loader_module.create_load_table

    def observed_create(cur: psycopg.Cursor[Any], layer: str, run_id: int) -> Any:
        load = real_create(cur, layer, run_id)
        made.append(load.name if load else "")
        return load

    monkeypatch.setattr(loader_module, "create_load_table", observed_create)
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
    assert made == [f"cameras_load_{report.run_id}"]  # the bulk path was tried
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
    # the bulk attempt was rolled back with its savepoint: the original table and indexes
    assert load_tables(bulk) == []
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


def test_stockpiles_swap_makes_the_inventory_foreign_key_again(
    bulk: psycopg.Connection[Any],
    settings: Settings,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
):
    """stockpile_items' foreign key points at stockpiles: the swap makes it again, the same, on
    the new table, and the inventory loads (and is checked, and cascades) afterwards."""
    before, oids = catalog(bulk, "stockpiles"), index_oids(bulk, "stockpiles")
    assert [c for c in before["referenced_by"] if c[1] == "stockpile_items"]
    rows = [{"source_id": f"d{i}", "name": f"Depot {i}", "kind": "depot"} for i in range(10)]
    path = points_file(tmp_path / "depots.geojson", rows)
    with caplog.at_level(logging.INFO, logger=LOADER_LOG):
        report = load_file(bulk, "stockpiles", path, source="depots", settings=settings)
    assert report.inserted == 10
    assert len(built_messages(caplog)) == 1
    after = index_oids(bulk, "stockpiles")
    assert after.keys() == oids.keys()
    assert all(after[n] != oid for n, oid in oids.items())  # a new table, primary key included
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
    with pytest.raises(psycopg.errors.ForeignKeyViolation):
        bulk.execute(
            "INSERT INTO stockpile_items (stockpile_id, item, quantity, unit, source) "
            "VALUES (-1, 'water', 1, 'litre', 'inv')"
        )
    bulk.execute("DELETE FROM stockpiles WHERE source_id = 'd1'")
    assert count(bulk, "stockpile_items") == 1  # d1's lot went with it (ON DELETE CASCADE)


class Reader(threading.Thread):
    """Counts the layer's rows again and again until told to stop, each count on a connection
    whose lock and statement timeouts are 1 s: a count that had to wait for the load (its
    lock) would fail. Keeps what it counted and what failed."""

    def __init__(self, url: str, table: str) -> None:
        super().__init__(name="reader", daemon=True)
        self.conn = psycopg.connect(url, autocommit=True)
        self.conn.execute("SET lock_timeout = '1s'")
        self.conn.execute("SET statement_timeout = '1s'")
        self.table = table
        self.counts: set[int] = set()
        self.errors: list[BaseException] = []
        self.reads = 0
        self.done = threading.Event()

    def read(self) -> int | None:
        try:
            found = count(self.conn, self.table)
        except psycopg.Error as exc:
            self.errors.append(exc)
            return None
        self.counts.add(found)
        self.reads += 1
        return found

    def run(self) -> None:
        while not self.done.is_set():
            self.read()

    def stop(self) -> None:
        self.done.set()
        if self.ident is not None:  # started as a thread
            self.join(timeout=30)
        self.conn.close()


def test_readers_are_answered_during_the_bulk_load(
    bulk: psycopg.Connection[Any],
    bulk_database: str,
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
):
    """Readers of the layer are never held up by a bulk load: they read the empty layer while
    the rows are copied and the indexes built, then every row. One reader reads while the
    load maps its second batch (the first one copied), one throughout."""
    before = catalog(bulk, "shelters")
    rows = shelter_rows(30, prefix="r")
    path = points_file(tmp_path / "read.geojson", rows)
    monkeypatch.setattr(loader_module, "BATCH_SIZE", 10)
    during = Reader(bulk_database, "shelters")
    throughout = Reader(bulk_database, "shelters")
    real_map = RowMapper.map_batch
    calls = {"n": 0}

    def map_and_read(self: RowMapper, columns: Any, size: int) -> Any:
        calls["n"] += 1
        if calls["n"] == 2:
            assert during.read() == 0, during.errors  # the first batch is copied
        return real_map(self, columns, size)

    monkeypatch.setattr(RowMapper, "map_batch", map_and_read)
    throughout.start()
    try:
        report = load_file(bulk, "shelters", path, source="read", settings=settings)
    finally:
        throughout.stop()
        during.stop()
    assert report.inserted == 30
    assert (during.errors, throughout.errors) == ([], [])
    assert during.counts == {0}
    assert throughout.counts <= {0, 30} and throughout.reads > 0
    assert count(bulk, "shelters") == 30
    assert catalog(bulk, "shelters") == before
