"""Command and dispatch writes: an incident's phase moves (``transition``), units sent to an
incident (``assign``) and an assignment's progress (``move_assignment``: en route, on scene,
released). Each is one transaction as the person who made it (``act_as``): the audit trail, the
incident's transitions and the feed say who and when.

An incident that is reported or verified becomes ``responding`` when units are sent to it. A
unit is sent only when ``available``, and has at most one open assignment (also under
concurrent requests: the units' rows are locked in id order, and a unique index backs it).
Locks follow one order everywhere (an incident, then its units in id order, then their
assignments, then the feed's lock at the first audited write), as a batch of positions does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import psycopg
from psycopg.rows import dict_row

from gisserver.audit import Actor, act_as
from gisserver.db import Database, load_sql
from gisserver.edits.phases import check_move, check_phase_value
from gisserver.errors import Conflict, InvalidValue, NotFound
from gisserver.layers import Layer

INCIDENTS = "incidents"
MAX_UNITS = 50
MAX_NOTE = 2000
FINISHED = ("resolved", "closed", "cancelled")
# Sending units moves an incident in these phases to RESPONDING.
BEFORE_RESPONSE = ("reported", "verified")
RESPONDING = "responding"
DISPATCH_NOTE = "units dispatched"
# An assignment's progress, and the status its unit then has.
ASSIGNMENT_MOVES: Mapping[str, tuple[str, ...]] = {
    "assigned": ("en_route", "on_scene", "released"),
    "en_route": ("on_scene", "released"),
    "on_scene": ("released",),
    "released": (),
}
UNIT_STATUS_OF = {"en_route": "en_route", "on_scene": "on_scene"}
RELEASED_UNIT_STATUSES = ("available", "returning", "out_of_service")


def _note(conn: psycopg.Connection[Any], note: str | None) -> None:
    conn.execute("SELECT set_config('gisserver.note', %s, true)", (note or "",))


def check_note(note: Any) -> str | None:
    if note is None:
        return None
    if not isinstance(note, str) or not note.strip() or len(note) > MAX_NOTE:
        raise InvalidValue("note", f"{note!r} is not accepted", f"a string of 1 to {MAX_NOTE}")
    return note.strip()


def _incident(conn: psycopg.Connection[Any], incident_id: int) -> dict[str, Any]:
    with conn.cursor(row_factory=dict_row) as cur:
        row = cur.execute(load_sql("dispatch/incident_lock.sql"), {"incident": incident_id})
        found = row.fetchone()
    if found is None:
        raise NotFound(f"incident {incident_id} not found")
    return found


def _transition_document(row: Mapping[str, Any], version: int) -> dict[str, Any]:
    return {
        "incident": row["incident_id"],
        "transition": row["id"],
        "from": row["from_status"],
        "to": row["to_status"],
        "at": row["at"].isoformat(),
        "by": row["actor"],
        "role": row["actor_role"],
        "note": row["note"],
        "version": version,
    }


def transition(
    db: Database, layer: Layer, incident_id: int, to: Any, actor: Actor, note: str | None = None
) -> dict[str, Any]:
    """Move the incident to phase ``to`` (409 naming the allowed moves otherwise)."""
    lifecycle = layer.lifecycle
    if lifecycle is None:
        raise NotFound(f"{layer.id} features have no phases")
    target = check_phase_value(lifecycle, layer, to)
    with db.connection() as conn:
        act_as(conn, actor)
        _note(conn, note)
        current = _incident(conn, incident_id)
        check_move(layer, incident_id, current["status"], target)
        moved = conn.execute(
            load_sql("dispatch/transition.sql"), {"incident": incident_id, "to": target}
        ).fetchone()
        assert moved is not None
        with conn.cursor(row_factory=dict_row) as cur:
            row = cur.execute(
                load_sql("dispatch/last_transition.sql"), {"incident": incident_id}
            ).fetchone()
        assert row is not None
        return _transition_document(row, int(moved[1]))


def check_unit_ids(value: Any) -> list[int]:
    accepted = f"a list of 1 to {MAX_UNITS} distinct unit ids (whole numbers)"
    if (
        not isinstance(value, list)
        or not 1 <= len(value) <= MAX_UNITS
        or not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in value)
    ):
        raise InvalidValue("unit_ids", f"{value!r} is not accepted", accepted)
    if len(set(value)) != len(value):
        raise InvalidValue("unit_ids", f"{value!r} names a unit twice", accepted)
    return sorted(value)


def assign(
    db: Database,
    incident_id: int,
    unit_ids: Sequence[int],
    actor: Actor,
    note: str | None = None,
) -> dict[str, Any]:
    """Send ``unit_ids`` to the incident: one assignment each, the units ``assigned``."""
    units = list(unit_ids)
    with db.connection() as conn:
        act_as(conn, actor)
        incident = _incident(conn, incident_id)
        if incident["status"] in FINISHED:
            raise Conflict(
                f"incident {incident_id} is {incident['status']}: units are sent to an "
                "incident that is reported, verified, responding or contained"
            )
        with conn.cursor(row_factory=dict_row) as cur:
            found = cur.execute(load_sql("dispatch/units_lock.sql"), {"units": units}).fetchall()
        missing = sorted(set(units) - {row["id"] for row in found})
        if missing:
            raise InvalidValue(
                "unit_ids", f"{', '.join(map(str, missing))} not found", "ids of units"
            )
        busy = [row for row in found if row["status"] != "available"]
        if busy:
            raise Conflict(
                "only available units are sent: " + "; ".join(_busy_text(row) for row in busy)
            )
        try:
            rows = conn.execute(
                load_sql("dispatch/assign.sql"),
                {
                    "incident": incident_id,
                    "units": units,
                    "by": actor.name,
                    "note": note,
                    "point": bytes(incident["point"]),
                },
            ).fetchall()
        except psycopg.errors.UniqueViolation as exc:  # a unit assigned meanwhile
            raise Conflict(f"a unit of {units} was assigned meanwhile; try again") from exc
        ids = [int(row[0]) for row in rows]
        moved = None
        if incident["status"] in BEFORE_RESPONSE:
            _note(conn, DISPATCH_NOTE)
            conn.execute(
                load_sql("dispatch/transition.sql"), {"incident": incident_id, "to": RESPONDING}
            )
            moved = RESPONDING
        return {
            "incident": incident_id,
            "incident_status": moved or incident["status"],
            "assignments": list_assignments(conn, incident_id=incident_id, ids=ids),
        }


def _busy_text(row: Mapping[str, Any]) -> str:
    text = f"unit {row['id']} ({row['name']}) is {row['status']}"
    if row["assignment_id"] is not None:
        text += f" (assignment {row['assignment_id']}, incident {row['assigned_to']})"
    return text


def _assignment_document(row: Mapping[str, Any]) -> dict[str, Any]:
    document = dict(row)
    for key, value in document.items():
        if isinstance(value, dt.datetime):
            document[key] = value.isoformat()
    document["point"] = [document.pop("lon"), document.pop("lat")]
    return document


def list_assignments(
    conn: psycopg.Connection[Any],
    *,
    incident_id: int | None = None,
    assignment_id: int | None = None,
    ids: Sequence[int] | None = None,
) -> list[dict[str, Any]]:
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(
            load_sql("dispatch/assignments.sql"),
            {"incident": incident_id, "assignment": assignment_id},
        ).fetchall()
    wanted = set(ids) if ids is not None else None
    return [_assignment_document(r) for r in rows if wanted is None or r["id"] in wanted]


def assignments_of(db: Database, incident_id: int) -> list[dict[str, Any]]:
    """The incident's assignments, oldest first (404 for an unknown incident)."""
    with db.read() as conn:
        exists = conn.execute("SELECT 1 FROM incidents WHERE id = %s", (incident_id,)).fetchone()
        if exists is None:
            raise NotFound(f"incident {incident_id} not found")
        return list_assignments(conn, incident_id=incident_id)


def assignment(db: Database, assignment_id: int) -> dict[str, Any]:
    with db.read() as conn:
        found = list_assignments(conn, assignment_id=assignment_id)
    if not found:
        raise NotFound(f"assignment {assignment_id} not found")
    return found[0]


def move_assignment(
    db: Database,
    assignment_id: int,
    to: Any,
    actor: Actor,
    *,
    at: dt.datetime | None = None,
    note: str | None = None,
    unit_status: Any = None,
) -> dict[str, Any]:
    """Move the assignment on (en_route, on_scene, released) at ``at`` (default now); its unit's
    status follows (on release: ``unit_status``, default available)."""
    if to not in ASSIGNMENT_MOVES:
        raise InvalidValue("to", f"{to!r} is not accepted", ", ".join(ASSIGNMENT_MOVES))
    if unit_status is not None and (to != "released" or unit_status not in RELEASED_UNIT_STATUSES):
        raise InvalidValue(
            "unit_status",
            f"{unit_status!r} is not accepted with to={to}",
            f"with to=released: {', '.join(RELEASED_UNIT_STATUSES)}",
        )
    with db.connection() as conn:
        act_as(conn, actor)
        conn.execute(load_sql("dispatch/assignment_unit_lock.sql"), {"assignment": assignment_id})
        with conn.cursor(row_factory=dict_row) as cur:
            current = cur.execute(
                load_sql("dispatch/assignment_lock.sql"), {"assignment": assignment_id}
            ).fetchone()
        if current is None:
            raise NotFound(f"assignment {assignment_id} not found")
        allowed = ASSIGNMENT_MOVES[current["status"]]
        if to not in allowed:
            then = ", ".join(allowed) if allowed else "none (released is the last)"
            raise Conflict(
                f"assignment {assignment_id} is {current['status']}: it cannot move to {to}; "
                f"allowed from {current['status']}: {then}"
            )
        now = conn.execute("SELECT now()").fetchone()
        assert now is not None
        when = at or now[0]
        earliest = max(
            t for t in (current["assigned_at"], current["en_route_at"], current["on_scene_at"]) if t
        )
        if when < earliest or when > now[0]:
            raise InvalidValue(
                "at",
                f"{when.isoformat()} is outside this assignment's time",
                f"a time from {earliest.isoformat()} (its last step) to now",
            )
        conn.execute(
            load_sql("dispatch/assignment_move.sql"),
            {
                "assignment": assignment_id,
                "to": to,
                "at": when,
                "note": note,
                "unit_status": UNIT_STATUS_OF.get(to, unit_status or "available"),
            },
        )
        return list_assignments(conn, assignment_id=assignment_id)[0]
