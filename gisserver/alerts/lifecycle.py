"""An alert's life after the rules raised it: listed and read as GeoJSON, acknowledged (active
-> acknowledged) and resolved (active or acknowledged -> resolved) by a person, each change in
one transaction as that person (``act_as``), so the audit trail and the feed say who did it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from psycopg import sql
from psycopg.rows import dict_row

from gisserver.alerts.rules import KINDS
from gisserver.audit import Actor, act_as
from gisserver.db import Database, load_sql
from gisserver.errors import Conflict, InvalidParameter, NotFound
from gisserver.feed.events import FEED_LOCK, parse_bbox
from gisserver.layers import CAP_SEVERITIES

STATUSES = ("active", "acknowledged", "resolved")
OPEN = ("active", "acknowledged")
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
MAX_ID = 2**63 - 1
MAX_NOTE = 2000
# The resolution of an alert a person resolved without a note (not their name: the feed and
# anonymous readers see the resolution, and only the audit trail and keys see who).
RESOLVED_BY_HAND = "resolved by an operator"
QUERY_KEYS = ("status", "rule", "severity", "bbox", "limit", "after")
# Who acknowledged or resolved an alert: shown to callers with an API key only.
PEOPLE = ("acknowledged_by", "resolved_by")
# Which statuses each action accepts, and the status it leaves.
ACTIONS: Mapping[str, tuple[tuple[str, ...], str]] = {
    "ack": (("active",), "acknowledged"),
    "resolve": (OPEN, "resolved"),
}


def _choices(text: str, parameter: str, accepted: tuple[str, ...]) -> tuple[str, ...]:
    names = tuple(dict.fromkeys(n.strip() for n in text.split(",") if n.strip()))
    wrong = [n for n in names if n not in accepted]
    if not names or wrong:
        shown = ", ".join(wrong) or repr(text)
        raise InvalidParameter(
            parameter,
            f"{shown} is not accepted",
            f"a comma-separated list of {', '.join(accepted)}",
        )
    return names


def _whole(text: str, parameter: str, low: int, high: int) -> int:
    accepted = f"a whole number from {low} to {high}"
    value = text.strip()
    if not (value.isascii() and value.isdigit()) or not low <= int(value) <= high:
        raise InvalidParameter(parameter, f"{text!r} is not accepted", accepted)
    return int(value)


@dataclass(frozen=True)
class AlertQuery:
    """Which alerts to list, newest first: by status, rule, severity and bbox; ``limit`` per
    page, ``after`` the last id of the previous page."""

    statuses: tuple[str, ...] = OPEN
    rules: tuple[str, ...] | None = None
    severities: tuple[str, ...] | None = None
    bbox: tuple[float, float, float, float] | None = None
    limit: int = DEFAULT_LIMIT
    after: int | None = None

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> AlertQuery:
        unknown = sorted(set(args) - set(QUERY_KEYS))
        if unknown:
            raise InvalidParameter(unknown[0], "is not a parameter", ", ".join(QUERY_KEYS))
        given = {k: v for k, v in args.items() if v.strip()}
        return cls(
            statuses=_choices(given["status"], "status", STATUSES) if "status" in given else OPEN,
            rules=_choices(given["rule"], "rule", tuple(KINDS)) if "rule" in given else None,
            severities=(
                _choices(given["severity"], "severity", CAP_SEVERITIES)
                if "severity" in given
                else None
            ),
            bbox=parse_bbox(given["bbox"]) if "bbox" in given else None,
            limit=_whole(given["limit"], "limit", 1, MAX_LIMIT)
            if "limit" in given
            else DEFAULT_LIMIT,
            after=_whole(given["after"], "after", 1, MAX_ID) if "after" in given else None,
        )

    def as_args(self) -> dict[str, str]:
        args = {"status": ",".join(self.statuses), "limit": str(self.limit)}
        if self.rules:
            args["rule"] = ",".join(self.rules)
        if self.severities:
            args["severity"] = ",".join(self.severities)
        if self.bbox:
            args["bbox"] = ",".join(repr(v) for v in self.bbox)
        return args


def _feature(row: Mapping[str, Any], *, people: bool) -> dict[str, Any]:
    properties = {
        k: v for k, v in row.items() if k not in ("geometry", "id") and (people or k not in PEOPLE)
    }
    for key, value in properties.items():
        if hasattr(value, "isoformat"):
            properties[key] = value.isoformat()
    return {
        "type": "Feature",
        "id": row["id"],
        "geometry": json.loads(row["geometry"]),
        "properties": properties,
    }


def list_alerts(
    db: Database, query: AlertQuery, *, people: bool = False
) -> tuple[list[dict[str, Any]], int | None]:
    """A page of alerts as GeoJSON features, newest first, and the ``after`` of the next page
    (None: this is the last)."""
    conditions: list[sql.Composable] = [sql.SQL("status = ANY(%(statuses)s)")]
    params: dict[str, Any] = {"statuses": list(query.statuses), "limit": query.limit + 1}
    if query.rules:
        conditions.append(sql.SQL("rule = ANY(%(rules)s)"))
        params["rules"] = list(query.rules)
    if query.severities:
        conditions.append(sql.SQL("severity = ANY(%(severities)s)"))
        params["severities"] = list(query.severities)
    if query.bbox:
        conditions.append(
            sql.SQL("geom && ST_MakeEnvelope(%(x0)s, %(y0)s, %(x1)s, %(y1)s, 4326)")
            + sql.SQL(" AND ST_Intersects(geom, ST_MakeEnvelope(%(x0)s, %(y0)s, %(x1)s, %(y1)s,")
            + sql.SQL(" 4326))")
        )
        params |= dict(zip(("x0", "y0", "x1", "y1"), query.bbox, strict=True))
    if query.after is not None:
        conditions.append(sql.SQL("id < %(after)s"))
        params["after"] = query.after
    statement = sql.SQL(load_sql("alerts/page.sql")).format(where=sql.SQL(" AND ").join(conditions))
    with db.read_cursor() as cur:
        rows = cur.execute(statement, params).fetchall()
    following = rows[query.limit - 1]["id"] if len(rows) > query.limit else None
    return [_feature(row, people=people) for row in rows[: query.limit]], following


def get_alert(db: Database, alert_id: int, *, people: bool = False) -> dict[str, Any]:
    """One alert as a GeoJSON feature; NotFound names the id."""
    with db.read_cursor() as cur:
        row = cur.execute(load_sql("alerts/item.sql"), {"id": alert_id}).fetchone()
    if row is None:
        raise NotFound(f"alert {alert_id} does not exist")
    return _feature(row, people=people)


def change_status(
    db: Database, alert_id: int, action: str, actor: Actor, note: str | None = None
) -> dict[str, Any]:
    """Acknowledge (``ack``) or resolve (``resolve``) an alert as ``actor``, in one transaction
    (audited, published in the feed); Conflict names the current status and what is allowed."""
    if action not in ACTIONS:
        raise ValueError(f"action {action!r}; accepted: {', '.join(ACTIONS)}")
    if note is not None and (not isinstance(note, str) or len(note) > MAX_NOTE):
        raise InvalidParameter("note", "is not accepted", f"text of at most {MAX_NOTE} characters")
    allowed, becomes = ACTIONS[action]
    with db.connection() as conn:
        act_as(conn, actor)
        # The feed's lock before the alert's row, as the engine takes them (no deadlock).
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (FEED_LOCK,))
        row = conn.execute(
            "SELECT status FROM alerts WHERE id = %s FOR UPDATE", (alert_id,)
        ).fetchone()
        if row is None:
            raise NotFound(f"alert {alert_id} does not exist")
        if row[0] not in allowed:
            raise Conflict(
                f"alert {alert_id} is {row[0]}: it cannot become {becomes}; {action} accepts an "
                f"alert that is {' or '.join(allowed)}"
            )
        if action == "ack":
            conn.execute(
                load_sql("alerts/acknowledge.sql"),
                {"id": alert_id, "by": actor.name, "note": note},
            )
        else:
            conn.execute(
                load_sql("alerts/resolve.sql"),
                {
                    "id": alert_id,
                    "by": actor.name,
                    "resolution": note or RESOLVED_BY_HAND,
                },
            )
        with conn.cursor(row_factory=dict_row) as cur:
            changed = cur.execute(load_sql("alerts/item.sql"), {"id": alert_id}).fetchone()
    assert changed is not None
    return _feature(changed, people=True)
