"""CORS: any page may read (GET, HEAD) by default; writes (POST, PUT, PATCH, DELETE) from another
origin only when that origin is configured (GISSERVER_CORS_WRITE_ORIGINS), by default none."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from gisserver.settings import Settings

ELSEWHERE = "https://elsewhere.example"
OPERATIONS = "https://ops.example"
WRITES = [
    ("POST", "/ogc/processes/situation/execution"),
    ("POST", "/api/risk-areas"),
    ("POST", "/ogc/collections/shelters/items"),
    ("PUT", "/ogc/collections/shelters/items/1"),
    ("PATCH", "/ogc/collections/shelters/items/1"),
    ("DELETE", "/ogc/collections/shelters/items/1"),
]


def preflight(client: FlaskClient, url: str, method: str, origin: str) -> TestResponse:
    return client.options(
        url,
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "content-type",
        },
    )


@pytest.fixture(scope="module")
def configured(settings: Settings) -> Iterator[Flask]:
    """An app whose reads are open to one origin and whose writes to another."""
    from gisserver.app import create_app

    app = create_app(
        settings.model_copy(
            update={"cors_origins": f"{ELSEWHERE}, {OPERATIONS}", "cors_write_origins": OPERATIONS}
        )
    )
    yield app
    app.extensions["gisserver"].db.close()


def test_reads_are_open_to_any_origin_by_default(client: FlaskClient) -> None:
    response = client.get("/ogc/collections?f=json", headers={"Origin": ELSEWHERE})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]
    answer = preflight(client, "/ogc/collections/shelters/items", "GET", ELSEWHERE)
    assert answer.status_code == 204
    headers = answer.headers
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert headers["Access-Control-Allow-Methods"] == "GET"
    assert "Content-Type" in headers["Access-Control-Allow-Headers"]


@pytest.mark.parametrize(("method", "url"), WRITES)
def test_writes_from_another_origin_are_refused_by_default(
    client: FlaskClient, method: str, url: str
) -> None:
    answer = preflight(client, url, method, ELSEWHERE)
    assert answer.status_code == 403
    headers = answer.headers
    assert "Access-Control-Allow-Origin" not in headers
    assert "Access-Control-Allow-Methods" not in headers
    assert "GISSERVER_CORS_WRITE_ORIGINS" in answer.get_json()["description"]
    # Nor may a script of that origin read the answer of a write it sent anyway.
    sent = client.open(url, method=method, json={}, headers={"Origin": ELSEWHERE})
    assert "Access-Control-Allow-Origin" not in sent.headers


def test_configured_origins(configured: Flask) -> None:
    client = configured.test_client()
    # Writes: the configured origin's preflight passes, another's does not.
    for method, url in WRITES:
        answer = preflight(client, url, method, OPERATIONS)
        assert answer.status_code == 204, (method, url)
        headers = answer.headers
        assert headers["Access-Control-Allow-Origin"] == OPERATIONS
        assert headers["Access-Control-Allow-Methods"] == method
        assert "Origin" in headers["Vary"]
        assert preflight(client, url, method, ELSEWHERE).status_code == 403
    sent = client.post(
        "/ogc/processes/situation/execution", json={"inputs": {}}, headers={"Origin": OPERATIONS}
    )
    assert sent.status_code == 200
    assert sent.headers["Access-Control-Allow-Origin"] == OPERATIONS
    # Reads: the listed origins, each answered with its own name; no other.
    for origin in (ELSEWHERE, OPERATIONS):
        read = client.get("/ogc/collections?f=json", headers={"Origin": origin})
        assert read.headers["Access-Control-Allow-Origin"] == origin
        assert "Origin" in read.headers["Vary"]
    stranger = client.get("/ogc/collections?f=json", headers={"Origin": "https://x.example"})
    assert "Access-Control-Allow-Origin" not in stranger.headers
    assert preflight(client, "/ogc/collections", "GET", "https://x.example").status_code == 403


def test_a_feature_write_from_a_configured_origin(configured: Flask) -> None:
    """A web client of the operations origin may send the headers of a feature write and read
    the ones of its answer."""
    client = configured.test_client()
    answer = client.options(
        "/ogc/collections/incidents/items/1",
        headers={
            "Origin": OPERATIONS,
            "Access-Control-Request-Method": "PATCH",
            "Access-Control-Request-Headers": "authorization, content-type, if-match",
        },
    )
    assert answer.status_code == 204
    allowed = {h.strip().lower() for h in answer.headers["Access-Control-Allow-Headers"].split(",")}
    assert {"if-match", "idempotency-key", "content-crs", "x-request-id"} <= allowed
    sent = client.post(
        "/ogc/collections/incidents/items",
        json={"type": "Feature", "geometry": None, "properties": {}},
        headers={"Origin": OPERATIONS, "Content-Type": "application/geo+json"},
    )
    assert sent.status_code == 401  # no key; the page may still read the answer and its headers
    exposed = {h.strip() for h in sent.headers["Access-Control-Expose-Headers"].split(",")}
    assert {"ETag", "Location", "X-Request-Id", "Content-Crs"} <= exposed
