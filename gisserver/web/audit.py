"""``GET /api/audit``: the audit trail for analysts and admins (others 403, no key 401).

The same reader as ``gisserver audit`` (``gisserver.audit.trail``): entries oldest first, at most
``limit`` of them, after the entry ``after`` (a client that follows the trail keeps the last id
it saw); a full page links to the next. Every value of an entry is given (``before``/``after``
hold every column of the feature, private ones too) except credentials inside URLs.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Flask, Response

from gisserver.analyses.registry import ERROR
from gisserver.audit import MAX_LIMIT, OPERATIONS, TIME_ACCEPTED, TrailQuery, trail
from gisserver.context import public_base_url, state
from gisserver.web import auth
from gisserver.web.http import query_args

PATH = "/api/audit"
ROLE = "analyst"  # and admin, which holds every role
DEFAULT_LIMIT = 100


def init_app(app: Flask) -> None:
    """Register GET /api/audit."""
    bp = Blueprint("audit", __name__)

    @bp.get(PATH)
    @auth.requires(ROLE)
    def audit_trail() -> Response:
        st = state()
        args = query_args()
        query = TrailQuery.parse(args, layer_ids=st.layers.ids(), default_limit=DEFAULT_LIMIT)
        with st.database().read() as conn:
            entries = trail(conn, query)
        links = [{"rel": "self", "type": "application/json", "href": _url(args)}]
        if len(entries) == query.limit:
            links.append(
                {
                    "rel": "next",
                    "type": "application/json",
                    "href": _url({**args, "after": str(entries[-1].id)}),
                }
            )
        body = {
            "entries": [entry.as_dict() for entry in entries],
            "numberReturned": len(entries),
            "links": links,
        }
        response = Response(
            json.dumps(body, default=str, ensure_ascii=False), mimetype="application/json"
        )
        response.headers["Cache-Control"] = "no-store"  # who did what: not for shared caches
        return response

    app.register_blueprint(bp)


def _url(args: dict[str, str]) -> str:
    query = urlencode(args)
    return public_base_url() + PATH + (f"?{query}" if query else "")


# ---------------------------------------------------------------------------------------------
# Its part of the /api OpenAPI document (gisserver.web.api)

_ENTRY = {
    "type": "object",
    "properties": {
        "id": {"type": "integer", "description": "the entry's number, increasing"},
        "at": {"type": "string", "format": "date-time"},
        "actor": {"type": "string", "description": "a key's name, 'etl', or a database user"},
        "actor_role": {"type": ["string", "null"]},
        "etl_run_id": {"type": ["integer", "null"], "description": "the ETL run (etl_runs)"},
        "layer": {"type": "string"},
        "feature_id": {"type": ["integer", "null"]},
        "operation": {"type": "string", "enum": list(OPERATIONS)},
        "version": {"type": ["integer", "null"], "description": "the version it made"},
        "before": {
            "type": ["object", "null"],
            "description": "the feature before (id, version, geometry, properties)",
        },
        "after": {"type": ["object", "null"], "description": "the feature after"},
        "request_id": {"type": ["string", "null"]},
        "client_address": {"type": ["string", "null"]},
        "if_match": {"type": ["string", "null"]},
        "changed": {
            "type": "array",
            "items": {"type": "string"},
            "description": "the properties an update or replace changed (and 'geometry')",
        },
    },
}


def openapi_path(layer_ids: tuple[str, ...] | None = None) -> dict[str, Any]:
    """The OpenAPI path item of /api/audit."""
    layer_schema: dict[str, Any] = {"type": "string"}
    if layer_ids:
        layer_schema["enum"] = list(layer_ids)
    time_schema = {"type": "string", "description": TIME_ACCEPTED}

    def parameter(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
        return {
            "name": name,
            "in": "query",
            "required": False,
            "schema": schema,
            "description": description,
        }

    error = {"application/json": {"schema": ERROR}}
    return {
        "get": {
            "operationId": "audit",
            "summary": "The audit trail",
            "description": "Every change of the layers' features, oldest first: who (an API "
            "key, the ETL and its run, a database user), when, from which request, the "
            "feature before and after. Needs the analyst or admin role. The same trail is the "
            "command `gisserver audit`.",
            "parameters": [
                parameter("layer", layer_schema, "only this layer's features"),
                parameter(
                    "feature", {"type": "integer", "minimum": 1}, "only this feature (with layer)"
                ),
                parameter("actor", {"type": "string"}, "only changes by this actor"),
                parameter("since", time_schema, "from this time on"),
                parameter("until", time_schema, "before this time"),
                parameter(
                    "limit",
                    {
                        "type": "integer",
                        "minimum": 1,
                        "maximum": MAX_LIMIT,
                        "default": DEFAULT_LIMIT,
                    },
                    "at most this many entries",
                ),
                parameter(
                    "after",
                    {"type": "integer", "minimum": 0},
                    "the entries after this entry id (the next page, or what is new since)",
                ),
            ],
            "responses": {
                "200": {
                    "description": "the entries; a full page links to the next ('next')",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "entries": {"type": "array", "items": _ENTRY},
                                    "numberReturned": {"type": "integer"},
                                    "links": {"type": "array", "items": {"type": "object"}},
                                },
                            }
                        }
                    },
                },
                "400": {
                    "description": "a parameter is wrong; the description names it",
                    "content": error,
                },
                "401": {"description": "no valid API key", "content": error},
                "403": {"description": "the key's role is not analyst or admin", "content": error},
                "503": {"description": "the database is unavailable; try again", "content": error},
            },
        }
    }
