"""The /ogc OpenAPI document as served: pygeoapi's, complete offline and true to this server.

pygeoapi 0.21's document refers to schema files on the internet (schemas.opengis.net,
raw.githubusercontent.com, geojson.org), so an OpenAPI tool without internet cannot read it, and
it lists operations this server never answers. ``served_document`` rewrites it:

- each remote ``$ref`` points to a component of the document itself, added from
  ``schemas/components.yaml`` (written for gisserver: no package registry ships the OGC files)
  and ``schemas/geojson-Geometry.json`` (see ``schemas/README.md``);
- the job resources go (pygeoapi's Dummy manager keeps no job: ``/jobs/{jobId}`` and its results
  are always 404), and so do the asynchronous parts of process execution (the ``Prefer:
  respond-async`` header and the 201 answer: our processes run synchronously);
- ``/collections`` answers the collections, not the landing page; a tile may be 204 (empty);
  one feature is a GeoJSON Feature (pygeoapi's schema puts its properties at the top);
- the feature writes (OGC API - Features - Part 4) of the layers with ``editing:`` are added
  (``openapi_writes``), with OPTIONS answering 204 and ``Allow``;
- what OpenAPI 3.0 schema objects may not hold is put as 3.0 says: pygeoapi's ``values`` of a
  property become ``enum``, ``type: [X, "null"]`` becomes ``type: X, nullable: true``, and a
  ``$schema`` key goes.
"""

from __future__ import annotations

import copy
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from gisserver.layers import LayerRegistry
from gisserver.ogc.openapi_writes import add_write_operations

log = logging.getLogger(__name__)

SCHEMAS = Path(__file__).resolve().parent / "schemas"
_FEATURES = "https://schemas.opengis.net/ogcapi/features/part1/1.0/openapi/ogcapi-features-1.yaml"
_PROCESSES = "https://schemas.opengis.net/ogcapi/processes/part1/1.0/openapi"
_TILES = "https://schemas.opengis.net/ogcapi/tiles/part1/1.0/openapi/ogcapi-tiles-1.yaml"
_RECORDS = "https://raw.githubusercontent.com/opengeospatial/ogcapi-records/master/core/openapi"
# The remote $refs of pygeoapi 0.21's document and the local component each one becomes.
REMOTE_REFS = (
    {
        f"{_FEATURES}#/components/parameters/{name}": f"#/components/parameters/{name}"
        for name in ("datetime", "featureId")
    }
    | {
        f"{_FEATURES}#/components/responses/{name}": f"#/components/responses/{name}"
        for name in ("LandingPage", "Collection", "Features", "InvalidParameter", "NotFound")
    }
    | {
        f"{_FEATURES}#/components/responses/ServerError": "#/components/responses/ServerError",
        f"{_PROCESSES}/responses/NotFound.yaml": "#/components/responses/NotFound",
        f"{_PROCESSES}/responses/ProcessList.yaml": "#/components/responses/ProcessList",
        f"{_PROCESSES}/responses/ServerError.yaml": "#/components/responses/ServerError",
        f"{_PROCESSES}/schemas/exception.yaml": "#/components/schemas/exception",
        f"{_PROCESSES}/schemas/execute.yaml": "#/components/schemas/execute",
        f"{_TILES}#/components/schemas/link": "#/components/schemas/link",
        f"{_RECORDS}/parameters/sortby.yaml": "#/components/parameters/sortby",
        "https://geojson.org/schema/Geometry.json": "#/components/schemas/geometryGeoJSON",
    }
    | {
        f"{_TILES}#/components/parameters/{name}": f"#/components/parameters/{name}"
        for name in ("tileMatrixSetId", "tileMatrix", "tileRow", "tileCol")
    }
)
# Paths this server never answers with anything but 404.
UNSERVED_PATHS = ("/jobs/{jobId}", "/jobs/{jobId}/results")
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(path, method, operation) of every operation of a document."""
    for path, item in document.get("paths", {}).items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def _local_components() -> dict[str, dict[str, Any]]:
    components: dict[str, dict[str, Any]] = yaml.safe_load(
        (SCHEMAS / "components.yaml").read_text()
    )
    geometry = json.loads((SCHEMAS / "geojson-Geometry.json").read_text())
    components["schemas"]["geometryGeoJSON"] = {
        k: v for k, v in geometry.items() if k not in ("$schema", "$id")
    }
    return components


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    """Every mapping in a JSON tree, parents before children."""
    if isinstance(node, dict):
        yield node
        for value in list(node.values()):
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _as_openapi_30(node: dict[str, Any]) -> None:
    """One mapping, if it is a JSON schema in a form OpenAPI 3.0 does not take, put in 3.0's."""
    node.pop("$schema", None)
    if isinstance(node.get("values"), list) and "type" in node:
        node.setdefault("enum", node.pop("values"))
    kind = node.get("type")
    if isinstance(kind, list):
        others = [k for k in kind if k != "null"]
        node["type"] = others[0] if len(others) == 1 else "string"
        if "null" in kind:
            node["nullable"] = True


_DESCRIPTIONS = {"200": "successful operation", "204": "no content"}


def _feature_response(responses: dict[str, Any]) -> None:
    """One feature's answer is a GeoJSON Feature whose ``properties`` are the layer's (pygeoapi
    describes the properties and the geometry side by side, at the top)."""
    content = responses.get("200", {}).get("content", {}).get("application/geo+json", {})
    described = content.get("schema", {})
    properties = {k: v for k, v in described.get("properties", {}).items() if k != "geometry"}
    content["schema"] = {
        "allOf": [
            {"$ref": "#/components/schemas/featureGeoJSON"},
            {
                "type": "object",
                "title": described.get("title", "feature"),
                "properties": {"properties": {"type": "object", "properties": properties}},
            },
        ]
    }
    responses["200"]["description"] = "the feature"


def served_document(
    document: dict[str, Any], layers: LayerRegistry, crs_lists: dict[str, list[str]]
) -> dict[str, Any]:
    """pygeoapi's OpenAPI document, self-contained and listing only what this server answers,
    with the feature writes of the editable layers (``openapi_writes``)."""
    served = copy.deepcopy(document)
    add_write_operations(served, layers, crs_lists)
    paths: dict[str, Any] = served.get("paths", {})
    for path in UNSERVED_PATHS:
        paths.pop(path, None)
    for path, method, operation in operations(served):
        if method == "post" and path.endswith("/execution"):
            operation["parameters"] = [
                p for p in operation.get("parameters", []) if p.get("name") != "Prefer"
            ]
            operation.get("responses", {}).pop("201", None)
        if operation.get("operationId") == "getCollections":
            operation["responses"]["200"] = {"$ref": "#/components/responses/Collections"}
        if method == "get" and path.endswith("/items/{featureId}"):
            _feature_response(operation["responses"])
        if method == "get" and path.endswith("/{tileMatrix}/{tileRow}/{tileCol}"):
            operation["responses"].setdefault("204", {"description": "no feature in this tile"})
        for status, response in operation.get("responses", {}).items():
            if "$ref" not in response:
                response.setdefault("description", _DESCRIPTIONS.get(status, "response"))

    components = served.setdefault("components", {})
    for section, entries in _local_components().items():
        existing = components.setdefault(section, {})
        for name, entry in entries.items():
            if name in existing:
                raise ValueError(f"components/{section}/{name} is pygeoapi's already")
            existing[name] = entry
    for node in _walk(served):
        ref = node.get("$ref")
        if isinstance(ref, str) and not ref.startswith("#"):
            if ref in REMOTE_REFS:
                node["$ref"] = REMOTE_REFS[ref]
            else:
                log.warning("the /ogc OpenAPI document refers to %s (not in REMOTE_REFS)", ref)
        _as_openapi_30(node)
    return served
