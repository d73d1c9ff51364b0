"""Tile latency at zoom 14, 10 and 5 through the app (Flask test client) beside the same SQL run
raw through psycopg, over 200,000 generated points (shelters) and 20,000 polygons (hazard zones).

Opt-in (it loads 220,000 rows):  GISSERVER_BENCH=1 .venv/bin/pytest tests/test_tiles_bench.py -s
"""

from __future__ import annotations

import math
import os
import statistics
import time
from collections.abc import Iterator

import psycopg
import pytest

SOURCE = "test-tiles-bench"
POINTS, POLYGONS = 200_000, 20_000
CENTRE = (-72.5, 41.5)  # the rows cover 75-70 W, 40-43 N

pytestmark = [
    pytest.mark.bench,
    pytest.mark.skipif(not os.environ.get("GISSERVER_BENCH"), reason="set GISSERVER_BENCH=1"),
]


@pytest.fixture(scope="module")
def loaded(database_url: str) -> Iterator[None]:
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO shelters (source, source_id, name, capacity, occupancy, status, geom) "
            "SELECT %s, g::text, 'Shelter ' || g, g %% 500, g %% 37, "
            "(ARRAY['open', 'closed', 'full', 'standby'])[1 + g %% 4], "
            "ST_SetSRID(ST_MakePoint(-75 + 5 * random(), 40 + 3 * random()), 4326) "
            "FROM generate_series(1, %s) AS g",
            [SOURCE, POINTS],
        )
        conn.execute(
            "INSERT INTO hazard_zones (source, source_id, hazard_type, severity, name, geom) "
            "SELECT %s, g::text, 'flood', (ARRAY['low', 'moderate', 'high', 'extreme'])"
            "[1 + g %% 4], 'Zone ' || g, ST_Multi(ST_Buffer(ST_SetSRID(ST_MakePoint("
            "-75 + 5 * random(), 40 + 3 * random()), 4326), 0.002 + 0.01 * random(), 8)) "
            "FROM generate_series(1, %s) AS g",
            [SOURCE, POLYGONS],
        )
        conn.execute("ANALYZE shelters")
        conn.execute("ANALYZE hazard_zones")
        yield
        conn.execute("DELETE FROM shelters WHERE source = %s", [SOURCE])
        conn.execute("DELETE FROM hazard_zones WHERE source = %s", [SOURCE])


def _tile(z: int) -> tuple[int, int]:
    n = 2**z
    lon, lat = CENTRE
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


@pytest.fixture()
def uncached(app) -> Iterator[None]:
    """The app without its low-zoom tile cache, so that every request renders."""
    from gisserver.tiles.routes import EXTENSION, Tilesets

    before = app.extensions[EXTENSION]
    app.extensions[EXTENSION] = Tilesets.build(
        before.layers, app.extensions["gisserver"].settings.model_copy(update={"tiles_cache_mb": 0})
    )
    yield
    app.extensions[EXTENSION] = before


def test_tile_latency_beside_raw_sql(app, client, database_url, loaded, uncached):
    from gisserver.tiles.routes import EXTENSION

    tilesets = app.extensions[EXTENSION]
    print(f"\n{'tileset':13s} {'tile':>14s} {'bytes':>7s} {'raw ms':>8s} {'app ms':>8s} ratio")
    with psycopg.connect(database_url, autocommit=True) as conn:
        for collection in (None, "shelters", "hazard_zones"):
            tileset = tilesets.get(collection)
            for z, runs in ((14, 100), (10, 30), (5, 10)):
                x, y = _tile(z)
                prefix = f"/ogc/collections/{collection}/tiles" if collection else "/ogc/tiles"
                path = f"{prefix}/WebMercatorQuad/{z}/{y}/{x}"
                raw: list[float] = []
                http: list[float] = []

                for i in range(runs + 5):  # interleaved, so load changes hit both alike
                    start = time.perf_counter()
                    tileset.fetch(conn, z, x, y)  # as the app runs it (unprepared, binary)
                    middle = time.perf_counter()
                    client.get(path)
                    raw.append(middle - start)
                    http.append(time.perf_counter() - middle)
                    if i == 4:
                        raw.clear()
                        http.clear()
                size = len(client.get(path).data)
                r, h = _median_ms(raw), _median_ms(http)
                print(
                    f"{collection or 'combined':13s} {z:>4d}/{y}/{x:<5d} {size:7d} "
                    f"{r:8.2f} {h:8.2f} {h / r:5.2f}"
                )
                assert h < 2000  # milliseconds, not pygeoapi's stock 12 s


def test_cached_low_zoom_tiles(client, loaded):
    """A repeated low-zoom tile with no change in between: one versions lookup."""
    print()
    for z in (10, 5):
        x, y = _tile(z)
        path = f"/ogc/tiles/WebMercatorQuad/{z}/{y}/{x}"
        client.get(path)
        samples = []
        for _ in range(100):
            start = time.perf_counter()
            client.get(path)
            samples.append(time.perf_counter() - start)
        print(f"combined z{z} cached: {_median_ms(samples):.2f} ms")
