"""AVL positions: the units' live positions and their tracks (migration 0009's ``units`` and
``unit_positions``). No HTTP here (``gisserver.web.units`` serves it).

A batch (``parse_batch``) is checked whole before anything is written: every position names an
existing unit, a point on the globe, an RFC 3339 time with its offset that is neither older than
``positions_max_age_hours`` nor more than ``positions_max_ahead_seconds`` ahead of the database's
clock, and optionally a speed (m/s, >= 0) and a heading (degrees, [0, 360)). A refused batch
writes nothing; the error names each wrong position's index and field and what is accepted.

``record_positions`` writes a batch in one transaction on the edit role:

- the months of the track it writes into exist (``unit_positions_partition``; the months already
  made are remembered per process and database, so a batch of a known month costs no call);
- each unit moves to its newest position of the batch if that is newer than the one it is shown
  at: a position that is not (a late or re-sent one) is *stale*, kept in the track, and moves
  nothing. Concurrent batches lock their units in id order, so a unit ends at its newest position
  whatever the order they commit in. A move is not a version of record (no audit row per unit)
  but gives the unit a new version (its ETag) and the layer a new change version;
- one audit row for the batch (operation ``positions``; its ``after``: the moved units' new
  positions as a MultiPoint for the feed's bbox, the count, each moved unit), which the feed
  publishes as one ``positions`` event;
- every position into the track (``COPY``), each with its batch's audit row's id;
- arrival: an open assignment (``assigned``, ``en_route``) of a unit that reported a position
  at or after it was assigned, within ``arrival_radius_m`` metres (geodesic) of where it was
  sent, becomes ``on_scene`` at the earliest such position's time, and its unit ``on_scene``
  (both audited as every status change is).

Locks, in this order: the units table (ROW EXCLUSIVE, as the stock moves lock theirs), the
batch's units (id order), their open assignments, and only then the feed's lock (the audit
row). A writer of units and assignments that locks them in that order (the unit's row before
its assignment's) never waits for a batch in a circle.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import re
import struct
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeGuard

import psycopg

from gisserver.audit import Actor, act_as
from gisserver.db import Database, load_sql
from gisserver.errors import InvalidParameter, InvalidValue
from gisserver.settings import Settings

FIELDS = ("unit_id", "lon", "lat", "time", "speed", "heading")
BODY_FIELDS = ("positions",)
MAX_ID = 2**63 - 1
# Problems a refusal names at most (the rest are counted).
MAX_PROBLEMS = 20
TIME_ACCEPTED = "an RFC 3339 time with its offset, e.g. 2026-12-03T10:15:00Z or ...+01:00"
_RFC3339 = re.compile(
    r"\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:[Zz]|[+-]\d\d:\d\d)", re.ASCII
)
UNIT_ACCEPTED = f"the id of a unit (a whole number from 1 to {MAX_ID})"
_ACCEPTED = {
    "unit_id": UNIT_ACCEPTED,
    "lon": "a longitude from -180 to 180 (degrees, WGS 84)",
    "lat": "a latitude from -90 to 90 (degrees, WGS 84)",
    "time": TIME_ACCEPTED,
    "speed": "a speed in metres per second, 0 or more, or null",
    "heading": "a heading in degrees clockwise from true north, 0 or more and below 360, or null",
}
# A point in EPSG:4326 as little-endian EWKB: byte order, type Point with an SRID, the SRID.
_EWKB_POINT = struct.Struct("<BIIdd")
_EWKB_POINT_SRID = 0x20000001
_NULL = "\\N"  # COPY text's NULL
_UTC = dt.UTC


class TooManyPositions(InvalidParameter):
    """A batch of more positions than one request may carry (HTTP 413)."""

    status = 413
    code = "RequestEntityTooLarge"


class PositionsRefused(InvalidValue):
    """Positions that are not accepted (HTTP 422): each named by its index and field."""

    def __init__(self, problems: list[str], total: int) -> None:
        more = f"; and {total - len(problems)} more" if total > len(problems) else ""
        count = f"{total} position{'s' if total != 1 else ''}"
        text = f"{count} refused, nothing was written: " + "; ".join(problems) + more
        super(InvalidParameter, self).__init__(text)
        self.parameter = "positions"
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Position:
    """One position a unit reported."""

    unit_id: int
    lon: float
    lat: float
    at: dt.datetime
    speed: float | None
    heading: float | None


@dataclass(frozen=True)
class Rules:
    """The settings a batch is checked and written with."""

    per_request: int
    max_age: dt.timedelta
    max_ahead: dt.timedelta
    arrival_radius_m: float

    @classmethod
    def of(cls, settings: Settings) -> Rules:
        return cls(
            settings.positions_per_request,
            dt.timedelta(hours=settings.positions_max_age_hours),
            dt.timedelta(seconds=settings.positions_max_ahead_seconds),
            settings.arrival_radius_m,
        )


# ---------------------------------------------------------------------------------------------
# The request


class _Problems:
    def __init__(self) -> None:
        self.found: list[str] = []
        self.total = 0

    def add(self, index: int, field: str, problem: str, accepted: str | None = None) -> None:
        self.total += 1
        if len(self.found) < MAX_PROBLEMS:
            text = f"positions[{index}].{field}: {problem}"
            self.found.append(text + (f" (accepted: {accepted})" if accepted else ""))

    def raise_any(self) -> None:
        if self.total:
            raise PositionsRefused(self.found, self.total)


def _number(value: Any) -> TypeGuard[float]:
    return (type(value) is float and math.isfinite(value)) or type(value) is int


def _parse_time(text: str) -> dt.datetime | None:
    if _RFC3339.fullmatch(text) is None:
        return None
    try:  # in UTC: a time whose UTC falls outside the calendar (year 1 or 9999) is refused
        return dt.datetime.fromisoformat(text.upper()).astimezone(_UTC)
    except (ValueError, OverflowError):
        return None


def parse_batch(body: Any, rules: Rules) -> list[Position]:
    """The positions of a request's body ``{"positions": [...]}``, every one checked (but the
    units and the times against the clock, which ``record_positions`` checks in its
    transaction); a 422 names every problem (up to MAX_PROBLEMS), a 413 a batch too large."""
    if not isinstance(body, Mapping) or set(body) != {"positions"}:
        raise InvalidValue(
            "body",
            "is not an object of one member, positions",
            '{"positions": [{"unit_id", "lon", "lat", "time", "speed", "heading"}, ...]}',
        )
    items = body["positions"]
    accepted = f"a list of 1 to {rules.per_request:,} positions"
    if not isinstance(items, list) or not items:
        raise InvalidValue("positions", "is not a non-empty list", accepted)
    if len(items) > rules.per_request:
        raise TooManyPositions(
            "positions",
            f"{len(items):,} in one request is more than this server takes "
            "(GISSERVER_POSITIONS_PER_REQUEST); nothing was written",
            f"{accepted}: send the rest in further requests",
        )
    problems = _Problems()
    positions: list[Position] = []
    append = positions.append
    for index, item in enumerate(items):
        if type(item) is not dict:
            problems.add(index, "", "is not an object", f"an object of {', '.join(FIELDS)}")
            continue
        if len(item) > 6 or not item.keys() <= _FIELD_SET:
            unknown = sorted(set(item) - _FIELD_SET)
            problems.add(index, unknown[0], "is not a field of a position", ", ".join(FIELDS))
            continue
        unit_id = item.get("unit_id")
        lon = item.get("lon")
        lat = item.get("lat")
        when = item.get("time")
        speed = item.get("speed")
        heading = item.get("heading")
        ok = True
        if type(unit_id) is not int or not 1 <= unit_id <= MAX_ID:
            problems.add(index, "unit_id", _shown(unit_id), _ACCEPTED["unit_id"])
            ok = False
        if not _number(lon) or not -180 <= lon <= 180:
            problems.add(index, "lon", _shown(lon), _ACCEPTED["lon"])
            ok = False
        if not _number(lat) or not -90 <= lat <= 90:
            problems.add(index, "lat", _shown(lat), _ACCEPTED["lat"])
            ok = False
        at = _parse_time(when) if type(when) is str else None
        if at is None:
            problems.add(index, "time", _shown(when), TIME_ACCEPTED)
            ok = False
        if speed is not None and (not _number(speed) or speed < 0):
            problems.add(index, "speed", _shown(speed), _ACCEPTED["speed"])
            ok = False
        if heading is not None and (not _number(heading) or not 0 <= heading < 360):
            problems.add(index, "heading", _shown(heading), _ACCEPTED["heading"])
            ok = False
        if ok and not problems.total:
            assert at is not None
            append(
                Position(
                    unit_id,  # type: ignore[arg-type]
                    float(lon),  # type: ignore[arg-type]
                    float(lat),  # type: ignore[arg-type]
                    at,
                    None if speed is None else float(speed),
                    None if heading is None else float(heading),
                )
            )
    problems.raise_any()
    return positions


_FIELD_SET = frozenset(FIELDS)


def _shown(value: Any) -> str:
    if value is None:
        return "is missing"
    text = json.dumps(value) if not isinstance(value, str) else repr(value)
    return f"{text[:60]} is not accepted"


# ---------------------------------------------------------------------------------------------
# Writing a batch


sql_text = functools.cache(load_sql)  # the hot path reads each file once
# The months of the track known to exist, per database (its URL): a batch of a known month
# does not call unit_positions_partition. Dropping a month (retention) while this process runs
# is noticed by the insert that fails, which forgets the months and tries once more.
_MONTHS: dict[str, set[dt.date]] = {}
_MONTHS_LOCK = threading.Lock()


def _month(at: dt.datetime) -> dt.date:
    utc = at.astimezone(_UTC)
    return dt.date(utc.year, utc.month, 1)


def record_positions(
    db: Database, positions: list[Position], actor: Actor, rules: Rules
) -> dict[str, Any]:
    """Write ``positions`` (from ``parse_batch``) as ``actor`` in one transaction; the answer:
    ``accepted``, ``moved`` (unit ids), ``stale`` (positions not newer than their unit's),
    ``arrived`` (assignments now on scene)."""
    try:
        return _record(db, positions, actor, rules)
    except psycopg.errors.CheckViolation as exc:
        if "no partition of relation" not in str(exc):
            raise
        with _MONTHS_LOCK:  # a month was dropped behind our back: ask for every month again
            _MONTHS.pop(db.url, None)
        return _record(db, positions, actor, rules)


def _record(db: Database, positions: list[Position], actor: Actor, rules: Rules) -> dict[str, Any]:
    ids = sorted({p.unit_id for p in positions})
    with db.connection() as conn:
        conn.execute(sql_text("units/positions_lock.sql"))
        act_as(conn, actor)
        rows = conn.execute(sql_text("units/positions_units.sql"), {"ids": ids}).fetchall()
        shown_at = {row[0]: row[1] for row in rows}
        now = rows[0][2] if rows else conn.execute("SELECT now()").fetchone()[0]  # type: ignore[index]
        _check_units_and_times(positions, shown_at, now, rules)
        _ensure_months(conn, db.url, positions)

        newest: dict[int, Position] = {}
        stale = 0
        for p in positions:
            before = shown_at[p.unit_id]
            if before is not None and p.at <= before:
                stale += 1
                continue
            best = newest.get(p.unit_id)
            if best is None or p.at > best.at:
                newest[p.unit_id] = p
        moved: list[int] = []
        if newest:
            moving = [newest[i] for i in sorted(newest)]
            moved = sorted(
                row[0]
                for row in conn.execute(
                    sql_text("units/positions_move.sql"),
                    {
                        "ids": [p.unit_id for p in moving],
                        "lons": [p.lon for p in moving],
                        "lats": [p.lat for p in moving],
                        "ats": [p.at for p in moving],
                        "speeds": [p.speed for p in moving],
                        "headings": [p.heading for p in moving],
                    },
                ).fetchall()
            )
        units = [_unit_document(newest[i]) for i in moved]
        after = {
            "geometry": {
                "type": "MultiPoint",
                "coordinates": [[u["lon"], u["lat"]] for u in units],
            }
            if units
            else None,
            "count": len(positions),
            "stale": stale,
            "units": units,
        }
        arrived = _arrivals(conn, positions, rules.arrival_radius_m)
        # From here on the transaction holds the feed's lock (the audit row's event): every
        # row it writes is locked already.
        row = conn.execute(sql_text("units/positions_audit.sql"), {"after": json.dumps(after)})
        audit_id = int(row.fetchone()[0])  # type: ignore[index]
        with conn.cursor().copy(sql_text("units/positions_copy.sql")) as copy:
            copy.write(_copy_text(positions, audit_id))
        if arrived:
            conn.execute(
                sql_text("units/positions_on_scene.sql"),
                {"assignments": [a[0] for a in arrived], "ats": [a[2] for a in arrived]},
            )
    arrived_documents = [
        {"assignment": assignment, "unit": unit, "at": utc_text(at)}
        for assignment, unit, at in arrived
    ]
    return {
        "accepted": len(positions),
        "moved": moved,
        "stale": stale,
        "arrived": arrived_documents,
    }


def _check_units_and_times(
    positions: list[Position],
    shown_at: Mapping[int, dt.datetime | None],
    now: dt.datetime,
    rules: Rules,
) -> None:
    problems = _Problems()
    oldest, latest = now - rules.max_age, now + rules.max_ahead
    for index, p in enumerate(positions):
        if p.unit_id not in shown_at:
            problems.add(index, "unit_id", f"there is no unit {p.unit_id}", _ACCEPTED["unit_id"])
        if p.at < oldest:
            problems.add(
                index,
                "time",
                f"{utc_text(p.at)} is older than {_hours(rules.max_age)} before the server's "
                f"clock ({utc_text(now)})",
                "a time within that age (GISSERVER_POSITIONS_MAX_AGE_HOURS)",
            )
        elif p.at > latest:
            problems.add(
                index,
                "time",
                f"{utc_text(p.at)} is more than {rules.max_ahead.total_seconds():g} s ahead of "
                f"the server's clock ({utc_text(now)})",
                "a time up to that far ahead (GISSERVER_POSITIONS_MAX_AHEAD_SECONDS): check the "
                "device's clock",
            )
    problems.raise_any()


def _hours(delta: dt.timedelta) -> str:
    return f"{delta.total_seconds() / 3600:g} h"


def _ensure_months(conn: psycopg.Connection[Any], url: str, positions: list[Position]) -> None:
    months = {_month(p.at) for p in positions}
    known = _MONTHS.get(url, set())
    missing = sorted(months - known)
    if not missing:
        return
    # The month's bounds are dates, read in the session's time zone: UTC, as _month computes.
    conn.execute("SET LOCAL TimeZone = 'UTC'")
    conn.execute(sql_text("units/positions_partitions.sql"), {"months": missing})
    with _MONTHS_LOCK:
        _MONTHS.setdefault(url, set()).update(missing)


def _copy_text(positions: list[Position], audit_id: int) -> str:
    """The batch as COPY text rows; the point as hex EWKB (exact, no WKT to parse)."""
    pack = _EWKB_POINT.pack
    audit = str(audit_id)
    lines = [
        f"{p.unit_id}\t{p.at.isoformat()}\t{audit}\t"
        f"{_NULL if p.speed is None else repr(p.speed)}\t"
        f"{_NULL if p.heading is None else repr(p.heading)}\t"
        f"{pack(1, _EWKB_POINT_SRID, 4326, p.lon, p.lat).hex()}\n"
        for p in positions
    ]
    return "".join(lines)


def _arrivals(
    conn: psycopg.Connection[Any], positions: list[Position], radius_m: float
) -> list[tuple[int, int, dt.datetime]]:
    """(assignment, unit, time of the first position near) of the assignments that arrive."""
    rows = conn.execute(
        sql_text("units/positions_arrival.sql"),
        {
            "ids": [p.unit_id for p in positions],
            "lons": [p.lon for p in positions],
            "lats": [p.lat for p in positions],
            "ats": [p.at for p in positions],
            "radius": radius_m,
        },
    ).fetchall()
    return [(int(a), int(u), at) for a, u, at in rows]


def _unit_document(p: Position) -> dict[str, Any]:
    return {
        "id": p.unit_id,
        "lon": p.lon,
        "lat": p.lat,
        "time": utc_text(p.at),
        "speed": p.speed,
        "heading": p.heading,
    }


def utc_text(value: dt.datetime) -> str:
    """RFC 3339 in UTC with a Z."""
    return value.astimezone(_UTC).isoformat().replace("+00:00", "Z")
