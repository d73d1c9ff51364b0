"""/api/incidents and /api/assignments: the dispatcher's writes (``gisserver.edits.dispatch``).

``POST /api/incidents/{id}/transition`` with ``{"to": "verified", "note": "..."}`` moves an
incident's phase along its lifecycle (``layers/incidents.yaml``; another move is a 409 naming
the allowed ones). ``POST /api/incidents/{id}/assignments`` with ``{"unit_ids": [...]}`` sends
available units (201; a unit not available, also one assigned by a concurrent request, is a
409), ``GET`` lists them. ``POST /api/assignments/{id}/transition`` with ``{"to": "en_route" |
"on_scene" | "released", "at": "...", "note": "...", "unit_status": "returning"}`` moves an
assignment on. Writes need the lifecycle's role (operator; admin); reads follow the other reads.
The recommendation of units is an analysis (``recommend-units``, ``gisserver.web.api``).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from flask import Blueprint, Flask, Response

from gisserver.context import state
from gisserver.edits import dispatch
from gisserver.errors import InvalidValue, NotFound
from gisserver.web import auth
from gisserver.web.http import json_object

INCIDENTS = "/api/incidents"
ASSIGNMENTS = "/api/assignments"
MAX_ID = 2**63 - 1
RFC3339 = "an RFC 3339 time with its offset, e.g. 2026-12-03T14:05:00Z"


def _json(document: Any, status: int = 200) -> Response:
    return Response(json.dumps(document, default=str), status=status, mimetype="application/json")


def _only(body: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(body) - set(allowed))
    if unknown:
        raise InvalidValue(unknown[0], "is not a member of this body", ", ".join(allowed))


def _id(value: int, what: str) -> int:
    """A path id; one beyond PostgreSQL's bigint names nothing (404, not a database error)."""
    if value > MAX_ID:
        raise NotFound(f"{what} {value} not found")
    return value


def _time(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise InvalidValue("at", f"{value!r} is not accepted", RFC3339)
    return moment


def init_app(app: Flask) -> None:
    """Register the dispatcher's routes."""
    bp = Blueprint("incidents", __name__)

    @bp.post(INCIDENTS + "/<int:incident_id>/transition")
    @auth.requires("operator")
    def transition(incident_id: int) -> Response:
        body = json_object(("to", "note"))
        _only(body, ("to", "note"))
        if "to" not in body:
            raise InvalidValue("to", "is missing", "the phase to move to")
        incidents = state().layers["incidents"]
        document = dispatch.transition(
            state().edits(),
            incidents,
            _id(incident_id, "incident"),
            body["to"],
            auth.actor(),
            dispatch.check_note(body.get("note")),
        )
        return _json(document)

    @bp.post(INCIDENTS + "/<int:incident_id>/assignments")
    @auth.requires("operator")
    def assign(incident_id: int) -> Response:
        body = json_object(("unit_ids", "note"))
        _only(body, ("unit_ids", "note"))
        units = dispatch.check_unit_ids(body.get("unit_ids"))
        document = dispatch.assign(
            state().edits(),
            _id(incident_id, "incident"),
            units,
            auth.actor(),
            dispatch.check_note(body.get("note")),
        )
        return _json(document, 201)

    @bp.get(INCIDENTS + "/<int:incident_id>/assignments")
    def assignments(incident_id: int) -> Response:
        items = dispatch.assignments_of(state().database(), _id(incident_id, "incident"))
        return _json({"incident": incident_id, "assignments": items})

    @bp.get(ASSIGNMENTS + "/<int:assignment_id>")
    def show(assignment_id: int) -> Response:
        return _json(dispatch.assignment(state().database(), _id(assignment_id, "assignment")))

    @bp.post(ASSIGNMENTS + "/<int:assignment_id>/transition")
    @auth.requires("operator")
    def move(assignment_id: int) -> Response:
        members = ("to", "at", "note", "unit_status")
        body = json_object(members)
        _only(body, members)
        if "to" not in body:
            raise InvalidValue("to", "is missing", ", ".join(dispatch.ASSIGNMENT_MOVES))
        document = dispatch.move_assignment(
            state().edits(),
            _id(assignment_id, "assignment"),
            body["to"],
            auth.actor(),
            at=_time(body.get("at")),
            note=dispatch.check_note(body.get("note")),
            unit_status=body.get("unit_status"),
        )
        return _json(document)

    app.register_blueprint(bp)


# ---------------------------------------------------------------------------------------------
# Their description in the /api OpenAPI document (gisserver.web.api)

_ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
_NOTE = {"type": "string", "minLength": 1, "maxLength": dispatch.MAX_NOTE}
_ERRORS = {
    "400": "the body is not JSON",
    "401": "no valid API key",
    "403": "the key's role is not operator or admin",
    "404": "no such incident or assignment",
    "409": "the move is not allowed from the current phase or status (the description names "
    "the allowed ones), or a unit is not available",
    "415": "a body that is not application/json",
    "422": "a member of the body is wrong; the description names it and what is accepted",
    "503": "the database is unavailable; try again",
}
_ASSIGNMENT = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "incident_id": {"type": "integer"},
        "unit_id": {"type": "integer"},
        "unit_name": {"type": ["string", "null"]},
        "unit_type": {"type": ["string", "null"]},
        "status": {"type": "string", "enum": list(dispatch.ASSIGNMENT_MOVES)},
        "assigned_at": {"type": "string", "format": "date-time"},
        "assigned_by": {"type": "string"},
        "en_route_at": {"type": ["string", "null"], "format": "date-time"},
        "on_scene_at": {"type": ["string", "null"], "format": "date-time"},
        "released_at": {"type": ["string", "null"], "format": "date-time"},
        "note": {"type": ["string", "null"]},
        "version": {"type": "integer"},
        "point": {"type": "array", "items": {"type": "number"}},
    },
}


def _answers(error: dict[str, Any], ok: str, schema: dict[str, Any], *codes: str) -> Any:
    content = {"application/json": {"schema": error}}
    return {ok: {"description": "done", "content": {"application/json": {"schema": schema}}}} | {
        code: {"description": _ERRORS[code], "content": content} for code in codes
    }


def _write(operation_id: str, summary: str, body: dict[str, Any], path_name: str) -> Any:
    return {
        "operationId": operation_id,
        "summary": summary,
        "description": "Role operator (or admin). See docs/dispatch.md.",
        "parameters": [{"name": path_name, "in": "path", "required": True, "schema": _ID}],
        "requestBody": {"required": True, "content": {"application/json": {"schema": body}}},
    }


def openapi_paths(error: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI paths of the dispatcher's routes."""
    writes = ("400", "401", "403", "404", "409", "415", "422", "503")
    transition = {
        "type": "object",
        "required": ["to"],
        "additionalProperties": False,
        "properties": {"to": {"type": "string"}, "note": _NOTE},
    }
    assign = {
        "type": "object",
        "required": ["unit_ids"],
        "additionalProperties": False,
        "properties": {
            "unit_ids": {
                "type": "array",
                "items": _ID,
                "minItems": 1,
                "maxItems": dispatch.MAX_UNITS,
                "uniqueItems": True,
            },
            "note": _NOTE,
        },
    }
    move = {
        "type": "object",
        "required": ["to"],
        "additionalProperties": False,
        "properties": {
            "to": {"type": "string", "enum": ["en_route", "on_scene", "released"]},
            "at": {"type": "string", "format": "date-time"},
            "note": _NOTE,
            "unit_status": {"type": "string", "enum": list(dispatch.RELEASED_UNIT_STATUSES)},
        },
    }
    moved = {
        "type": "object",
        "properties": {
            "incident": {"type": "integer"},
            "transition": {"type": "integer"},
            "from": {"type": "string"},
            "to": {"type": "string"},
            "at": {"type": "string", "format": "date-time"},
            "by": {"type": "string"},
            "role": {"type": ["string", "null"]},
            "note": {"type": ["string", "null"]},
            "version": {"type": "integer"},
        },
    }
    listed = {
        "type": "object",
        "properties": {
            "incident": {"type": "integer"},
            "incident_status": {"type": "string"},
            "assignments": {"type": "array", "items": _ASSIGNMENT},
        },
    }
    read_codes = ("404", "503")
    return {
        INCIDENTS + "/{id}/transition": {
            "post": _write("incident-transition", "Move an incident's phase", transition, "id")
            | {"responses": _answers(error, "200", moved, *writes)}
        },
        INCIDENTS + "/{id}/assignments": {
            "post": _write("incident-assign", "Send units to an incident", assign, "id")
            | {"responses": _answers(error, "201", listed, *writes)},
            "get": {
                "operationId": "incident-assignments",
                "summary": "The units sent to an incident",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": _ID}],
                "responses": _answers(error, "200", listed, *read_codes),
            },
        },
        ASSIGNMENTS + "/{id}": {
            "get": {
                "operationId": "assignment",
                "summary": "An assignment",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": _ID}],
                "responses": _answers(error, "200", _ASSIGNMENT, *read_codes),
            }
        },
        ASSIGNMENTS + "/{id}/transition": {
            "post": _write("assignment-transition", "Move an assignment on", move, "id")
            | {"responses": _answers(error, "200", _ASSIGNMENT, *writes)}
        },
    }
