"""/api/stock-moves: the logistics desk's stock moves and the ledger (``gisserver.edits.stock``).

``POST /api/stock-moves`` (role logistics; admin) makes a move: 201 with the move, its ledger
lines and the item's lots afterwards, ``Location: /api/stock-moves/{id}``; a retry with the same
``Idempotency-Key`` gets the first answer (``Idempotent-Replayed: true``) and moves nothing.
``GET /api/stock-moves`` lists moves newest first (``stockpile_id``, ``item``, ``since``,
``limit``, ``after`` = the last id of the previous page; ``next`` is the next page's URL) and
``GET /api/stock-moves/{id}`` shows one: any valid key may read them (they name the people who
made them), not an anonymous caller.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Flask, Response, request

from gisserver.context import state
from gisserver.edits import idempotency
from gisserver.edits.idempotency import IdempotencyKey
from gisserver.edits.ledger import MAX_PAGE_SIZE, PAGE_SIZE, MoveQuery, list_moves, move_document
from gisserver.edits.stock import (
    FIELDS,
    KINDS,
    MAX_QUANTITY,
    MOVES_PATH,
    StockMove,
    record_move,
)
from gisserver.layers import STOCK_ITEMS
from gisserver.web import auth
from gisserver.web.http import json_object, query_args

PATH = MOVES_PATH
IDEMPOTENCY_KEY = "Idempotency-Key"


def _json(document: Any, status: int = 200) -> Response:
    return Response(json.dumps(document), status=status, mimetype="application/json")


def init_app(app: Flask) -> None:
    """Register /api/stock-moves."""
    bp = Blueprint("stock", __name__, url_prefix=PATH)

    @bp.post("")
    @auth.requires("logistics")
    def create() -> Response:
        move = StockMove.from_json(json_object(FIELDS))
        actor = auth.actor()
        key = None
        if IDEMPOTENCY_KEY in request.headers:  # a retried move gets the first answer
            key = IdempotencyKey.of(
                actor.name,
                request.headers[IDEMPOTENCY_KEY],
                request.path.encode(),
                request.get_data(cache=True),
            )
        answer = record_move(state().edits(), move, actor, key)
        response = Response(answer.body, status=answer.status, headers=answer.headers)
        if answer.replayed:
            response.headers["Idempotent-Replayed"] = "true"
        return response

    @bp.get("")
    @auth.requires_key
    def index() -> Response:
        args = query_args()
        moves, after = list_moves(state().database(), MoveQuery.from_args(args))
        following = None
        if after is not None:
            following = f"{PATH}?{urlencode(args | {'after': str(after)})}"
        return _json({"moves": moves, "next": following})

    @bp.get("/<int:move_id>")
    @auth.requires_key
    def show(move_id: int) -> Response:
        return _json(move_document(state().database(), move_id))

    app.register_blueprint(bp)


# ---------------------------------------------------------------------------------------------
# Their description in the /api OpenAPI document (gisserver.web.api)

_DATE = {"type": "string", "format": "date"}
_ID = {"type": "integer", "minimum": 1}
_NUMBER = {"type": "number"}
_LINE = {
    "type": "object",
    "properties": {
        "stockpile_id": _ID,
        "expires_on": {"oneOf": [_DATE, {"type": "null"}]},
        "quantity": {**_NUMBER, "description": "the lot's signed change"},
        "unit": {"type": "string"},
        "balance": {**_NUMBER, "description": "the lot's quantity after this line"},
    },
}
_MOVE = {
    "type": "object",
    "properties": {
        "id": _ID,
        "at": {"type": "string", "format": "date-time"},
        "kind": {"type": "string", "enum": ["opening", *KINDS, "count"]},
        "stockpile_id": _ID,
        "to_stockpile_id": {"oneOf": [_ID, {"type": "null"}]},
        "item": {"type": "string", "enum": list(STOCK_ITEMS)},
        "quantity": _NUMBER,
        "unit": {"type": "string"},
        "reason": {"type": ["string", "null"]},
        "actor": {"type": "string"},
        "actor_role": {"type": ["string", "null"]},
        "request_id": {"type": ["string", "null"]},
        "etl_run_id": {"type": ["integer", "null"]},
        "lines": {"type": "array", "items": _LINE},
    },
}
_BALANCE = {
    "type": "object",
    "properties": {
        "stockpile_id": _ID,
        "item": {"type": "string"},
        "unit": {"type": "string"},
        "quantity": _NUMBER,
        "lots": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "expires_on": {"oneOf": [_DATE, {"type": "null"}]},
                    "quantity": _NUMBER,
                },
            },
        },
    },
}
_REQUEST = {
    "type": "object",
    "required": ["kind", "stockpile_id", "item", "quantity", "unit"],
    "additionalProperties": False,
    "properties": {
        "kind": {"type": "string", "enum": list(KINDS)},
        "stockpile_id": {**_ID, "description": "the stockpile feature's id (a transfer's source)"},
        "item": {"type": "string", "enum": list(STOCK_ITEMS)},
        "quantity": {
            "type": "number",
            "maximum": float(MAX_QUANTITY),
            "minimum": -float(MAX_QUANTITY),
            "description": "greater than 0; an adjust: other than 0 (below 0 takes stock out)",
        },
        "unit": {
            "type": "string",
            "minLength": 1,
            "maxLength": 40,
            "description": "the item's unit at the stockpile (and at a transfer's destination)",
        },
        "to_stockpile_id": {**_ID, "description": "transfer: the destination"},
        "reason": {
            "type": "string",
            "minLength": 1,
            "maxLength": 500,
            "description": "required for an adjust",
        },
        "expires_on": {
            "oneOf": [_DATE, {"type": "null"}],
            "description": "receive, adjust: the lot (null or absent: the lot without expiry); "
            "a negative adjust without it takes first-expiring-first",
        },
    },
}
_ERRORS = {
    "400": "the body is not JSON, or a query parameter is wrong",
    "401": "no valid API key",
    "403": "the key's role may not make stock moves (logistics, admin)",
    "404": "no such stockpile (stockpile_id, to_stockpile_id) or move",
    "409": "the move would make stock negative (the description says what is available), or "
    "an inactive stockpile would receive stock; nothing was changed",
    "413": "the body is too large",
    "415": "the body is not application/json",
    "422": "a field is wrong: the description names it and what is accepted (kinds, items, the "
    "item's unit at the stockpile)",
    "503": "the database is unavailable; try again",
}


def _responses(error: dict[str, Any], ok: dict[str, Any], codes: tuple[str, ...]) -> dict[str, Any]:
    content = {"application/json": {"schema": error}}
    return ok | {code: {"description": _ERRORS[code], "content": content} for code in codes}


def openapi_paths(error: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI paths of /api/stock-moves; ``error`` is the schema of an error document."""
    created = {"allOf": [_MOVE, {"properties": {"balances": {"type": "array", "items": _BALANCE}}}]}
    listed = {
        "type": "object",
        "properties": {
            "moves": {"type": "array", "items": _MOVE},
            "next": {"type": ["string", "null"], "description": "the next page, if any"},
        },
    }
    reads = ("400", "401", "503")
    query = [
        ("stockpile_id", _ID, "moves with a line at this stockpile"),
        ("item", {"type": "string", "enum": list(STOCK_ITEMS)}, "moves of this item"),
        ("since", {"type": "string", "format": "date-time"}, "moves made at or after"),
        (
            "limit",
            {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": PAGE_SIZE},
            "moves per page",
        ),
        ("after", _ID, "the last id of the previous page: moves before it"),
    ]
    return {
        PATH: {
            "post": {
                "operationId": "stock-move",
                "summary": "Make a stock move",
                "description": "Receive, issue, transfer or adjust stock (role logistics). Issues "
                "and transfers take from the first-expiring lots (never expired ones); a transfer "
                "keeps the lots' expiries at the destination. One transaction: the lots, the "
                "ledger lines, the stockpiles' versions and the audit trail.",
                "parameters": [
                    {
                        "name": "Idempotency-Key",
                        "in": "header",
                        "required": False,
                        "description": "a unique value per move (e.g. a UUID): a retry with it "
                        "gets the first answer and moves nothing; another body with it is 422",
                        "schema": dict(idempotency.HEADER_SCHEMA),
                    }
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": _REQUEST,
                            "example": {
                                "kind": "issue",
                                "stockpile_id": 12,
                                "item": "water",
                                "quantity": 300,
                                "unit": "case",
                                "reason": "evacuation centre at the high school",
                            },
                        }
                    },
                },
                "responses": _responses(
                    error,
                    {
                        "201": {
                            "description": "the move, its lines and the item's lots afterwards",
                            "headers": {"Location": {"schema": {"type": "string"}}},
                            "content": {"application/json": {"schema": created}},
                        }
                    },
                    ("400", "401", "403", "404", "409", "413", "415", "422", "503"),
                ),
            },
            "get": {
                "operationId": "stock-moves",
                "summary": "The stock ledger's moves, newest first",
                "description": "Any valid API key. Paged: follow `next`.",
                "parameters": [
                    {"name": name, "in": "query", "required": False, "schema": schema}
                    | {"description": text}
                    for name, schema, text in query
                ],
                "responses": _responses(
                    error,
                    {"200": {"description": "a page of moves", "content": _content(listed)}},
                    reads,
                ),
            },
        },
        PATH + "/{id}": {
            "get": {
                "operationId": "stock-move-by-id",
                "summary": "A stock move and its ledger lines",
                "description": "Any valid API key.",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": _ID}],
                "responses": _responses(
                    error,
                    {"200": {"description": "the move", "content": _content(_MOVE)}},
                    ("401", "404", "503"),
                ),
            }
        },
    }


def _content(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}
