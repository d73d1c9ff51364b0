"""The analyses as OGC API Processes: the processors directly, and over HTTP under /ogc."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pygeoapi.process.base import ProcessorExecuteError

from gisserver.analyses.registry import ANALYSES
from gisserver.ogc.processes import PROCESSES, AnalysisProcessor


@pytest.fixture(scope="module")
def flood_zone_shelter(module_rows) -> dict[str, int]:
    """One open shelter for 40 inside a moderate flood zone in force, near (-45, -20)."""
    return {
        "shelter": module_rows.shelter(-45, -20, name="shelter", capacity=40, status="open"),
        "zone": module_rows.zone(
            (-45.01, -20.01, -44.99, -19.99),
            hazard_type="flood",
            severity="moderate",
            valid_from=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1),
        ),
    }


def _processor(process_id: str):
    return AnalysisProcessor(PROCESSES[process_id])


def test_every_process_is_published_with_a_full_description():
    assert (
        set(PROCESSES)
        == {a.id for a in ANALYSES}
        >= {
            "nearest-resources",
            "risk-areas",
            "zones-at-point",
            "affected-population",
            "situation",
        }
    )
    for process_id in PROCESSES:
        metadata = _processor(process_id).metadata
        assert metadata["id"] == process_id
        assert metadata["outputs"] and "inputs" in metadata["example"]
        # every process with inputs has an example that uses them (road-network has none)
        assert bool(metadata["inputs"]) == bool(metadata["example"]["inputs"]), process_id
        for name, spec in metadata["inputs"].items():
            assert "type" in spec["schema"], name
        assert set(metadata["example"]["inputs"]) <= set(metadata["inputs"])


def test_processors_call_the_same_functions(app: Flask, flood_zone_shelter, layers):
    from gisserver.analyses.nearest import NearestQuery, nearest_resources
    from gisserver.analyses.risk import RiskAreasQuery, risk_areas
    from gisserver.context import state

    nearest_inputs = {"layer": "shelters", "lon": -45.001, "lat": -20.0, "k": 1}
    risk_inputs = {"point": [-45.0, -20.0], "radius_m": 500}
    with app.app_context():
        db = state().database()
        mimetype, answer = _processor("nearest-resources").execute(nearest_inputs)
        assert mimetype == "application/json"
        assert answer == nearest_resources(
            db, NearestQuery.from_params(nearest_inputs, layers=layers), layers=layers
        )
        assert answer["features"][0]["id"] == flood_zone_shelter["shelter"]
        _, answer = _processor("risk-areas").execute(risk_inputs)
        expected = risk_areas(
            db, RiskAreasQuery.from_params(risk_inputs, layers=layers), layers=layers
        )
        assert [f["id"] for f in answer["features"]] == [f["id"] for f in expected["features"]]
        assert flood_zone_shelter["zone"] in [f["id"] for f in answer["features"]]
        _, answer = _processor("affected-population").execute(
            {"hazard_zone_id": flood_zone_shelter["zone"]}
        )
        assert "population" in answer and "area_m2" in answer


@pytest.mark.parametrize(
    ("process_id", "inputs", "parameter"),
    [
        ("nearest-resources", {"layer": "shelters", "lon": 0, "lat": 0, "k": 500}, "k"),
        ("nearest-resources", {"layer": "bridges", "lon": 0, "lat": 0}, "layer"),
        ("risk-areas", {"point": [0, 0], "radius_m": -1}, "radius_m"),
        ("risk-areas", {"geometry": {"type": "Polygon", "coordinates": 3}}, "geometry"),
        ("affected-population", {"incident_id": "x"}, "incident_id"),
    ],
)
def test_a_users_mistake_is_a_processor_error_naming_the_input(
    app: Flask, process_id, inputs, parameter
):
    with app.app_context(), pytest.raises(ProcessorExecuteError) as err:
        _processor(process_id).execute(inputs)
    assert err.value.message.startswith(f"{parameter}:")
    assert err.value.http_status_code == 400


def _ogc_mounted(client: FlaskClient) -> bool:
    return client.get("/ogc/processes?f=json").status_code == 200


def test_http_processes_list_and_describe(client: FlaskClient):
    if not _ogc_mounted(client):
        pytest.skip("pygeoapi is not mounted at /ogc in this checkout")
    listed = client.get("/ogc/processes?f=json").json
    assert {p["id"] for p in listed["processes"]} >= set(PROCESSES)
    described = client.get("/ogc/processes/nearest-resources?f=json").json
    assert described["inputs"]["k"]["schema"]["maximum"] == 100
    assert "sync-execute" in described["jobControlOptions"]


def test_http_execution_answers_and_refuses_with_400(client: FlaskClient, flood_zone_shelter):
    if not _ogc_mounted(client):
        pytest.skip("pygeoapi is not mounted at /ogc in this checkout")
    response = client.post(
        "/ogc/processes/nearest-resources/execution",
        data=json.dumps({"inputs": {"layer": "shelters", "lon": -45.001, "lat": -20, "k": 1}}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.data
    doc = json.loads(response.data)
    assert doc["type"] == "FeatureCollection"
    assert doc["features"][0]["id"] == flood_zone_shelter["shelter"]
    risk = client.post(
        "/ogc/processes/risk-areas/execution",
        data=json.dumps({"inputs": {"bbox": [-45.1, -20.1, -44.9, -19.9]}}),
        content_type="application/json",
    )
    assert risk.status_code == 200, risk.data
    assert flood_zone_shelter["zone"] in [f["id"] for f in json.loads(risk.data)["features"]]
    bad = client.post(
        "/ogc/processes/nearest-resources/execution",
        data=json.dumps({"inputs": {"layer": "shelters", "lon": 0, "lat": 0, "k": 0}}),
        content_type="application/json",
    )
    assert bad.status_code == 400, bad.data
    assert "k: 0 is out of range" in json.loads(bad.data)["description"]


@pytest.mark.parametrize(
    ("body", "content_type", "status", "start"),
    [
        # a subscriber would make the server POST to a URL the client chose: refused
        (
            {"inputs": {"bbox": [0, 0, 1, 1]}, "subscriber": {"successUri": "http://127.0.0.1:9/"}},
            "application/json",
            400,
            "subscriber:",
        ),
        # a text/plain POST is what any web page can send without asking: refused
        ('{"inputs": {}}', "text/plain", 415, "Content-Type:"),
        ([1, 2], "application/json", 400, "body:"),
        ({"inputs": [1]}, "application/json", 400, "inputs:"),
        ({"inputs": {}, "mode": "async"}, "application/json", 400, "mode:"),
        ({"inputs": {"bbox": "1,2"}}, "application/json", 400, "bbox:"),
    ],
)
def test_http_execution_refuses_what_it_will_not_run(
    client: FlaskClient, body, content_type, status, start
):
    data = body if isinstance(body, str) else json.dumps(body)
    response = client.post(
        "/ogc/processes/situation/execution", data=data, content_type=content_type
    )
    assert response.status_code == status, response.data
    document = json.loads(response.data)
    assert document["description"].startswith(start) and "accepted" in document["description"]


def test_http_execution_of_a_missing_feature_is_a_404(client: FlaskClient):
    response = client.post(
        "/ogc/processes/affected-population/execution",
        data=json.dumps({"inputs": {"hazard_zone_id": 2**62}}),
        content_type="application/json",
    )
    assert response.status_code == 404, response.data
    assert json.loads(response.data)["code"] == "NotFound"
