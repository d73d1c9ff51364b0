from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from gisserver.cluster import PrivateCluster, free_port


@pytest.mark.slow
def test_cluster_survives_a_crash_and_keeps_its_data(scratch_dir: Path):
    cluster = PrivateCluster(root=scratch_dir / "crashy", port=free_port())
    try:
        cluster.start()
        with psycopg.connect(cluster.url(), autocommit=True) as conn:
            conn.execute("CREATE TABLE kept (v int)")
            conn.execute("INSERT INTO kept VALUES (42)")
            pid = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
            postmaster = int((cluster.pgdata / "postmaster.pid").read_text().splitlines()[0])
        assert pid != postmaster
        # Simulate a crash: kill the postmaster hard, leaving its pid file behind.
        import os
        import signal
        import time

        os.kill(postmaster, signal.SIGKILL)
        deadline = time.monotonic() + 20
        while Path(f"/proc/{postmaster}").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert (cluster.pgdata / "postmaster.pid").exists()
        assert not cluster.is_running()

        cluster.start()  # what the next `make demo` does
        with psycopg.connect(cluster.url()) as conn:
            assert conn.execute("SELECT v FROM kept").fetchone()[0] == 42
        # Starting again while running is a no-op.
        cluster.start()
        assert cluster.is_running()
    finally:
        cluster.destroy()
    assert not cluster.root.exists()


def test_the_cluster_port_is_remembered_between_commands(scratch_dir: Path, monkeypatch):
    """Started once on GISSERVER_PG_PORT, later commands find it without the variable."""
    from gisserver.db import database_url, private_cluster
    from gisserver.settings import Settings

    port = free_port()
    data_dir = scratch_dir / "remember"
    monkeypatch.setenv("GISSERVER_PG_PORT", str(port))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    cluster = private_cluster(Settings(data_dir=data_dir))
    assert cluster.port == port
    try:
        cluster.start()
        monkeypatch.delenv("GISSERVER_PG_PORT")
        later = private_cluster(Settings(data_dir=data_dir))
        assert later.port == port
        with psycopg.connect(database_url(Settings(data_dir=data_dir))) as conn:
            assert conn.execute("SELECT current_setting('port')").fetchone()[0] == str(port)
    finally:
        cluster.destroy()
