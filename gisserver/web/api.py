"""JSON endpoints under /api, one per analysis of the registry, and their OpenAPI document at
/api/openapi.json (which also describes /api/audit, ``gisserver.web.audit``, /api/stock-moves,
``gisserver.web.stock``, /api/subscriptions, ``gisserver.web.subscriptions``, the change feed,
``gisserver.web.events``, the alerts, ``gisserver.web.alerts``, CAP, ``gisserver.web.cap``, and
the units' positions, ``gisserver.web.units``).

Routes, parameters and descriptions come from ``gisserver.analyses.registry``: the OGC processes
and the CLI are made from the same declarations. A GET analysis takes its inputs from the query
string, a POST one from a JSON object body; a user's mistake is an InvalidParameter (400).
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Blueprint, Flask, Response, request

from gisserver.analyses.registry import ANALYSES, ERROR, Analysis, Input
from gisserver.context import state
from gisserver.errors import InvalidParameter
from gisserver.layers import LayerRegistry
from gisserver.web import (
    alerts,
    audit,
    cap,
    events,
    incidents,
    reports,
    stock,
    subscriptions,
    units,
)
from gisserver.web.http import query_args


def _json_body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise InvalidParameter(
            "body", "is not a JSON object", "a JSON object (Content-Type: application/json)"
        )
    return body


def _view(analysis: Analysis) -> Any:
    def view(**path: str) -> Response:
        st = state()
        params = query_args() if analysis.http_method == "GET" else _json_body()
        for name in path:
            if name in params:
                raise InvalidParameter(name, "is given in the path already", "it once, in the path")
        params = {**params, **path}
        text = analysis.run_text(st.database(), params, layers=st.layers, settings=st.settings)
        return Response(text, mimetype=analysis.media_type)

    view.__name__ = analysis.id.replace("-", "_")
    view.__doc__ = analysis.title
    return view


def init_app(app: Flask) -> None:
    """Register /api: a route per analysis and the OpenAPI document."""
    bp = Blueprint("api", __name__, url_prefix="/api")
    for analysis in ANALYSES:
        bp.add_url_rule(
            re.sub(r"\{(\w+)\}", r"<\1>", analysis.http_path.removeprefix("/api")),
            endpoint=analysis.id,
            view_func=_view(analysis),
            methods=[analysis.http_method],
        )

    @bp.get("/openapi.json")
    def openapi() -> Response:
        document = openapi_document(request.host_url.rstrip("/"), state().layers)
        return Response(json.dumps(document), mimetype="application/json")

    app.register_blueprint(bp)


# ---------------------------------------------------------------------------------------------
# The OpenAPI document of /api (pygeoapi describes /ogc in /ogc/openapi)


def _query_parameter(item: Input, layers: LayerRegistry | None) -> dict[str, Any]:
    parameter: dict[str, Any] = {
        "name": item.name,
        "in": "query",
        "required": item.required,
        "schema": item.published_schema(layers),
    }
    if item.schema.get("type") == "array":
        parameter |= {"style": "form", "explode": False}  # bbox=1,2,3,4
    if item.description:
        parameter["description"] = item.description
    return parameter


def _request_body(analysis: Analysis, layers: LayerRegistry | None) -> dict[str, Any]:
    properties = {}
    for item in analysis.inputs:
        properties[item.name] = item.published_schema(layers)
        if item.description:
            properties[item.name]["description"] = item.description
    schema: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
    if analysis.required:
        schema["required"] = list(analysis.required)
    if analysis.exactly_one_of:
        schema["oneOf"] = [{"required": [name]} for name in analysis.exactly_one_of]
    return {
        "required": True,
        "content": {"application/json": {"schema": schema, "example": dict(analysis.example)}},
    }


def _responses(analysis: Analysis) -> dict[str, Any]:
    error = {"application/json": {"schema": ERROR}}
    return {
        "200": {
            "description": "the answer",
            "content": {analysis.media_type: {"schema": dict(analysis.output)}},
        },
        "400": {
            "description": "an input is wrong; the description names it and what is accepted",
            "content": error,
        },
        "404": {"description": "a feature named by id does not exist", "content": error},
        "503": {
            "description": "the database is unavailable or the question took longer than the "
            "statement timeout; try again",
            "content": error,
        },
    }


def _operation(analysis: Analysis, layers: LayerRegistry | None) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "operationId": analysis.id,
        "summary": analysis.title,
        "description": analysis.description
        + f" The same analysis is the OGC API process /ogc/processes/{analysis.id} and the "
        f"command `gisserver analyse {analysis.id}`.",
        "responses": _responses(analysis),
    }
    in_path = analysis.path_inputs
    parameters = [
        {**_query_parameter(analysis.input(name), layers), "in": "path", "required": True}
        for name in in_path
    ]
    if analysis.http_method == "GET":
        parameters += [
            _query_parameter(item, layers) for item in analysis.inputs if item.name not in in_path
        ]
    else:
        operation["requestBody"] = _request_body(analysis, layers)
    if parameters:
        operation["parameters"] = parameters
    return operation


def openapi_document(server_url: str = "", layers: LayerRegistry | None = None) -> dict[str, Any]:
    """OpenAPI 3.1 description of the /api endpoints (with the layer files' enums, if given)."""
    paths: dict[str, dict[str, Any]] = {}
    for analysis in ANALYSES:
        paths.setdefault(analysis.http_path, {})[analysis.http_method.lower()] = _operation(
            analysis, layers
        )
    paths[audit.PATH] = audit.openapi_path(layers.ids() if layers else None)
    paths |= stock.openapi_paths(ERROR)
    paths |= subscriptions.openapi_paths(ERROR)
    paths |= events.openapi_paths(ERROR)
    paths |= alerts.openapi_paths(ERROR)
    paths |= cap.openapi_paths(ERROR)
    paths |= incidents.openapi_paths(ERROR)
    paths |= reports.openapi_paths(ERROR)
    paths |= units.openapi_paths(ERROR)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "gisserver analyses",
            "version": "1",
            "description": ", ".join(a.title for a in ANALYSES)
            + ". The same analyses are OGC API Processes under /ogc/processes and commands "
            "under `gisserver analyse`. The audit trail of the layers' changes is /api/audit; "
            "the stock ledger's moves are /api/stock-moves; the change feed's webhooks are "
            "/api/subscriptions. The change feed is /api/events (Server-Sent Events, a token "
            "for an EventSource from /api/events/token) and /api/changes (JSON pages); the "
            "alerts the rules raise are /api/alerts (acknowledged and resolved by operators), "
            "as CAP 1.2 at /api/alerts/{id}.cap and an Atom feed at /api/alerts.atom; "
            "/api/cap applies CAP messages to the hazard zones. An incident's timeline and "
            "after-action report are /api/incidents/{id}/timeline and /report; the response "
            "metrics /api/metrics/response. An endpoint that needs a key "
            "says which role in its description and answers 401 without one, 403 with a key "
            "of another role; send the key as 'Authorization: Bearer <secret>', "
            "'X-API-Key: <secret>' or HTTP Basic NAME:SECRET.",
        },
        "servers": [{"url": server_url}] if server_url else [],
        "paths": paths,
    }
