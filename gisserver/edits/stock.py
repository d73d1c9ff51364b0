"""Stock moves: the logistics desk receives, issues, transfers and adjusts stock, and every lot's
quantity is the balance of the ledger (``stock_moves``, migration 0007).

A move is one transaction on the edit role: the audit context (``act_as``), the stockpiles and
the item's lots locked in a stable order, the lots changed (the ledger's triggers write a line
per lot changed), the stockpiles touched (a new version: their ETag, the layer's tiles and
pages), and one ``audit_log`` row per stockpile with the move as its ``after``.

- ``receive`` adds to the lot of ``expires_on`` (none: the lot without expiry), creating it.
- ``issue`` and ``transfer`` take from the lots first-expiring-first (FEFO; no expiry last),
  never from an expired lot; a transfer puts what it took into the destination's lots of the
  same expiries.
- ``adjust`` is a signed correction with a reason: a positive one adds to the lot of
  ``expires_on`` like a receive; a negative one takes from that lot when ``expires_on`` is
  given (null: the lot without expiry), else first-expiring-first, expired lots included.
- The unit is the item's unit at that stockpile (at the destination too); a stockpile that
  holds none of the item yet takes the unit given.
- Stock never goes negative: a move that would make it is refused (409) with what is
  available, and the lots' CHECK (quantity >= 0) stays the last guard.
- An inactive stockpile receives nothing (no receive, no transfer to it: 409); it may still
  issue, transfer out and be adjusted, so that it can be emptied and counted.
- A lot a move empties stays, at 0 (the feature shows the item ran out; its unit is kept); an
  ETL load with ``--replace`` retires lots of its source that its file no longer lists.
- A move is not idempotent: a retried POST makes a second move.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import psycopg
from psycopg.rows import dict_row

from gisserver.audit import Actor, act_as
from gisserver.db import Database, load_sql
from gisserver.edits.idempotency import Answer, IdempotencyKey
from gisserver.edits.ledger import MAX_ID, balances, documents
from gisserver.errors import Conflict, InvalidValue, NotFound
from gisserver.layers import STOCK_ITEMS

# Where a move is published (its Location; gisserver.web.stock serves it).
MOVES_PATH = "/api/stock-moves"

KINDS = ("receive", "issue", "transfer", "adjust")
# Kinds of ledger lines: the moves above, ``count`` (ETL loads, psql) and ``opening``.
LEDGER_KINDS = ("opening", *KINDS, "count")
FIELDS = (
    "kind",
    "stockpile_id",
    "item",
    "quantity",
    "unit",
    "to_stockpile_id",
    "reason",
    "expires_on",
)
# The source of a lot that a move creates (an ETL load of that lot takes it over).
MOVES_SOURCE = "stock-moves"
MAX_QUANTITY = Decimal("1e12")
MAX_DECIMALS = 6
MAX_UNIT = 40
MAX_REASON = 500


def _text(number: Decimal) -> str:
    return format(number.normalize(), "f")


# ---------------------------------------------------------------------------------------------
# The request


def _stockpile_id(body: Mapping[str, Any], name: str) -> int | None:
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_ID:
        raise InvalidValue(
            name, f"{value!r} is not a stockpile id", "the id of a stockpile feature (integer)"
        )
    return value


def _quantity(value: Any, kind: str) -> Decimal:
    accepted = (
        "a number other than 0 (below 0 takes stock out)"
        if kind == "adjust"
        else "a number greater than 0"
    )
    accepted += f", at most {MAX_QUANTITY:,.0f} with at most {MAX_DECIMALS} decimals"
    if value is None:
        raise InvalidValue("quantity", "is missing", accepted)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidValue("quantity", f"{value!r} is not a number", accepted)
    number = Decimal(str(value))
    exponent = number.as_tuple().exponent
    if (
        not number.is_finite()
        or number == 0
        or (number < 0 and kind != "adjust")
        or abs(number) > MAX_QUANTITY
        or (isinstance(exponent, int) and exponent < -MAX_DECIMALS)
    ):
        raise InvalidValue("quantity", f"{value!r} is out of range for {kind}", accepted)
    return number


def _text_field(body: Mapping[str, Any], name: str, longest: int, accepted: str) -> str | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip() or len(value.strip()) > longest:
        raise InvalidValue(name, f"{value!r} is not accepted", accepted)
    return value.strip()


@dataclass(frozen=True)
class StockMove:
    """A move as the logistics desk asks for it (``from_json`` checks it)."""

    kind: str
    stockpile_id: int
    item: str
    quantity: Decimal
    unit: str
    to_stockpile_id: int | None = None
    reason: str | None = None
    expires_on: dt.date | None = None
    # expires_on was given (a date or null): a receive or an adjust names that lot
    names_lot: bool = False

    @classmethod
    def from_json(cls, body: Mapping[str, Any]) -> StockMove:
        """Check a request body; a field that is wrong is an InvalidValue (422) naming it and
        what is accepted."""
        for name in body:
            if name not in FIELDS:
                raise InvalidValue(name, "is not a field of a stock move", ", ".join(FIELDS))
        kind = body.get("kind")
        if kind not in KINDS:
            raise InvalidValue(
                "kind", "is missing" if kind is None else f"{kind!r}", ", ".join(KINDS)
            )
        stockpile_id = _stockpile_id(body, "stockpile_id")
        if stockpile_id is None:
            raise InvalidValue("stockpile_id", "is missing", "the id of a stockpile (integer)")
        item = body.get("item")
        if item not in STOCK_ITEMS:
            problem = "is missing" if item is None else f"{item!r} is not an item"
            raise InvalidValue("item", problem, ", ".join(STOCK_ITEMS))
        quantity = _quantity(body.get("quantity"), kind)
        unit = _text_field(body, "unit", MAX_UNIT, "the item's unit, e.g. case, litre, each")
        if unit is None:
            raise InvalidValue("unit", "is missing", "the item's unit at the stockpile, e.g. case")
        to_stockpile_id = _stockpile_id(body, "to_stockpile_id")
        if kind == "transfer" and to_stockpile_id is None:
            raise InvalidValue("to_stockpile_id", "is missing", "the destination's id")
        if kind == "transfer" and to_stockpile_id == stockpile_id:
            raise InvalidValue("to_stockpile_id", "is the source itself", "another stockpile's id")
        if kind != "transfer" and "to_stockpile_id" in body:
            raise InvalidValue("to_stockpile_id", f"is not a field of {kind}", "transfer only")
        reason = _text_field(body, "reason", MAX_REASON, f"a text of 1 to {MAX_REASON} characters")
        if kind == "adjust" and reason is None:
            raise InvalidValue("reason", "is missing", "why the stock is corrected (required)")
        names_lot = "expires_on" in body
        if names_lot and kind not in ("receive", "adjust"):
            raise InvalidValue(
                "expires_on",
                f"is not a field of {kind} (it takes from the first-expiring lots)",
                "receive and adjust only",
            )
        expires_on = None
        if body.get("expires_on") is not None:
            try:
                expires_on = dt.date.fromisoformat(str(body["expires_on"]))
            except ValueError:
                expires_on = None
            if expires_on is None or not isinstance(body["expires_on"], str):
                raise InvalidValue(
                    "expires_on", f"{body['expires_on']!r}", "a date YYYY-MM-DD, or null"
                )
        return cls(
            kind, stockpile_id, item, quantity, unit, to_stockpile_id, reason, expires_on, names_lot
        )

    @property
    def adds(self) -> bool:
        """Whether the move puts stock into its stockpile (else it takes from it)."""
        return self.kind == "receive" or (self.kind == "adjust" and self.quantity > 0)


# ---------------------------------------------------------------------------------------------
# Making a move


@dataclass(frozen=True)
class _Lot:
    id: int
    stockpile_id: int
    expires_on: dt.date | None
    quantity: Decimal
    unit: str


def record_move(
    db: Database, move: StockMove, actor: Actor, key: IdempotencyKey | None = None
) -> Answer:
    """Make ``move`` as ``actor`` in one transaction: 201 with the move as ``move_document``
    shows it, with the item's lots at each stockpile it touched right after it (``balances``),
    and its ``Location``. With an idempotency ``key`` a retry gets that first answer again and
    moves nothing."""
    with db.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
        if key is not None:
            replay = key.claim(conn)
            if replay is not None:
                return replay
        try:
            document = _record(cur, move, actor)
        except psycopg.errors.CheckViolation as exc:
            if exc.diag.table_name != "stockpile_items":
                raise
            raise Conflict(
                f"quantity: the {move.kind} would make the stock of {move.item} negative; "
                "nothing was changed; accepted: a quantity up to what is available"
            ) from exc
        answer = Answer(
            201,
            {"Location": f"{MOVES_PATH}/{document['id']}", "Content-Type": "application/json"},
            json.dumps(document),
        )
        if key is not None:
            key.keep(conn, answer)
        return answer


def _record(cur: psycopg.Cursor[dict[str, Any]], move: StockMove, actor: Actor) -> dict[str, Any]:
    cur.execute(load_sql("edits/stock_lock.sql"))
    act_as(cur.connection, actor)
    ids = sorted({move.stockpile_id, move.to_stockpile_id or move.stockpile_id})
    cur.execute(load_sql("edits/stock_stockpiles.sql"), {"ids": ids})
    found = cur.fetchall()
    status = {row["id"]: row["status"] for row in found}
    for name in ("stockpile_id", "to_stockpile_id"):
        wanted = getattr(move, name)
        if wanted is not None and wanted not in status:
            raise NotFound(f"{name}: there is no stockpile {wanted}")
    receiver = move.to_stockpile_id if move.kind == "transfer" else None
    if move.kind == "receive":
        receiver = move.stockpile_id
    if receiver is not None and status[receiver] != "active":
        name = "to_stockpile_id" if move.kind == "transfer" else "stockpile_id"
        raise Conflict(
            f"{name}: stockpile {receiver} is {status[receiver]} and receives no stock; "
            "accepted: an active stockpile (an inactive one may still issue, transfer out and "
            "be adjusted)"
        )
    cur.execute(load_sql("edits/stock_lots.sql"), {"ids": ids, "item": move.item})
    lots = [_Lot(**row) for row in cur.fetchall()]
    takes, puts = _plan(move, lots, found[0]["today"])

    cur.execute(
        load_sql("edits/stock_begin.sql"),
        {
            "kind": move.kind,
            "to_stockpile_id": "" if move.to_stockpile_id is None else str(move.to_stockpile_id),
            "reason": move.reason or "",
        },
    )
    row = cur.fetchone()
    assert row is not None
    move_id = int(row["move_id"])
    if takes:
        cur.execute(
            load_sql("edits/stock_take.sql"),
            {"ids": [lot.id for lot, _ in takes], "quantities": [q for _, q in takes]},
        )
    for stockpile_id, into in puts.items():
        cur.execute(
            load_sql("edits/stock_put.sql"),
            {
                "stockpile_id": stockpile_id,
                "item": move.item,
                "unit": move.unit,
                "source": MOVES_SOURCE,
                "expiries": [expires_on for expires_on, _ in into],
                "quantities": [quantity for _, quantity in into],
            },
        )
    cur.execute(load_sql("edits/stock_touch.sql"), {"ids": ids})
    document = documents(cur, [move_id])[0]
    document["balances"] = balances(cur, ids, move.item)
    cur.execute(load_sql("edits/stock_audit.sql"), {"ids": ids, "move": json.dumps(document)})
    return document


Takes = list[tuple[_Lot, Decimal]]
Puts = dict[int, list[tuple[dt.date | None, Decimal]]]


def _plan(move: StockMove, lots: list[_Lot], today: dt.date) -> tuple[Takes, Puts]:
    """What to take from which lot and put into which (stockpile, expiry)."""
    source = [lot for lot in lots if lot.stockpile_id == move.stockpile_id]
    if move.adds:
        _check_put(move, source, move.stockpile_id, [move.expires_on])
        return [], {move.stockpile_id: [(move.expires_on, move.quantity)]}
    need = abs(move.quantity)
    if source:
        _check_unit(move, source, move.stockpile_id)
    same_unit = [lot for lot in source if lot.unit == move.unit]
    if move.kind == "adjust" and move.names_lot:
        candidates = [lot for lot in same_unit if lot.expires_on == move.expires_on]
        expired = Decimal(0)
    elif move.kind == "adjust":
        candidates = same_unit
        expired = Decimal(0)
    else:
        candidates = [lot for lot in same_unit if not _expired(lot, today)]
        expired = sum((lot.quantity for lot in same_unit if _expired(lot, today)), Decimal(0))
    takes = _first_expiring_first(candidates, need)
    if takes is None:
        _refuse(move, need, sum((lot.quantity for lot in candidates), Decimal(0)), expired)
    assert takes is not None
    puts: Puts = {}
    if move.kind == "transfer":
        assert move.to_stockpile_id is not None
        there = [lot for lot in lots if lot.stockpile_id == move.to_stockpile_id]
        expiries = [lot.expires_on for lot, _ in takes]
        _check_put(move, there, move.to_stockpile_id, expiries)
        puts[move.to_stockpile_id] = [(lot.expires_on, quantity) for lot, quantity in takes]
    return takes, puts


def _expired(lot: _Lot, today: dt.date) -> bool:
    return lot.expires_on is not None and lot.expires_on < today


def _first_expiring_first(lots: Iterable[_Lot], need: Decimal) -> Takes | None:
    """(lot, quantity) taking ``need`` from ``lots`` in their order; None if they hold less."""
    takes: Takes = []
    for lot in lots:
        if need <= 0:
            break
        if lot.quantity > 0:
            take = min(lot.quantity, need)
            takes.append((lot, take))
            need -= take
    return takes if need <= 0 else None


def _refuse(move: StockMove, need: Decimal, available: Decimal, expired: Decimal) -> None:
    lot = ""
    if move.kind == "adjust" and move.names_lot:
        lot = f" in its lot expiring {move.expires_on}" if move.expires_on else " without expiry"
    text = (
        f"quantity: taking {_text(need)} {move.unit} of {move.item} from stockpile "
        f"{move.stockpile_id} would make its stock negative; available{lot}: "
        f"{_text(available)} {move.unit}"
    )
    if expired:
        text += (
            f" ({_text(expired)} {move.unit} more have expired and are not issued: an adjust "
            "naming their expires_on takes them out)"
        )
    raise Conflict(text + "; nothing was changed")


def _check_unit(move: StockMove, lots: list[_Lot], stockpile_id: int) -> None:
    units = sorted({lot.unit for lot in lots})
    if units and move.unit not in units:
        where = " (the destination)" if stockpile_id != move.stockpile_id else ""
        raise InvalidValue(
            "unit",
            f"{move.unit!r} is not the unit of {move.item} at stockpile {stockpile_id}{where}",
            " or ".join(units),
        )


def _check_put(
    move: StockMove, lots: list[_Lot], stockpile_id: int, expiries: list[dt.date | None]
) -> None:
    _check_unit(move, lots, stockpile_id)
    for lot in lots:
        if lot.expires_on in expiries and lot.unit != move.unit:
            raise InvalidValue(
                "unit",
                f"{move.unit!r} is not the unit of the lot of {move.item} expiring "
                f"{lot.expires_on or 'never'} at stockpile {stockpile_id}",
                lot.unit,
            )
