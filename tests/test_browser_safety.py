"""What keeps a reader's browser safe on our pages: the security headers on every response, a
Content-Security-Policy that runs only this server's scripts, feature values that cannot break
out of a script, and no script or stylesheet from another host."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

HTML_PAGES = [
    "/map",
    "/ogc?f=html",
    "/ogc/collections?f=html",
    "/ogc/collections/shelters?f=html",
    "/ogc/collections/shelters/items?f=html",
    "/ogc/collections/shelters/queryables?f=html",
    "/ogc/conformance?f=html",
    "/ogc/processes?f=html",
    "/ogc/openapi?f=html",
]


def _directives(policy: str) -> dict[str, list[str]]:
    directives = {}
    for part in policy.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.parametrize("url", HTML_PAGES)
def test_html_pages_carry_the_security_headers(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "text/html", url
    headers = response.headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    policy = _directives(headers["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"][0] == "'self'"
    assert all(v.startswith("'nonce-") for v in policy["script-src"][1:]), policy["script-src"]
    assert policy["connect-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert "blob:" in policy["worker-src"]  # MapLibre's workers
    assert policy["img-src"][:2] == ["'self'", "data:"]


def test_only_the_map_pages_inline_script_runs_and_its_nonce_changes(client: FlaskClient) -> None:
    nonces = []
    for _ in range(2):
        response = client.get("/map")
        script_src = _directives(response.headers["Content-Security-Policy"])["script-src"]
        assert len(script_src) == 2 and "'unsafe-inline'" not in script_src
        nonce = script_src[1].removeprefix("'nonce-").removesuffix("'")
        inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", response.get_data(as_text=True))
        assert inline == [f' nonce="{nonce}"'], "one inline script, carrying the nonce"
        nonces.append(nonce)
    assert nonces[0] != nonces[1] and len(nonces[0]) >= 22


@pytest.mark.parametrize(
    "url",
    [
        "/ogc/collections?f=json",
        "/ogc/collections/shelters/items?f=json",
        "/ogc/tiles/WebMercatorQuad/tilejson.json",
        "/styles/situation.json",
        "/api/openapi.json",
        "/healthz",
        "/map/static/maplibre/LICENSE.txt",
        "/ogc/collections/nothing-here",
    ],
)
def test_every_other_response_is_nosniff_and_loads_nothing(client: FlaskClient, url: str) -> None:
    with client.get(url) as response:
        assert response.mimetype != "text/html", url
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Content-Security-Policy"] == (
            "default-src 'none'; frame-ancestors 'none'"
        )
