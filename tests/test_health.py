from __future__ import annotations

from pathlib import Path

from gisserver.app import create_app
from gisserver.cluster import free_port
from gisserver.settings import Settings


def test_healthz_says_ok(client):
    resp = client.get("/healthz")
    assert resp.status_code == 200
    assert resp.get_json()["status"] == "ok"


def test_readyz_reports_versions_when_migrated(client):
    resp = client.get("/readyz")
    body = resp.get_json()
    assert resp.status_code == 200, body
    assert body["ready"] is True
    assert body["postgis"].startswith("3.")
    assert body["schema"]["current"] == body["schema"]["head"]


def test_readyz_is_503_with_reason_when_database_unreachable(tmp_path: Path, caplog):
    port = free_port()  # nothing listens there
    app = create_app(
        Settings(database_url=f"postgresql://u:p@127.0.0.1:{port}/x", data_dir=tmp_path)
    )
    resp = app.test_client().get("/readyz")
    assert resp.status_code == 503 and int(resp.headers["Retry-After"]) > 0
    reason = resp.get_json()["reason"]
    # the answer says what is wrong; where the database is goes to the server's log only
    assert reason == "the database is unavailable; try again shortly"
    assert str(port) not in resp.get_data(as_text=True)
    assert f"127.0.0.1:{port}" in caplog.text


def test_readyz_is_503_without_any_database(tmp_path: Path):
    app = create_app(Settings(database_url=None, data_dir=tmp_path / "nothing"))
    resp = app.test_client().get("/readyz")
    assert resp.status_code == 503
    assert resp.get_json()["reason"] == "no database is configured for this server"


def test_readyz_is_503_when_schema_behind(database_url: str, tmp_path: Path, test_cluster):
    """A fresh database without migrations is reachable but not ready."""
    import psycopg
    from psycopg import sql

    if test_cluster is None:
        import pytest

        pytest.skip("needs the session's own cluster to create a second database")
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier("unmigrated")))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier("unmigrated")))
    url = database_url.rsplit("/", 1)[0] + "/unmigrated"
    app = create_app(Settings(database_url=url, data_dir=tmp_path))
    resp = app.test_client().get("/readyz")
    assert resp.status_code == 503
    assert "gisserver db migrate" in resp.get_json()["reason"]
    app.extensions["gisserver"].db.close()
