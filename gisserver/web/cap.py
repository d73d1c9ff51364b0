"""CAP 1.2 out and in (docs/cap.md).

``GET /api/alerts/{id}.cap`` is an alert as a CAP 1.2 message (``application/cap+xml``): the
current version's, msgType Alert, Update or Cancel with the references of the earlier ones.
``GET /api/alerts.atom`` is an Atom feed of the alerts in force (active and acknowledged),
each entry linking its CAP document. ``POST /api/cap`` (role analyst) applies a CAP message, or
an Atom feed embedding them, to the hazard zones (``gisserver.etl.cap_messages``, the same code
as ``gisserver etl load hazard_zones FILE``): 201 when it created zones, else 200, with what
each message did; a malformed (400) or invalid (422) document, or an Update/Cancel of a message
never loaded (409), changes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import shapely
from flask import Blueprint, Flask, Response, request

from gisserver.cap import MEDIA_TYPE, AlertVersion, Shape, alert_document, atom_feed, parse
from gisserver.context import public_base_url, state
from gisserver.db import load_sql
from gisserver.errors import NotFound, UnsupportedMediaType
from gisserver.etl.cap_messages import CapOutcome, apply_message
from gisserver.settings import Settings
from gisserver.web import auth

ACCEPTED_BODIES = ("application/cap+xml", "application/xml", "text/xml", "application/atom+xml")
ATOM_TYPE = "application/atom+xml"
# Entries of the Atom feed at most (the newest changes first).
FEED_LIMIT = 500
ZONE_PATH = "/ogc/collections/hazard_zones/items/{id}"


def _shape(settings: Settings) -> Shape:
    return Shape(
        tolerance_m=settings.cap_polygon_tolerance_m,
        max_points=settings.cap_polygon_max_points,
        point_radius_km=settings.cap_point_radius_km,
    )


def _versions(rows: list[dict[str, Any]], earlier: list[tuple[Any, ...]]) -> list[AlertVersion]:
    times: dict[int, dict[int, dt.datetime]] = {}
    for alert_id, version, sent in earlier:
        if sent is not None:
            times.setdefault(int(alert_id), {})[int(version)] = sent
    return [
        AlertVersion(
            **{k: v for k, v in row.items() if k != "wkb"},
            geometry=shapely.from_wkb(bytes(row["wkb"])),
            earlier={v: t for v, t in times.get(row["id"], {}).items() if v < row["version"]},
        )
        for row in rows
    ]


def _alerts(sql_name: str, params: dict[str, Any]) -> list[AlertVersion]:
    with state().database().read_cursor() as cur:
        cur.execute(load_sql(sql_name), params)
        rows = cur.fetchall()
        if not rows:
            return []
        cur.execute(load_sql("cap/alert_versions.sql"), {"ids": [r["id"] for r in rows]})
        earlier = [(r["feature_id"], r["version"], r["sent"]) for r in cur.fetchall()]
    return _versions(rows, earlier)


def _outcome_document(outcome: CapOutcome, base: str) -> dict[str, Any]:
    def zones(ids: list[int]) -> list[dict[str, Any]]:
        return [{"id": i, "url": base + ZONE_PATH.format(id=i)} for i in ids]

    return {
        "identifier": outcome.identifier,
        "sender": outcome.sender,
        "sent": outcome.sent.isoformat(),
        "status": outcome.status,
        "msgType": outcome.msg_type,
        "loaded": outcome.loaded,
        "created": zones(outcome.created),
        "updated": zones(outcome.updated),
        "ended": zones(outcome.ended),
        "unchanged": zones(outcome.unchanged),
        "skipped": outcome.skipped,
        "note": outcome.note,
    }


def init_app(app: Flask) -> None:
    """Register /api/alerts/{id}.cap, /api/alerts.atom and /api/cap."""
    bp = Blueprint("cap", __name__)

    @bp.get("/api/alerts/<int:alert_id>.cap")
    def alert_cap(alert_id: int) -> Response:
        found = _alerts("cap/alert.sql", {"id": alert_id})
        if not found:
            raise NotFound(f"alert {alert_id}: there is no such alert")
        settings = state().settings
        document = alert_document(found[0], sender=settings.cap_sender, shape=_shape(settings))
        return Response(document, mimetype=MEDIA_TYPE)

    @bp.get("/api/alerts.atom")
    def alerts_atom() -> Response:
        settings = state().settings
        base = public_base_url()
        document = atom_feed(
            _alerts("cap/alerts_in_force.sql", {"limit": FEED_LIMIT}),
            sender=settings.cap_sender,
            feed_url=base + "/api/alerts.atom",
            cap_url=base + "/api/alerts/{id}.cap",
            now=dt.datetime.now(dt.UTC),
        )
        return Response(document, mimetype=ATOM_TYPE)

    @bp.post("/api/cap")
    @auth.requires("analyst")
    def receive() -> Response:
        if request.mimetype not in ACCEPTED_BODIES:
            raise UnsupportedMediaType(
                "Content-Type",
                f"{request.mimetype or 'none'} is not accepted",
                ", ".join(ACCEPTED_BODIES),
            )
        messages = parse(request.get_data(cache=False), what="body")
        actor = auth.actor()
        with state().edits().connection() as conn:  # one transaction: every message or none
            outcomes = [apply_message(conn, message, actor) for message in messages]
        base = public_base_url()
        document = {
            "messages": [_outcome_document(o, base) for o in outcomes],
            "created": sum(len(o.created) for o in outcomes),
            "updated": sum(len(o.updated) for o in outcomes),
            "ended": sum(len(o.ended) for o in outcomes),
        }
        status = 201 if document["created"] else 200
        return Response(json.dumps(document), status=status, mimetype="application/json")

    app.register_blueprint(bp)


# ---------------------------------------------------------------------------------------------
# Their description in the /api OpenAPI document (gisserver.web.api)

_ZONES = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {"id": {"type": "integer"}, "url": {"type": "string", "format": "uri"}},
    },
}
_OUTCOME = {
    "type": "object",
    "properties": {
        "identifier": {"type": "string"},
        "sender": {"type": "string"},
        "sent": {"type": "string", "format": "date-time"},
        "status": {"type": "string"},
        "msgType": {"type": "string"},
        "loaded": {"type": "boolean"},
        "created": _ZONES,
        "updated": _ZONES,
        "ended": _ZONES,
        "unchanged": _ZONES,
        "skipped": {"type": "array", "items": {"type": "string"}},
        "note": {"type": ["string", "null"]},
    },
}
_APPLIED = {
    "type": "object",
    "properties": {
        "messages": {"type": "array", "items": _OUTCOME},
        "created": {"type": "integer"},
        "updated": {"type": "integer"},
        "ended": {"type": "integer"},
    },
}
_ERRORS = {
    "400": "the body is not well-formed XML, or not a CAP alert or an Atom feed (the "
    "description says what)",
    "401": "no valid API key",
    "403": "the key's role is not analyst or admin",
    "404": "no such alert",
    "409": "an Update or Cancel references a message never loaded; nothing was changed",
    "413": "the body is too large",
    "415": "the body's Content-Type is not " + ", ".join(ACCEPTED_BODIES),
    "422": "not a valid CAP 1.2 message, or an area that cannot be a hazard zone (the "
    "description names it and where); nothing was changed",
    "503": "the database is unavailable; try again",
}


def _errors(error: dict[str, Any], codes: tuple[str, ...]) -> dict[str, Any]:
    content = {"application/json": {"schema": error}}
    return {code: {"description": _ERRORS[code], "content": content} for code in codes}


def _text(media_type: str, text: str) -> dict[str, Any]:
    return {"description": text, "content": {media_type: {"schema": {"type": "string"}}}}


def openapi_paths(error: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI paths of /api/alerts/{id}.cap, /api/alerts.atom and /api/cap; ``error`` is
    the schema of an error document."""
    applied = {"description": "what each message did", "content": _json(_APPLIED)}
    return {
        "/api/alerts/{id}.cap": {
            "get": {
                "operationId": "alert-cap",
                "summary": "An alert as a CAP 1.2 message",
                "description": "Its current version: msgType Alert, Update or Cancel, with the "
                "references of the earlier ones. See docs/cap.md.",
                "parameters": [
                    {
                        "name": "id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer", "minimum": 1},
                    }
                ],
                "responses": {"200": _text(MEDIA_TYPE, "the CAP document")}
                | _errors(error, ("404", "503")),
            }
        },
        "/api/alerts.atom": {
            "get": {
                "operationId": "alerts-atom",
                "summary": "The alerts in force as an Atom feed",
                "description": f"The active and acknowledged alerts (at most {FEED_LIMIT}, the "
                "newest changes first), each entry linking its CAP document.",
                "responses": {"200": _text(ATOM_TYPE, "the feed")} | _errors(error, ("503",)),
            }
        },
        "/api/cap": {
            "post": {
                "operationId": "cap-receive",
                "summary": "Apply CAP 1.2 messages to the hazard zones",
                "description": "Role analyst (or admin). A CAP alert, or an Atom feed embedding "
                "them, applied in one transaction (every message or none), as "
                "`gisserver etl load hazard_zones FILE` does. See docs/cap.md.",
                "requestBody": {
                    "required": True,
                    "content": {t: {"schema": {"type": "string"}} for t in ACCEPTED_BODIES},
                },
                "responses": {
                    "200": applied,
                    "201": {**applied, "description": "what each message did (zones created)"},
                }
                | _errors(error, ("400", "401", "403", "409", "413", "415", "422", "503")),
            }
        },
    }


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}
