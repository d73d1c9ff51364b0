"""The stock ledger read back: moves (their lines grouped by move id), pages of moves, and the
lots of an item as they are (``stock_moves``, migration 0007; made by ``gisserver.edits.stock``,
the ETL's inventory loads and the ledger's triggers)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import psycopg

from gisserver.db import Database, load_sql
from gisserver.errors import InvalidParameter, NotFound
from gisserver.layers import STOCK_ITEMS

MAX_ID = 2**63 - 1
PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
QUERY_PARAMETERS = ("stockpile_id", "item", "since", "limit", "after")


def json_number(number: Decimal) -> int | float:
    """A quantity as JSON: an integer when it is whole."""
    return int(number) if number == number.to_integral_value() else float(number)


def _document(lines: list[dict[str, Any]]) -> dict[str, Any]:
    first = lines[0]
    out = [line for line in lines if line["quantity"] < 0]
    total = sum((line["quantity"] for line in lines), Decimal(0))
    stockpile_id = first["stockpile_id"]
    if first["kind"] == "transfer":
        stockpile_id = out[0]["stockpile_id"]
        total = -sum((line["quantity"] for line in out), Decimal(0))
    elif first["kind"] == "issue":
        total = -total
    return {
        "id": first["move_id"],
        "at": first["at"].isoformat(),
        "kind": first["kind"],
        "stockpile_id": stockpile_id,
        "to_stockpile_id": first["to_stockpile_id"],
        "item": first["item"],
        "quantity": json_number(total),
        "unit": first["unit"],
        "reason": first["reason"],
        "actor": first["actor"],
        "actor_role": first["actor_role"],
        "request_id": first["request_id"],
        "etl_run_id": first["etl_run_id"],
        "lines": [
            {
                "stockpile_id": line["stockpile_id"],
                "expires_on": line["expires_on"] and line["expires_on"].isoformat(),
                "quantity": json_number(line["quantity"]),
                "unit": line["unit"],
                "balance": json_number(line["balance"]),
            }
            for line in lines
        ],
    }


def documents(cur: psycopg.Cursor[dict[str, Any]], move_ids: list[int]) -> list[dict[str, Any]]:
    cur.execute(load_sql("edits/stock_lines.sql"), {"moves": move_ids})
    grouped: dict[int, list[dict[str, Any]]] = {}
    for row in cur.fetchall():
        grouped.setdefault(row["move_id"], []).append(row)
    return [_document(grouped[i]) for i in move_ids if i in grouped]


def balances(
    cur: psycopg.Cursor[dict[str, Any]], ids: list[int], item: str
) -> list[dict[str, Any]]:
    cur.execute(load_sql("edits/stock_balances.sql"), {"ids": ids, "item": item})
    balances: dict[tuple[int, str], dict[str, Any]] = {}
    for row in cur.fetchall():
        entry = balances.setdefault(
            (row["stockpile_id"], row["unit"]),
            {"stockpile_id": row["stockpile_id"], "item": item, "unit": row["unit"], "lots": []},
        )
        entry["lots"].append({"expires_on": row["expires_on"], "quantity": row["quantity"]})
    out = []
    for entry in balances.values():
        total = sum((lot["quantity"] for lot in entry["lots"]), Decimal(0))
        lots = [
            {
                "expires_on": lot["expires_on"] and lot["expires_on"].isoformat(),
                "quantity": json_number(lot["quantity"]),
            }
            for lot in entry["lots"]
        ]
        out.append(entry | {"quantity": json_number(total), "lots": lots})
    return out


def move_document(db: Database, move_id: int) -> dict[str, Any]:
    """The move ``move_id``: kind, stockpiles, item, quantity, who, and its ledger lines (each
    with the lot's balance after it)."""
    if not 0 < move_id <= MAX_ID:
        raise NotFound(f"there is no stock move {move_id}")
    with db.read_cursor() as cur:
        found = documents(cur, [move_id])
    if not found:
        raise NotFound(f"there is no stock move {move_id}")
    return found[0]


@dataclass(frozen=True)
class MoveQuery:
    """Which moves to list: of a stockpile, of an item, since a time; a page of ``limit``
    after the move ``after`` (newest first)."""

    stockpile_id: int | None = None
    item: str | None = None
    since: dt.datetime | None = None
    after: int | None = None
    limit: int = PAGE_SIZE

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> MoveQuery:
        """Check query parameters; a wrong one is an InvalidParameter (400)."""
        for name in args:
            if name not in QUERY_PARAMETERS:
                raise InvalidParameter(name, "is not a parameter", ", ".join(QUERY_PARAMETERS))
        item = args.get("item")
        if item is not None and item not in STOCK_ITEMS:
            raise InvalidParameter("item", f"{item!r} is not an item", ", ".join(STOCK_ITEMS))
        since = None
        if "since" in args:
            try:
                since = dt.datetime.fromisoformat(args["since"])
            except ValueError as exc:
                raise InvalidParameter(
                    "since", f"{args['since']!r}", "an RFC 3339 time, e.g. 2026-12-10T08:00:00Z"
                ) from exc
            if since.tzinfo is None:
                since = since.replace(tzinfo=dt.UTC)
        return cls(
            stockpile_id=_positive(args, "stockpile_id", MAX_ID),
            item=item,
            since=since,
            after=_positive(args, "after", MAX_ID),
            limit=_positive(args, "limit", MAX_PAGE_SIZE) or PAGE_SIZE,
        )


def _positive(args: Mapping[str, str], name: str, largest: int) -> int | None:
    if name not in args:
        return None
    text = args[name]
    if not text.isascii() or not text.isdigit() or not 0 < int(text) <= largest:
        raise InvalidParameter(name, f"{text!r}", f"an integer from 1 to {largest}")
    return int(text)


def list_moves(db: Database, query: MoveQuery) -> tuple[list[dict[str, Any]], int | None]:
    """A page of moves, newest first, and the ``after`` of the next page (None: the last)."""
    params = {
        "stockpile_id": query.stockpile_id,
        "item": query.item,
        "since": query.since,
        "after": query.after,
        "limit": query.limit + 1,
    }
    with db.read_cursor() as cur:
        cur.execute(load_sql("edits/stock_page.sql"), params)
        ids = [int(row["move_id"]) for row in cur.fetchall()]
        more = len(ids) > query.limit
        ids = ids[: query.limit]
        moves = documents(cur, ids) if ids else []
    return moves, (ids[-1] if more else None)
