"""/api/subscriptions: the webhooks the worker delivers the change feed to
(``gisserver.feed.webhooks``, ``gisserver.feed.delivery``). Admin only, every method.

``POST /api/subscriptions`` with ``{url, secret?, types?, layers?, bbox?}`` makes one: 201, its
document and ``Location``; without a ``secret`` the server makes one and answers it this once
(it is never shown again). Its cursor starts at the newest event: it gets what happens from
then on. ``GET /api/subscriptions`` lists them, ``GET /api/subscriptions/{id}`` shows one,
``DELETE`` ends one (204; its deliveries stay on record), ``POST .../{id}/resume`` makes a
suspended one active again at its cursor, and ``GET .../{id}/deliveries`` lists its delivery
attempts newest first (``limit``, ``before`` = the last id of the previous page; ``next``).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Flask, Response

from gisserver.context import state
from gisserver.errors import InvalidParameter
from gisserver.feed.events import TYPES
from gisserver.feed.webhooks import (
    DEFAULT_TYPES,
    FIELDS,
    NewSubscription,
    allowed_networks,
    create_subscription,
    delete_subscription,
    get_subscription,
    list_deliveries,
    list_subscriptions,
    parse_limit,
    resume_subscription,
    subscription_document,
)
from gisserver.web import auth
from gisserver.web.http import json_object, query_args

PATH = "/api/subscriptions"
MAX_ID = 2**63 - 1


def _json(document: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        json.dumps(document), status=status, mimetype="application/json", headers=headers
    )


def _before(args: dict[str, str]) -> int | None:
    text = args.get("before")
    if text is None or text == "":
        return None
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_ID:
        raise InvalidParameter(
            "before", f"{text!r} is not a delivery id", "the last id of the previous page"
        )
    return int(text)


def init_app(app: Flask) -> None:
    """Register /api/subscriptions."""
    bp = Blueprint("subscriptions", __name__, url_prefix=PATH)

    @bp.post("")
    @auth.requires("admin")
    def create() -> Response:
        settings = state().settings
        new = NewSubscription.from_json(
            json_object(FIELDS),
            layer_ids=state().layers.ids(),
            allowed=allowed_networks(settings.webhook_allowed_networks),
        )
        with state().edits().connection() as conn:
            row = create_subscription(conn, new, auth.principal().name)
        document = subscription_document(row)
        if new.generated:  # the only time the secret is shown
            document["secret"] = new.secret
        return _json(document, 201, {"Location": f"{PATH}/{row['id']}"})

    @bp.get("")
    @auth.requires("admin")
    def index() -> Response:
        with state().database().read() as conn:
            rows = list_subscriptions(conn)
        return _json({"subscriptions": [subscription_document(row) for row in rows]})

    @bp.get("/<int:subscription_id>")
    @auth.requires("admin")
    def show(subscription_id: int) -> Response:
        with state().database().read() as conn:
            return _json(subscription_document(get_subscription(conn, subscription_id)))

    @bp.delete("/<int:subscription_id>")
    @auth.requires("admin")
    def delete(subscription_id: int) -> Response:
        with state().edits().connection() as conn:
            delete_subscription(conn, subscription_id)
        return Response(status=204)

    @bp.post("/<int:subscription_id>/resume")
    @auth.requires("admin")
    def resume(subscription_id: int) -> Response:
        with state().edits().connection() as conn:
            return _json(subscription_document(resume_subscription(conn, subscription_id)))

    @bp.get("/<int:subscription_id>/deliveries")
    @auth.requires("admin")
    def deliveries(subscription_id: int) -> Response:
        args = query_args()
        unknown = sorted(set(args) - {"limit", "before"})
        if unknown:
            raise InvalidParameter(unknown[0], "is not a parameter", "limit, before")
        limit = parse_limit(args.get("limit"))
        with state().database().read() as conn:
            rows = list_deliveries(conn, subscription_id, limit=limit, before=_before(args))
        following = None
        if len(rows) == limit:
            following = (
                f"{PATH}/{subscription_id}/deliveries?"
                f"{urlencode({'limit': str(limit), 'before': str(rows[-1]['id'])})}"
            )
        return _json({"deliveries": rows, "next": following})

    app.register_blueprint(bp)


# ---------------------------------------------------------------------------------------------
# Their description in the /api OpenAPI document (gisserver.web.api)

_ID = {"type": "integer", "minimum": 1}
_TIME = {"type": ["string", "null"], "format": "date-time"}
_NAMES = {"type": ["array", "null"], "items": {"type": "string"}, "minItems": 1}
_BBOX = {"type": ["array", "null"], "items": {"type": "number"}, "minItems": 4, "maxItems": 4}
_SUBSCRIPTION = {
    "type": "object",
    "properties": {
        "id": _ID,
        "url": {"type": "string", "format": "uri"},
        "types": {"type": "array", "items": {"type": "string", "enum": list(TYPES)}},
        "layers": _NAMES,
        "bbox": _BBOX,
        "status": {"type": "string", "enum": ["active", "suspended"]},
        "cursor": {"type": "integer", "description": "the last event it is done with"},
        "failingSince": _TIME,
        "nextAttemptAt": _TIME,
        "attempts": {"type": "integer", "description": "failed attempts of the next event"},
        "createdBy": {"type": "string"},
        "createdAt": _TIME,
        "updatedAt": _TIME,
        "links": {"type": "array", "items": {"type": "object"}},
    },
}
_DELIVERY = {
    "type": "object",
    "properties": {
        "id": _ID,
        "eventId": {"type": "integer"},
        "attempt": {"type": "integer"},
        "at": _TIME,
        "delivered": {"type": "boolean"},
        "statusCode": {"type": ["integer", "null"]},
        "error": {"type": ["string", "null"]},
        "durationMs": {"type": ["number", "null"]},
    },
}
_REQUEST = {
    "type": "object",
    "required": ["url"],
    "additionalProperties": False,
    "properties": {
        "url": {
            "type": "string",
            "maxLength": 2000,
            "description": "http or https, no user or password, a host at a public address "
            "(or one GISSERVER_WEBHOOK_ALLOWED_NETWORKS allows)",
        },
        "secret": {
            "type": "string",
            "minLength": 16,
            "maxLength": 200,
            "description": "the HMAC-SHA256 key of X-Gisserver-Signature; none: the server makes "
            "one and answers it this once",
        },
        "types": {
            **_NAMES,
            "items": {"type": "string", "enum": list(TYPES)},
            "description": "event types; none: " + ", ".join(DEFAULT_TYPES) + " (positions only "
            "when asked for)",
        },
        "layers": {**_NAMES, "description": "layer ids (feature events only)"},
        "bbox": {**_BBOX, "description": "[minLon, minLat, maxLon, maxLat] (CRS84)"},
    },
}
_ERRORS = {
    "400": "a query parameter is wrong, or the body is not JSON",
    "401": "no valid API key",
    "403": "the key is not an admin's",
    "404": "no such subscription",
    "415": "the body is not application/json",
    "422": "a field is wrong: the description names it and what is accepted",
    "503": "the database is unavailable; try again",
}


def _operation(
    operation_id: str, summary: str, ok: dict[str, Any], codes: tuple[str, ...], error: Any
) -> dict[str, Any]:
    content = {"application/json": {"schema": error}}
    errors = {code: {"description": _ERRORS[code], "content": content} for code in codes}
    return {
        "operationId": operation_id,
        "summary": summary,
        "description": "Admin only. See docs/webhooks.md.",
        "responses": ok | errors,
    }


def _ok(status: str, text: str, schema: dict[str, Any] | None) -> dict[str, Any]:
    if schema is None:
        return {status: {"description": text}}
    return {status: {"description": text, "content": {"application/json": {"schema": schema}}}}


def openapi_paths(error: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI paths of /api/subscriptions; ``error`` is the schema of an error document."""
    one = [{"name": "id", "in": "path", "required": True, "schema": _ID}]
    listed = {
        "type": "object",
        "properties": {"subscriptions": {"type": "array", "items": _SUBSCRIPTION}},
    }
    created = {"allOf": [_SUBSCRIPTION, {"properties": {"secret": {"type": "string"}}}]}
    page = {
        "type": "object",
        "properties": {
            "deliveries": {"type": "array", "items": _DELIVERY},
            "next": {"type": ["string", "null"], "description": "the next page, if any"},
        },
    }
    create = _operation(
        "subscribe",
        "Subscribe a URL to the change feed (a webhook)",
        _ok("201", "the subscription (with the secret the server made, if it made one)", created),
        ("400", "401", "403", "415", "422", "503"),
        error,
    )
    create["requestBody"] = {
        "required": True,
        "content": {"application/json": {"schema": _REQUEST}},
    }
    deliveries = _operation(
        "subscription-deliveries",
        "A subscription's delivery attempts, newest first",
        _ok("200", "a page of attempts", page),
        ("400", "401", "403", "404", "503"),
        error,
    )
    deliveries["parameters"] = [
        *one,
        {
            "name": "limit",
            "in": "query",
            "required": False,
            "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100},
        },
        {
            "name": "before",
            "in": "query",
            "required": False,
            "schema": _ID,
            "description": "the last id of the previous page",
        },
    ]
    reads = ("401", "403", "404", "503")
    return {
        PATH: {
            "post": create,
            "get": _operation(
                "subscriptions",
                "The webhook subscriptions",
                _ok("200", "them", listed),
                ("401", "403", "503"),
                error,
            ),
        },
        PATH + "/{id}": {
            "get": _operation(
                "subscription",
                "A webhook subscription",
                _ok("200", "it", _SUBSCRIPTION),
                reads,
                error,
            )
            | {"parameters": one},
            "delete": _operation(
                "unsubscribe",
                "End a subscription (its deliveries stay on record)",
                _ok("204", "ended", None),
                reads,
                error,
            )
            | {"parameters": one},
        },
        PATH + "/{id}/resume": {
            "post": _operation(
                "subscription-resume",
                "Make a suspended subscription active at its cursor",
                _ok("200", "the subscription", _SUBSCRIPTION),
                reads,
                error,
            )
            | {"parameters": one},
        },
        PATH + "/{id}/deliveries": {"get": deliveries},
    }
