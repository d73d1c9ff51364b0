"""Test session fixtures: a throwaway PostGIS cluster started by the session itself.

Set GISSERVER_TEST_DATABASE_URL to run against an existing, disposable database instead.

The database is shared by the whole session, so test data is inserted under a source name of its
own and deleted afterwards: ``rows`` (one test) and ``module_rows`` (one module's data set) insert
synthetic features, ``sources`` names the loads of ETL tests.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import psycopg
import pytest
import shapely
from flask import Flask
from flask.testing import FlaskClient
from psycopg import sql

from gisserver import migrations
from gisserver.cluster import PrivateCluster, free_port
from gisserver.db import Database
from gisserver.etl.mapping import RowMapper
from gisserver.layers import LAYER_IDS, LayerRegistry, load_layers
from gisserver.settings import PROJECT_ROOT, Settings

DATA_DIR = PROJECT_ROOT / "etl" / "data"

Names = Callable[[str], str]
# (lon, lat), a bbox (xmin, ymin, xmax, ymax), WKT text or a shapely geometry; all EPSG:4326.
Geometry = tuple[float, ...] | str | shapely.Geometry


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
def settings(database_url: str, scratch_dir: Path, test_cluster: PrivateCluster | None) -> Settings:
    """As a deployment runs: the app reads as the read-only role and writes as the edit role,
    the ETL writes as the writer (the session's own cluster has the three; an external test
    database has one role for all)."""
    roles = {}
    if test_cluster is not None:
        roles = {
            "read_database_url": test_cluster.url("read"),
            "write_database_url": test_cluster.url("write"),
            "edit_database_url": test_cluster.url("edit"),
        }
    return Settings(database_url=database_url, data_dir=scratch_dir / "var", **roles)


@pytest.fixture(scope="session")
def database(database_url: str) -> Iterator[Database]:
    """The app's kind of database access (pool, ``read()``, timeouts) on the session database."""
    db = Database(database_url, min_size=1, max_size=4)
    yield db
    db.close()


@pytest.fixture(scope="session")
def layers() -> LayerRegistry:
    """The project's layers/ (no database needed)."""
    return load_layers(PROJECT_ROOT / "layers")


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
    if application.extensions["gisserver"].editor is not None:
        application.extensions["gisserver"].editor.close()


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def _delete_sources(conn: psycopg.Connection[Any], names: list[str]) -> None:
    """Every row of these sources: layer features, stock lots, population sources."""
    with conn.transaction():
        conn.execute("DELETE FROM stockpile_items WHERE source = ANY(%s)", (names,))
        for table in LAYER_IDS:
            conn.execute(f"DELETE FROM {table} WHERE source = ANY(%s)", (names,))
        conn.execute("DELETE FROM population_sources WHERE name = ANY(%s)", (names,))


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
    _delete_sources(conn, made)


def _geometry(value: Geometry) -> tuple[sql.Composable, list[Any]]:
    if isinstance(value, str):
        return sql.SQL("ST_GeomFromText(%s, 4326)"), [value]
    if isinstance(value, shapely.Geometry):
        return sql.SQL("ST_GeomFromWKB(%s, 4326)"), [shapely.to_wkb(value)]
    coordinates = [float(v) for v in value]
    if len(coordinates) == 2:
        return sql.SQL("ST_SetSRID(ST_MakePoint(%s, %s), 4326)"), coordinates
    if len(coordinates) == 4:
        return sql.SQL("ST_MakeEnvelope(%s, %s, %s, %s, 4326)"), coordinates
    raise TypeError(f"geometry: {value!r}; accepted: (lon, lat), a bbox, WKT or shapely")


class SyntheticRows:
    """Synthetic rows under one source name of their own, deleted together by ``delete()``.

    Each insert is committed at once (the app reads through its own connections); wrap many in
    ``transaction()`` for one commit. A column given as None (or left out) takes the table's
    default. Every method returns the new row's id.
    """

    def __init__(self, database_url: str, source: str) -> None:
        self.source = source
        self._url = database_url
        self._names = [source]
        self._numbers = itertools.count(1)
        self._connection: psycopg.Connection[Any] | None = None

    @property
    def _conn(self) -> psycopg.Connection[Any]:
        if self._connection is None:
            self._connection = psycopg.connect(self._url, autocommit=True)
        return self._connection

    def source_for(self, label: str) -> str:
        """Another source name (e.g. for an ETL load) whose rows ``delete()`` removes too."""
        name = f"{self.source}-{label}"
        if name not in self._names:
            self._names.append(name)
        return name

    def transaction(self) -> AbstractContextManager[Any]:
        return self._conn.transaction()

    def _insert(
        self,
        table: str,
        geometry: sql.Composable,
        params: list[Any],
        geometry_column: str = "geom",
        **columns: Any,
    ) -> int:
        given = {name: value for name, value in columns.items() if value is not None}
        statement = sql.SQL("INSERT INTO {} ({}) VALUES ({}) RETURNING id").format(
            sql.Identifier(table),
            sql.SQL(", ").join(sql.Identifier(name) for name in [*given, geometry_column]),
            sql.SQL(", ").join([*(sql.Placeholder() for _ in given), geometry]),
        )
        row = self._conn.execute(statement, [*given.values(), *params]).fetchone()
        assert row is not None
        return int(row[0])

    def _feature(
        self,
        table: str,
        geometry: Geometry,
        source_id: str,
        *,
        multi: bool = False,
        **columns: Any,
    ) -> int:
        geom, params = _geometry(geometry)
        if multi:
            geom = sql.SQL("ST_Multi({})").format(geom)
        return self._insert(table, geom, params, source=self.source, source_id=source_id, **columns)

    def _source_id(self, table: str, given: str | None) -> str:
        return given or f"{table}-{next(self._numbers)}"

    def shelter(
        self,
        lon: float,
        lat: float,
        *,
        name: str | None = None,
        capacity: int | None = None,
        occupancy: int | None = None,
        status: str | None = None,
        source_id: str | None = None,
        **columns: Any,
    ) -> int:
        source_id = self._source_id("shelters", source_id)
        return self._feature(
            "shelters",
            (lon, lat),
            source_id,
            name=name or source_id,
            capacity=capacity,
            occupancy=occupancy,
            status=status,
            **columns,
        )

    def stockpile(
        self,
        lon: float,
        lat: float,
        *,
        name: str | None = None,
        source_id: str | None = None,
        **columns: Any,
    ) -> int:
        source_id = self._source_id("stockpiles", source_id)
        return self._feature("stockpiles", (lon, lat), source_id, name=name or source_id, **columns)

    def item(
        self,
        stockpile_id: int,
        item: str,
        quantity: float,
        unit: str = "unit",
        expires_on: dt.date | None = None,
    ) -> int:
        """A lot of a stockpile's inventory (one per stockpile, item and expiry date)."""
        row = self._conn.execute(
            "INSERT INTO stockpile_items (stockpile_id, item, quantity, unit, expires_on, source)"
            " VALUES (%s, %s, %s, %s, %s, %s) RETURNING id",
            (stockpile_id, item, quantity, unit, expires_on, self.source),
        ).fetchone()
        assert row is not None
        return int(row[0])

    def camera(
        self,
        lon: float,
        lat: float,
        *,
        name: str | None = None,
        status: str | None = None,
        stream_url: str | None = None,
        source_id: str | None = None,
        **columns: Any,
    ) -> int:
        source_id = self._source_id("cameras", source_id)
        return self._feature(
            "cameras",
            (lon, lat),
            source_id,
            name=name or source_id,
            status=status,
            stream_url=stream_url,
            **columns,
        )

    def unit(
        self,
        lon: float,
        lat: float,
        *,
        name: str | None = None,
        unit_type: str = "fire_engine",
        source_id: str | None = None,
        **columns: Any,
    ) -> int:
        """A response unit at a point (available unless said otherwise)."""
        source_id = self._source_id("units", source_id)
        return self._feature(
            "units", (lon, lat), source_id, name=name or source_id, unit_type=unit_type, **columns
        )

    def incident(
        self,
        geometry: Geometry,
        *,
        incident_type: str = "fire",
        severity: str | None = None,
        status: str | None = None,
        reported_at: dt.datetime | None = None,
        source_id: str | None = None,
        **columns: Any,
    ) -> int:
        """An incident at a point or over a polygon; reported now unless said otherwise."""
        return self._feature(
            "incidents",
            geometry,
            self._source_id("incidents", source_id),
            incident_type=incident_type,
            severity=severity,
            status=status,
            reported_at=reported_at or dt.datetime.now(dt.UTC),
            **columns,
        )

    def zone(
        self,
        area: Geometry,
        *,
        hazard_type: str = "flood",
        severity: str = "high",
        valid_from: dt.datetime | None = None,
        valid_to: dt.datetime | None = None,
        source_id: str | None = None,
        **columns: Any,
    ) -> int:
        """A hazard zone (stored as a MultiPolygon); no validity times: always in force."""
        return self._feature(
            "hazard_zones",
            area,
            self._source_id("hazard_zones", source_id),
            multi=True,
            hazard_type=hazard_type,
            severity=severity,
            valid_from=valid_from,
            valid_to=valid_to,
            **columns,
        )

    def census(self, footprint: Geometry, units: Iterable[tuple[str, float, Geometry]]) -> int:
        """A census population source named like the rows, with its (unit_id, population,
        area) units; returns the source's id."""
        geom, params = _geometry(footprint)
        source_id = self._insert(
            "population_sources",
            sql.SQL("ST_Multi({})").format(geom),
            params,
            geometry_column="footprint",
            name=self.source,
            kind="census",
        )
        for unit_id, population, area in units:
            geom, params = _geometry(area)
            self._insert(
                "population_units",
                sql.SQL("ST_Multi({})").format(geom),
                params,
                population_source_id=source_id,
                unit_id=unit_id,
                population=population,
            )
        return source_id

    def delete(self) -> None:
        conn = self._conn
        try:
            _delete_sources(conn, self._names)
        finally:
            conn.close()
            self._connection = None


def _rows_for(request: pytest.FixtureRequest, database_url: str) -> SyntheticRows:
    module = request.module.__name__.rsplit(".", 1)[-1]
    label = module.removeprefix("test_").replace("_", "-")
    return SyntheticRows(database_url, f"test-{label}-{uuid.uuid4().hex[:8]}")


@pytest.fixture()
def rows(request: pytest.FixtureRequest, database_url: str) -> Iterator[SyntheticRows]:
    """Synthetic features for one test: ``rows.shelter(lon, lat, capacity=...)``,
    ``rows.zone(bbox, severity=...)``, ...; deleted when the test ends."""
    synthetic = _rows_for(request, database_url)
    yield synthetic
    synthetic.delete()


@pytest.fixture(scope="module")
def module_rows(request: pytest.FixtureRequest, database_url: str) -> Iterator[SyntheticRows]:
    """Like ``rows``, for a module's data set: deleted when the module's tests are done."""
    synthetic = _rows_for(request, database_url)
    yield synthetic
    synthetic.delete()


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


# The demo's road network: the City of Cambridge's street centrelines with their mapping.
CAMBRIDGE_ROADS = DATA_DIR / "cambridge" / "TRANS_Centerlines.geojson"
CAMBRIDGE_ROADS_MAPPING = PROJECT_ROOT / "etl" / "mappings" / "cambridge_centerlines.yaml"


@pytest.fixture(scope="module")
def road_network(database_url: str, settings: Settings) -> Iterator[str]:
    """Cambridge's streets loaded as the road network under a source of the module's own (its
    name), removed when the module is done: the other modules see no network, so their
    dispatch ETAs stay straight lines."""
    from gisserver.etl.roads import delete_road_sources, load_roads

    source = f"test-roads-{uuid.uuid4().hex[:8]}"
    with psycopg.connect(database_url) as conn:
        load_roads(
            conn, CAMBRIDGE_ROADS, source=source, mapping=CAMBRIDGE_ROADS_MAPPING, settings=settings
        )
    yield source
    with psycopg.connect(database_url) as conn:
        delete_road_sources(conn, [source], settings=settings)
