"""An incident's record: the incident (as it is now, or its last version if it was deleted), its
window, and its timeline: every change, transition, assignment step, unit movement summary and
alert, in time order (``GET /api/incidents/{id}/timeline``; the after-action report builds on
it, ``gisserver.analyses.incident_report``).

The window runs from ``reported_at`` to the moment the incident last became finished (resolved,
closed or cancelled: the first such transition after its last transition into an unfinished
phase), or to now while it is not finished (``open``). Who did what (actors) is shown only when
``people`` is true: the web passes whether the caller has a key.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from psycopg.rows import dict_row

from gisserver.audit import masked
from gisserver.db import Database, load_sql
from gisserver.errors import NotFound
from gisserver.layers import LayerRegistry

FINISHED = ("resolved", "closed", "cancelled")
MAX_ID = 2**63 - 1  # ids are bigint
# The order of items at the same instant: what the incident is, then what happened to it.
KIND_ORDER = ("created", "transition", "changed", "assignment", "unit_movement", "alert", "deleted")
ASSIGNMENT_STEPS = (
    ("assigned", "assigned_at"),
    ("en_route", "en_route_at"),
    ("on_scene", "on_scene_at"),
    ("released", "released_at"),
)
PEOPLE = ("actor", "actor_role", "acknowledged_by", "resolved_by")
# Columns of an incident that are bookkeeping, never a change worth a timeline line.
_BOOKKEEPING = frozenset({"updated_at", "loaded_at", "version", "properties", "source_id"})


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass(frozen=True)
class Window:
    """[start, end) of an incident; ``open``: not finished, end is now."""

    start: dt.datetime
    end: dt.datetime
    open: bool

    def as_dict(self) -> dict[str, Any]:
        return {"start": _iso(self.start), "end": _iso(self.end), "open": self.open}


@dataclass(frozen=True)
class IncidentRecord:
    """What the trail and the tables hold about one incident."""

    id: int
    feature: dict[str, Any]  # GeoJSON Feature, public properties
    geometry_text: str  # the geometry as GeoJSON text, for the spatial questions
    status: str
    deleted_at: dt.datetime | None
    window: Window
    changes: list[dict[str, Any]]
    transitions: list[dict[str, Any]]
    assignments: list[dict[str, Any]]
    steps: dict[tuple[int, str], dict[str, Any]]


def _window(
    reported_at: dt.datetime, status: str, transitions: list[dict[str, Any]], now: dt.datetime
) -> Window:
    if status not in FINISHED:
        return Window(reported_at, max(now, reported_at), True)
    finished_at = None
    for t in transitions:  # oldest first: the first finishing after the last reopening
        finished_at = (finished_at or t["at"]) if t["to_status"] in FINISHED else None
    if finished_at is None:  # finished without a recorded transition (a loaded incident)
        return Window(reported_at, reported_at, False)
    return Window(reported_at, max(finished_at, reported_at), False)


def _public(feature: dict[str, Any], layers: LayerRegistry) -> dict[str, Any]:
    shown = layers["incidents"].public_fields
    properties = feature.get("properties") or {}
    return {
        "type": "Feature",
        "id": feature.get("id"),
        "geometry": feature.get("geometry"),
        "properties": {name: properties.get(name) for name in shown},
    }


def load_record(
    db: Database, incident_id: int, *, layers: LayerRegistry, now: dt.datetime | None = None
) -> IncidentRecord:
    """The incident's record; NotFound when it never existed."""
    import json

    now = now or dt.datetime.now(dt.UTC)
    with db.read() as conn, conn.cursor(row_factory=dict_row) as cur:
        found = cur.execute(load_sql("records/incident.sql"), {"id": incident_id}).fetchone()
        if found is None:
            raise NotFound(f"incident: no incident with id {incident_id}")
        feature = found["feature"]
        changes = cur.execute(load_sql("records/changes.sql"), {"id": incident_id}).fetchall()
        transitions = cur.execute(
            load_sql("records/transitions.sql"), {"id": incident_id}
        ).fetchall()
        assignments = cur.execute(
            load_sql("records/assignments.sql"), {"id": incident_id}
        ).fetchall()
        steps: dict[tuple[int, str], dict[str, Any]] = {}
        if assignments:
            ids = [a["id"] for a in assignments]
            for row in cur.execute(load_sql("records/assignment_steps.sql"), {"ids": ids}):
                steps.setdefault((row["assignment_id"], row["status"]), row)
    properties = feature["properties"]
    reported_at = dt.datetime.fromisoformat(properties["reported_at"])
    if reported_at.tzinfo is None:
        reported_at = reported_at.replace(tzinfo=dt.UTC)
    return IncidentRecord(
        id=incident_id,
        feature=_public(feature, layers),
        geometry_text=json.dumps(feature["geometry"]),
        status=properties["status"],
        deleted_at=found["deleted_at"],
        window=_window(reported_at, properties["status"], transitions, now),
        changes=changes,
        transitions=transitions,
        assignments=assignments,
        steps=steps,
    )


# ---------------------------------------------------------------------------------------------
# The timeline


def _who(row: dict[str, Any], people: bool, *names: str) -> dict[str, Any]:
    return {name: row.get(name) for name in names} if people else {}


def _change_items(
    record: IncidentRecord, layers: LayerRegistry, people: bool
) -> list[dict[str, Any]]:
    shown = set(layers["incidents"].public_fields) - _BOOKKEEPING
    items = []
    for row in record.changes:
        who = _who(row, people, "actor", "actor_role")
        if row["operation"] == "create":
            props = (row["after"] or {}).get("properties") or {}
            items.append(
                {
                    "at": row["at"],
                    "kind": "created",
                    "version": row["version"],
                    "properties": {k: masked(props.get(k)) for k in sorted(shown)},
                    **who,
                }
            )
        elif row["operation"] == "delete":
            items.append({"at": row["at"], "kind": "deleted", "version": row["version"], **who})
        else:
            before = (row["before"] or {}).get("properties") or {}
            after = (row["after"] or {}).get("properties") or {}
            # the status has a transition item of its own
            names = [n for n in sorted(shown - {"status"}) if before.get(n) != after.get(n)]
            moved = (row["before"] or {}).get("geometry") != (row["after"] or {}).get("geometry")
            if not names and not moved:
                continue
            items.append(
                {
                    "at": row["at"],
                    "kind": "changed",
                    "version": row["version"],
                    "changes": {
                        n: {"from": masked(before.get(n)), "to": masked(after.get(n))}
                        for n in names
                    },
                    "geometry_changed": moved,
                    **who,
                }
            )
    return items


def _transition_items(record: IncidentRecord, people: bool) -> list[dict[str, Any]]:
    return [
        {
            "at": t["at"],
            "kind": "transition",
            "from": t["from_status"],
            "to": t["to_status"],
            "note": t["note"],
            **_who(t, people, "actor", "actor_role"),
        }
        for t in record.transitions
    ]


def _assignment_items(record: IncidentRecord, people: bool) -> list[dict[str, Any]]:
    items = []
    for a in record.assignments:
        unit = {"unit_id": a["unit_id"], "unit_name": a["unit_name"], "unit_type": a["unit_type"]}
        for step, column in ASSIGNMENT_STEPS:
            if a[column] is None:
                continue
            who: dict[str, Any] = {}
            if people:
                by = record.steps.get((a["id"], step)) or {}
                actor = a["assigned_by"] if step == "assigned" else by.get("actor")
                who = {"actor": actor, "actor_role": by.get("actor_role")}
            items.append(
                {"at": a[column], "kind": "assignment", "assignment_id": a["id"], "step": step}
                | unit
                | ({"note": a["note"]} if step == "assigned" else {})
                | who
            )
        items.append(
            {
                "at": a["first_at"] or a["assigned_at"],
                "kind": "unit_movement",
                "assignment_id": a["id"],
                **unit,
                **movement(a),
            }
        )
    return items


def movement(assignment: dict[str, Any]) -> dict[str, Any]:
    """A unit's movement while assigned: from assigned_at to released_at (or now)."""
    return {
        "from": _iso(assignment["assigned_at"]),
        "to": _iso(assignment["released_at"]),
        "positions": assignment["positions"],
        "distance_m": round(float(assignment["distance_m"]), 1),
        "first_position_at": _iso(assignment["first_at"]),
        "last_position_at": _iso(assignment["last_at"]),
    }


def alert_items(alerts: list[dict[str, Any]], people: bool) -> list[dict[str, Any]]:
    """An item per alert raised, acknowledged and resolved."""
    items = []
    for alert in alerts:
        base = {
            "kind": "alert",
            "alert_id": alert["id"],
            "rule": alert["rule"],
            "subject": alert["subject"],
            "severity": alert["severity"],
            "headline": alert["headline"],
        }
        items.append({"at": alert["raised_at"], **base, "event": "raised"})
        if alert["acknowledged_at"] is not None:
            who = {"actor": alert["acknowledged_by"]} if people else {}
            items.append({"at": alert["acknowledged_at"], **base, "event": "acknowledged", **who})
        if alert["resolved_at"] is not None:
            who = {"actor": alert["resolved_by"]} if people else {}
            items.append(
                {
                    "at": alert["resolved_at"],
                    **base,
                    "event": "resolved",
                    "resolution": alert["resolution"],
                    **who,
                }
            )
    return items


def read_alerts(db: Database, record: IncidentRecord, zone_ids: list[int]) -> list[dict[str, Any]]:
    """The alerts about the incident and about the hazard zones involved during its window."""
    params = {
        "incident": f"incidents/{record.id}",
        "zones": [f"hazard_zones/{z}" for z in zone_ids],
        "start": record.window.start,
        "end": record.window.end,
    }
    with db.read_cursor() as cur:
        cur.execute(load_sql("records/alerts.sql"), params)
        return list(cur.fetchall())


def read_zones(db: Database, record: IncidentRecord) -> list[dict[str, Any]]:
    """The hazard zones in force that met the incident during its window."""
    params = {
        "geometry": record.geometry_text,
        "start": record.window.start,
        # a zone drawn at the very instant the window closes still counts
        "end": record.window.end + dt.timedelta(microseconds=1),
    }
    with db.read_cursor() as cur:
        cur.execute(load_sql("records/zones.sql"), params)
        return list(cur.fetchall())


def timeline_items(
    record: IncidentRecord,
    alerts: list[dict[str, Any]],
    *,
    layers: LayerRegistry,
    people: bool,
) -> list[dict[str, Any]]:
    """Every item of the record in time order (ties: KIND_ORDER, then as recorded)."""
    items = [
        *_change_items(record, layers, people),
        *_transition_items(record, people),
        *_assignment_items(record, people),
        *alert_items(alerts, people),
    ]
    ordered = sorted(
        enumerate(items), key=lambda p: (p[1]["at"], KIND_ORDER.index(p[1]["kind"]), p[0])
    )
    return [item | {"at": item["at"].isoformat()} for _, item in ordered]


def timeline(
    db: Database, incident_id: int, *, layers: LayerRegistry, people: bool
) -> dict[str, Any]:
    """``GET /api/incidents/{id}/timeline``: the incident, its window and its timeline."""
    record = load_record(db, incident_id, layers=layers)
    zones = read_zones(db, record)
    alerts = read_alerts(db, record, [z["id"] for z in zones])
    return timeline_document(record, alerts, layers=layers, people=people)


def timeline_document(
    record: IncidentRecord, alerts: list[dict[str, Any]], *, layers: LayerRegistry, people: bool
) -> dict[str, Any]:
    """The incident, its window and its timeline (the timeline's answer, the report's start)."""
    return {
        "incident": record.feature,
        "deleted_at": _iso(record.deleted_at),
        "window": record.window.as_dict(),
        "timeline": timeline_items(record, alerts, layers=layers, people=people),
    }
