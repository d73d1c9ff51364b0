"""Test session fixtures: a throwaway PostGIS cluster started by the session itself.

Set GISSERVER_TEST_DATABASE_URL to run against an existing, disposable database instead.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from flask import Flask
from flask.testing import FlaskClient

from gisserver import migrations
from gisserver.cluster import PrivateCluster, free_port
from gisserver.etl.mapping import RowMapper
from gisserver.layers import LAYER_IDS
from gisserver.settings import PROJECT_ROOT, Settings

DATA_DIR = PROJECT_ROOT / "etl" / "data"

Names = Callable[[str], str]


@pytest.fixture(scope="session")
def scratch_dir() -> Iterator[Path]:
    """A directory the postgres service user can reach (pytest's tmp dirs are root-only)."""
    path = Path(tempfile.mkdtemp(prefix="gisserver-test-"))
    path.chmod(0o755)
    # Reports and rejects of loads made by tests go here, never into the project's var/.
    previous = os.environ.get("GISSERVER_DATA_DIR")
    os.environ["GISSERVER_DATA_DIR"] = str(path / "var")
    yield path
    if previous is None:
        os.environ.pop("GISSERVER_DATA_DIR", None)
    else:
        os.environ["GISSERVER_DATA_DIR"] = previous
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def test_cluster(scratch_dir: Path) -> Iterator[PrivateCluster | None]:
    if os.environ.get("GISSERVER_TEST_DATABASE_URL"):
        yield None
        return
    cluster = PrivateCluster(root=scratch_dir / "pg", port=free_port())
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture(scope="session")
def database_url(test_cluster: PrivateCluster | None) -> str:
    url = os.environ.get("GISSERVER_TEST_DATABASE_URL") or (
        test_cluster.url() if test_cluster else ""
    )
    migrations.upgrade(url)
    return url


@pytest.fixture(scope="session")
def settings(database_url: str, scratch_dir: Path) -> Settings:
    return Settings(database_url=database_url, data_dir=scratch_dir / "var")


@pytest.fixture()
def conn(database_url: str) -> Iterator[psycopg.Connection]:
    with psycopg.connect(database_url) as connection:
        yield connection


@pytest.fixture(scope="session")
def app(settings: Settings) -> Iterator[Flask]:
    from gisserver.app import create_app

    application = create_app(settings)
    application.config["TESTING"] = True
    yield application
    application.extensions["gisserver"].db.close()


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture()
def sources(conn: psycopg.Connection[Any]) -> Iterator[Names]:
    """Unique source names for a test's loads; their rows are deleted afterwards (the database
    is shared by the whole session)."""
    made: list[str] = []

    def make(label: str) -> str:
        name = f"test-etl-{label}-{uuid.uuid4().hex[:8]}"
        made.append(name)
        return name

    yield make
    conn.rollback()
    with conn.transaction():
        conn.execute("DELETE FROM stockpile_items WHERE source = ANY(%s)", (made,))
        for table in LAYER_IDS:
            conn.execute(f"DELETE FROM {table} WHERE source = ANY(%s)", (made,))
        conn.execute("DELETE FROM population_sources WHERE name = ANY(%s)", (made,))


@pytest.fixture()
def ctrl_c_at_batch(monkeypatch: pytest.MonkeyPatch) -> Callable[[int], None]:
    """Arms a Ctrl-C (KeyboardInterrupt) while a load maps its n-th batch (1-based)."""

    def arm(batch: int) -> None:
        real_map = RowMapper.map_batch
        calls = 0

        def interrupted(self: RowMapper, columns: Any, size: int) -> Any:
            nonlocal calls
            calls += 1
            if calls == batch:
                raise KeyboardInterrupt
            return real_map(self, columns, size)

        monkeypatch.setattr(RowMapper, "map_batch", interrupted)

    return arm
