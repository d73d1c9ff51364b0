"""JSON endpoints under /api: the analyses, and their OpenAPI document at /api/openapi.json.

Each endpoint parses its input into the analysis' query object and calls the one function that
the OGC process and the CLI call too. A user's mistake is an InvalidParameter, answered 400 by
the app's GisServerError handler.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from flask import Blueprint, Flask, Response, request

from gisserver.analyses import schemas
from gisserver.analyses.area import parse_bbox
from gisserver.analyses.nearest import NearestQuery, nearest_resources_json
from gisserver.analyses.parameters import reject_unknown
from gisserver.analyses.risk import RiskAreasQuery, parse_time, risk_areas, zones_at_point
from gisserver.analyses.situation import situation
from gisserver.context import state
from gisserver.errors import InvalidParameter

bp = Blueprint("api", __name__, url_prefix="/api")


def _answer(document: Mapping[str, Any], mimetype: str = "application/json") -> Response:
    return Response(json.dumps(document, ensure_ascii=False, allow_nan=False), mimetype=mimetype)


def _query_args() -> dict[str, str]:
    """The query string as single values; a repeated parameter is refused, not half-ignored."""
    args: dict[str, str] = {}
    for key in request.args:
        values = request.args.getlist(key)
        if len(values) > 1:
            raise InvalidParameter(key, "is given more than once", "one value")
        args[key] = values[0]
    return args


def _json_body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise InvalidParameter(
            "body", "is not a JSON object", "a JSON object (Content-Type: application/json)"
        )
    return body


@bp.get("/nearest")
def nearest():
    st = state()
    query = NearestQuery.from_params(_query_args(), layers=st.layers)
    # The GeoJSON text as the analysis wrote it, around PostGIS's own geometry text.
    answer = nearest_resources_json(st.database(), query, layers=st.layers)
    return Response(answer, mimetype="application/geo+json")


@bp.post("/risk-areas")
def risk_areas_post():
    st = state()
    query = RiskAreasQuery.from_params(_json_body(), layers=st.layers)
    return _answer(risk_areas(st.database(), query, layers=st.layers), "application/geo+json")


@bp.get("/risk-areas")
def risk_areas_at_point():
    st = state()
    args = _query_args()
    reject_unknown(args, ("lon", "lat", "at"), where="GET /api/risk-areas (zones at a point)")
    for required in ("lon", "lat"):
        if required not in args:
            raise InvalidParameter(
                required, "is required", "lon and lat in WGS84 degrees (POST for an area)"
            )
    at = parse_time(args["at"]) if "at" in args else None
    answer = zones_at_point(st.database(), args["lon"], args["lat"], at, layers=st.layers)
    return _answer(answer, "application/geo+json")


@bp.post("/affected-population")
def affected_population_post():
    from gisserver.analyses.population import AffectedPopulationQuery, affected_population

    query = AffectedPopulationQuery.from_json(_json_body())
    return _answer(affected_population(state().database(), query))


@bp.get("/situation")
def situation_get():
    args = _query_args()
    reject_unknown(args, ("bbox",), where="situation")
    bbox = parse_bbox(args["bbox"]) if "bbox" in args else None
    return _answer(situation(state().database(), bbox))


@bp.get("/openapi.json")
def openapi():
    return _answer(openapi_document(request.host_url.rstrip("/")))


def init_app(app: Flask) -> None:
    """Register the /api blueprint."""
    app.register_blueprint(bp)


# ---------------------------------------------------------------------------------------------
# The OpenAPI document of /api (pygeoapi describes /ogc in /ogc/openapi)


def _query_parameter(name: str, schema: dict[str, Any], required: bool = False) -> dict[str, Any]:
    body = {k: v for k, v in schema.items() if k != "description"}
    return {
        "name": name,
        "in": "query",
        "required": required,
        "schema": body,
        **({"description": schema["description"]} if "description" in schema else {}),
    }


def _json_request(properties: dict[str, Any], example: dict[str, Any]) -> dict[str, Any]:
    return {
        "required": True,
        "content": {
            "application/json": {
                "schema": {"type": "object", "properties": properties},
                "example": example,
            }
        },
    }


def _responses(media: str, schema: dict[str, Any]) -> dict[str, Any]:
    error = {"application/json": {"schema": schemas.ERROR}}
    return {
        "200": {"description": "the answer", "content": {media: {"schema": schema}}},
        "400": {
            "description": "a parameter is wrong; the description names it and what is accepted",
            "content": error,
        },
        "503": {"description": "the database is unavailable or too slow", "content": error},
    }


def openapi_document(server_url: str = "") -> dict[str, Any]:
    """OpenAPI 3.1 description of the /api endpoints."""
    nearest_inputs = schemas.NEAREST_INPUTS
    geojson = "application/geo+json"
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "gisserver analyses",
            "version": "1",
            "description": "Nearest resources, risk areas, affected population and the "
            "situation report. The same analyses are OGC API Processes under /ogc/processes.",
        },
        "servers": [{"url": server_url}] if server_url else [],
        "paths": {
            "/api/nearest": {
                "get": {
                    "summary": "The k nearest shelters, stockpiles or cameras to a point",
                    "description": "Ordered by geodesic distance (WGS84). Each feature carries "
                    "its layer's public fields, distance_m and bearing_deg (initial bearing, "
                    "degrees clockwise from north), free_capacity (shelters) or items "
                    "(stockpiles: unexpired stock).",
                    "parameters": [
                        _query_parameter(name, schema, name in ("layer", "lon", "lat"))
                        for name, schema in nearest_inputs.items()
                    ],
                    "responses": _responses(geojson, schemas.FEATURE_COLLECTION),
                }
            },
            "/api/risk-areas": {
                "post": {
                    "summary": "Hazard zones in force intersecting an area, with assets at risk",
                    "description": "Exactly one of geometry, bbox, or point with radius_m. Each "
                    "zone carries intersection_area_m2 (geodesic) and assets: shelters, "
                    "stockpiles, cameras and open incidents inside it, with counts and "
                    "shelter capacity at risk.",
                    "requestBody": _json_request(
                        schemas.RISK_AREAS_INPUTS,
                        {"point": [-71.1097, 42.3736], "radius_m": 500, "min_severity": "high"},
                    ),
                    "responses": _responses(geojson, schemas.FEATURE_COLLECTION),
                },
                "get": {
                    "summary": "Hazard zones in force containing a point (boundary included)",
                    "parameters": [
                        _query_parameter("lon", nearest_inputs["lon"], True),
                        _query_parameter("lat", nearest_inputs["lat"], True),
                        _query_parameter("at", schemas.RISK_AREAS_INPUTS["at"]),
                    ],
                    "responses": _responses(geojson, schemas.FEATURE_COLLECTION),
                },
            },
            "/api/affected-population": {
                "post": {
                    "summary": "How many people live in an area",
                    "description": "Exactly one of geometry, hazard_zone_id, or incident_id "
                    "(with buffer_m). Raster sources: sum of the cells whose centre is inside; "
                    "census sources: areal-weighted interpolation with geodesic areas.",
                    "requestBody": _json_request(
                        schemas.AFFECTED_POPULATION_INPUTS, {"incident_id": 1, "buffer_m": 500}
                    ),
                    "responses": _responses("application/json", schemas.AFFECTED_POPULATION_OUTPUT),
                }
            },
            "/api/situation": {
                "get": {
                    "summary": "Counts, shelter places, stock, open incidents, population at risk",
                    "parameters": [
                        _query_parameter(
                            "bbox",
                            {
                                "type": "string",
                                "description": "minlon,minlat,maxlon,maxlat (default: all)",
                            },
                        )
                    ],
                    "responses": _responses("application/json", schemas.SITUATION_OUTPUT),
                }
            },
        },
    }
