"""What a feature write accepts, over real HTTP: bad input is a 4xx naming what is wrong and
writes nothing (the layer, its version, the audit trail and the history are as they were);
geometries meet the ETL's rules in any offered CRS; the shelters' capacity rule; private and
read-only properties; a layer without ``editing:`` is read-only; reads follow a write at once."""

from __future__ import annotations

import json
import math
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import mapbox_vector_tile
import psycopg
import pytest
import shapely
from editing import Api, Key, api_keys, feature, feature_id, snapshot
from flask import Flask
from live import serving
from pyproj import Transformer

from gisserver.cluster import free_port
from gisserver.ogc.conformance import WRITES, conformance_classes
from gisserver.settings import PROJECT_ROOT, Settings
from gisserver.web import auth

HERE = (-71.0589, 42.3601)
EPSG = "http://www.opengis.net/def/crs/EPSG/0/"
MERGE = "application/merge-patch+json"
GEO = "application/geo+json"


@pytest.fixture(scope="module")
def keys(database_url: str) -> Iterator[dict[str, Key]]:
    with api_keys(database_url) as made:
        yield made


@contextmanager
def _serve(settings: Settings, keys: dict[str, Key], **changes: Any) -> Iterator[Api]:
    """An app with these settings behind a real HTTP server."""
    from gisserver.app import create_app

    port = free_port()
    update = {"public_url": f"http://127.0.0.1:{port}", **changes}
    app: Flask = create_app(settings.model_copy(update=update))
    with serving(app, port) as base:
        yield Api(base, keys)
    app.extensions["gisserver"].db.close()
    app.extensions["gisserver"].editor.close()


@pytest.fixture(scope="module")
def api(settings: Settings, keys: dict[str, Key]) -> Iterator[Api]:
    with _serve(settings, keys) as served:
        yield served


@pytest.fixture(autouse=True)
def fresh_limiter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "LIMITER", auth.FailureLimiter())


@pytest.fixture(scope="module")
def targets(api: Api) -> dict[str, int]:
    """A shelter and an incident that the refused changes aim at."""
    return {
        "shelters": feature_id(
            api(
                "POST", "shelters/items", "analyst", json=feature(HERE, name="Target", capacity=100)
            )
        ),
        "incidents": feature_id(
            api(
                "POST",
                "incidents/items",
                "operator",
                json=feature(HERE, incident_type="flood", reported_at="2026-11-25T20:00:00Z"),
            )
        ),
    }


def _shelter(**properties: Any) -> dict[str, Any]:
    return feature(HERE, **({"name": "Bad"} | properties))


def _point(*coordinates: Any) -> dict[str, Any]:
    return {"type": "Point", "coordinates": list(coordinates)}


# (method, URL under /ogc/collections, role, body, content type, headers, status, in the message)
# fmt: off
REFUSED: list[tuple[str, str, str, Any, str | None, dict[str, str], int, str]] = [
    ("POST", "shelters/items", "analyst", json.dumps(_shelter()), "text/plain", {}, 415,
     "application/geo+json, application/json"),
    ("POST", "shelters/items", "analyst", b"", None, {}, 415, "Content-Type"),
    ("PUT", "shelters/items/{shelters}", "analyst", json.dumps(_shelter()), "application/xml", {},
     415, "application/geo+json"),
    ("PATCH", "shelters/items/{shelters}", "analyst", '{"properties": {}}', "application/json",
     {}, 415, "application/merge-patch+json"),
    ("POST", "shelters/items", "analyst", "{not json", GEO, {}, 400, "body: is not JSON"),
    ("POST", "shelters/items", "analyst", "", GEO, {}, 400, "body: is empty"),
    ("POST", "shelters/items", "analyst",
     '{"type":"Feature","geometry":{"type":"Point","coordinates":[NaN,1]},"properties":{}}', GEO,
     {}, 400, "NaN is not a JSON number"),
    ("POST", "shelters/items", "analyst", "[" * 100 + "]" * 100, GEO, {}, 400, "nested deeper"),
    ("POST", "shelters/items", "analyst", {"type": "FeatureCollection", "features": []}, GEO, {},
     422, "type: 'FeatureCollection' is not a Feature"),
    ("POST", "shelters/items", "analyst",
     feature({"type": "LineString", "coordinates": [[0, 0], [1, 1]]}, name="x"), GEO, {}, 422,
     "geometry: a LineString where the layer takes Point"),
    ("POST", "shelters/items", "analyst", feature(_point(200, 95), name="x"), GEO, {}, 422,
     "out of range"),
    ("POST", "shelters/items", "analyst",
     {"type": "Feature", "geometry": None, "properties": {"name": "x"}}, GEO, {}, 422,
     "geometry: is missing"),
    ("POST", "shelters/items", "analyst", feature(_point("1", 2), name="x"), GEO, {}, 422,
     "is not a position"),
    ("POST", "shelters/items", "analyst",
     feature({"type": "Circle", "coordinates": [1, 2]}, name="x"), GEO, {}, 422,
     "'Circle' is not a GeoJSON geometry type"),
    ("POST", "hazard_zones/items", "analyst",
     feature({"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [0, 0]]]},
             hazard_type="flood", severity="low"), GEO, {}, 422,
     "geometry: invalid (Too few points"),
    ("POST", "hazard_zones/items", "analyst",
     feature({"type": "Polygon", "coordinates": [[[0, 0], [1, 1]]]},
             hazard_type="flood", severity="low"), GEO, {}, 422, "geometry: not a valid Polygon"),
    ("POST", "shelters/items", "analyst", _shelter(colour="red"), GEO, {}, 422,
     "colour: unknown property; accepted: name, address"),
    ("POST", "shelters/items", "analyst", _shelter(capacity="ten"), GEO, {}, 422,
     "capacity: 'ten' is not an integer; accepted: an integer >= 0"),
    ("POST", "shelters/items", "analyst", _shelter(capacity=1.5), GEO, {}, 422, "capacity"),
    ("POST", "shelters/items", "analyst", _shelter(capacity=-5), GEO, {}, 422,
     "below the minimum"),
    ("POST", "shelters/items", "analyst", _shelter(capacity=2**40), GEO, {}, 422,
     "outside the integer range"),
    ("POST", "shelters/items", "analyst", _shelter(status="unknown"), GEO, {}, 422,
     "status: 'unknown' is not one of open, closed, full, standby"),
    ("POST", "shelters/items", "analyst", _shelter(pets_allowed="yes"), GEO, {}, 422,
     "pets_allowed: 'yes' is not true or false"),
    ("POST", "shelters/items", "analyst", feature(HERE, capacity=5), GEO, {}, 422,
     "name: is required"),
    ("POST", "shelters/items", "analyst", _shelter(name=""), GEO, {}, 422, "name: is required"),
    ("POST", "shelters/items", "analyst", _shelter(name="a\u0000b"), GEO, {}, 422,
     "name: holds a NUL character"),
    ("POST", "incidents/items", "operator",
     feature(HERE, incident_type="fire", reported_at="0001-01-01T00:00:00+05:00"), GEO, {}, 422,
     "reported_at: 0001-01-01T00:00:00+05:00 is out of range"),
    ("POST", "incidents/items", "operator",
     feature(HERE, incident_type="fire", reported_at="9999-12-31T23:59:59-05:00"), GEO, {}, 422,
     "is out of range"),
    ("POST", "shelters/items", "analyst",
     feature({"type": "MultiPoint", "coordinates": []}, name="x"), GEO, {}, 422,
     "geometry: empty geometry"),
    ("POST", "shelters/items", "analyst",
     feature({"type": "GeometryCollection", "geometries": [_point(1, 2)]}, name="x"), GEO, {},
     422, "a GeometryCollection where the layer takes Point"),
    ("POST", "incidents/items", "operator", feature(HERE, incident_type="fire"), GEO, {}, 422,
     "reported_at: is required"),
    ("POST", "incidents/items", "operator",
     feature(HERE, incident_type="fire", reported_at="yesterday"), GEO, {}, 422,
     "reported_at: 'yesterday' is not a valid datetime"),
    ("POST", "hazard_zones/items", "analyst",
     feature({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]},
             hazard_type="flood", severity="low", valid_from="2026-11-25T00:00:00Z",
             valid_to="2026-11-24T00:00:00Z"), GEO, {}, 422, "valid_to: 2026-11-24"),
    ("POST", "shelters/items", "analyst", _shelter(), GEO, {"Content-Crs": f"<{EPSG}9999>"},
     400, f"Content-Crs: '<{EPSG}9999>' is not a CRS of shelters; accepted: "
     "<http://www.opengis.net/def/crs/OGC/1.3/CRS84>"),
    ("POST", "shelters/items?allowOverCapacity=maybe", "analyst", _shelter(), GEO, {}, 400,
     "allowOverCapacity"),
    ("PATCH", "shelters/items/{shelters}", "analyst", {"geometry": None}, MERGE, {}, 422,
     "geometry: is missing"),
    ("PATCH", "shelters/items/{shelters}", "analyst", [1, 2], MERGE, {}, 422,
     "a merge patch of a feature is a JSON object"),
    ("PATCH", "shelters/items/{shelters}", "analyst", {"properties": {"name": None}}, MERGE, {},
     422, "name: is required"),
    ("PATCH", "shelters/items/{shelters}", "analyst", {"properties": {"capacity": True}}, MERGE,
     {}, 422, "capacity: True is not an integer"),
    ("PUT", "shelters/items/{shelters}", "analyst", feature(HERE, capacity=3), GEO, {}, 422,
     "name: is required"),
    ("PUT", "shelters/items/999999999", "analyst", _shelter(), GEO, {}, 404, "not found"),
    ("PATCH", "shelters/items/abc", "analyst", {}, MERGE, {}, 404, "not found"),
    ("DELETE", "shelters/items/99999999999999999999", "admin", None, None, {}, 404, "not found"),
    ("POST", "shelters/items", "analyst", _shelter(), GEO, {"Idempotency-Key": "a b"}, 400,
     "Idempotency-Key"),
]
# fmt: on


@pytest.mark.parametrize(
    ("method", "path", "role", "body", "media", "headers", "status", "said"),
    REFUSED,
    ids=[f"{r[0]}-{r[6]}-{i}" for i, r in enumerate(REFUSED)],
)
def test_bad_input_is_refused_and_writes_nothing(
    api: Api, targets, database_url: str, method, path, role, body, media, headers, status, said
):
    layer = path.split("/")[0]
    before = snapshot(database_url, layer)
    url = path.format(**targets)
    if isinstance(body, dict | list):
        body = json.dumps(body)
    response = api(method, url, role, data=body, content_type=media, headers=headers)
    assert response.status_code == status, response.text
    document = response.json()
    assert said in document["description"], document
    assert document["code"]
    assert snapshot(database_url, layer) == before


def test_a_body_over_the_limit_is_413(api: Api, settings: Settings, database_url: str):
    before = snapshot(database_url, "shelters")
    big = _shelter(address="x" * (settings.max_body_bytes + 1))
    response = api("POST", "shelters/items", "analyst", json=big)
    assert response.status_code == 413
    assert snapshot(database_url, "shelters") == before


# --- the shelters' capacity ----------------------------------------------------------------------


def test_occupancy_above_capacity_is_409_unless_on_purpose(api: Api, database_url: str):
    fid = feature_id(
        api("POST", "shelters/items", "analyst", json=_shelter(capacity=100, occupancy=10))
    )

    def occupancy(value: int, query: str = "", role: str = "operator") -> Any:
        return api(
            "PATCH",
            f"shelters/items/{fid}{query}",
            role,
            json={"properties": {"occupancy": value}},
            content_type=MERGE,
        )

    before = snapshot(database_url, "shelters")
    over = occupancy(120)
    assert over.status_code == 409
    assert over.json()["description"] == (
        "occupancy 120 is above the capacity 100: refused so that a typing error does not show "
        "a full shelters feature as having room; if it is over-full on purpose, send "
        "allowOverCapacity=true"
    )
    assert snapshot(database_url, "shelters") == before
    on_purpose = occupancy(120, "?allowOverCapacity=true")
    assert on_purpose.status_code == 200
    assert on_purpose.json()["properties"]["free_capacity"] == -20
    assert occupancy(110).status_code == 200  # fewer people: no worse than it was
    assert occupancy(130).status_code == 409
    smaller = api(
        "PATCH",
        f"shelters/items/{fid}",
        "analyst",
        json={"properties": {"capacity": 50}},
        content_type=MERGE,
    )
    assert smaller.status_code == 409 and "capacity 50" in smaller.json()["description"]
    created = api("POST", "shelters/items", "analyst", json=_shelter(capacity=5, occupancy=6))
    assert created.status_code == 409
    unknown = api("POST", "shelters/items", "analyst", json=_shelter(occupancy=600))
    assert unknown.status_code == 201  # no capacity known: nothing to be above


# --- geometries ---------------------------------------------------------------------------------


def _stored(database_url: str, layer: str, fid: int) -> shapely.Geometry:
    with psycopg.connect(database_url) as conn:
        wkb = conn.execute(
            f"SELECT ST_AsBinary(geom) FROM {layer} WHERE id = %s", (fid,)
        ).fetchone()
    return shapely.from_wkb(bytes(wkb[0]))


@pytest.mark.parametrize(
    ("code", "header"),
    [("3857", "<{uri}>"), ("3857", "{uri}"), ("4326", "<{uri}>"), ("2249", "{uri}")],
)
def test_content_crs(api: Api, database_url: str, code: str, header: str):
    uri = f"{EPSG}{code}"
    if code == "4326":
        coordinates = [HERE[1], HERE[0]]  # latitude first, as EPSG:4326 says
    else:
        to_crs = Transformer.from_crs("EPSG:4326", f"EPSG:{code}", always_xy=True)
        coordinates = list(to_crs.transform(*HERE))
    response = api(
        "POST",
        "shelters/items",
        "analyst",
        json=feature(_point(*coordinates), name=f"In EPSG:{code}"),
        headers={"Content-Crs": header.format(uri=uri)},
    )
    fid = feature_id(response)
    assert response.headers["Content-Crs"] == f"<{uri}>"
    stored = _stored(database_url, "shelters", fid)
    assert stored.x == pytest.approx(HERE[0], abs=1e-7)
    assert stored.y == pytest.approx(HERE[1], abs=1e-7)
    answered = response.json()["geometry"]["coordinates"]
    assert answered == pytest.approx(coordinates, abs=1e-3)
    read = api("GET", f"shelters/items/{fid}?crs={uri}").json()
    assert read["geometry"] == response.json()["geometry"]


def test_geometries_meet_the_etl_rules(api: Api, database_url: str):
    x, y = HERE
    square = [[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]]
    zone = api(
        "POST",
        "hazard_zones/items",
        "analyst",
        json=feature(
            {"type": "Polygon", "coordinates": [square]}, hazard_type="fire", severity="extreme"
        ),
    )
    assert zone.json()["geometry"]["type"] == "MultiPolygon"  # promoted, as the ETL does
    bowtie = [[x, y], [x + 0.01, y + 0.01], [x + 0.01, y], [x, y + 0.01], [x, y]]
    repaired = feature_id(
        api(
            "POST",
            "hazard_zones/items",
            "analyst",
            json=feature(
                {"type": "Polygon", "coordinates": [bowtie]}, hazard_type="fire", severity="low"
            ),
        )
    )
    geom = _stored(database_url, "hazard_zones", repaired)
    assert geom.is_valid and geom.geom_type == "MultiPolygon" and len(geom.geoms) == 2
    one_point = feature(
        {"type": "MultiPoint", "coordinates": [[x, y, 12.5]]},
        incident_type="gas_leak",
        reported_at="2026-11-25T20:00:00+01:00",
    )
    incident = feature_id(api("POST", "incidents/items", "operator", json=one_point))
    point = _stored(database_url, "incidents", incident)
    assert point.geom_type == "Point" and not point.has_z
    with psycopg.connect(database_url) as conn:
        reported = conn.execute(
            "SELECT reported_at FROM incidents WHERE id = %s", (incident,)
        ).fetchone()[0]
    assert reported.isoformat().startswith("2026-11-25T19:00:00")  # UTC


def test_a_merge_patch_moves_a_point_and_keeps_the_rest(api: Api, database_url: str):
    fid = feature_id(
        api("POST", "shelters/items", "analyst", json=_shelter(phone="555-0100", capacity=30))
    )
    moved = api(
        "PATCH",
        f"shelters/items/{fid}",
        "analyst",
        json={"geometry": {"coordinates": [-71.05, 42.36]}, "properties": {"phone": None}},
        content_type=MERGE,
    )
    assert moved.status_code == 200, moved.text
    body = moved.json()
    assert body["geometry"] == {"type": "Point", "coordinates": [-71.05, 42.36]}
    assert body["properties"]["phone"] is None and body["properties"]["capacity"] == 30
    with psycopg.connect(database_url) as conn:
        ended = conn.execute(
            "SELECT version, ended_by, properties->>'phone', ST_X(geom) FROM feature_history"
            " WHERE layer = 'shelters' AND feature_id = %s",
            (fid,),
        ).fetchall()
    assert ended == [(1, "update", "555-0100", pytest.approx(HERE[0]))]


# --- properties ----------------------------------------------------------------------------------


def test_read_only_properties_are_ignored(api: Api, database_url: str):
    sent = _shelter(
        capacity=10,
        occupancy=4,
        free_capacity=999,
        source="my-file.csv",
        updated_at="1999-01-01T00:00:00Z",
        version=77,
        id=5,
    )
    sent["id"] = 5
    response = api("POST", "shelters/items", "analyst", json=sent)
    fid = feature_id(response)
    properties = response.json()["properties"]
    assert fid != 5 and properties["free_capacity"] == 6 and properties["source"] == "api"
    assert not properties["updated_at"].startswith("1999")


def test_private_fields_are_written_by_their_role_only(
    api: Api, settings: Settings, keys, tmp_path: Path, database_url: str
):
    url = "rtsp://cams.example/secret-1"
    camera = feature(HERE, name="Cam", stream_url=url)
    created = api("POST", "cameras/items", "analyst", json=camera)
    fid = feature_id(created)
    assert created.json()["properties"]["stream_url"] == url  # a key reads private fields
    assert "stream_url" not in api("GET", f"cameras/items/{fid}").json()["properties"]
    replaced = api(
        "PUT", f"cameras/items/{fid}", "analyst", json=feature(HERE, name="Cam 2", status="offline")
    )
    assert replaced.status_code == 200  # a private field left out is kept (nobody read it)
    with psycopg.connect(database_url) as conn:
        kept = conn.execute("SELECT stream_url FROM cameras WHERE id = %s", (fid,)).fetchone()[0]
    assert kept == url
    # a layer where operators edit cameras: the stream address stays the analysts'
    layers = _layers_copy(tmp_path, "cameras", "operator: all\n    analyst: all")
    with _serve(settings, keys, layers_dir=layers) as other:
        before = snapshot(database_url, "cameras")
        refused = other(
            "POST", "cameras/items", "operator", json=feature(HERE, name="Cam", stream_url=url)
        )
        assert refused.status_code == 422
        assert refused.json()["description"].startswith("stream_url: unknown property")
        assert snapshot(database_url, "cameras") == before
        allowed = other("POST", "cameras/items", "operator", json=feature(HERE, name="Cam"))
        assert allowed.status_code == 201


def _layers_copy(tmp_path: Path, layer: str, roles: str | None) -> Path:
    """layers/ with ``layer``'s editing roles replaced (None: no editing section)."""
    target = tmp_path / "layers"
    shutil.copytree(PROJECT_ROOT / "layers", target)
    path = target / f"{layer}.yaml"
    text = path.read_text()
    head, _, section = text.partition("\nediting:\n")
    if roles is None:
        path.write_text(head + "\n")
    else:
        start = section.index("  roles:\n") + len("  roles:\n    ")
        end = section.index("\n  delete:")
        path.write_text(f"{head}\nediting:\n{section[:start]}{roles}{section[end:]}")
    return target


def test_a_layer_without_editing_is_read_only(
    settings: Settings, keys, tmp_path: Path, database_url: str
):
    layers = _layers_copy(tmp_path, "hazard_zones", None)
    with _serve(settings, keys, layers_dir=layers) as other:
        for method, path in [
            ("PUT", "hazard_zones/items/1"),
            ("PATCH", "hazard_zones/items/1"),
            ("DELETE", "hazard_zones/items/1"),
        ]:
            response = other(method, path, "admin", json={})
            assert response.status_code == 405, (method, response.text)
            assert response.headers["Allow"] == "GET, HEAD, OPTIONS"
        created = other("POST", "hazard_zones/items", "admin", json=feature(HERE))
        assert created.status_code == 405
        options = other("OPTIONS", "hazard_zones/items/1")
        assert options.status_code == 204 and options.headers["Allow"] == "GET, HEAD, OPTIONS"
        document = other("GET", f"{other.base}/ogc/openapi?f=json").json()
        assert set(document["paths"]["/collections/hazard_zones/items/{featureId}"]) == {
            "get",
            "options",
        }
        assert "post" not in document["paths"]["/collections/hazard_zones/items"]
        assert "put" in document["paths"]["/collections/shelters/items/{featureId}"]
        search = other(
            "POST",
            "hazard_zones/items",
            data=json.dumps({"op": "=", "args": [{"property": "severity"}, "high"]}),
            content_type="application/json",
        )
        assert search.status_code == 200 and search.json()["type"] == "FeatureCollection"


def test_conformance_declares_writes_only_where_a_layer_is_editable(app: Flask):
    config = app.extensions["gisserver.pygeoapi"].config
    assert set(WRITES) <= set(conformance_classes(config, editable=True))
    assert not set(WRITES) & set(conformance_classes(config, editable=False))


def test_options_say_what_each_url_answers(api: Api):
    items = api("OPTIONS", "shelters/items")
    assert items.status_code == 204 and items.headers["Allow"] == "GET, HEAD, OPTIONS, POST"
    item = api("OPTIONS", "shelters/items/1")
    assert item.headers["Allow"] == "GET, HEAD, OPTIONS, PUT, PATCH, DELETE"
    assert api("OPTIONS", "nowhere/items").status_code == 404


def test_a_cql2_json_post_is_still_a_search(api: Api):
    filter_ = {"op": "=", "args": [{"property": "status"}, "open"]}
    response = api(
        "POST", "shelters/items?limit=2", data=json.dumps(filter_), content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["type"] == "FeatureCollection"
    assert all(f["properties"]["status"] == "open" for f in response.json()["features"])


# --- reads follow ------------------------------------------------------------------------------


def _tile(lon: float, lat: float, z: int) -> str:
    n = 2**z
    x = int((lon + 180.0) / 360.0 * n)
    y = int((1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n)
    return f"{z}/{y}/{x}"


def test_reads_follow_a_write_at_once(api: Api):
    where = (12.3451, -4.5671)  # far from every other test's rows
    bbox = "12.34,-4.57,12.35,-4.56"
    page = f"shelters/items?bbox={bbox}"
    tile = f"shelters/tiles/WebMercatorQuad/{_tile(*where, 14)}"
    situation = f"{api.base}/api/situation?bbox={bbox}"
    before = {
        "page": api("GET", page),
        "tile": api("GET", tile),
        "situation": api("GET", situation).json(),
    }
    assert before["page"].json()["numberMatched"] == 0
    fid = feature_id(
        api(
            "POST",
            "shelters/items",
            "analyst",
            json=feature(where, name="Field hospital", capacity=40, occupancy=5, status="open"),
        )
    )
    after_page = api("GET", page, headers={"If-None-Match": before["page"].headers["ETag"]})
    assert after_page.status_code == 200
    assert [f["id"] for f in after_page.json()["features"]] == [fid]
    after_tile = api("GET", tile, headers={"If-None-Match": before["tile"].headers["ETag"]})
    assert (
        after_tile.status_code == 200
        and after_tile.headers["ETag"] != before["tile"].headers["ETag"]
    )
    layer = mapbox_vector_tile.decode(after_tile.content)["shelters"]
    assert [f["properties"]["name"] for f in layer["features"]] == ["Field hospital"]
    now = api("GET", situation).json()
    assert now["shelters"]["free_places"] == before["situation"]["shelters"]["free_places"] + 35
    assert (
        now["layers"]["shelters"]["total"] == before["situation"]["layers"]["shelters"]["total"] + 1
    )
    closed = api(
        "PATCH",
        f"shelters/items/{fid}",
        "operator",
        json={"properties": {"occupancy": 40, "status": "full"}},
        content_type=MERGE,
    )
    item_tag = closed.headers["ETag"]
    assert api("GET", f"shelters/items/{fid}").headers["ETag"] == item_tag
    assert (
        api("GET", situation).json()["shelters"]["free_places"]
        == (before["situation"]["shelters"]["free_places"])
    )
    assert api("DELETE", f"shelters/items/{fid}", "admin").status_code == 204
    assert api("GET", page).json()["numberMatched"] == 0
    assert api("GET", tile).status_code == 204
