"""Least privilege: the web tier reads as a read-only role, the ETL writes as the role that owns
the tables, the superuser is only for migrations; a deployment of your own gets the same roles
from `gisserver db roles`; docker-compose holds no fixed password."""

from __future__ import annotations

import uuid
from pathlib import Path

import psycopg
import pytest
import yaml
from click.testing import CliRunner
from flask import Flask

from gisserver import migrations
from gisserver.cli import main
from gisserver.cluster import PrivateCluster
from gisserver.etl.loader import load_file
from gisserver.settings import PROJECT_ROOT, Settings


@pytest.fixture()
def cluster(test_cluster: PrivateCluster | None) -> PrivateCluster:
    if test_cluster is None:
        pytest.skip("needs the session's own cluster (its login roles)")
    return test_cluster


def _role(conn: psycopg.Connection) -> tuple[str, bool, bool, bool]:
    """The login role of the session and whether it may do what a superuser may."""
    row = conn.execute(
        "SELECT session_user, rolsuper, rolcreaterole, rolcreatedb FROM pg_roles"
        " WHERE rolname = session_user"
    ).fetchone()
    assert row is not None
    return row


def test_the_web_tier_reads_as_a_read_only_role(app: Flask, cluster: PrivateCluster):
    with app.app_context():
        from gisserver.context import state

        with state().database().read() as conn:
            assert _role(conn) == ("gisserver_web", False, False, False)
            assert conn.execute("SELECT count(*) FROM shelters").fetchone() is not None
            for statement in (
                "INSERT INTO incidents (source, source_id, incident_type, geom) VALUES"
                " ('x', 'x', 'fire', ST_SetSRID(ST_MakePoint(0, 0), 4326))",
                "UPDATE shelters SET capacity = 0",
                "DELETE FROM etl_runs",
                "CREATE TABLE intruder (id int)",
                "TRUNCATE layer_versions",
            ):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    conn.execute(statement)


def test_the_etl_writes_as_the_table_owner_and_nothing_more(
    cluster: PrivateCluster, settings: Settings, sources
):
    with psycopg.connect(cluster.url("write")) as conn:
        assert _role(conn) == ("gisserver_etl", False, False, False)
        report = load_file(
            conn,
            "shelters",
            PROJECT_ROOT / "etl" / "data" / "cambridge" / "PUBLICSAFETY_EmergencyShelters.geojson",
            source=sources("roles"),
            mapping=PROJECT_ROOT / "etl" / "mappings" / "cambridge_shelters.yaml",
            settings=settings,
        )
        assert report.loaded == 15
        owners = conn.execute(
            "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'"
            " AND tablename NOT IN ('spatial_ref_sys', 'audit_log', 'feature_history',"
            " 'stock_moves', 'events', 'alerts', 'subscriptions', 'deliveries', 'feed_cursors',"
            " 'incident_transitions')"
            " AND tablename NOT LIKE 'unit\\_positions%'"
        ).fetchall()
        assert owners == [("gisserver_write",)]
        # the append-only tables are not the ETL's: it may add rows, never change them
        assert conn.execute(
            "SELECT DISTINCT tableowner FROM pg_tables"
            " WHERE tablename IN ('audit_log', 'feature_history', 'stock_moves', 'events',"
            " 'subscriptions')"
        ).fetchall() == [("gisserver",)]
        for statement in (
            "DELETE FROM audit_log",
            "DELETE FROM events",
            "ALTER TABLE events DISABLE TRIGGER ALL",
            "SELECT secret FROM subscriptions",  # the webhooks' signing keys: the worker's
            "UPDATE alerts SET status = 'resolved'",
            "ALTER TABLE audit_log DISABLE TRIGGER ALL",
            "UPDATE stock_moves SET quantity = 0",
            "ALTER TABLE stock_moves DISABLE TRIGGER ALL",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
            conn.rollback()
    with psycopg.connect(cluster.url("write"), autocommit=True) as conn:
        for statement in (
            "CREATE ROLE intruder",
            "CREATE DATABASE intruder",
            "CREATE EXTENSION hstore",
            "ALTER ROLE gisserver_web SUPERUSER",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)


def test_grants_are_idempotent_and_cover_new_tables(database_url: str, cluster: PrivateCluster):
    migrations.apply_grants(database_url)
    migrations.apply_grants(database_url)
    name = f"made_by_etl_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(cluster.url("write")) as conn:
        conn.execute(f"CREATE TABLE {name} (id int)")  # as the ETL's swap tables are
        conn.commit()
    try:
        with psycopg.connect(cluster.url("read")) as conn:
            assert conn.execute(f"SELECT count(*) FROM {name}").fetchone() == (0,)
    finally:
        with psycopg.connect(cluster.url("write")) as conn:
            conn.execute(f"DROP TABLE {name}")


def test_db_roles_makes_the_roles_of_a_database_of_your_own(
    database_url: str, cluster: PrivateCluster, monkeypatch: pytest.MonkeyPatch
):
    suffix = uuid.uuid4().hex[:6]
    host = f"127.0.0.1:{cluster.port}/gisserver"
    read_url = f"postgresql://web_{suffix}:r-{suffix}@{host}"
    write_url = f"postgresql://etl_{suffix}:w-{suffix}@{host}"
    edit_url = f"postgresql://api_{suffix}:e-{suffix}@{host}"
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("GISSERVER_EDIT_DATABASE_URL", edit_url)
    monkeypatch.setenv("GISSERVER_READ_DATABASE_URL", read_url)
    monkeypatch.setenv("GISSERVER_WRITE_DATABASE_URL", write_url)
    try:
        result = CliRunner().invoke(main, ["db", "roles"])
        assert result.exit_code == 0, result.output
        assert f"read: role web_{suffix} is a member of gisserver_read" in result.output
        with psycopg.connect(read_url) as conn:
            assert _role(conn)[1:] == (False, False, False)
            conn.execute("SELECT count(*) FROM hazard_zones")
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute("DELETE FROM hazard_zones")
        with psycopg.connect(write_url) as conn:
            conn.execute("SELECT count(*) FROM hazard_zones")
        with psycopg.connect(edit_url) as conn:
            assert _role(conn)[1:] == (False, False, False)
            conn.execute("UPDATE shelters SET occupancy = occupancy WHERE false")
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute("DELETE FROM etl_runs")
        monkeypatch.delenv("GISSERVER_WRITE_DATABASE_URL")
        missing = CliRunner().invoke(main, ["db", "roles"])
        assert missing.exit_code == 1
        assert missing.stderr.startswith(
            "gisserver: error: GISSERVER_WRITE_DATABASE_URL: is not set"
        )
    finally:
        with psycopg.connect(database_url, autocommit=True) as conn:
            for user in (f"web_{suffix}", f"etl_{suffix}", f"api_{suffix}"):
                conn.execute(f"DROP ROLE IF EXISTS {user}")


def test_db_roles_refuses_to_make_the_superuser_the_web_role(
    database_url: str, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("GISSERVER_READ_DATABASE_URL", database_url)
    monkeypatch.setenv("GISSERVER_WRITE_DATABASE_URL", database_url)
    monkeypatch.setenv("GISSERVER_EDIT_DATABASE_URL", database_url)
    result = CliRunner().invoke(main, ["db", "roles"])
    assert result.exit_code == 1
    assert "is a superuser" in result.stderr


def test_docker_compose_has_no_fixed_password():
    compose = yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text())
    text = (PROJECT_ROOT / "docker-compose.yml").read_text()
    assert "change-me" not in text
    environments = [service.get("environment", {}) for service in compose["services"].values()]
    for environment in environments:
        for name, value in environment.items():
            if "PASSWORD" in name or "DATABASE_URL" in name:
                # ${VAR:?message}: compose refuses to start without it; no ${VAR:-default}
                assert ":-" not in str(value), (name, value)
                assert ":?" in str(value) or "${" not in str(value), (name, value)
    app = compose["services"]["app"]["environment"]
    for purpose in ("READ", "WRITE", "EDIT"):
        assert f"GISSERVER_{purpose}_DATABASE_URL" in app


def test_the_private_cluster_keeps_role_passwords_private(cluster: PrivateCluster):
    for purpose in ("read", "write", "edit"):
        path: Path = cluster.role_password_file(purpose)
        assert path.stat().st_mode & 0o077 == 0
