"""Runs of loads whose process is gone: a load killed with SIGKILL cannot record its outcome,
so the next ETL command (and ``gisserver etl runs``) marks its run ``aborted``, telling it from
a load still running by the database session the run recorded at its start."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner
from psycopg import sql

from gisserver import migrations
from gisserver.cli import main
from gisserver.cluster import PrivateCluster
from gisserver.etl import load_file
from gisserver.etl.runs import start_run
from gisserver.settings import PROJECT_ROOT, Settings

Names = Callable[[str], str]  # the `sources` fixture (conftest.py)

ROWS = 300_000  # a load of a few seconds: long enough to be killed in the middle of its COPY


def wait_for(condition: Callable[[], Any], what: str, timeout: float = 60) -> Any:
    """Poll until ``condition()`` is true (a precondition of the test, not a timing)."""
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.02)
    return result


def session_alive(conn: psycopg.Connection[Any], pid: int) -> bool:
    conn.execute("SELECT pg_stat_clear_snapshot()")
    row = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", (pid,)).fetchone()
    return bool(row and row[0])


def shelters_csv(path: Path, rows: int) -> Path:
    with path.open("w") as fh:
        fh.write("source_id,name,capacity,lon,lat\n")
        fh.writelines(
            f"k{i},Shelter {i},{i % 500},{-71.2 + (i % 1000) / 5000:.6f},"
            f"{42.3 + (i // 1000) / 5000:.6f}\n"
            for i in range(rows)
        )
    return path


def test_a_killed_load_is_listed_aborted_and_leaves_the_layer_as_it_was(
    database_url: str, settings: Settings, sources: Names, tmp_path: Path
):
    src = sources("killed")
    path = shelters_csv(tmp_path / "big.csv", ROWS)
    env = {"DATABASE_URL": database_url, "GISSERVER_DATA_DIR": str(settings.data_dir)}
    with psycopg.connect(database_url, autocommit=True) as watch:
        before = watch.execute(
            "SELECT (SELECT count(*) FROM shelters), "
            "(SELECT version FROM layer_versions WHERE layer = 'shelters')"
        ).fetchone()
        with subprocess.Popen(
            [sys.executable, "-m", "gisserver", "etl", "load", "shelters", str(path)]
            + ["--source", src, "-q"],
            env={**os.environ, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        ) as load:

            def copying() -> tuple[int, int] | None:
                assert load.poll() is None, load.communicate()
                watch.execute("SELECT pg_stat_clear_snapshot()")
                return watch.execute(
                    "SELECT r.id, r.backend_pid FROM etl_runs r "
                    "JOIN pg_stat_activity a ON a.pid = r.backend_pid "
                    "WHERE r.source = %s AND r.status = 'running' AND a.query LIKE 'COPY %%'",
                    (src,),
                ).fetchone()

            try:
                run_id, backend_pid = wait_for(copying, "the load's COPY")
            finally:
                load.send_signal(signal.SIGKILL)
                load.communicate()
        # the server notices the closed connection, rolls back and ends the session
        wait_for(lambda: not session_alive(watch, backend_pid), "the load's session to end")

        result = CliRunner().invoke(main, ["etl", "runs"], env=env)
        assert result.exit_code == 0, result.output
        lines = result.output.splitlines()
        assert lines[0].split() == [
            "id",
            "job",
            "layer",
            "source",
            "status",
            "started",
            "finished",
            "rows",
        ]
        listed = next(line for line in lines if line.startswith(f"{run_id} "))
        assert listed.split()[:6] == [str(run_id), "etl", "load", "shelters", src, "aborted"]
        error = lines[lines.index(listed) + 1]
        assert error.startswith("    error: the process running this load is gone")
        assert f"backend pid {backend_pid}" in error

        run = watch.execute(
            "SELECT status, finished_at IS NOT NULL FROM etl_runs WHERE id = %s", (run_id,)
        ).fetchone()
        assert run == ("aborted", True)
        kept = watch.execute("SELECT count(*) FROM shelters WHERE source = %s", (src,)).fetchone()
        assert kept == (0,)
        after = watch.execute(
            "SELECT (SELECT count(*) FROM shelters), "
            "(SELECT version FROM layer_versions WHERE layer = 'shelters')"
        ).fetchone()
        assert after == before  # not a row, not a version bump


def test_the_next_load_aborts_runs_of_dead_sessions_only(
    conn: psycopg.Connection[Any], database_url: str, settings: Settings, sources: Names
):
    dead_src, live_src, old_src, src = (
        sources("dead"),
        sources("live"),
        sources("old"),
        sources("next"),
    )
    with psycopg.connect(database_url) as gone:
        dead = start_run(gone, "etl load", "cameras", dead_src, "dead.geojson")
        gone_pid = gone.info.backend_pid
    live_conn = psycopg.connect(database_url)
    try:
        live = start_run(live_conn, "etl load", "cameras", live_src, "live.geojson")
        # a run recorded before runs had sessions, older than the server: dead too
        old = conn.execute(
            "INSERT INTO etl_runs (job, layer, source, started_at) "
            "VALUES ('etl load', 'cameras', %s, pg_postmaster_start_time() - interval '1 day') "
            "RETURNING id",
            (old_src,),
        ).fetchone()
        conn.commit()
        assert old is not None
        wait_for(lambda: not session_alive(conn, gone_pid), "the closed session to end")
        conn.commit()

        path = PROJECT_ROOT / "etl" / "data" / "sample" / "incidents_SAMPLE.geojson"
        report = load_file(conn, "incidents", path, source=src, settings=settings)
        assert report.status == "succeeded"
        statuses = dict(
            conn.execute(
                "SELECT id, status FROM etl_runs WHERE id = ANY(%s)", ([dead, live, old[0]],)
            ).fetchall()
        )
        assert statuses == {dead: "aborted", live: "running", old[0]: "aborted"}
        error = conn.execute("SELECT error FROM etl_runs WHERE id = %s", (old[0],)).fetchone()
        assert error == (
            "the database server restarted during this load; its transaction was rolled back",
        )
    finally:
        live_conn.close()
        conn.rollback()
        conn.execute(
            "DELETE FROM etl_runs WHERE source = ANY(%s)", ([dead_src, live_src, old_src],)
        )
        conn.commit()


def test_a_schema_older_than_the_code_is_one_clear_line(
    database_url: str, test_cluster: PrivateCluster | None
):
    if test_cluster is None:
        pytest.skip("needs the session's own cluster to create a database in")
    name = f"etl_runs_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(database_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = database_url.rsplit("/", 1)[0] + "/" + name
    try:
        migrations.upgrade(url, "0002")  # before runs recorded their session
        result = CliRunner().invoke(main, ["etl", "runs"], env={"DATABASE_URL": url})
        assert result.exit_code == 1
        assert result.output == (
            "gisserver: error: the database's schema is older than this code (column "
            "r.backend_pid does not exist); run 'gisserver db migrate'\n"
        )
    finally:
        with psycopg.connect(database_url, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
