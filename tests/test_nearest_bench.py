"""Benchmark: /api/nearest with filters over 100,000 shelters, beside the same SQL through psycopg.

Not run by default: ``GISSERVER_BENCH=1 .venv/bin/pytest tests/test_nearest_bench.py -s``.
"""

from __future__ import annotations

import os
import random
import statistics
import time
from collections.abc import Iterator

import psycopg
import pytest
from flask.testing import FlaskClient

from gisserver.analyses.nearest import NearestQuery, nearest_statement

pytestmark = [
    pytest.mark.bench,
    pytest.mark.skipif(not os.environ.get("GISSERVER_BENCH"), reason="set GISSERVER_BENCH=1"),
]
SOURCE = "bench-nearest"
ROWS = int(os.environ.get("GISSERVER_BENCH_ROWS", "100000"))
BOX = (4.0, 44.0, 6.0, 46.0)
QUERIES = 300


@pytest.fixture(scope="module")
def shelters(database_url: str) -> Iterator[None]:
    x1, y1, x2, y2 = BOX
    with psycopg.connect(database_url) as conn:
        conn.execute(
            "INSERT INTO shelters (source, source_id, name, capacity, occupancy, status, geom)"
            " SELECT %s, g::text, 'bench ' || g, (random() * 500)::int, (random() * 400)::int,"
            " (ARRAY['open', 'closed', 'full', 'standby'])[1 + (random() * 3)::int],"
            " ST_SetSRID(ST_MakePoint(%s + random() * %s, %s + random() * %s), 4326)"
            " FROM generate_series(1, %s) AS g",
            (SOURCE, x1, x2 - x1, y1, y2 - y1, ROWS),
        )
        conn.execute(
            "INSERT INTO hazard_zones (source, source_id, hazard_type, severity, geom)"
            " SELECT %s, g::text, 'flood', 'high', ST_Multi(ST_Buffer(ST_SetSRID(ST_MakePoint("
            " %s + random() * %s, %s + random() * %s), 4326), 0.05))"
            " FROM generate_series(1, 40) AS g",
            (SOURCE, x1, x2 - x1, y1, y2 - y1),
        )
        conn.commit()
        conn.execute("ANALYZE shelters")
        conn.execute("ANALYZE hazard_zones")
        conn.commit()
    yield
    with psycopg.connect(database_url) as conn:
        conn.execute("DELETE FROM shelters WHERE source = %s", (SOURCE,))
        conn.execute("DELETE FROM hazard_zones WHERE source = %s", (SOURCE,))
        conn.commit()


def _points() -> list[tuple[float, float]]:
    rng = random.Random(11)
    x1, y1, x2, y2 = BOX
    return [(rng.uniform(x1, x2), rng.uniform(y1, y2)) for _ in range(QUERIES)]


def _percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p50 = statistics.median(ordered) * 1000
    p99 = ordered[int(len(ordered) * 0.99) - 1] * 1000
    return f"p50 {p50:.2f} ms, p99 {p99:.2f} ms"


def test_http_beside_raw_sql(client: FlaskClient, database_url: str, shelters: None, layers):
    """Interleaved, so that both see the same load on a shared machine."""
    filters = {"status": "open", "min_free_capacity": 50, "exclude_hazard": True}
    http: list[float] = []
    raw: list[float] = []
    with psycopg.connect(database_url, autocommit=True) as conn:
        for lon, lat in _points():
            params = {"layer": "shelters", "lon": lon, "lat": lat, "k": 5, **filters}
            start = time.perf_counter()
            response = client.get("/api/nearest", query_string=params)
            http.append(time.perf_counter() - start)
            assert response.status_code == 200 and len(response.json["features"]) == 5
            statement, values = nearest_statement(
                NearestQuery.from_params(params, layers=layers), layers=layers
            )
            start = time.perf_counter()
            rows = conn.execute(statement, values).fetchall()
            raw.append(time.perf_counter() - start)
            assert [r["id"] if isinstance(r, dict) else r[0] for r in rows] == [
                f["id"] for f in response.json["features"]
            ]
    print(f"\n/api/nearest over {ROWS} shelters, {QUERIES} queries, k=5, {filters}:")
    print(f"  HTTP (Flask test client): {_percentiles(http)}")
    print(f"  same SQL through psycopg: {_percentiles(raw)}")
