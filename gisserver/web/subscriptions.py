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

from flask import Blueprint, Flask, Response, request

from gisserver.context import state
from gisserver.errors import InvalidParameter, InvalidValue, UnsupportedMediaType
from gisserver.feed.webhooks import (
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
from gisserver.web.http import query_args

PATH = "/api/subscriptions"
MAX_ID = 2**63 - 1


def _json_object() -> dict[str, Any]:
    if not request.is_json:
        raise UnsupportedMediaType(
            "Content-Type", f"{request.mimetype or 'none'} is not accepted", "application/json"
        )
    try:
        body = json.loads(request.get_data(cache=True))
    except ValueError as exc:
        raise InvalidParameter("body", f"is not JSON ({exc})", "a JSON object") from exc
    if not isinstance(body, dict):
        raise InvalidValue(
            "body", f"is a JSON {type(body).__name__}", f"a JSON object of {', '.join(FIELDS)}"
        )
    return body


def _json(document: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        json.dumps(document), status=status, mimetype="application/json", headers=headers
    )


def _before(args: dict[str, str]) -> int | None:
    text = args.get("before")
    if text is None or text == "":
        return None
    if not text.strip().isdigit() or not 1 <= int(text) <= MAX_ID:
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
            _json_object(),
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
