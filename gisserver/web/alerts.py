"""/api/alerts: the alerts the layers' rules raised (``gisserver.alerts``), and their lifecycle.

``GET /api/alerts`` lists them newest first as a GeoJSON FeatureCollection (``status``, default
active and acknowledged; ``rule``; ``severity``; ``bbox``; ``limit``; ``after`` = the last id of
the previous page, ``next`` links to it) and ``GET /api/alerts/{id}`` shows one: readable like
the other reads (an API key only when ``reads_require_key``); who acknowledged or resolved an
alert is shown to callers with a key. ``POST /api/alerts/{id}/ack`` and ``/resolve`` (role
operator; admin) take an optional ``{"note": "..."}`` and answer the alert as it is then; an
alert in another status is a 409 that names its status and what the action accepts.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Flask, Response, request

from gisserver.alerts import KINDS, AlertQuery, change_status, get_alert, list_alerts
from gisserver.alerts.lifecycle import DEFAULT_LIMIT, MAX_ID, MAX_LIMIT, MAX_NOTE, STATUSES
from gisserver.context import state
from gisserver.errors import InvalidParameter, UnsupportedMediaType
from gisserver.layers import CAP_SEVERITIES
from gisserver.web import auth
from gisserver.web.http import query_args

PATH = "/api/alerts"
GEOJSON = "application/geo+json"


def _json(document: Any) -> Response:
    return Response(json.dumps(document, default=str), mimetype=GEOJSON)


def _note() -> str | None:
    """The optional ``{"note": "..."}`` of an ack or a resolve (an empty body: none)."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        return None
    if not request.is_json:
        raise UnsupportedMediaType(
            "Content-Type", f"{request.mimetype or 'none'} is not accepted", "application/json"
        )
    try:
        body = json.loads(raw)
    except ValueError as exc:
        raise InvalidParameter(
            "body", f"is not JSON ({exc})", 'a JSON object {"note": "..."}'
        ) from exc
    if not isinstance(body, dict) or set(body) - {"note"}:
        raise InvalidParameter("body", "is not accepted", 'a JSON object {"note": "..."}')
    note = body.get("note")
    if note is not None and (not isinstance(note, str) or not note.strip()):
        raise InvalidParameter("note", f"{note!r} is not accepted", "a non-empty string")
    return note.strip() if note else None


def _people() -> bool:
    return auth.principal().authenticated


def init_app(app: Flask) -> None:
    """Register /api/alerts."""
    bp = Blueprint("alerts", __name__, url_prefix=PATH)

    @bp.get("")
    def index() -> Response:
        query = AlertQuery.from_args(query_args())
        features, after = list_alerts(state().database(), query, people=_people())
        links = [{"rel": "self", "href": f"{PATH}?{urlencode(query.as_args())}"}]
        if after is not None:
            following = urlencode(query.as_args() | {"after": str(after)})
            links.append({"rel": "next", "href": f"{PATH}?{following}"})
        return _json(
            {
                "type": "FeatureCollection",
                "features": features,
                "numberReturned": len(features),
                "links": links,
            }
        )

    @bp.get("/<int:alert_id>")
    def show(alert_id: int) -> Response:
        return _json(get_alert(state().database(), alert_id, people=_people()))

    @bp.post("/<int:alert_id>/ack")
    @auth.requires("operator")
    def acknowledge(alert_id: int) -> Response:
        return _json(change_status(state().edits(), alert_id, "ack", auth.actor(), _note()))

    @bp.post("/<int:alert_id>/resolve")
    @auth.requires("operator")
    def resolve(alert_id: int) -> Response:
        return _json(change_status(state().edits(), alert_id, "resolve", auth.actor(), _note()))

    app.register_blueprint(bp)


# ---------------------------------------------------------------------------------------------
# Their description in the /api OpenAPI document (gisserver.web.api)

_ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
_TIME = {"type": ["string", "null"], "format": "date-time"}
_TEXT = {"type": ["string", "null"]}
_ALERT = {
    "type": "object",
    "properties": {
        "type": {"const": "Feature"},
        "id": {"type": "integer"},
        "geometry": {"type": ["object", "null"], "description": "its subject's (GeoJSON)"},
        "properties": {
            "type": "object",
            "properties": {
                "rule": {"type": "string", "enum": list(KINDS)},
                "subject": {"type": "string", "description": "layer/id, e.g. incidents/12"},
                "status": {"type": "string", "enum": list(STATUSES)},
                "severity": {"type": "string", "enum": list(CAP_SEVERITIES)},
                "event": _TEXT,
                "category": _TEXT,
                "urgency": _TEXT,
                "certainty": _TEXT,
                "headline": _TEXT,
                "description": _TEXT,
                "instruction": _TEXT,
                "details": {"type": ["object", "null"]},
                "raised_at": _TIME,
                "acknowledged_at": _TIME,
                "acknowledged_by": {**_TEXT, "description": "shown to callers with a key"},
                "resolved_at": _TIME,
                "resolved_by": {**_TEXT, "description": "shown to callers with a key"},
                "resolution": _TEXT,
                "expires": _TIME,
                "updated_at": _TIME,
                "version": {"type": "integer"},
            },
        },
    },
}
_ERRORS = {
    "400": "a parameter or the body is wrong; the description names it and what is accepted",
    "401": "no valid API key (or the server requires one for reads)",
    "403": "the key's role is not operator or admin",
    "404": "no such alert",
    "409": "the alert is in a status the action does not accept (the description names it)",
    "415": "a body that is not application/json",
    "503": "the database is unavailable; try again",
}


def _answers(
    error: dict[str, Any], text: str, schema: dict[str, Any], codes: tuple[str, ...]
) -> dict[str, Any]:
    content = {"application/json": {"schema": error}}
    return {"200": {"description": text, "content": {GEOJSON: {"schema": schema}}}} | {
        code: {"description": _ERRORS[code], "content": content} for code in codes
    }


def _action(operation_id: str, summary: str, error: dict[str, Any]) -> dict[str, Any]:
    note = {
        "type": "object",
        "additionalProperties": False,
        "properties": {"note": {"type": "string", "minLength": 1, "maxLength": MAX_NOTE}},
    }
    return {
        "operationId": operation_id,
        "summary": summary,
        "description": "Role operator (or admin). The optional note is kept with the alert. "
        "See docs/alerts.md.",
        "parameters": [{"name": "id", "in": "path", "required": True, "schema": _ID}],
        "requestBody": {"required": False, "content": {"application/json": {"schema": note}}},
        "responses": _answers(
            error,
            "the alert as it is now",
            _ALERT,
            ("400", "401", "403", "404", "409", "415", "503"),
        ),
    }


def openapi_paths(error: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI paths of /api/alerts; ``error`` is the schema of an error document."""

    def listed(name: str, accepted: tuple[str, ...], text: str) -> dict[str, Any]:
        return {
            "name": name,
            "in": "query",
            "required": False,
            "style": "form",
            "explode": False,
            "schema": {"type": "array", "items": {"type": "string", "enum": list(accepted)}},
            "description": text,
        }

    collection = {
        "type": "object",
        "properties": {
            "type": {"const": "FeatureCollection"},
            "features": {"type": "array", "items": _ALERT},
            "numberReturned": {"type": "integer"},
            "links": {"type": "array", "items": {"type": "object"}},
        },
    }
    parameters = [
        listed("status", STATUSES, "these statuses (default: active,acknowledged)"),
        listed("rule", tuple(KINDS), "raised by these rules"),
        listed("severity", CAP_SEVERITIES, "of these severities (CAP)"),
        {
            "name": "bbox",
            "in": "query",
            "required": False,
            "style": "form",
            "explode": False,
            "schema": {"type": "array", "items": {"type": "number"}, "minItems": 4, "maxItems": 4},
            "description": "minLon,minLat,maxLon,maxLat (CRS84): alerts whose geometry meets it",
        },
        {
            "name": "limit",
            "in": "query",
            "required": False,
            "schema": {
                "type": "integer",
                "minimum": 1,
                "maximum": MAX_LIMIT,
                "default": DEFAULT_LIMIT,
            },
            "description": "alerts per page",
        },
        {
            "name": "after",
            "in": "query",
            "required": False,
            "schema": _ID,
            "description": "the last id of the previous page: the alerts before it",
        },
    ]
    reads = "Readable like the other reads (a key only when the server requires one for reads)."
    return {
        PATH: {
            "get": {
                "operationId": "alerts",
                "summary": "The alerts the rules raised, newest first",
                "description": f"{reads} Paged: follow the `next` link. Another parameter is "
                "a 400. See docs/alerts.md.",
                "parameters": parameters,
                "responses": _answers(error, "a page of alerts", collection, ("400", "503")),
            }
        },
        PATH + "/{id}": {
            "get": {
                "operationId": "alert",
                "summary": "An alert",
                "description": f"{reads} Its CAP 1.2 document is /api/alerts/{{id}}.cap.",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": _ID}],
                "responses": _answers(error, "the alert", _ALERT, ("404", "503")),
            }
        },
        PATH + "/{id}/ack": {"post": _action("alert-ack", "Acknowledge an active alert", error)},
        PATH + "/{id}/resolve": {
            "post": _action("alert-resolve", "Resolve an active or acknowledged alert", error)
        },
    }
