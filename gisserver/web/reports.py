"""An incident's record over HTTP: ``GET /api/incidents/{id}/timeline`` and the after-action
report ``GET /api/incidents/{id}/report`` (JSON; HTML with ``f=html``, an ``Accept`` that
prefers text/html, or ``/report.html``: a printable page with a map drawn on the server).

Readable like the other reads (a key only when the server requires one for reads); who did
what (actors, who acknowledged or resolved an alert) is shown to callers with a key, as in
/api/alerts. The response metrics, ``/api/metrics/response``, are an analysis of the registry.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from flask import Blueprint, Flask, Response, render_template, request
from markupsafe import Markup

from gisserver.analyses.incident_record import MAX_ID, timeline
from gisserver.analyses.incident_report import report
from gisserver.analyses.report_map import render
from gisserver.context import state
from gisserver.errors import InvalidParameter
from gisserver.web import auth
from gisserver.web.http import query_args

PATH = "/api/incidents"
FORMATS = ("json", "html")


def _people() -> bool:
    return auth.principal().authenticated


def _format(args: dict[str, str], allowed: tuple[str, ...]) -> str:
    """``f`` if given, else what the Accept header prefers (JSON for ``*/*``)."""
    extra = sorted(set(args) - {"f"})
    if extra:
        raise InvalidParameter(extra[0], "is not a parameter here", "f=" + "|".join(allowed))
    if "f" in args:
        if args["f"] not in allowed:
            raise InvalidParameter("f", f"{args['f']!r} is not offered here", ", ".join(allowed))
        return args["f"]
    if "html" in allowed:
        best = request.accept_mimetypes.best_match(["application/json", "text/html"])
        if best == "text/html":
            return "html"
    return "json"


def _incident_id(incident_id: int) -> int:
    if not 0 < incident_id <= MAX_ID:
        raise InvalidParameter("id", f"{incident_id} is not an incident id", "1 to 2^63-1")
    return incident_id


def _json(document: Any) -> Response:
    return Response(json.dumps(document, default=str), mimetype="application/json")


def _html(document: dict[str, Any]) -> Response:
    body = render_template(
        "incident_report.html",
        report=document,
        map_svg=Markup(render(document)),  # every text inside is escaped
        people=_people(),
    )
    response = Response(body, mimetype="text/html")
    response.headers["Cache-Control"] = "no-cache"
    return response


def when(value: Any) -> str:
    """An ISO time as a reader reads it on paper: ``2026-12-03 16:12:47 UTC`` ("" for none)."""
    if not value:
        return ""
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def duration(seconds: Any) -> str:
    """Seconds as ``4 min 05 s`` / ``1 h 02 min`` ("not known" for none)."""
    if seconds is None:
        return "not known"
    total = round(float(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"


def init_app(app: Flask) -> None:
    """Register /api/incidents/{id}/timeline and /report."""
    bp = Blueprint("reports", __name__, url_prefix=PATH, template_folder="templates")
    bp.add_app_template_filter(when, "when")
    bp.add_app_template_filter(duration, "duration")

    @bp.get("/<int:incident_id>/timeline")
    def incident_timeline(incident_id: int) -> Response:
        _format(query_args(), ("json",))
        st = state()
        return _json(
            timeline(st.database(), _incident_id(incident_id), layers=st.layers, people=_people())
        )

    def _report(incident_id: int, fmt: str) -> Response:
        st = state()
        document = report(
            st.database(), _incident_id(incident_id), layers=st.layers, people=_people()
        )
        return _html(document) if fmt == "html" else _json(document)

    @bp.get("/<int:incident_id>/report")
    def incident_report(incident_id: int) -> Response:
        return _report(incident_id, _format(query_args(), FORMATS))

    @bp.get("/<int:incident_id>/report.html")
    def incident_report_html(incident_id: int) -> Response:
        _format(query_args(), ("html",))
        return _report(incident_id, "html")

    app.register_blueprint(bp)


# ---------------------------------------------------------------------------------------------
# Their description in the /api OpenAPI document (gisserver.web.api)

_ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
_ITEM = {
    "type": "object",
    "required": ["at", "kind"],
    "properties": {
        "at": {"type": "string", "format": "date-time"},
        "kind": {
            "type": "string",
            "enum": [
                "created",
                "changed",
                "transition",
                "assignment",
                "unit_movement",
                "alert",
                "deleted",
            ],
        },
        "actor": {"type": ["string", "null"], "description": "shown to callers with a key"},
    },
}
_WINDOW = {
    "type": "object",
    "properties": {
        "start": {"type": "string", "format": "date-time"},
        "end": {"type": "string", "format": "date-time"},
        "open": {"type": "boolean"},
    },
}
_TIMELINE = {
    "type": "object",
    "properties": {
        "incident": {"type": "object"},
        "deleted_at": {"type": ["string", "null"]},
        "window": _WINDOW,
        "timeline": {"type": "array", "items": _ITEM},
    },
}
_REPORT = {
    "type": "object",
    "properties": {
        **_TIMELINE["properties"],  # type: ignore[dict-item]
        "response_times": {
            "type": ["object", "null"],
            "description": "time_to_verify_s, time_to_dispatch_s, time_to_first_arrival_s, "
            "on_scene_s (seconds or null), on_scene_open; null for a deleted incident",
        },
        "units_sent": {"type": "array", "items": {"type": "object"}},
        "hazard_zones": {"type": "array", "items": {"type": "object"}},
        "alerts": {"type": "array", "items": {"type": "object"}},
        "people_affected": {"type": "object"},
        "shelters_used": {"type": "array", "items": {"type": "object"}},
        "stock_issued": {"type": "object"},
        "tracks": {"type": "array", "items": {"type": "object"}},
        "rules": {"type": "object"},
    },
}
_ERRORS = {
    "400": "a parameter is wrong; the description names it and what is accepted",
    "401": "no valid API key and the server requires one for reads",
    "404": "no incident with this id, now or in the audit trail",
    "503": "the database is unavailable; try again",
}


def _get(
    operation_id: str,
    summary: str,
    description: str,
    error: dict[str, Any],
    content: dict[str, Any],
    formats: tuple[str, ...],
) -> dict[str, Any]:
    errors = {"application/json": {"schema": error}}
    parameters = [{"name": "id", "in": "path", "required": True, "schema": _ID}]
    parameters.append(
        {
            "name": "f",
            "in": "query",
            "required": False,
            "schema": {"type": "string", "enum": list(formats)},
            "description": "the format (default: JSON, or what Accept prefers)",
        }
    )
    return {
        "get": {
            "operationId": operation_id,
            "summary": summary,
            "description": description + " Readable like the other reads (a key only when the "
            "server requires one for reads); actors are shown to callers with a key. See "
            "docs/after-action.md.",
            "parameters": parameters,
            "responses": {"200": {"description": summary, "content": content}}
            | {code: {"description": text, "content": errors} for code, text in _ERRORS.items()},
        }
    }


def openapi_paths(error: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI paths of the incident's record; ``error`` is the schema of an error."""
    html = {"text/html": {"schema": {"type": "string"}}}
    return {
        PATH + "/{id}/timeline": _get(
            "incident-timeline",
            "An incident's timeline",
            "Every change, status transition, assignment step, unit movement summary and alert "
            "of the incident, in time order, with its window.",
            error,
            {"application/json": {"schema": _TIMELINE}},
            ("json",),
        ),
        PATH + "/{id}/report": _get(
            "incident-report",
            "An incident's after-action report",
            "The timeline, units sent, hazard zones and alerts involved, people affected, "
            "shelters used, stock issued; as a printable HTML page with a map (f=html or "
            "Accept: text/html).",
            error,
            {"application/json": {"schema": _REPORT}} | html,
            FORMATS,
        ),
        PATH + "/{id}/report.html": _get(
            "incident-report-html",
            "An incident's after-action report, printable",
            "The report as an HTML page with a map drawn on the server (no tiles).",
            error,
            html,
            ("html",),
        ),
    }
