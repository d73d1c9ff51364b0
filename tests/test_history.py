"""``GET /ogc/collections/{id}/items/{fid}/history`` over real HTTP: a feature's versions oldest
first with their validity, what made and ended each, public properties (derived fields too) and
geometry; a deleted feature keeps its history; 404 for what never existed; the route wins over
pygeoapi's item route; the actor only for callers with a key; never a private field."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner
from flask import Flask
from live import serving
from psycopg import sql

from gisserver.audit import Actor, act_as
from gisserver.cli import main
from gisserver.cluster import PrivateCluster, free_port
from gisserver.settings import Settings
from gisserver.web import auth

STREAM = "rtsp://ops:pa55word@cam.example/private-stream-7"


@pytest.fixture(scope="module")
def app(settings: Settings) -> Iterator[Flask]:
    from gisserver.app import create_app

    application = create_app(settings)
    yield application
    application.extensions["gisserver"].db.close()


@pytest.fixture(scope="module")
def server(app: Flask) -> Iterator[str]:
    with serving(app) as base:
        yield base


@pytest.fixture(autouse=True)
def fresh_limiter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "LIMITER", auth.FailureLimiter())


@pytest.fixture(scope="module")
def viewer_key(database_url: str) -> Iterator[str]:
    name = f"history-viewer-{uuid.uuid4().hex[:6]}"
    result = CliRunner(env={"DATABASE_URL": database_url}).invoke(
        main, ["keys", "create", name, "--role", "viewer"]
    )
    assert result.exit_code == 0, result.output
    yield result.stdout.strip().splitlines()[-1]
    with psycopg.connect(database_url) as conn:
        conn.execute("DELETE FROM api_keys WHERE name = %s", (name,))


class Edits:
    """Changes as the API's edit role, one transaction each; the commit times."""

    def __init__(self, url: str, source: str) -> None:
        self.conn = psycopg.connect(url)
        self.source = source

    def __call__(self, actor: Actor, statement: str, *params: Any, **context: Any) -> Any:
        with self.conn.transaction():
            act_as(self.conn, actor, **context)
            row = self.conn.execute(statement, params).fetchone()
        time.sleep(0.01)
        return row


@pytest.fixture()
def edits(test_cluster: PrivateCluster | None, database_url: str) -> Iterator[Edits]:
    if test_cluster is None:
        pytest.skip("needs the session's own cluster (its edit role)")
    made = Edits(test_cluster.url("edit"), f"test-history-{uuid.uuid4().hex[:8]}")
    yield made
    made.conn.rollback()
    with made.conn.transaction():
        for layer in ("cameras", "shelters", "hazard_zones"):
            made.conn.execute(
                sql.SQL("DELETE FROM {} WHERE source = %s").format(sql.Identifier(layer)),
                (made.source,),
            )
    made.conn.close()


def get(url: str, secret: str | None = None) -> tuple[int, str, str]:
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers["Content-Type"], error.read().decode()


def camera_story(edits: Edits) -> tuple[int, list[Any]]:
    """A camera made, switched off, moved and renamed (a replace), then deleted."""
    operator, chief = Actor("desk-3", "operator"), Actor("chief-9", "admin")
    camera, made = edits(
        operator,
        "INSERT INTO cameras (source, source_id, name, stream_url, geom) VALUES (%s, 'c', "
        "'Quay', %s, ST_SetSRID(ST_MakePoint(-71.04, 42.36), 4326)) RETURNING id, now()",
        edits.source,
        STREAM,
    )
    (offline,) = edits(
        operator,
        "UPDATE cameras SET status = 'offline', stream_url = %s WHERE id = %s RETURNING now()",
        STREAM + "-b",
        camera,
    )
    (replaced,) = edits(
        chief,
        "UPDATE cameras SET name = 'Quay west', geom = ST_SetSRID(ST_MakePoint(-71.05, 42.37),"
        " 4326) WHERE id = %s RETURNING now()",
        camera,
        operation="replace",
    )
    return camera, [made, offline, replaced]


def iso(moment: Any) -> str:
    import datetime as dt

    return moment.astimezone(dt.UTC).isoformat()


def test_the_versions_of_a_feature_oldest_first(server: str, edits: Edits, layers):
    camera, (made, offline, replaced) = camera_story(edits)
    status, media_type, text = get(f"{server}/ogc/collections/cameras/items/{camera}/history")
    assert (status, media_type) == (200, "application/geo+json")
    body = json.loads(text)
    assert body["type"] == "FeatureCollection" and body["numberReturned"] == 3
    versions = body["features"]
    assert [
        (f["id"], f["version"], f["valid_from"], f["valid_to"], f["operation"], f["ended_by"])
        for f in versions
    ] == [
        (camera, 1, iso(made), iso(offline), "create", "update"),
        (camera, 2, iso(offline), iso(replaced), "update", "replace"),
        (camera, 3, iso(replaced), None, "replace", None),
    ]
    assert [f["properties"]["status"] for f in versions] == ["online", "offline", "offline"]
    assert [f["properties"]["name"] for f in versions] == ["Quay", "Quay", "Quay west"]
    assert versions[0]["geometry"] == {"type": "Point", "coordinates": [-71.04, 42.36]}
    assert versions[2]["geometry"] == {"type": "Point", "coordinates": [-71.05, 42.37]}
    for feature in versions:
        assert set(feature["properties"]) == set(layers["cameras"].public_fields)
        assert "actor" not in feature  # anonymous callers are not told who
    # never a private field, an internal column or a credential
    for word in ("stream_url", "rtsp", "pa55word", "source_id", "loaded_at", '"properties": {}'):
        assert word not in text
    rels = {link["rel"]: link["href"] for link in body["links"]}
    assert rels["self"].endswith(f"/ogc/collections/cameras/items/{camera}/history")
    assert rels["latest-version"].endswith(f"/ogc/collections/cameras/items/{camera}")


def test_callers_with_a_key_see_who_made_each_version(server: str, edits: Edits, viewer_key: str):
    camera, _ = camera_story(edits)
    _, _, text = get(f"{server}/ogc/collections/cameras/items/{camera}/history", viewer_key)
    assert [f["actor"] for f in json.loads(text)["features"]] == ["desk-3", "desk-3", "chief-9"]
    assert "stream_url" not in text and "pa55word" not in text


def test_a_deleted_feature_keeps_its_history(server: str, edits: Edits):
    camera, (_, _, replaced) = camera_story(edits)
    (deleted,) = edits(Actor("chief-9", "admin"), "DELETE FROM cameras WHERE id = %s "
                       "RETURNING now()", camera)  # fmt: skip
    status, _, text = get(f"{server}/ogc/collections/cameras/items/{camera}/history")
    assert status == 200
    body = json.loads(text)
    last = body["features"][-1]
    assert (last["version"], last["valid_from"], last["valid_to"], last["ended_by"]) == (
        3,
        iso(replaced),
        iso(deleted),
        "delete",
    )
    assert "latest-version" not in {link["rel"] for link in body["links"]}
    item, _, _ = get(f"{server}/ogc/collections/cameras/items/{camera}?f=json")
    assert item == 404  # the item itself is gone


def test_derived_fields_are_computed_for_every_version(server: str, edits: Edits):
    operator = Actor("desk-3", "operator")
    (shelter,) = edits(
        operator,
        "INSERT INTO shelters (source, source_id, name, capacity, occupancy, geom) VALUES "
        "(%s, 's', 'Hall', 100, 10, ST_SetSRID(ST_MakePoint(-71.1, 42.3), 4326)) RETURNING id",
        edits.source,
    )
    edits(operator, "UPDATE shelters SET occupancy = 95 WHERE id = %s RETURNING id", shelter)
    _, _, text = get(f"{server}/ogc/collections/shelters/items/{shelter}/history")
    versions = json.loads(text)["features"]
    assert [(f["properties"]["occupancy"], f["properties"]["free_capacity"]) for f in versions] == [
        (10, 90),
        (95, 5),
    ]


def test_hazard_zone_validity_fields_stay_properties(server: str, edits: Edits):
    """hazard_zones has fields named valid_from and valid_to: the versions' own validity is
    beside the properties, never mixed into them."""
    (zone,) = edits(
        Actor("desk-3", "operator"),
        "INSERT INTO hazard_zones (source, source_id, hazard_type, severity, valid_from, geom) "
        "VALUES (%s, 'z', 'flood', 'high', '2026-12-01T00:00:00Z', "
        "ST_Multi(ST_MakeEnvelope(-71.1, 42.3, -71.0, 42.4, 4326))) RETURNING id",
        edits.source,
    )
    _, _, text = get(f"{server}/ogc/collections/hazard_zones/items/{zone}/history")
    (version,) = json.loads(text)["features"]
    assert version["properties"]["valid_from"].startswith("2026-12-01T00:00:00")
    assert version["properties"]["valid_to"] is None
    assert version["valid_from"] != version["properties"]["valid_from"]


@pytest.mark.parametrize(
    ("path", "status", "description"),
    [
        ("/ogc/collections/roads/items/1/history", 404, "collection 'roads' does not exist"),
        ("/ogc/collections/cameras/items/999999999999/history", 404, "never existed"),
        ("/ogc/collections/cameras/items/abc/history", 404, "feature 'abc' of collection"),
        ("/ogc/collections/cameras/items/0/history", 404, "never existed"),
        ("/ogc/collections/cameras/items/1/history?f=html", 400, "f: 'html' is not offered"),
    ],
)
def test_what_never_existed_is_a_404(server: str, path: str, status: int, description: str):
    got, _, text = get(server + path)
    assert got == status
    assert description in json.loads(text)["description"]


def test_the_history_route_wins_over_pygeoapis_item_route(app: Flask, server: str, edits: Edits):
    adapter = app.url_map.bind("localhost")
    endpoint, values = adapter.match("/ogc/collections/cameras/items/12/history")
    assert (endpoint, values) == (
        "history.feature_history",
        {"collection_id": "cameras", "feature_id": "12"},
    )
    endpoint, _ = adapter.match("/ogc/collections/cameras/items/12")
    assert endpoint.startswith("pygeoapi.")
    camera, _ = camera_story(edits)
    status, _, text = get(f"{server}/ogc/collections/cameras/items/{camera}?f=json")
    assert status == 200 and json.loads(text)["id"] == camera  # pygeoapi's item, still
    assert "stream_url" not in text and "pa55word" not in text


def test_a_server_that_requires_keys_requires_one_for_history(
    settings: Settings, edits: Edits, viewer_key: str
):
    from gisserver.app import create_app

    port = free_port()
    locked = create_app(settings.model_copy(update={"reads_require_key": True}))
    camera, _ = camera_story(edits)
    try:
        with serving(locked, port) as base:
            url = f"{base}/ogc/collections/cameras/items/{camera}/history"
            assert get(url)[0] == 401
            status, _, text = get(url, viewer_key)
            assert status == 200 and len(json.loads(text)["features"]) == 3
    finally:
        locked.extensions["gisserver"].db.close()
