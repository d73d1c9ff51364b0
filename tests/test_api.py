"""The /api endpoints over HTTP (Flask test client): answers, bad input as 400, the OpenAPI."""

from __future__ import annotations

import datetime as dt
import json

import psycopg
import pytest
from flask.testing import FlaskClient
from pyproj import Geod

GEOD = Geod(ellps="WGS84")
NOW = dt.datetime.now(dt.UTC)


@pytest.fixture(scope="module")
def fire_zone_shelters(module_rows) -> dict[str, int]:
    """Three shelters (s2 full, s3 closed) and a fire zone in force over s1 and s2."""
    ids: dict[str, int] = {}
    for sid, x, y, cap, occ, status in [
        ("s1", -60.0, -10.0, 100, 10, "open"),
        ("s2", -60.01, -10.01, 100, 100, "open"),
        ("s3", -60.02, -10.0, 100, 0, "closed"),
    ]:
        ids[sid] = module_rows.shelter(
            x, y, name=sid, capacity=cap, occupancy=occ, status=status, source_id=sid
        )
    ids["zone"] = module_rows.zone(
        (-60.015, -10.02, -59.99, -9.99),
        hazard_type="fire",
        severity="high",
        valid_from=NOW - dt.timedelta(hours=1),
    )
    return ids


def test_nearest_answers_geojson_with_geodesic_distances(client: FlaskClient, fire_zone_shelters):
    response = client.get("/api/nearest?layer=shelters&lon=-60.005&lat=-10.004&k=2&status=open")
    assert response.status_code == 200, response.json
    assert response.mimetype == "application/geo+json"
    doc = response.json
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == 2
    for f in doc["features"]:
        x, y = f["geometry"]["coordinates"]
        az, _, dist = GEOD.inv(-60.005, -10.004, x, y)
        assert abs(f["properties"]["distance_m"] - dist) < 0.01
        assert abs(f["properties"]["bearing_deg"] - az % 360) < 1e-6
    assert [f["properties"]["status"] for f in doc["features"]] == ["open", "open"]


def test_nearest_text_answer_is_the_analysis_answer(
    client: FlaskClient, fire_zone_shelters, module_rows, database, layers, database_url: str
):
    """The HTTP body is written as text around PostGIS's geometry text: it must parse to the
    very answer that the OGC process and the CLI give, with the stored coordinates."""
    from gisserver.analyses.nearest import NearestQuery, nearest_resources

    params = {"layer": "shelters", "lon": "-60.005", "lat": "-10.004", "k": "3", "status": "open"}
    response = client.get("/api/nearest", query_string=params)
    assert response.status_code == 200, response.json
    body = json.loads(response.get_data(as_text=True))  # strict: the text must be valid JSON
    assert body == nearest_resources(
        database, NearestQuery.from_params(params, layers=layers), layers=layers
    )
    assert body["numberReturned"] == len(body["features"]) == 2
    assert body["query"] == {
        "layer": "shelters",
        "lon": -60.005,
        "lat": -10.004,
        "k": 3,
        "status": "open",
        "exclude_hazard": False,
    }
    with psycopg.connect(database_url) as conn:
        stored = dict(
            conn.execute(
                "SELECT id, ARRAY[ST_X(geom), ST_Y(geom)] FROM shelters WHERE source = %s",
                (module_rows.source,),
            ).fetchall()
        )
    for f in body["features"]:
        assert f["type"] == "Feature" and f["geometry"]["type"] == "Point"
        assert f["geometry"]["coordinates"] == pytest.approx(stored[f["id"]], abs=1e-9)
        assert f["properties"]["name"] in ("s1", "s2")


def test_nearest_filters_exclude_hazard_and_free_capacity(client: FlaskClient, fire_zone_shelters):
    response = client.get(
        "/api/nearest?layer=shelters&lon=-60.005&lat=-10.004&k=3&max_distance_m=5000"
        "&min_free_capacity=1&exclude_hazard=true"
    )
    assert response.status_code == 200
    # s1 and s2 lie in the fire zone, s2 is full: only the closed s3 is left
    assert [f["id"] for f in response.json["features"]] == [fire_zone_shelters["s3"]]


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/nearest?layer=roads&lon=0&lat=0", "layer"),
        ("/api/nearest?lon=0&lat=0", "layer"),
        ("/api/nearest?layer=shelters&lon=0&lat=0&k=0", "k"),
        ("/api/nearest?layer=shelters&lon=0&lat=0&k=101", "k"),
        ("/api/nearest?layer=shelters&lon=0&lat=0&k=1&k=2", "k"),
        ("/api/nearest?layer=shelters&lon=x&lat=0", "lon/lat"),
        ("/api/nearest?layer=stockpiles&lon=0&lat=0&item=gold", "item"),
        ("/api/nearest?layer=cameras&lon=0&lat=0&min_free_capacity=3", "min_free_capacity"),
        ("/api/nearest?layer=shelters&lon=0&lat=0&max_distance_m=0", "max_distance_m"),
        ("/api/risk-areas?lon=0", "lat"),
        ("/api/risk-areas?lon=0&lat=0&at=tomorrow", "at"),
        ("/api/risk-areas?lon=0&lat=0&radius_m=3", "radius_m"),
        ("/api/situation?bbox=1,2,3", "bbox"),
        ("/api/situation?bbox=3,0,1,1", "bbox"),
        ("/api/situation?box=1,2,3,4", "box"),
    ],
)
def test_bad_query_strings_are_400_naming_the_parameter(client: FlaskClient, url, parameter):
    response = client.get(url)
    assert response.status_code == 400, response.json
    assert response.json["code"] == "InvalidParameterValue"
    assert response.json["description"].startswith(f"{parameter}:")
    assert "accepted" in response.json["description"]


@pytest.mark.parametrize(
    ("body", "parameter"),
    [
        ("not json", "body"),
        ([1, 2], "body"),
        ({"geometry": {"type": "Polygon", "coordinates": [[1, 2]]}}, "geometry"),
        ({"geometry": {"type": "Polygon"}}, "geometry"),
        ({"point": [0, 0], "radius_m": 0}, "radius_m"),
        ({"point": [0, 0], "radius_m": 500_001}, "radius_m"),
        ({"point": [0, 0], "radius_m": "far"}, "radius_m"),
        ({"bbox": [0, 0, 1, 1], "min_severity": "apocalyptic"}, "min_severity"),
        ({"bbox": [0, 0, 1, 1], "at": "2026-13-01"}, "at"),
        ({"bbox": [0, 0, 1, 1], "hazard_types": "meteor"}, "hazard_types"),
    ],
)
def test_bad_risk_area_bodies_are_400(client: FlaskClient, body, parameter):
    data = body if isinstance(body, str) else json.dumps(body)
    response = client.post("/api/risk-areas", data=data, content_type="application/json")
    assert response.status_code == 400, response.json
    assert response.json["description"].startswith(f"{parameter}:")


def test_risk_areas_post_and_point_form(client: FlaskClient, fire_zone_shelters):
    response = client.post(
        "/api/risk-areas", json={"point": [-60.0, -10.0], "radius_m": 2000, "at": NOW.isoformat()}
    )
    assert response.status_code == 200, response.json
    zone = next(f for f in response.json["features"] if f["id"] == fire_zone_shelters["zone"])
    assert zone["properties"]["assets"]["shelters"]["count"] == 2
    assert zone["properties"]["assets"]["shelters"]["capacity"] == 200
    at_point = client.get("/api/risk-areas?lon=-60.0&lat=-10.0")
    assert at_point.status_code == 200
    assert fire_zone_shelters["zone"] in [f["id"] for f in at_point.json["features"]]
    bowtie = {
        "type": "Polygon",
        "coordinates": [
            [[-60.1, -10.1], [-59.9, -9.9], [-59.9, -10.1], [-60.1, -9.9], [-60.1, -10.1]]
        ],
    }
    repaired = client.post("/api/risk-areas", json={"geometry": bowtie})
    assert repaired.status_code == 200
    assert repaired.json["area"]["repaired"] is True and repaired.json["area"]["repair_note"]


def test_affected_population_is_wired_to_the_population_analysis(
    client: FlaskClient, app, fire_zone_shelters
):
    from gisserver.analyses.population import AffectedPopulationQuery, affected_population

    body = {"hazard_zone_id": fire_zone_shelters["zone"]}
    response = client.post("/api/affected-population", json=body)
    assert response.status_code == 200, response.json
    with app.app_context():
        from gisserver.context import state

        direct = affected_population(state().database(), AffectedPopulationQuery.from_params(body))
    assert response.json == json.loads(json.dumps(direct))
    bad = client.post("/api/affected-population", json={"incident_id": 1, "buffer_m": -5})
    assert bad.status_code == 400 and bad.json["description"].startswith("buffer_m:")
    bad = client.post("/api/affected-population", json={"planet": "mars"})
    assert bad.status_code == 400 and "accepted" in bad.json["description"]


def test_situation_answers(client: FlaskClient, fire_zone_shelters):
    response = client.get("/api/situation?bbox=-60.1,-10.1,-59.9,-9.9")
    assert response.status_code == 200
    doc = response.json
    assert doc["layers"]["shelters"]["total"] == 3
    assert doc["shelters"]["free_places"] == 90 + 0 + 100
    assert doc["population_in_hazard_zones"]["zones_in_force"] == 1


def test_openapi_document_is_valid_and_lists_the_endpoints(client: FlaskClient):
    from openapi_spec_validator import validate

    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    validate(response.json)
    paths = response.json["paths"]
    assert set(paths) == {
        "/api/nearest",
        "/api/risk-areas",
        "/api/affected-population",
        "/api/situation",
        "/api/incidents/{incident_id}/recommend",
        "/api/route",
        "/api/isochrone",
        "/api/roads",
        "/api/roads/closures",
        "/api/incidents/{id}/transition",
        "/api/incidents/{id}/assignments",
        "/api/assignments/{id}",
        "/api/assignments/{id}/transition",
        "/api/audit",
        "/api/stock-moves",
        "/api/stock-moves/{id}",
        "/api/subscriptions",
        "/api/subscriptions/{id}",
        "/api/subscriptions/{id}/resume",
        "/api/subscriptions/{id}/deliveries",
        "/api/events",
        "/api/events/token",
        "/api/changes",
        "/api/alerts",
        "/api/alerts/{id}",
        "/api/alerts/{id}/ack",
        "/api/alerts/{id}/resolve",
        "/api/alerts/{id}.cap",
        "/api/alerts.atom",
        "/api/cap",
        "/api/metrics/response",
        "/api/incidents/{id}/timeline",
        "/api/incidents/{id}/report",
        "/api/incidents/{id}/report.html",
        "/api/units/positions",
        "/api/units/{id}/track",
    }
    assert set(paths["/api/risk-areas"]) == {"get", "post"}
    assert set(paths["/api/stock-moves"]) == {"get", "post"}
    assert set(paths["/api/events"]["get"]["responses"]) == {"200", "400", "401", "503"}
    assert "text/event-stream" in paths["/api/events"]["get"]["responses"]["200"]["content"]
    cap = paths["/api/alerts/{id}.cap"]["get"]["responses"]["200"]["content"]
    assert set(cap) == {"application/cap+xml"}
    assert {"application/cap+xml", "application/xml"} <= set(
        paths["/api/cap"]["post"]["requestBody"]["content"]
    )
    for action in ("ack", "resolve"):
        assert set(paths[f"/api/alerts/{{id}}/{action}"]["post"]["responses"]) >= {
            "200",
            "401",
            "403",
            "404",
            "409",
        }


@pytest.mark.parametrize(
    "url",
    [
        "/api/nearest?layer=shelters&lon=nan&lat=0",
        "/api/nearest?layer=shelters&lon=inf&lat=0",
        "/api/nearest?layer=shelters&lon=0&lat=0&k=1e3",
        "/api/nearest?layer=shelters&lon=0&lat=0&min_free_capacity=-1",
        "/api/nearest?layer=stockpiles&lon=0&lat=0&item=water&min_quantity=nan",
        "/api/nearest?layer=shelters&lon=0&lat=0&exclude_hazard=2",
        "/api/nearest?layer=shelters&lon=180&lat=90&k=100",
        "/api/nearest?layer=shelters&lon=-180&lat=-90&max_distance_m=20000000",
        "/api/risk-areas?lon=180&lat=-90",
        "/api/situation?bbox=-180,-90,180,90",
        "/api/situation?bbox=a,b,c,d",
    ],
)
def test_odd_input_is_never_a_500(client: FlaskClient, url):
    response = client.get(url)
    assert response.status_code in (200, 400), (response.status_code, response.json)


@pytest.mark.parametrize(
    "body",
    [
        {"geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [0, 0]]]}},
        {"geometry": {"type": "Polygon", "coordinates": [[[0, 0], [0, 0], [0, 0], [0, 0]]]}},
        {"geometry": {"type": "MultiPolygon", "coordinates": []}},
        {"geometry": {"type": "Polygon", "coordinates": [[[0, 0], [200, 0], [0, 1], [0, 0]]]}},
        {"bbox": "0,0,1"},
        {"bbox": [0, 0, 1, 1], "hazard_types": []},
        {"bbox": [0, 0, 1, 1], "hazard_types": [5]},
        {"point": "1,2,3", "radius_m": 5},
        {"point": [0, 89.99], "radius_m": 500000},
        {"point": [None, 0], "radius_m": 5},
        {"bbox": [0, 0, 1, 1], "at": 12},
    ],
)
def test_odd_bodies_are_never_a_500(client: FlaskClient, body):
    response = client.post("/api/risk-areas", json=body)
    assert response.status_code in (200, 400), (response.status_code, response.json)


def test_a_statement_timeout_is_a_503_not_a_500(settings):
    from gisserver.app import create_app

    slow = create_app(settings.model_copy(update={"statement_timeout_ms": 1}))
    try:
        with slow.test_client() as client:
            # planning the situation statement alone takes longer than 1 ms
            response = client.get("/api/situation")
        assert response.status_code == 503, response.json
        description = response.json["description"]
        assert description.startswith("the request took longer than the statement timeout")
    finally:
        slow.extensions["gisserver"].db.close()


def test_a_subnormal_coordinate_is_a_point_on_the_equator_not_a_server_error(client, rows):
    # schemathesis found it: lat=5e-324 made PostGIS's distance arithmetic underflow (500)
    camera = rows.camera(-71.16, 0.0, name="equator camera")
    response = client.get("/api/nearest?lat=5e-324&layer=cameras&lon=-71.16&k=1")
    assert response.status_code == 200, response.get_data(as_text=True)
    nearest = response.get_json()["features"][0]
    assert nearest["id"] == camera and nearest["properties"]["distance_m"] < 0.01
