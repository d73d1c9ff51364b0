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

from gisserver.alerts import AlertQuery, change_status, get_alert, list_alerts
from gisserver.context import state
from gisserver.errors import InvalidParameter, UnsupportedMediaType
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
