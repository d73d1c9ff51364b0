"""The auth hook every surface passes through (gisserver.web.auth), and the role check."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from gisserver.settings import Settings
from gisserver.web import auth

SURFACES = [
    "/healthz",
    "/api/situation?bbox=0,0,1,1",
    "/api/openapi.json",
    "/ogc",
    "/ogc/collections?f=json",
    "/ogc/collections/shelters/items?f=json&limit=1",
    "/ogc/collections/shelters/items?f=html&limit=1",
    "/ogc/processes?f=json",
    "/ogc/tiles/WebMercatorQuad/0/0/0",
    "/ogc/collections/shelters/tiles/WebMercatorQuad/0/0/0",
    "/styles/shelters.json",
    "/map",
]


@pytest.fixture(scope="module")
def probe_app(settings: Settings) -> Iterator[Flask]:
    """An app of its own with a view that needs the operator role."""
    from gisserver.app import create_app

    application = create_app(settings)

    @application.get("/probe/operator")
    @auth.requires("operator")
    def operator_only() -> str:
        return "ok"

    yield application
    application.extensions["gisserver"].db.close()


@pytest.mark.parametrize("url", SURFACES)
def test_every_surface_identifies_the_caller_first(
    probe_app: Flask, monkeypatch: pytest.MonkeyPatch, url: str
):
    seen: list[str] = []

    def identify() -> auth.Principal:
        seen.append(url)
        return auth.ANONYMOUS

    monkeypatch.setattr(auth, "identify", identify)
    response = probe_app.test_client().get(url)
    assert response.status_code in (200, 204), (url, response.status_code)
    assert seen == [url]


def test_a_role_is_required_with_401_then_403(probe_app: Flask, monkeypatch: pytest.MonkeyPatch):
    client = probe_app.test_client()
    anonymous = client.get("/probe/operator")
    assert anonymous.status_code == 401
    assert (
        anonymous.headers["WWW-Authenticate"] == 'Basic realm="gisserver", Bearer realm="gisserver"'
    )
    assert anonymous.json["code"] == "Unauthorized"
    assert anonymous.json["description"].startswith("this needs the operator role")

    viewer = auth.Principal("a viewer's key", frozenset({"viewer"}), authenticated=True)
    monkeypatch.setattr(auth, "identify", lambda: viewer)
    forbidden = client.get("/probe/operator")
    assert forbidden.status_code == 403 and "WWW-Authenticate" not in forbidden.headers
    assert (
        forbidden.json["description"] == "a viewer's key does not hold the operator role this needs"
    )

    operator = auth.Principal("duty desk", frozenset({"operator"}), authenticated=True)
    monkeypatch.setattr(auth, "identify", lambda: operator)
    assert client.get("/probe/operator").data == b"ok"


def test_unknown_roles_are_refused_where_they_are_written():
    with pytest.raises(ValueError, match="accepted: viewer, operator, logistics, analyst, admin"):
        auth.requires("superuser")
