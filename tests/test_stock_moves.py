"""The stock-move ledger over real HTTP: receive, issue (first-expiring-first), transfer, adjust;
refusals that write nothing; 20 clients issuing from one lot at once; the ledger's sum per lot
equal to the lots after moves and after an ETL inventory load (summed here, in Python); roles;
the audit trail; the stockpile feature, its ETag and the situation report afterwards."""

from __future__ import annotations

import datetime as dt
import json
import threading
import urllib.error
import urllib.request
from collections import Counter, defaultdict
from collections.abc import Iterator
from decimal import Decimal
from email.message import Message
from pathlib import Path
from typing import Any

import psycopg
import pytest
from editing import api_keys
from flask import Flask
from live import serving

from gisserver.etl.loader import load_file
from gisserver.settings import Settings
from gisserver.web import auth

# Far from every other test's data, so that the situation report here counts only ours.
LON, LAT = 160.0, -45.0
BBOX = f"{LON - 1},{LAT - 1},{LON + 1},{LAT + 1}"


@pytest.fixture(scope="module")
def keys(database_url: str) -> Iterator[dict[str, tuple[str, str]]]:
    """A key of every role (`gisserver keys create`, editing.api_keys): role -> (name, secret)."""
    with api_keys(database_url, "stock") as made:
        yield {role: (key.name, key.secret) for role, key in made.items()}


@pytest.fixture(autouse=True)
def fresh_limiter(monkeypatch: pytest.MonkeyPatch) -> None:
    """Other tests' failed authentications from 127.0.0.1 must not make ours a 429."""
    monkeypatch.setattr(auth, "LIMITER", auth.FailureLimiter())


@pytest.fixture(scope="module")
def live(app: Flask) -> Iterator[str]:
    with serving(app) as base:
        yield base


@pytest.fixture()
def db(database_url: str) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(database_url, autocommit=True) as connection:
        yield connection


def call(
    url: str,
    method: str = "GET",
    body: Any = None,
    *,
    key: str | None = None,
    raw: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, Message, Any]:
    """One HTTP request: (status, headers, the JSON body or None)."""
    data = raw if raw is not None else None if body is None else json.dumps(body).encode()
    sent = {"Content-Type": "application/json"} if data is not None else {}
    if key:
        sent["Authorization"] = f"Bearer {key}"
    sent |= headers or {}
    request = urllib.request.Request(url, data=data, method=method, headers=sent)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, got, text = response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        status, got, text = exc.code, exc.headers, exc.read()
    return status, got, json.loads(text) if text else None


class Desk:
    """The logistics desk: POSTs moves with the logistics key."""

    def __init__(self, live: str, keys: dict[str, tuple[str, str]]) -> None:
        self.url = f"{live}/api/stock-moves"
        self.name, self.key = keys["logistics"]

    def move(self, **body: Any) -> tuple[int, Message, Any]:
        return call(self.url, "POST", body, key=self.key)

    def made(self, **body: Any) -> dict[str, Any]:
        status, headers, document = self.move(**body)
        assert status == 201, document
        assert headers["Location"] == f"/api/stock-moves/{document['id']}"
        return document


@pytest.fixture()
def desk(live: str, keys: dict[str, tuple[str, str]]) -> Desk:
    return Desk(live, keys)


@pytest.fixture()
def today(db: psycopg.Connection[Any]) -> dt.date:
    row = db.execute("SELECT current_date").fetchone()
    assert row is not None
    return row[0]


def lots(db: psycopg.Connection[Any], stockpile_id: int, item: str = "water") -> dict[Any, Any]:
    """expires_on -> quantity of a stockpile's lots of an item."""
    return {
        expires_on: quantity
        for expires_on, quantity in db.execute(
            "SELECT expires_on, quantity FROM stockpile_items"
            " WHERE stockpile_id = %s AND item = %s",
            (stockpile_id, item),
        )
    }


def snapshot(db: psycopg.Connection[Any], ids: list[int]) -> tuple[Any, ...]:
    """Everything a move writes: lots, ledger lines, audit rows, the stockpiles' versions."""
    return (
        db.execute(
            "SELECT id, item, quantity, unit, expires_on FROM stockpile_items "
            "WHERE stockpile_id = ANY(%s) ORDER BY id",
            (ids,),
        ).fetchall(),
        db.execute(
            "SELECT count(*), max(id) FROM stock_moves WHERE stockpile_id = ANY(%s)", (ids,)
        ).fetchone(),
        db.execute(
            "SELECT count(*) FROM audit_log WHERE layer = 'stockpiles' AND feature_id = ANY(%s)",
            (ids,),
        ).fetchone(),
        db.execute(
            "SELECT id, version FROM stockpiles WHERE id = ANY(%s) ORDER BY id", (ids,)
        ).fetchall(),
    )


def assert_ledger_is_the_lots(db: psycopg.Connection[Any], ids: list[int]) -> None:
    """Sum the ledger per lot here, and compare with every lot's quantity; the last line of
    each lot holds its quantity as its balance."""
    sums: dict[tuple[Any, ...], Decimal] = defaultdict(Decimal)
    last: dict[tuple[Any, ...], Decimal] = {}
    for stockpile_id, item, expires_on, quantity, balance in db.execute(
        "SELECT stockpile_id, item, expires_on, quantity, balance FROM stock_moves "
        "WHERE stockpile_id = ANY(%s) ORDER BY id",
        (ids,),
    ):
        sums[(stockpile_id, item, expires_on)] += quantity
        last[(stockpile_id, item, expires_on)] = balance
    held = {
        (stockpile_id, item, expires_on): quantity
        for stockpile_id, item, expires_on, quantity in db.execute(
            "SELECT stockpile_id, item, expires_on, quantity FROM stockpile_items "
            "WHERE stockpile_id = ANY(%s)",
            (ids,),
        )
    }
    assert held, "no lots to compare"
    assert {lot: q for lot, q in sums.items() if q} == {lot: q for lot, q in held.items() if q}
    assert {lot: b for lot, b in last.items() if b} == {lot: q for lot, q in held.items() if q}
    negative = db.execute(
        "SELECT count(*) FROM stockpile_items WHERE stockpile_id = ANY(%s) AND quantity < 0",
        (ids,),
    ).fetchone()
    assert negative == (0,)


def test_receive_adds_to_the_lot_of_its_expiry_and_creates_it(desk: Desk, rows, db):
    depot = rows.stockpile(LON, LAT)
    first = desk.made(
        kind="receive",
        stockpile_id=depot,
        item="water",
        quantity=300,
        unit="case",
        expires_on="2027-06-01",
        reason="delivery from the state depot",
    )
    assert first["kind"] == "receive" and first["quantity"] == 300 and first["unit"] == "case"
    assert first["lines"] == [
        {
            "stockpile_id": depot,
            "expires_on": "2027-06-01",
            "quantity": 300,
            "unit": "case",
            "balance": 300,
        }
    ]
    desk.made(
        kind="receive",
        stockpile_id=depot,
        item="water",
        quantity=200,
        unit="case",
        expires_on="2027-06-01",
    )
    last = desk.made(kind="receive", stockpile_id=depot, item="water", quantity=12.5, unit="case")
    assert lots(db, depot) == {dt.date(2027, 6, 1): 500, None: Decimal("12.5")}
    assert last["balances"] == [
        {
            "stockpile_id": depot,
            "item": "water",
            "unit": "case",
            "lots": [
                {"expires_on": "2027-06-01", "quantity": 500},
                {"expires_on": None, "quantity": 12.5},
            ],
            "quantity": 512.5,
        }
    ]
    source = db.execute(
        "SELECT DISTINCT source FROM stockpile_items WHERE stockpile_id = %s", (depot,)
    ).fetchall()
    assert source == [("stock-moves",)]
    assert_ledger_is_the_lots(db, [depot])


def test_issue_takes_first_expiring_first_and_never_an_expired_lot(desk: Desk, rows, db, today):
    depot = rows.stockpile(LON, LAT)
    held = {
        today - dt.timedelta(days=1): Decimal(100),  # expired: never issued
        today: Decimal(40),  # expires today: still good
        today + dt.timedelta(days=100): Decimal(200),
        today + dt.timedelta(days=10): Decimal(80),
        None: Decimal(500),
    }
    for expires_on, quantity in held.items():
        rows.item(depot, "water", float(quantity), "case", expires_on)
    # first-expiring-first, computed here: good lots by expiry, no expiry last
    need, expected = Decimal(300), []
    for expires_on in sorted(
        (e for e in held if e is None or e >= today), key=lambda e: (e is None, e)
    ):
        take = min(need, held[expires_on])
        if take:
            expected.append((expires_on, -take, held[expires_on] - take))
        need -= take
    document = desk.made(kind="issue", stockpile_id=depot, item="water", quantity=300, unit="case")
    assert [
        (line["expires_on"], line["quantity"], line["balance"]) for line in document["lines"]
    ] == [(e and e.isoformat(), int(q), int(b)) for e, q, b in expected]
    assert expected[-1][0] == today + dt.timedelta(days=100)  # the no-expiry lot untouched
    after = lots(db, depot)
    assert after[today - dt.timedelta(days=1)] == 100 and after[None] == 500
    assert sum(after.values()) == sum(held.values()) - 300
    # what is left that may be issued: 20 + 500; the expired 100 are named, not counted
    status, _, error = desk.move(
        kind="issue", stockpile_id=depot, item="water", quantity=521, unit="case"
    )
    assert status == 409
    assert "available: 520 case" in error["description"]
    assert "100 case more have expired" in error["description"]
    assert_ledger_is_the_lots(db, [depot])


def test_transfer_keeps_the_lots_expiries_at_the_destination(desk: Desk, rows, db, keys):
    north, south = rows.stockpile(LON, LAT), rows.stockpile(LON + 0.1, LAT)
    rows.item(north, "water", 80, "case", dt.date(2027, 1, 1))
    rows.item(north, "water", 200, "case", dt.date(2027, 9, 1))
    rows.item(south, "water", 10, "case", dt.date(2027, 9, 1))
    before = snapshot(db, [north, south])
    document = desk.made(
        kind="transfer",
        stockpile_id=north,
        to_stockpile_id=south,
        item="water",
        quantity=150,
        unit="case",
        reason="south shelter opening",
    )
    assert (document["stockpile_id"], document["to_stockpile_id"]) == (north, south)
    assert document["quantity"] == 150
    assert [(x["stockpile_id"], x["expires_on"], x["quantity"]) for x in document["lines"]] == [
        (north, "2027-01-01", -80),
        (north, "2027-09-01", -70),
        (south, "2027-01-01", 80),
        (south, "2027-09-01", 70),
    ]
    assert lots(db, north) == {dt.date(2027, 1, 1): 0, dt.date(2027, 9, 1): 130}
    assert lots(db, south) == {dt.date(2027, 1, 1): 80, dt.date(2027, 9, 1): 80}
    assert {b["stockpile_id"]: b["quantity"] for b in document["balances"]} == {
        north: 130,
        south: 160,
    }
    lines = db.execute(
        "SELECT DISTINCT kind, to_stockpile_id, reason, actor, actor_role FROM stock_moves "
        "WHERE move_id = %s",
        (document["id"],),
    ).fetchall()
    assert lines == [
        ("transfer", south, "south shelter opening", keys["logistics"][0], "logistics")
    ]
    # one audit row per stockpile, at its new version, the move as "after"
    audit = db.execute(
        "SELECT a.feature_id, a.version, s.version, a.after FROM audit_log a "
        "JOIN stockpiles s ON s.id = a.feature_id "
        "WHERE a.layer = 'stockpiles' AND a.operation = 'stock-move' AND a.feature_id = ANY(%s) "
        "ORDER BY a.feature_id",
        ([north, south],),
    ).fetchall()
    assert [(f, a == s) for f, a, s, _ in audit] == [(north, True), (south, True)]
    assert all(after == document for *_, after in audit)
    assert [v for _, v in snapshot(db, [north, south])[3]] == [v + 1 for _, v in before[3]]
    assert_ledger_is_the_lots(db, [north, south])


def test_adjust_corrects_with_a_reason(desk: Desk, rows, db, today):
    depot = rows.stockpile(LON, LAT)
    old = today - dt.timedelta(days=3)
    rows.item(depot, "blanket", 30, "each", old)
    rows.item(depot, "blanket", 50, "each")
    status, _, error = desk.move(
        kind="adjust", stockpile_id=depot, item="blanket", quantity=-5, unit="each"
    )
    assert status == 422 and error["description"].startswith("reason: is missing")
    # without expires_on a correction down takes first-expiring-first, expired lots included
    found = desk.made(
        kind="adjust",
        stockpile_id=depot,
        item="blanket",
        quantity=-35,
        unit="each",
        reason="stock count: 35 missing",
    )
    assert [(x["expires_on"], x["quantity"]) for x in found["lines"]] == [
        (old.isoformat(), -30),
        (None, -5),
    ]
    assert found["quantity"] == -35 and found["reason"] == "stock count: 35 missing"
    desk.made(
        kind="adjust",
        stockpile_id=depot,
        item="blanket",
        quantity=7,
        unit="each",
        expires_on=None,
        reason="found behind the pallets",
    )
    assert lots(db, depot, "blanket") == {old: 0, None: 52}
    status, _, error = desk.move(
        kind="adjust",
        stockpile_id=depot,
        item="blanket",
        quantity=-1,
        unit="each",
        expires_on=old.isoformat(),
        reason="x",
    )
    assert status == 409 and f"available in its lot expiring {old}: 0 each" in error["description"]
    assert_ledger_is_the_lots(db, [depot])


def test_a_move_that_would_make_stock_negative_writes_nothing(desk: Desk, rows, db):
    a, b = rows.stockpile(LON, LAT), rows.stockpile(LON, LAT + 0.1)
    rows.item(a, "medical_kit", 12, "kit", dt.date(2027, 3, 1))
    rows.item(a, "medical_kit", 8, "kit")
    before = snapshot(db, [a, b])
    for body in (
        {"kind": "issue", "quantity": 21},
        {"kind": "transfer", "quantity": 20.5, "to_stockpile_id": b},
        {"kind": "adjust", "quantity": -21, "reason": "count"},
    ):
        status, _, error = desk.move(stockpile_id=a, item="medical_kit", unit="kit", **body)
        assert status == 409, error
        assert error["code"] == "Conflict"
        assert "available: 20 kit" in error["description"]
        assert "nothing was changed" in error["description"]
    status, _, error = desk.move(
        kind="issue", stockpile_id=b, item="medical_kit", quantity=1, unit="kit"
    )
    assert status == 409 and "available: 0 kit" in error["description"]
    assert snapshot(db, [a, b]) == before


def test_the_unit_is_the_items_unit_at_the_stockpile(desk: Desk, rows, db):
    a, b = rows.stockpile(LON, LAT), rows.stockpile(LON, LAT + 0.1)
    rows.item(a, "fuel", 500, "litre")
    rows.item(b, "fuel", 4, "drum")
    before = snapshot(db, [a, b])
    status, _, error = desk.move(kind="issue", stockpile_id=a, item="fuel", quantity=5, unit="l")
    assert status == 422
    assert error["description"] == (
        f"unit: 'l' is not the unit of fuel at stockpile {a}; accepted: litre"
    )
    status, _, error = desk.move(
        kind="receive", stockpile_id=b, item="fuel", quantity=5, unit="litre"
    )
    assert status == 422 and error["description"].endswith("accepted: drum")
    status, _, error = desk.move(
        kind="transfer", stockpile_id=a, to_stockpile_id=b, item="fuel", quantity=5, unit="litre"
    )
    assert status == 422
    assert f"at stockpile {b} (the destination); accepted: drum" in error["description"]
    assert snapshot(db, [a, b]) == before


def test_an_inactive_stockpile_receives_nothing_but_may_be_emptied(desk: Desk, rows, db):
    closed, open_ = rows.stockpile(LON, LAT, status="inactive"), rows.stockpile(LON, LAT + 0.2)
    rows.item(closed, "cot", 20, "each")
    before = snapshot(db, [closed, open_])
    for body in (
        {"kind": "receive", "stockpile_id": closed},
        {"kind": "transfer", "stockpile_id": open_, "to_stockpile_id": closed},
    ):
        status, _, error = desk.move(item="cot", quantity=1, unit="each", **body)
        assert status == 409 and f"stockpile {closed} is inactive" in error["description"]
    assert snapshot(db, [closed, open_]) == before
    desk.made(
        kind="transfer", stockpile_id=closed, to_stockpile_id=open_, item="cot", quantity=20,
        unit="each",
    )  # fmt: skip
    assert lots(db, closed, "cot") == {None: 0} and lots(db, open_, "cot") == {None: 20}


INVALID = [
    ({"kind": "steal"}, "kind: 'steal'; accepted: receive, issue, transfer, adjust"),
    ({"item": "gold"}, "item: 'gold' is not an item; accepted: water, food_ration,"),
    ({"quantity": 0}, "quantity: 0 is out of range for issue"),
    ({"quantity": -3}, "quantity: -3"),
    ({"quantity": "3"}, "quantity: '3' is not a number"),
    ({"quantity": True}, "quantity: True is not a number"),
    ({"quantity": 10**13}, "quantity: 10000000000000 is out of range"),
    ({"quantity": 0.0000001}, "quantity: 1e-07"),
    ({"unit": ""}, "unit: '' is not accepted"),
    ({"unit": None}, "unit: is missing"),
    ({"stockpile_id": "12"}, "stockpile_id: '12' is not a stockpile id"),
    ({"stockpile_id": 2**63}, "stockpile_id: 9223372036854775808 is not a stockpile id"),
    ({"expires_on": "2027-01-01"}, "expires_on: is not a field of issue"),
    ({"to_stockpile_id": 5}, "to_stockpile_id: is not a field of issue"),
    ({"colour": "blue"}, "colour: is not a field of a stock move; accepted: kind, stockpile_id"),
    ({"kind": "transfer"}, "to_stockpile_id: is missing"),
    ({"kind": "receive", "expires_on": "June"}, "expires_on: 'June'; accepted: a date"),
    ({"kind": "adjust", "quantity": 2}, "reason: is missing"),
    ({"kind": "adjust", "quantity": 2, "reason": "x" * 501}, "reason: 'xxx"),
]


def test_field_errors_are_422_naming_the_field_and_what_is_accepted(
    desk: Desk, rows, db, live, keys
):
    depot = rows.stockpile(LON, LAT)
    rows.item(depot, "water", 10, "case")
    before = snapshot(db, [depot])
    valid = {"kind": "issue", "stockpile_id": depot, "item": "water", "quantity": 1, "unit": "case"}
    for change, description in INVALID:
        status, _, error = desk.move(**(valid | change))
        assert (status, error["code"]) == (422, "InvalidValue"), (change, error)
        assert error["description"].startswith(description), (change, error)
    status, _, error = desk.move(**(valid | {"kind": "transfer", "to_stockpile_id": depot}))
    assert status == 422 and error["description"].startswith("to_stockpile_id: is the source")
    key = keys["logistics"][1]
    url = f"{live}/api/stock-moves"
    for raw, content_type, expected in [
        (b'{"kind": "issue",', "application/json", (400, "body: is not JSON")),
        (b"NaN", "application/json", (422, "body: is a JSON float")),
        (b'{"quantity": NaN}', "application/json", (422, "kind: is missing")),
        (b"[]", "application/json", (422, "body: is a JSON list; accepted: a JSON object")),
        (json.dumps(valid).encode(), "text/plain", (415, "Content-Type: text/plain")),
        (json.dumps(valid).encode(), "application/x-www-form-urlencoded", (415, "Content-Type")),
    ]:
        status, _, error = call(
            url, "POST", raw=raw, key=key, headers={"Content-Type": content_type}
        )
        assert (status, error["description"][: len(expected[1])]) == expected
    quantity_nan = json.dumps(valid).replace('"quantity": 1', '"quantity": NaN').encode()
    status, _, error = call(url, "POST", raw=quantity_nan, key=key)
    assert (status, error["description"][:14]) == (422, "quantity: nan ")
    status, _, error = desk.move(**(valid | {"stockpile_id": 2**62}))
    assert (status, error["description"]) == (404, f"stockpile_id: there is no stockpile {2**62}")
    status, _, error = desk.move(
        **(valid | {"kind": "transfer", "to_stockpile_id": 2**62, "quantity": 1})
    )
    assert status == 404 and error["description"].startswith("to_stockpile_id: there is no")
    assert snapshot(db, [depot]) == before


def test_a_body_too_large_is_413(app: Flask, settings: Settings, keys):
    body = b'{"reason": "' + b"x" * settings.max_body_bytes + b'"}'
    response = app.test_client().post(
        "/api/stock-moves",
        data=body,
        headers={
            "Content-Type": "application/json",
            "Authorization": f"Bearer {keys['logistics'][1]}",
        },
    )
    assert response.status_code == 413
    assert response.json["description"].startswith("body: larger than")


def test_who_may_move_and_who_may_read(live: str, keys, rows, db):
    depot = rows.stockpile(LON, LAT)
    url = f"{live}/api/stock-moves"
    body = {"kind": "receive", "stockpile_id": depot, "item": "tarp", "quantity": 1, "unit": "each"}
    status, headers, error = call(url, "POST", body)
    assert status == 401 and "Bearer" in headers["WWW-Authenticate"]
    assert "logistics role" in error["description"]
    status, _, _ = call(url, "POST", body, key="gsk_not-a-key")
    assert status == 401
    made = []
    for role, (name, secret) in keys.items():
        status, _, document = call(url, "POST", body, key=secret)
        if role in ("logistics", "admin"):
            assert status == 201, (role, document)
            assert document["actor"] == name and document["actor_role"] == role
            made.append(document["id"])
        else:
            assert status == 403, role
            assert document["description"] == f"{name} does not hold the logistics role this needs"
    assert lots(db, depot, "tarp") == {None: 2}
    for path in ("", f"/{made[0]}", f"?stockpile_id={depot}"):
        status, _, error = call(url + path)
        assert status == 401 and "API key of any role" in error["description"]
        for role, (_, secret) in keys.items():
            status, _, document = call(url + path, key=secret)
            assert status == 200, (role, path, document)


def test_twenty_clients_issuing_from_one_lot_at_once(live: str, keys, rows, db):
    """20 x 30 cases from 500, over HTTP, all at once: as many succeed as 500 // 30 (16), the
    others are told what is left (20), and the lot's ledger shows one issue after the other."""
    depot = rows.stockpile(LON, LAT)
    start, each, clients = 500, 30, 20
    rows.item(depot, "water", start, "case", dt.date(2030, 1, 1))
    url, key = f"{live}/api/stock-moves", keys["logistics"][1]
    body = {"kind": "issue", "stockpile_id": depot, "item": "water", "quantity": each}
    barrier = threading.Barrier(clients)
    answers: list[tuple[int, Any]] = []
    lock = threading.Lock()

    def client() -> None:
        barrier.wait()
        status, _, document = call(url, "POST", body | {"unit": "case"}, key=key)
        with lock:
            answers.append((status, document))

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    succeeded = min(clients, start // each)  # computed here, not by the server
    left = start - succeeded * each
    assert Counter(status for status, _ in answers) == {201: succeeded, 409: clients - succeeded}
    for status, document in answers:
        if status == 409:
            assert f"available: {left} case" in document["description"]
    assert lots(db, depot) == {dt.date(2030, 1, 1): left}
    balances = [
        balance
        for (balance,) in db.execute(
            "SELECT balance FROM stock_moves WHERE stockpile_id = %s AND kind = 'issue' "
            "ORDER BY id",
            (depot,),
        )
    ]
    assert balances == [start - each * n for n in range(1, succeeded + 1)]
    moves = {document["id"] for status, document in answers if status == 201}
    audited = db.execute(
        "SELECT count(*), count(DISTINCT (after->>'id')::bigint) FROM audit_log "
        "WHERE layer = 'stockpiles' AND feature_id = %s AND operation = 'stock-move'",
        (depot,),
    ).fetchone()
    assert audited == (len(moves), succeeded)
    assert_ledger_is_the_lots(db, [depot])


def _inventory(path: Path, depots: str, lines: list[tuple[str, str, int, str, str]]) -> Path:
    text = "stockpile_source,stockpile_source_id,item,quantity,unit,expires_on\n"
    text += "".join(f"{depots},{','.join(str(v) for v in line)}\n" for line in lines)
    path.write_text(text)
    return path


def test_the_ledger_is_the_lots_after_moves_and_an_etl_inventory_load(
    desk: Desk, rows, db, settings: Settings, database_url: str, tmp_path: Path
):
    depot = rows.stockpile(LON, LAT, source_id="etl-depot")
    inventory = rows.source_for("inventory")
    writer = settings.write_database_url or database_url  # as the ETL runs: the writer role
    with psycopg.connect(str(writer)) as conn:
        first = load_file(
            conn,
            "stockpile_items",
            _inventory(
                tmp_path / "1.csv",
                rows.source,
                [
                    ("etl-depot", "water", 100, "case", "2027-01-01"),
                    ("etl-depot", "blanket", 40, "each", ""),
                ],
            ),
            source=inventory,
            settings=settings,
        )  # fmt: skip
    assert first.inserted == 2
    desk.made(kind="issue", stockpile_id=depot, item="water", quantity=30, unit="case")
    desk.made(kind="receive", stockpile_id=depot, item="blanket", quantity=10, unit="each")
    assert_ledger_is_the_lots(db, [depot])
    held = {
        (item, expires_on): quantity
        for item, expires_on, quantity in db.execute(
            "SELECT item, expires_on, quantity FROM stockpile_items WHERE stockpile_id = %s",
            (depot,),
        )
    }
    version = snapshot(db, [depot])[3]
    new = {("water", dt.date(2027, 1, 1)): 90, ("water", dt.date(2028, 1, 1)): 15}
    with psycopg.connect(str(writer)) as conn:
        second = load_file(
            conn,
            "stockpile_items",
            _inventory(
                tmp_path / "2.csv",
                rows.source,
                [("etl-depot", item, q, "case", e.isoformat()) for (item, e), q in new.items()],
            ),
            source=inventory,
            replace=True,
            settings=settings,
        )
    assert (second.inserted, second.updated, second.retired) == (1, 1, 1)
    # what the load changed, computed here: new - old, and -old for the lot it retired
    expected = {lot: Decimal(q) - held.get(lot, 0) for lot, q in new.items()}
    expected[("blanket", None)] = -held[("blanket", None)]
    counted = db.execute(
        "SELECT item, expires_on, quantity, actor, etl_run_id FROM stock_moves "
        "WHERE stockpile_id = %s AND kind = 'count' AND etl_run_id = %s",
        (depot, second.run_id),
    ).fetchall()
    assert {(i, e): q for i, e, q, _, _ in counted} == expected
    assert {(actor, run) for *_, actor, run in counted} == {("etl", second.run_id)}
    assert lots(db, depot, "blanket") == {}
    assert snapshot(db, [depot])[3][0][1] > version[0][1]  # a new ETag for the depot
    assert_ledger_is_the_lots(db, [depot])
    # an unchanged file changes nothing: no line, no version
    lines = snapshot(db, [depot])
    with psycopg.connect(str(writer)) as conn:
        load_file(
            conn,
            "stockpile_items",
            tmp_path / "2.csv",
            source=inventory,
            replace=True,
            settings=settings,
        )
    assert snapshot(db, [depot]) == lines


def test_the_feature_its_etag_and_the_situation_follow_the_moves(desk: Desk, rows, db, live):
    depot = rows.stockpile(LON + 0.5, LAT + 0.5)
    desk.made(
        kind="receive", stockpile_id=depot, item="food_ration", quantity=1000, unit="ration",
        expires_on="2027-05-01",
    )  # fmt: skip
    feature_url = f"{live}/ogc/collections/stockpiles/items/{depot}?f=json"
    situation_url = f"{live}/api/situation?bbox={BBOX}"

    def rations() -> int:
        status, _, document = call(situation_url)
        assert status == 200
        return sum(u["quantity"] for u in document["stock"].get("food_ration", []))

    status, headers, feature = call(feature_url)
    assert status == 200
    etag, before = headers["ETag"], rations()
    version = snapshot(db, [depot])[3][0][1]
    assert feature["properties"]["items"] == [
        {"item": "food_ration", "quantity": 1000, "unit": "ration", "expires_on": "2027-05-01"}
    ]
    status, _, _ = call(feature_url, headers={"If-None-Match": etag})
    assert status == 304
    desk.made(kind="issue", stockpile_id=depot, item="food_ration", quantity=300, unit="ration")
    status, headers, feature = call(feature_url, headers={"If-None-Match": etag})
    assert status == 200 and headers["ETag"] != etag
    assert feature["properties"]["items"][0]["quantity"] == 700
    assert snapshot(db, [depot])[3][0][1] == version + 1
    assert rations() == before - 300


def test_moves_are_listed_newest_first_in_pages_and_shown_one_by_one(
    desk: Desk, rows, db, live, keys
):
    a, b = rows.stockpile(LON, LAT), rows.stockpile(LON, LAT + 0.3)
    made = [
        desk.made(kind="receive", stockpile_id=a, item="sandbag", quantity=500, unit="bag"),
        desk.made(kind="receive", stockpile_id=a, item="pump", quantity=3, unit="each"),
        desk.made(
            kind="transfer", stockpile_id=a, to_stockpile_id=b, item="sandbag", quantity=200,
            unit="bag",
        ),
        desk.made(kind="issue", stockpile_id=b, item="sandbag", quantity=50, unit="bag"),
        desk.made(kind="issue", stockpile_id=a, item="pump", quantity=1, unit="each"),
    ]  # fmt: skip
    key = keys["viewer"][1]
    url = f"{live}/api/stock-moves"
    seen, page_url = [], f"{url}?stockpile_id={a}&limit=2"
    while page_url:
        status, _, page = call(page_url, key=key)
        assert status == 200 and len(page["moves"]) <= 2
        seen += page["moves"]
        page_url = page["next"] and live + page["next"]
    expected = [m["id"] for m in made if a in {x["stockpile_id"] for x in m["lines"]}]
    assert [m["id"] for m in seen] == sorted(expected, reverse=True)
    status, _, page = call(f"{url}?stockpile_id={b}&item=sandbag", key=key)
    assert [m["id"] for m in page["moves"]] == [made[3]["id"], made[2]["id"]]
    assert page["next"] is None
    future = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).isoformat()
    status, _, page = call(f"{url}?stockpile_id={a}&since={urllib.request.quote(future)}", key=key)
    assert (status, page["moves"]) == (200, [])
    for document in made:
        status, _, shown = call(f"{url}/{document['id']}", key=key)
        assert status == 200
        assert shown == {k: v for k, v in document.items() if k != "balances"}
    for path, status_expected in [
        ("/99999999999999", 404),
        (f"/{2**63}", 404),
        ("?limit=0", 400),
        ("?limit=501", 400),
        ("?item=gold", 400),
        ("?since=yesterday", 400),
        ("?colour=blue", 400),
        ("?stockpile_id=1&stockpile_id=2", 400),
    ]:
        status, _, error = call(url + path, key=key)
        assert status == status_expected, (path, error)
    assert_ledger_is_the_lots(db, [a, b])


def test_the_audit_trail_names_the_caller_and_the_request(desk: Desk, rows, db, keys, live):
    depot = rows.stockpile(LON, LAT)
    status, headers, document = call(
        f"{live}/api/stock-moves",
        "POST",
        {"kind": "receive", "stockpile_id": depot, "item": "salt", "quantity": 2, "unit": "t"},
        key=keys["admin"][1],
        headers={"X-Request-Id": "stock-test-42"},
    )
    assert status == 201 and headers["X-Request-Id"] == "stock-test-42"
    audit = db.execute(
        "SELECT actor, actor_role, request_id, client_address::text, operation, after->>'id' "
        "FROM audit_log WHERE layer = 'stockpiles' AND feature_id = %s",
        (depot,),
    ).fetchall()
    name = keys["admin"][0]
    assert audit[-1] == (
        name,
        "admin",
        "stock-test-42",
        "127.0.0.1/32",
        "stock-move",
        str(document["id"]),
    )
    # the stockpile's own update (the new version) is not a change of its own in the trail
    assert [row[4] for row in audit] == ["create", "stock-move"]
    lines = db.execute(
        "SELECT actor, actor_role, request_id, client_address::text FROM stock_moves "
        "WHERE move_id = %s",
        (document["id"],),
    ).fetchall()
    assert lines == [(name, "admin", "stock-test-42", "127.0.0.1/32")]  # fmt: skip


def test_the_ledger_is_append_only_for_the_api_role(settings: Settings, rows, db):
    if not settings.edit_database_url:
        pytest.skip("needs the session's own cluster (its login roles)")
    depot = rows.stockpile(LON, LAT)
    rows.item(depot, "ppe", 5, "box")
    with psycopg.connect(str(settings.edit_database_url)) as conn:
        for statement in (
            "UPDATE stock_moves SET quantity = 1",
            "DELETE FROM stock_moves",
            "TRUNCATE stock_moves",
            "ALTER TABLE stock_moves DISABLE TRIGGER ALL",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
            conn.rollback()
    # a lot deleted, whoever deletes it, leaves its last line in the ledger
    db.execute("DELETE FROM stockpiles WHERE id = %s", (depot,))
    assert db.execute(
        "SELECT kind, quantity, balance FROM stock_moves WHERE stockpile_id = %s ORDER BY id",
        (depot,),
    ).fetchall() == [("count", 5, 5), ("count", -5, 0)]


def test_a_retried_move_with_its_idempotency_key_moves_once(desk: Desk, rows, db):
    depot = rows.stockpile(LON, LAT)
    rows.item(depot, "water", 100, "case")
    body = {"kind": "issue", "stockpile_id": depot, "item": "water", "quantity": 30, "unit": "case"}
    retry = {"Idempotency-Key": f"issue-{depot}"}
    first = call(desk.url, "POST", body, key=desk.key, headers=retry)
    again = call(desk.url, "POST", body, key=desk.key, headers=retry)
    assert first[0] == again[0] == 201
    assert again[1]["Idempotent-Replayed"] == "true"
    assert again[1]["Location"] == first[1]["Location"] and again[2] == first[2]
    assert sum(lots(db, depot).values()) == 70  # issued once
    moves = db.execute(
        "SELECT count(DISTINCT move_id) FROM stock_moves"
        " WHERE stockpile_id = %s AND kind = 'issue'",
        (depot,),
    ).fetchone()
    assert moves == (1,)
    other = call(desk.url, "POST", body | {"quantity": 31}, key=desk.key, headers=retry)
    assert other[0] == 422 and "Idempotency-Key" in other[2]["description"]
    assert sum(lots(db, depot).values()) == 70
