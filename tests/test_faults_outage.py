"""PostgreSQL stopped and restarted under a real HTTP server: every surface that reads the
database answers 503 with Retry-After (never 500, never 400), names no host, port or version,
and serves again after the restart without restarting the app.

The cluster is this module's own (stopping the session's would break the other tests).
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from live import serving

from gisserver import migrations
from gisserver.cluster import PrivateCluster, free_port
from gisserver.db import CONNECT_TIMEOUT_S, POOL_WAIT_S
from gisserver.settings import Settings

pytestmark = pytest.mark.slow

# (method, path, body): every surface that reads the database
READS: list[tuple[str, str, dict[str, Any] | None]] = [
    ("GET", "/ogc/collections/shelters/items?f=json&limit=5", None),
    ("GET", "/ogc/collections/shelters/items?f=html&limit=5", None),
    ("GET", "/ogc/collections/shelters/items/{shelter}?f=json", None),
    ("GET", "/ogc/collections/shelters/items?f=json&filter=capacity%3E10", None),
    ("GET", "/ogc/tiles/WebMercatorQuad/14/6059/4955", None),
    ("GET", "/ogc/collections/shelters/tiles/WebMercatorQuad/3/2/2", None),
    ("GET", "/api/nearest?layer=shelters&lon=-71.1&lat=42.37&k=2", None),
    ("GET", "/api/situation?bbox=-71.2,42.3,-71.0,42.45", None),
    ("GET", "/api/risk-areas?lon=-71.1&lat=42.37", None),
    ("POST", "/api/risk-areas", {"point": [-71.1, 42.37], "radius_m": 500}),
    (
        "POST",
        "/api/affected-population",
        {
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [
                        [-71.11, 42.36],
                        [-71.09, 42.36],
                        [-71.09, 42.38],
                        [-71.11, 42.38],
                        [-71.11, 42.36],
                    ]
                ],
            }
        },
    ),
    ("POST", "/ogc/processes/situation/execution", {"inputs": {"bbox": [-71.2, 42.3, -71, 42.5]}}),
    ("GET", "/readyz", None),
]


# Pages that need no data: they answer during an outage too (without an ETag)
METADATA = [
    "/ogc",
    "/ogc/?f=json",
    "/ogc/collections?f=json",
    "/ogc/collections/shelters?f=json",
    "/ogc/collections/shelters/queryables?f=json",
    "/ogc/conformance?f=json",
    "/ogc/processes?f=json",
    "/styles/situation.json",
    "/api/openapi.json",
    "/healthz",
]


def _call(base: str, method: str, path: str, body: Any) -> tuple[int, dict[str, str], bytes]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        with error:  # closes the answer's connection
            return error.code, dict(error.headers), error.read()


@pytest.fixture(scope="module")
def cluster(scratch_dir: Path) -> Iterator[PrivateCluster]:
    own = PrivateCluster(root=scratch_dir / "outage-pg", port=free_port())
    own.start()
    migrations.upgrade(own.url())
    with psycopg.connect(own.url()) as conn:
        conn.execute(
            "INSERT INTO shelters (source, source_id, name, capacity, status, geom) VALUES"
            " ('outage', 's1', 'Shelter', 50, 'open', ST_SetSRID(ST_MakePoint(-71.1, 42.37), 4326))"
        )
        conn.execute(
            "INSERT INTO hazard_zones (source, source_id, hazard_type, severity, geom) VALUES"
            " ('outage', 'z1', 'flood', 'high',"
            " ST_Multi(ST_Buffer(ST_SetSRID(ST_MakePoint(-71.1, 42.37), 4326), 0.01)))"
        )
    try:
        yield own
    finally:
        own.destroy()


@pytest.fixture(scope="module")
def server(cluster: PrivateCluster, scratch_dir: Path) -> Iterator[str]:
    from gisserver.app import create_app

    settings = Settings(database_url=cluster.url(), data_dir=scratch_dir / "outage-var")
    app = create_app(settings)
    try:
        with serving(app) as base:
            yield base
    finally:
        app.extensions["gisserver"].db.close()


def _reads(base: str, cluster: PrivateCluster) -> list[tuple[str, str, Any]]:
    with psycopg.connect(cluster.url()) as conn:
        (shelter,) = conn.execute("SELECT id FROM shelters LIMIT 1").fetchone()
    return [(m, p.format(shelter=shelter), b) for m, p, b in READS]


def test_the_pool_answers_an_outage_within_two_seconds():
    # The wait for a connection bounds how long an outage takes to answer.
    assert POOL_WAIT_S < 2 and CONNECT_TIMEOUT_S <= 2


def test_outage_is_503_everywhere_and_heals_without_a_restart(server: str, cluster: PrivateCluster):
    reads = _reads(server, cluster)
    for method, path, body in reads:
        status, _, data = _call(server, method, path, body)
        assert status in (200, 204), (path, status, data[:300])

    statuses: list[int] = []
    stop_load = threading.Event()

    def load() -> None:  # a client that keeps asking through the outage
        while not stop_load.is_set():
            status, _, _ = _call(server, *reads[6])
            statuses.append(status)

    loader = threading.Thread(target=load)
    loader.start()
    try:
        cluster.stop()
        for method, path, body in reads:
            status, headers, data = _call(server, method, path, body)
            assert status == 503, (path, status, data[:300])
            assert int(headers["Retry-After"]) > 0, path
            text = data.decode(errors="replace")
            # the server's own public URL may appear in an HTML page; the database's may not
            for secret in (str(cluster.port), "PostgreSQL", "postgres", "5432", "psycopg"):
                assert secret not in text, (path, text[:300])
            assert str(cluster.root) not in text
        for path in METADATA:
            status, headers, data = _call(server, "GET", path, None)
            assert status == 200, (path, status, data[:300])
        cluster.start()
        # the pool checks a connection as it hands it out: the first request already succeeds
        for method, path, body in reads:
            status, _, data = _call(server, method, path, body)
            assert status in (200, 204), (path, status, data[:300])
    finally:
        stop_load.set()
        loader.join()
    assert set(statuses) <= {200, 503}, sorted(set(statuses))
    assert 503 in statuses and statuses[-1] == 200


def test_a_restart_without_a_visible_outage_breaks_no_request(server: str, cluster: PrivateCluster):
    """After a fast restart the pooled connections are all dead: none of them may reach a
    request (the restart happens between two requests)."""
    reads = _reads(server, cluster)
    for method, path, body in reads:  # fill the pool with connections that will go stale
        _call(server, method, path, body)
    cluster.stop()
    cluster.start()
    time.sleep(0.2)
    for method, path, body in reads:
        status, _, data = _call(server, method, path, body)
        assert status in (200, 204), (path, status, data[:300])
