from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from gisserver.cli import main
from gisserver.cluster import free_port

GISSERVER = [sys.executable, "-m", "gisserver"]


def test_unreachable_database_url_is_one_line_without_traceback(tmp_path: Path):
    port = free_port()
    proc = subprocess.run(
        [*GISSERVER, "db", "migrate"],
        capture_output=True,
        text=True,
        env={
            "DATABASE_URL": f"postgresql://u:p@127.0.0.1:{port}/db",
            "PATH": "/usr/bin:/bin",
            "GISSERVER_DATA_DIR": str(tmp_path),
        },
        check=False,
    )
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert f"127.0.0.1:{port}" in lines[0]
    assert "DATABASE_URL" in lines[0]
    assert "Traceback" not in proc.stderr


def test_db_start_with_database_url_does_not_start_a_cluster(
    database_url: str, tmp_path: Path, monkeypatch
):
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("GISSERVER_DATA_DIR", str(tmp_path))
    result = CliRunner().invoke(main, ["db", "start"])
    assert result.exit_code == 0, result.output
    assert "private cluster is not used" in result.output
    assert not (tmp_path / "pg").exists()


def test_db_status_and_url_with_database_url(database_url: str, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", database_url)
    result = CliRunner().invoke(main, ["db", "status"])
    assert result.exit_code == 0, result.output
    assert "ready" in result.output and "PostGIS 3." in result.output
    result = CliRunner().invoke(main, ["db", "url"])
    assert result.output.strip() == database_url


def test_serve_refuses_a_taken_port_and_names_the_option(monkeypatch, database_url: str):
    monkeypatch.setenv("DATABASE_URL", database_url)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--port", str(port)])
    assert result.exit_code == 1
    assert f"port {port} on 127.0.0.1 is already in use" in result.output
    assert "--port" in result.output


def test_version_and_help():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in ("db", "serve", "check"):
        assert command in result.output


def test_tiles_sql_prints_the_statement_the_server_runs(client, database_url: str, monkeypatch):
    import psycopg

    monkeypatch.setenv("DATABASE_URL", database_url)
    for args, url in (
        (["0", "0", "0"], "/ogc/tiles/WebMercatorQuad/0/0/0"),
        (["0", "0", "0", "shelters"], "/ogc/collections/shelters/tiles/WebMercatorQuad/0/0/0"),
    ):
        result = CliRunner().invoke(main, ["tiles", "sql", *args])
        assert result.exit_code == 0, result.output
        with psycopg.connect(database_url) as conn:
            mvt, _thinned, _versions = conn.execute(result.stdout, binary=True).fetchone()
        served = client.get(url)
        assert served.status_code in (200, 204)
        assert bytes(mvt) == served.data
    unknown = CliRunner().invoke(main, ["tiles", "sql", "0", "0", "0", "bridges"])
    assert unknown.exit_code == 1 and "accepted: " in unknown.stderr
