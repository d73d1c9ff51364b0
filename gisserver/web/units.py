"""/api/units: the units' live positions (AVL) and their tracks (``gisserver.edits.positions``).

``POST /api/units/positions`` (role operator: an AVL gateway holds an operator key; admin)
takes ``{"positions": [{"unit_id", "lon", "lat", "time", "speed"?, "heading"?}, ...]}`` (at most
``GISSERVER_POSITIONS_PER_REQUEST``): 200 with ``accepted``, ``moved`` (the units now shown at a
new position), ``stale`` (positions not newer than their unit's: kept in the track, moving
nothing) and ``arrived`` (assignments that became on scene). A batch with any wrong position is
refused whole (422 naming each position's index and field) and writes nothing.

``GET /api/units/{id}/track?from=&to=&limit=`` is a unit's positions in a time window (default:
the last 24 hours), oldest first, as a GeoJSON FeatureCollection of points with the line they
make; readable like the other reads (an API key only when ``reads_require_key``).
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Flask, Response

from gisserver.context import state
from gisserver.edits.positions import (
    BODY_FIELDS,
    MAX_ID,
    TIME_ACCEPTED,
    Rules,
    parse_batch,
    record_positions,
)
from gisserver.edits.track import MAX_TRACK, TrackQuery, unit_track
from gisserver.web import auth
from gisserver.web.http import json_object, query_args

PATH = "/api/units"
GEOJSON = "application/geo+json"


def _json(document: Any, mimetype: str = "application/json") -> Response:
    return Response(json.dumps(document, separators=(",", ":")), mimetype=mimetype)


def init_app(app: Flask) -> None:
    """Register /api/units/positions and /api/units/{id}/track."""
    bp = Blueprint("units", __name__, url_prefix=PATH)

    @bp.post("/positions")
    @auth.requires("operator")
    def positions() -> Response:
        st = state()
        rules = Rules.of(st.settings)
        batch = parse_batch(json_object(BODY_FIELDS), rules)
        return _json(record_positions(st.edits(), batch, auth.actor(), rules))

    @bp.get("/<int:unit_id>/track")
    def track(unit_id: int) -> Response:
        query = TrackQuery.from_args(unit_id, query_args())
        return _json(unit_track(state().database(), query), GEOJSON)

    app.register_blueprint(bp)


# ---------------------------------------------------------------------------------------------
# Their description in the /api OpenAPI document (gisserver.web.api)

_ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
_TIME = {"type": "string", "format": "date-time"}
_POSITION = {
    "type": "object",
    "required": ["unit_id", "lon", "lat", "time"],
    "additionalProperties": False,
    "properties": {
        "unit_id": {**_ID, "description": "the unit's id (the units layer's feature id)"},
        "lon": {"type": "number", "minimum": -180, "maximum": 180},
        "lat": {"type": "number", "minimum": -90, "maximum": 90},
        "time": {**_TIME, "description": TIME_ACCEPTED},
        "speed": {"type": ["number", "null"], "minimum": 0, "description": "metres per second"},
        "heading": {
            "type": ["number", "null"],
            "minimum": 0,
            "exclusiveMaximum": 360,
            "description": "degrees clockwise from true north",
        },
    },
}
_ANSWER = {
    "type": "object",
    "properties": {
        "accepted": {"type": "integer", "description": "positions kept in the track"},
        "moved": {"type": "array", "items": _ID, "description": "units now at a new position"},
        "stale": {
            "type": "integer",
            "description": "positions not newer than their unit's: kept, moving nothing",
        },
        "arrived": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"assignment": _ID, "unit": _ID, "at": _TIME},
            },
            "description": "assignments now on scene (and their units)",
        },
    },
}
_POINT = {
    "type": "object",
    "properties": {
        "type": {"const": "Feature"},
        "geometry": {"type": "object"},
        "properties": {
            "type": "object",
            "properties": {
                "time": _TIME,
                "speed": {"type": ["number", "null"]},
                "heading": {"type": ["number", "null"]},
            },
        },
    },
}
_TRACK = {
    "type": "object",
    "properties": {
        "type": {"const": "FeatureCollection"},
        "unit": {"type": "object"},
        "from": _TIME,
        "to": _TIME,
        "numberReturned": {"type": "integer"},
        "truncated": {"type": "boolean"},
        "features": {"type": "array", "items": _POINT},
        "line": {"type": "object", "description": "a Feature: the LineString of the points"},
        "next": {"type": "object", "description": "when truncated: the rest's from and to"},
    },
}
_ERRORS = {
    "400": "the body is not JSON, or a parameter is wrong; the description names it",
    "401": "no valid API key",
    "403": "the key's role may not send positions (operator, admin)",
    "404": "no such unit",
    "413": "the body or the number of positions is larger than the server takes",
    "415": "the body is not application/json",
    "422": "positions are refused: the description names each one's index, field and what is "
    "accepted; nothing was written",
    "503": "the database is unavailable; try again",
}


def _responses(error: dict[str, Any], ok: dict[str, Any], codes: tuple[str, ...]) -> dict[str, Any]:
    content = {"application/json": {"schema": error}}
    return ok | {code: {"description": _ERRORS[code], "content": content} for code in codes}


def openapi_paths(error: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI paths of /api/units; ``error`` is the schema of an error document."""
    window = [
        ("from", "the window's start (inclusive); default: 24 hours before `to`"),
        ("to", "the window's end (exclusive); default: now"),
    ]
    return {
        PATH + "/positions": {
            "post": {
                "operationId": "unit-positions",
                "summary": "Send units' positions (AVL)",
                "description": "Role operator. Each unit moves to its newest position if that "
                "is newer than the one it is shown at; every position is kept in its track. "
                "One transaction: the track, the units, one audit row and one `positions` event "
                "of the feed per batch, and arrivals (an open assignment whose unit reports a "
                "position near where it was sent becomes on scene).",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["positions"],
                                "additionalProperties": False,
                                "properties": {
                                    "positions": {
                                        "type": "array",
                                        "minItems": 1,
                                        "items": _POSITION,
                                    }
                                },
                            },
                            "example": {
                                "positions": [
                                    {
                                        "unit_id": 12,
                                        "lon": -71.1056,
                                        "lat": 42.3736,
                                        "time": "2026-12-03T10:15:02Z",
                                        "speed": 11.2,
                                        "heading": 87.5,
                                    }
                                ]
                            },
                        }
                    },
                },
                "responses": _responses(
                    error,
                    {
                        "200": {
                            "description": "the batch was written",
                            "content": {"application/json": {"schema": _ANSWER}},
                        }
                    },
                    ("400", "401", "403", "413", "415", "422", "503"),
                ),
            }
        },
        PATH + "/{id}/track": {
            "get": {
                "operationId": "unit-track",
                "summary": "A unit's track in a time window",
                "description": "The unit's positions oldest first (at most "
                f"{MAX_TRACK:,}: `truncated` and `next` say when there are more) as GeoJSON "
                "points, and the line they make (`line`).",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": _ID},
                    *(
                        {
                            "name": name,
                            "in": "query",
                            "required": False,
                            "schema": {"type": "string"},
                            "description": text + "; an ISO 8601 time (UTC unless it has an "
                            "offset) or a time ago (90m, 12h, 2d)",
                        }
                        for name, text in window
                    ),
                    {
                        "name": "limit",
                        "in": "query",
                        "required": False,
                        "schema": {
                            "type": "integer",
                            "minimum": 1,
                            "maximum": MAX_TRACK,
                            "default": MAX_TRACK,
                        },
                        "description": "positions at most",
                    },
                ],
                "responses": _responses(
                    error,
                    {
                        "200": {
                            "description": "the track",
                            "content": {GEOJSON: {"schema": _TRACK}},
                        }
                    },
                    ("400", "401", "404", "503"),
                ),
            }
        },
    }
