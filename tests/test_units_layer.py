"""The units layer and its list field (capabilities): the demo's SAMPLE units loaded from their
file, list values from GeoJSON arrays and CSV text with rejects, API writes (arrays of distinct
enum items), the items filter, CQL2's refusal, tiles (comma-joined) and the schemas. Expected
values come from the files the test wrote or read, in plain Python."""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import mapbox_vector_tile
import psycopg
import pytest
from editing import Api, Key, api_keys, feature, feature_id
from live import serving

from gisserver.cluster import free_port
from gisserver.etl import load_file
from gisserver.etl.manifest import read_manifest
from gisserver.layers import load_layers
from gisserver.settings import PROJECT_ROOT, Settings

SAMPLE = PROJECT_ROOT / "etl" / "data" / "sample" / "units_SAMPLE.geojson"
CAMBRIDGE = PROJECT_ROOT / "etl" / "data" / "cambridge"
CAPABILITIES = load_layers(PROJECT_ROOT / "layers")["units"].fields["capabilities"].enum


def _features(path: Path) -> list[dict[str, Any]]:
    return json.loads(path.read_text())["features"]


def _stored(conn: psycopg.Connection[Any], source: str) -> dict[str, dict[str, Any]]:
    rows = conn.execute(
        "SELECT source_id, name, unit_type, capabilities, home_station, status, speed,"
        " ST_X(geom), ST_Y(geom) FROM units WHERE source = %s",
        (source,),
    ).fetchall()
    keys = ("name", "unit_type", "capabilities", "home_station", "status", "speed", "x", "y")
    return {r[0]: dict(zip(keys, r[1:], strict=True)) for r in rows}


@pytest.fixture(scope="module")
def demo_units(database_url: str, settings: Settings) -> Iterator[str]:
    """The demo manifest's units load, loaded as make demo loads it."""
    (load,) = [
        load for load in read_manifest(PROJECT_ROOT / "etl" / "demo.yaml") if load.layer == "units"
    ]
    assert load.options.get("replace") is True
    with psycopg.connect(database_url) as conn:
        report = load_file(
            conn, "units", load.file, source=load.source, settings=settings, **load.options
        )
        assert report.rejected == 0 and report.inserted == len(_features(SAMPLE))
        yield load.source
        conn.execute("DELETE FROM units WHERE source = %s", (load.source,))
        conn.commit()


def test_sample_units_stand_at_the_real_stations(conn, demo_units: str):
    stations = {
        f["properties"]["SITE_NAME"]: f["geometry"]["coordinates"]
        for name in ("PUBLICSAFETY_FireStations", "PUBLICSAFETY_PoliceStation", "HEALTH_Hospitals")
        for f in _features(CAMBRIDGE / f"{name}.geojson")
    }
    stored = _stored(conn, demo_units)
    written = {f["properties"]["source_id"]: f for f in _features(SAMPLE)}
    assert set(stored) == set(written)
    for source_id, unit in stored.items():
        props = written[source_id]["properties"]
        assert unit["capabilities"] == props["capabilities"], source_id
        assert (unit["name"], unit["unit_type"], unit["status"]) == (
            props["name"],
            props["unit_type"],
            props["status"],
        )
        lon, lat = stations[unit["home_station"]]
        assert math.isclose(unit["x"], lon, abs_tol=1e-6)
        assert math.isclose(unit["y"], lat, abs_tol=1e-6)
    units = list(stored.values())
    fire = [s for s in stations if s.startswith("Fire ")]
    assert {u["home_station"] for u in units if u["unit_type"] == "fire_engine"} == set(fire)
    assert len(fire) == 8
    ambulances = [u for u in units if u["unit_type"] == "ambulance"]
    assert len(ambulances) >= 4
    assert all({"ambulance", "ems"} <= set(u["capabilities"]) for u in ambulances)
    police = [u["home_station"] for u in units if u["unit_type"] == "police_car"]
    assert sorted(police) == sorted([s for s in stations if s.startswith("Police")] * 2)
    assert [u["status"] for u in units].count("out_of_service") == 1
    assert all(set(u["capabilities"]) <= set(CAPABILITIES) for u in units)


def test_the_sample_generator_is_deterministic(tmp_path: Path, monkeypatch):
    import runpy

    module = runpy.run_path(str(SAMPLE.parent / "make_units.py"))
    monkeypatch.setitem(module["main"].__globals__, "OUTPUT", tmp_path / "units.geojson")
    module["main"]()
    assert (tmp_path / "units.geojson").read_text() == SAMPLE.read_text()


def test_lists_load_from_csv_text_with_rejects_naming_the_item(
    conn, settings: Settings, sources, tmp_path: Path
):
    rows = [
        ("u1", "ems; ALS", ["ems", "als"]),
        ("u2", "fire,rescue", ["fire", "rescue"]),
        ("u3", '["hazmat", "fire"]', ["hazmat", "fire"]),
        ("u4", "", []),
        ("u5", "fire;laser", None),  # not an item of the enum
        ("u6", "als;als", None),  # repeated
    ]
    path = tmp_path / "units.csv"
    with path.open("w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["sid", "name", "unit_type", "capabilities", "lon", "lat"])
        for sid, text, _ in rows:
            out.writerow([sid, f"Unit {sid}", "other", text, -71.1, 42.37])
    source = sources("units-csv")
    report = load_file(
        conn,
        "units",
        path,
        source=source,
        mapping={
            "source_id": "sid",
            "properties": "none",
            "fields": {n: n for n in ("name", "unit_type", "capabilities")},
        },
        max_reject_ratio=0.5,
        settings=settings,
    )
    assert (report.inserted, report.rejected) == (4, 2)
    stored = _stored(conn, source)
    assert {sid: u["capabilities"] for sid, u in stored.items()} == {
        sid: want for sid, _, want in rows if want is not None
    }
    with report.rejects_file.open(newline="") as fh:  # type: ignore[union-attr]
        rejects = {r["source_id"]: r for r in csv.DictReader(fh)}
    assert set(rejects) == {"u5", "u6"}
    assert rejects["u5"]["field"] == "capabilities" and "'laser'" in rejects["u5"]["reason"]
    assert ", ".join(CAPABILITIES) in rejects["u5"]["reason"]
    assert "repeated" in rejects["u6"]["reason"]


@pytest.fixture(scope="module")
def keys(database_url: str) -> Iterator[dict[str, Key]]:
    with api_keys(database_url, "units") as made:
        yield made


@pytest.fixture(scope="module")
def api(settings: Settings, keys: dict[str, Key], demo_units: str) -> Iterator[Api]:
    from gisserver.app import create_app

    port = free_port()
    app = create_app(settings.model_copy(update={"public_url": f"http://127.0.0.1:{port}"}))
    with serving(app, port) as base:
        yield Api(base, keys)
    app.extensions["gisserver"].db.close()
    app.extensions["gisserver"].editor.close()


def test_a_unit_written_over_the_api_keeps_its_list(api: Api, database_url: str):
    made = feature((-71.11, 42.37), name="Test 1", unit_type="ambulance", capabilities=["ems"])
    unit = feature_id(api("POST", "units/items", "operator", json=made))
    doc = api("GET", f"units/items/{unit}?f=json").json()
    assert doc["properties"]["capabilities"] == ["ems"]
    assert doc["properties"]["status"] == "available"
    changed = api(
        "PATCH",
        f"units/items/{unit}",
        "operator",
        json={"properties": {"capabilities": ["als"]}},
        content_type="application/merge-patch+json",
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["properties"]["capabilities"] == ["als"]
    # null: the empty list (the column is never null)
    cleared = api(
        "PATCH",
        f"units/items/{unit}",
        "analyst",
        json={"properties": {"capabilities": None}},
        content_type="application/merge-patch+json",
    )
    assert cleared.status_code == 200, cleared.text
    with psycopg.connect(database_url) as conn:
        row = conn.execute("SELECT capabilities FROM units WHERE id = %s", (unit,)).fetchone()
    assert row == ([],)
    assert api("DELETE", f"units/items/{unit}", "operator").status_code == 403
    assert api("DELETE", f"units/items/{unit}", "admin").status_code == 204


@pytest.mark.parametrize(
    ("properties", "field", "words"),
    [
        ({"capabilities": ["fire", "laser"]}, "capabilities", ["'laser'", "water_rescue"]),
        ({"capabilities": ["fire", "fire"]}, "capabilities", ["repeated", "distinct"]),
        ({"capabilities": "fire"}, "capabilities", ["array"]),
        ({"capabilities": [1]}, "capabilities", ["array"]),
        ({"heading": 360}, "heading", ["360", "< 360"]),
        ({"speed": -1}, "speed", [">= 0"]),
        ({"unit_type": "tank"}, "unit_type", ["fire_engine"]),
    ],
)
def test_bad_values_are_refused_naming_field_and_accepted(
    api: Api, database_url: str, properties: dict[str, Any], field: str, words: list[str]
):
    with psycopg.connect(database_url) as conn:
        before = conn.execute("SELECT count(*) FROM units").fetchone()
    made = feature((-71.11, 42.37), **({"name": "Bad", "unit_type": "other"} | properties))
    answer = api("POST", "units/items", "operator", json=made)
    assert answer.status_code == 422, answer.text
    text = answer.json()["description"]
    assert field in text
    for word in words:
        assert word in text, text
    with psycopg.connect(database_url) as conn:
        assert conn.execute("SELECT count(*) FROM units").fetchone() == before


def test_items_filter_by_an_item_of_the_list(api: Api, demo_units: str):
    wanted = sorted(
        f["properties"]["name"]
        for f in _features(SAMPLE)
        if "als" in f["properties"]["capabilities"]
    )
    assert wanted  # the sample has advanced life support ambulances
    query = f"capabilities=als&source={demo_units}&limit=100&f=json"
    page = api("GET", f"units/items?{query}").json()
    assert sorted(f["properties"]["name"] for f in page["features"]) == wanted
    assert all(isinstance(f["properties"]["capabilities"], list) for f in page["features"])


def test_cql2_on_a_list_is_refused_with_the_way_that_works(api: Api):
    answer = api("GET", "units/items?filter=capabilities%20%3D%20'als'&f=json")
    assert answer.status_code == 400
    assert "capabilities=VALUE" in answer.text


def test_html_and_other_formats_show_the_list(api: Api, demo_units: str):
    query = f"source={demo_units}&capabilities=hazmat&limit=5"
    html = api("GET", f"units/items?{query}&f=html")
    assert html.status_code == 200 and "Hazmat 1" in html.text
    jsonld = api("GET", f"units/items?{query}&f=jsonld")
    assert jsonld.status_code == 200, jsonld.text
    assert jsonld.json()["features"][0]["@id"].endswith(
        "/units/items/" + str(_id_of(api, demo_units, "Hazmat 1"))
    )
    # pygeoapi's CSV writes the list as one cell (Python's text of it)
    answer = api("GET", f"units/items?{query}&f=csv")
    assert answer.status_code == 200
    (row,) = csv.DictReader(answer.text.splitlines())
    assert row["name"] == "Hazmat 1"
    assert "hazmat" in row["capabilities"] and "fire" in row["capabilities"]


def _id_of(api: Api, source: str, name: str) -> int:
    page = api("GET", f"units/items?source={source}&name={name}&f=json").json()
    (found,) = page["features"]
    return int(found["id"])


def test_schemas_describe_the_list_items(api: Api):
    schema = api("GET", "units/schema?f=json").json()["properties"]["capabilities"]
    assert schema["type"] == "array"
    assert schema["items"] == {"type": "string", "enum": list(CAPABILITIES)}
    openapi = api("GET", f"{api.base}/ogc/openapi?f=json").json()
    bodies = json.dumps(openapi["paths"]["/collections/units/items"]["post"])
    assert '"uniqueItems": true' in bodies and '"water_rescue"' in bodies


def test_tiles_carry_the_list_joined_by_commas(api: Api, demo_units: str):
    engine = next(f for f in _features(SAMPLE) if f["properties"]["name"] == "Engine 1")
    lon, lat = engine["geometry"]["coordinates"]
    # the Web Mercator tile holding it (the slippy-map formula)
    n = 2**16
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    answer = api("GET", f"units/tiles/WebMercatorQuad/16/{y}/{x}")
    assert answer.status_code == 200
    layers = mapbox_vector_tile.decode(answer.content, default_options={"y_coord_down": True})
    carried = {f["properties"]["name"]: f["properties"] for f in layers["units"]["features"]}
    assert carried["Engine 1"]["capabilities"] == ",".join(engine["properties"]["capabilities"])
    tilejson = api("GET", "units/tiles/WebMercatorQuad/tilejson.json").json()
    assert "comma" in tilejson["vector_layers"][0]["fields"]["capabilities"]
