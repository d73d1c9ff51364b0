"""The /ogc OpenAPI document: valid and complete offline (no $ref to another server), and every
operation it lists answers; a 405 anywhere says what is allowed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import SyntheticRows
from editing import api_keys
from flask.testing import FlaskClient

from gisserver.layers import LAYER_IDS
from gisserver.ogc.openapi import operations

# Path parameters with a value that exists (the feature ids come from the rows fixture).
PATH_VALUES = {"tileMatrixSetId": "WebMercatorQuad", "tileMatrix": "12", "tileRow": "1514"}
PATH_VALUES |= {"tileCol": "1239"}


@pytest.fixture()
def document(client: FlaskClient) -> dict[str, Any]:
    response = client.get("/ogc/openapi?f=json")
    assert response.status_code == 200
    doc: dict[str, Any] = response.get_json()
    return doc


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [ref for value in node.values() for ref in _refs(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _refs(value)]
    return []


def test_openapi_is_valid_and_refers_to_nothing_elsewhere(document: dict[str, Any]) -> None:
    from openapi_spec_validator import validate

    refs = _refs(document)
    assert refs and not [ref for ref in refs if not ref.startswith("#/")]
    assert "http" not in "".join(refs)
    validate(document)  # resolves every $ref: all of them are in the document itself


@pytest.fixture(scope="module")
def admin(database_url: str) -> Iterator[dict[str, str]]:
    """The headers of an admin key (every write operation answers it)."""
    with api_keys(database_url) as keys:
        yield {"Authorization": f"Bearer {keys['admin'].secret}"}


def test_every_listed_operation_answers(
    client: FlaskClient,
    document: dict[str, Any],
    rows: SyntheticRows,
    admin: dict[str, str],
    road_network: str,  # the route and isochrone processes' examples are Cambridge streets
) -> None:
    features = {
        "hazard_zones": rows.zone((-71.12, 42.36, -71.10, 42.38)),
        "shelters": rows.shelter(-71.11, 42.37),
        "stockpiles": rows.stockpile(-71.11, 42.37),
        "cameras": rows.camera(-71.11, 42.37),
        "incidents": rows.incident((-71.11, 42.37)),
        "units": rows.unit(-71.11, 42.37),
    }
    # deletes last: every other operation of a feature's URL needs the feature
    listed = sorted(operations(document), key=lambda op: op[1] == "delete")
    assert len(listed) > 40
    writes = 0
    for path, method, operation in listed:
        collection = re.match(r"/collections/([^/]+)/items/\{featureId\}", path)
        values = dict(PATH_VALUES, featureId=str(features[collection[1]]) if collection else "")
        url = "/ogc" + re.sub(r"\{(\w+)\}", lambda m, v=values: v[m[1]], path)
        headers = admin if "security" in operation else {}
        writes += "security" in operation
        if method in ("post", "put", "patch"):
            media_type, content = next(iter(operation["requestBody"]["content"].items()))
            body = content["example"]
            if "hazard_zone_id" in body.get("inputs", {}):  # the example's zone is one of ours
                body["inputs"]["hazard_zone_id"] = features["hazard_zones"]
            if "incident_id" in body.get("inputs", {}):  # and so is the example's incident
                body["inputs"]["incident_id"] = features["incidents"]
            response = client.open(
                url, method=method.upper(), json=body, content_type=media_type, headers=headers
            )
        else:
            response = client.open(url, method=method.upper(), headers=headers)
        assert response.status_code not in (404, 405), (method, url, response.data[:300])
        assert response.status_code < 300, (method, url, response.data[:300])
        documented = operation["responses"]
        assert str(response.status_code) in documented or "default" in documented, (
            method,
            url,
            response.status_code,
        )
    assert writes == len(LAYER_IDS) * 4  # POST, PUT, PATCH, DELETE of each layer, all answered


def test_jobs_of_a_synchronous_server_are_not_listed(document: dict[str, Any]) -> None:
    assert "/jobs/{jobId}" not in document["paths"]
    execution = document["paths"]["/processes/situation/execution"]["post"]
    assert "201" not in execution["responses"]
    assert all(p.get("name") != "Prefer" for p in execution.get("parameters", []))


@pytest.mark.parametrize(
    ("method", "url", "allowed"),
    [
        (
            "POST",
            "/ogc/collections/shelters/items/1",
            {"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"},
        ),
        ("PUT", "/ogc/collections/shelters/items", {"GET", "HEAD", "OPTIONS", "POST"}),
        ("POST", "/ogc/collections", {"GET", "HEAD", "OPTIONS"}),
        ("POST", "/ogc/collections/shelters/tiles", {"GET", "HEAD", "OPTIONS"}),
        ("POST", "/ogc/tiles/WebMercatorQuad/12/1514/1239", {"GET", "HEAD", "OPTIONS"}),
        ("GET", "/ogc/processes/situation/execution", {"POST", "OPTIONS"}),
        ("DELETE", "/api/nearest", {"GET", "HEAD", "OPTIONS"}),
        ("POST", "/styles/situation.json", {"GET", "HEAD", "OPTIONS"}),
        ("POST", "/map", {"GET", "HEAD", "OPTIONS"}),
        ("POST", "/healthz", {"GET", "HEAD", "OPTIONS"}),
    ],
)
def test_a_405_says_what_is_allowed(
    client: FlaskClient, method: str, url: str, allowed: set[str]
) -> None:
    response = client.open(url, method=method, data="{}", content_type="application/geo+json")
    assert response.status_code == 405, response.data[:300]
    assert {m.strip() for m in response.headers["Allow"].split(",")} == allowed
    assert response.get_json()["code"]
