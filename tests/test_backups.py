"""``gisserver db backup`` and ``gisserver db restore``: a backup taken while the database is
read from restores, table for table and row for row, into a fresh private cluster; an older
backup restores and then migrates; wrong files, busy databases and unreachable servers are one
clear line each."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner, Result
from psycopg import sql

from gisserver import migrations
from gisserver.cli import main
from gisserver.cluster import PrivateCluster, free_port
from gisserver.etl.manifest import run_manifest
from gisserver.settings import PROJECT_ROOT, Settings

DATA = PROJECT_ROOT / "etl" / "data"
MAPPINGS = PROJECT_ROOT / "etl" / "mappings"
# Owned by the migrating role, not handed to the ETL's (sql/roles/grants.sql)
APPEND_ONLY = ["audit_log", "feature_history", "stock_moves"]
FEED_TABLES = ["events", "alerts", "subscriptions", "deliveries", "feed_cursors"]
# Command and dispatch (migration 0009): the transitions and the track (and its months)
DISPATCH_TABLES = ["incident_transitions", "unit_positions"]

MANIFEST = f"""
- layer: hazard_zones
  file: {DATA}/cambridge/FEMA_FloodPlains100Year.geojson
  source: floodplains
  mapping: {MAPPINGS}/cambridge_floodplains_100yr.yaml
- layer: shelters
  file: {DATA}/cambridge/PUBLICSAFETY_EmergencyShelters.geojson
  source: shelters
  mapping: {MAPPINGS}/cambridge_shelters.yaml
- layer: stockpiles
  file: {DATA}/cambridge/LANDMARK_MunicipalBuildings.geojson
  source: cambridge-depots
  mapping: {MAPPINGS}/cambridge_depots.yaml
- layer: stockpile_items
  file: {DATA}/sample/inventory_SAMPLE.csv
  source: inventory
  max_reject_ratio: 1.0
- layer: incidents
  file: {DATA}/sample/incidents_SAMPLE.geojson
  source: scenario
- layer: population
  file: {DATA}/population/kathmandu_worldpop_2020.tif
  source: kathmandu-2020
"""


@contextmanager
def new_database(admin_url: str, label: str) -> Iterator[str]:
    """An empty database of its own in the session's cluster (dropped afterwards)."""
    name = f"backup_{label}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield admin_url.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@pytest.fixture()
def own_cluster(test_cluster: PrivateCluster | None) -> None:
    if test_cluster is None:
        pytest.skip("needs the session's own cluster to create databases in")


def gisserver(args: list[str], **env: str | None) -> Result:
    return CliRunner().invoke(main, args, env=env)


def table_checksums(url: str) -> dict[str, tuple[int, str]]:
    """Each table of the public schema: its row count and the md5 of its rows in order."""
    with psycopg.connect(url) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            ).fetchall()
        ]
        sums = {}
        for table in tables:
            rows = sql.SQL(
                "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) "
                "FROM {} t"
            )
            row = conn.execute(rows.format(sql.Identifier(table))).fetchone()
            assert row is not None
            sums[table] = (int(row[0]), str(row[1]))
    return sums


def test_a_backup_taken_while_reading_restores_into_a_fresh_private_cluster(
    database_url: str, own_cluster: None, scratch_dir: Path, settings: Settings, tmp_path: Path
):
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(MANIFEST)
    restored = PrivateCluster(
        root=scratch_dir / f"restore-{uuid.uuid4().hex[:8]}" / "pg", port=free_port()
    )
    with new_database(database_url, "source") as source:
        migrations.upgrade(source)
        with psycopg.connect(source) as conn:
            reports = run_manifest(conn, manifest, settings=settings)
        assert all(r.status == "succeeded" for r in reports)

        stop, reads, errors = threading.Event(), [0], []

        def read() -> None:
            try:
                with psycopg.connect(source, autocommit=True) as reader:
                    reader.execute("SET statement_timeout = '5s'")
                    while not stop.is_set():
                        reader.execute(
                            "SELECT (SELECT count(*) FROM shelters), "
                            "(SELECT count(*) FROM stockpiles s JOIN stockpile_items i "
                            "ON i.stockpile_id = s.id), "
                            "(SELECT sum((ST_SummaryStats(rast)).sum) FROM population_raster_tiles)"
                        ).fetchone()
                        reads[0] += 1
            except BaseException as exc:
                errors.append(exc)

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        backup = tmp_path / "gis.backup"
        try:
            made = gisserver(["db", "backup", str(backup)], DATABASE_URL=source)
        finally:
            stop.set()
            reader.join(timeout=30)
        assert made.exit_code == 0, made.output
        assert made.output.startswith("backed up ") and f" to {backup} (" in made.output
        assert errors == [] and reads[0] > 0
        expected = table_checksums(source)

    for table in (
        "shelters",
        "hazard_zones",
        "stockpiles",
        "stockpile_items",
        "incidents",
        "population_raster_tiles",
        "population_sources",
        "etl_runs",
    ):
        assert expected[table][0] > 0, table
    # into a fresh private cluster: a data directory of its own, nothing there yet
    env = {
        "DATABASE_URL": None,
        "GISSERVER_DATA_DIR": str(restored.root.parent),
        "GISSERVER_PG_PORT": str(restored.port),
    }
    try:
        result = gisserver(["db", "restore", str(backup)], **env)
        assert result.exit_code == 0, result.output
        assert f"creating the private PostGIS cluster in {restored.root}" in result.output
        head = migrations.head_revision(database_url)
        assert result.output.splitlines()[-1] == (
            f"restored {backup} into 127.0.0.1:{restored.port}/gisserver: "
            f"{len(expected) - 1} tables, schema {head}; the schema is this code's"  # not PostGIS's
        )
        assert table_checksums(restored.url()) == expected
        # the roles work on the restored database: the web tier reads, the ETL owns the tables
        # but the append-only ones, which stay the migrating role's
        with psycopg.connect(restored.url("read")) as conn:
            assert conn.execute("SELECT count(*) FROM shelters").fetchone()[0] > 0
        with psycopg.connect(restored.url("write")) as conn:
            owners = conn.execute(
                "SELECT tableowner = 'gisserver_write', array_agg(tablename ORDER BY tablename)"
                " FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'spatial_ref_sys'"
                " GROUP BY 1 ORDER BY 1"
            ).fetchall()
            assert [owned for owned, _ in owners] == [False, True]
            # ... and the feed's tables, which the ETL may read but not own (migration 0008)
            kept = [t for t in owners[0][1] if not t.startswith("unit_positions_y")]
            assert kept == sorted([*APPEND_ONLY, *FEED_TABLES, *DISPATCH_TABLES])
            assert len(owners[0][1]) - len(kept) >= 4  # the track's months (migration 0009)
    finally:
        restored.destroy()


def test_an_older_backup_restores_into_an_empty_database_then_migrates(
    database_url: str, own_cluster: None, tmp_path: Path
):
    backup = tmp_path / "old.backup"
    with new_database(database_url, "old") as old:
        migrations.upgrade(old, "0001")
        with psycopg.connect(old) as conn:
            conn.execute(
                "INSERT INTO shelters (source, source_id, name, geom) "
                "VALUES ('old', 's1', 'Old School', ST_Point(-71.1, 42.37, 4326))"
            )
        assert gisserver(["db", "backup", str(backup)], DATABASE_URL=old).exit_code == 0
    head = migrations.head_revision(database_url)
    assert head != "0001"
    # an empty database where PostGIS was installed beforehand (as in the postgis/postgis image)
    with new_database(database_url, "target") as target:
        with psycopg.connect(target, autocommit=True) as conn:
            conn.execute("CREATE EXTENSION postgis")
        result = gisserver(["db", "restore", str(backup)], DATABASE_URL=target)
        assert result.exit_code == 0, result.output
        assert result.output.endswith(
            f"schema 0001; this code's schema is {head}: run 'gisserver db migrate'\n"
        )
        migrated = gisserver(["db", "migrate"], DATABASE_URL=target)
        assert migrated.exit_code == 0, migrated.output
        assert migrated.output == f"schema at {head}\n"
        with psycopg.connect(target) as conn:
            assert conn.execute("SELECT name FROM shelters").fetchall() == [("Old School",)]
            assert conn.execute("SELECT backend_pid FROM etl_runs").fetchall() == []


def test_restore_refuses_a_database_that_is_not_empty(
    database_url: str, own_cluster: None, tmp_path: Path
):
    backup = tmp_path / "any.backup"
    with new_database(database_url, "busy") as busy:
        migrations.upgrade(busy)
        assert gisserver(["db", "backup", str(backup)], DATABASE_URL=busy).exit_code == 0
        before = table_checksums(busy)
        result = gisserver(["db", "restore", str(backup)], DATABASE_URL=busy)
        assert result.exit_code == 1
        line = result.output.strip()
        assert "\n" not in line and "Traceback" not in line
        target = busy.rsplit("@", 1)[1]
        assert line.startswith(f"gisserver: error: {target} is not empty (")
        assert "tables: alembic_version, alerts, api_keys, assignments, audit_log, ..." in line
        assert "a backup is restored into an empty database only" in line
        assert table_checksums(busy) == before


def test_backup_and_restore_mistakes_are_one_clear_line(
    database_url: str, own_cluster: None, tmp_path: Path
):
    text = tmp_path / "notes.txt"
    text.write_text("not a backup\n")
    good, other = tmp_path / "gis.backup", tmp_path / "other.backup"
    assert gisserver(["db", "backup", str(good)], DATABASE_URL=database_url).exit_code == 0
    with new_database(database_url, "plain") as plain:  # a PostgreSQL backup, not gisserver's
        assert gisserver(["db", "backup", str(other)], DATABASE_URL=plain).exit_code == 0
    nowhere = f"postgresql://gisserver:x@127.0.0.1:{free_port()}/gisserver"
    unreachable = "cannot connect to PostgreSQL at 127.0.0.1:"
    cases = [
        (["restore", str(tmp_path / "missing.backup")], database_url, "backup: no such file"),
        (["restore", str(text)], database_url, "notes.txt: not a backup (input file does not"),
        (["restore", str(other)], database_url, "backup: a PostgreSQL backup, but not of a gis"),
        (["restore", str(good)], nowhere, unreachable),
        (["backup", str(tmp_path / "x.backup")], nowhere, unreachable),
        (["backup", str(tmp_path / "no" / "x.backup")], database_url, "x.backup: no directory"),
    ]
    for args, url, expected in cases:
        result = gisserver(["db", *args], DATABASE_URL=url)
        assert result.exit_code == 1, (args, result.output)
        line = result.output.strip()
        assert "\n" not in line and "Traceback" not in line, result.output
        assert line.startswith("gisserver: error: ") and expected in line, (args, line)
    assert not (tmp_path / "x.backup").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gis.backup", "notes.txt", "other.backup"]
