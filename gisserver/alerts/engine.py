"""The alert engine: evaluates the layers' alert rules on the changes of the feed
(``catch_up``) and on the clock (``tick``), raising alerts whose condition starts and resolving
those whose condition ended.

Exactly once: ``catch_up`` reads the feature events after its cursor (``feed_cursors`` row
``alerts``, locked), evaluates the rules those changes concern, writes the alerts and moves the
cursor in one transaction; a crash in between leaves the cursor where it was and the
evaluation is done again (it writes what the data says, so doing it again is harmless). At most
one alert per rule and subject is open (``alerts_one_open_idx``; ``INSERT ... ON CONFLICT DO
NOTHING``). Every write is made as the actor ``alert-rules``: the audit trail records it and the
feed publishes it as an ``alert`` event.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from collections.abc import Iterable, Mapping
from typing import Any

import psycopg
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from gisserver.alerts.rules import KINDS, RULES_ACTOR, Finding, RuleKind
from gisserver.analyses.population import population_in_area
from gisserver.audit import Actor, act_as
from gisserver.db import Database, load_sql
from gisserver.errors import GisServerError
from gisserver.feed.events import ALERTS_LAYER, FEED_LOCK
from gisserver.layers import AlertRule, LayerRegistry
from gisserver.settings import Settings

log = logging.getLogger(__name__)

CURSOR = "alerts"
ACTOR = Actor(RULES_ACTOR, role="system")
ZONE_RULE = "hazard_zone_covers_assets"
# The rules time alone can make true or false: checked for every subject on every tick.
CLOCK_RULES = ("camera_silent", "stock_expiring", "stock_below_minimum")
# Kept by a re-evaluation: what people added to an alert.
_KEPT_DETAILS = ("acknowledgement_note",)
# Which rules a change of a layer's feature concerns, for the feature itself.
_FOR_FEATURE: Mapping[str, tuple[str, ...]] = {
    "incidents": ("incident_in_hazard_zone",),
    "hazard_zones": (ZONE_RULE,),
    "shelters": ("shelter_nearly_full", "shelter_open_in_hazard_zone"),
    "stockpiles": ("stock_below_minimum", "stock_expiring"),
    "cameras": ("camera_silent",),
}
# And for the features near it (alerts/neighbours.sql): a zone drawn, moved or ended changes
# which incidents and shelters are inside one; a shelter, stockpile or camera moved changes
# what the zones around it cover.
_FOR_NEIGHBOUR: Mapping[str, tuple[str, ...]] = {
    "incidents": ("incident_in_hazard_zone",),
    "shelters": ("shelter_open_in_hazard_zone",),
    "hazard_zones": (ZONE_RULE,),
}

# rule -> the feature ids to evaluate it for (None: every subject)
Candidates = Mapping[str, set[int] | None]


def _check_aware(now: dt.datetime | None) -> None:
    if now is not None and (not isinstance(now, dt.datetime) or now.tzinfo is None):
        raise ValueError(f"now: {now!r}; accepted: a datetime with a time zone (UTC), or None")


def _comparable(details: Mapping[str, Any]) -> str:
    kept = {k: v for k, v in details.items() if k not in _KEPT_DETAILS}
    return json.dumps(kept, sort_keys=True, default=str)


class AlertEngine:
    """Evaluates the alert rules of ``layers`` on ``db`` (a role that may write ``alerts`` and
    ``feed_cursors``: the edit role)."""

    def __init__(self, db: Database, layers: LayerRegistry, settings: Settings) -> None:
        self.db = db
        self.rules: dict[str, AlertRule] = layers.alert_rules()
        self.batch = settings.alert_events_per_transaction
        self.first_check_ms = int(settings.alert_first_check_seconds * 1000)
        self._last_tick: dt.datetime | None = None
        # While the first check runs: when it must give up (its statements are bounded by the
        # statement timeout, the whole of it by this: the affected populations are many queries)
        self._deadline: float | None = None

    # -----------------------------------------------------------------------------------------
    # The feed

    def catch_up(self, now: dt.datetime | None = None) -> int:
        """Evaluate the rules on the feature changes since the cursor; returns how many alerts
        were raised, updated or resolved. The first call only sets the cursor at the newest
        event (``tick`` checks what was there before)."""
        _check_aware(now)
        written = 0
        while True:
            with self.db.connection() as conn:
                conn.execute(load_sql("alerts/cursor_start.sql"), {"name": CURSOR})
                row = conn.execute(load_sql("alerts/cursor_lock.sql"), {"name": CURSOR}).fetchone()
                after = int(row[0]) if row else 0
                events = conn.execute(
                    load_sql("alerts/events_after.sql"), {"after": after, "limit": self.batch}
                ).fetchall()
                if not events:
                    return written
                candidates, changed_zones = self._candidates(conn, events)
                if candidates:
                    act_as(conn, ACTOR)
                    written += self._evaluate(
                        conn,
                        candidates,
                        now or dt.datetime.now(dt.UTC),
                        changed_zones=changed_zones,
                    )
                conn.execute(
                    load_sql("alerts/cursor_advance.sql"),
                    {"name": CURSOR, "event_id": int(events[-1][0])},
                )
            if len(events) < self.batch:
                return written

    def tick(self, now: dt.datetime | None = None) -> int:
        """The rules on the clock at ``now`` (default: the current time); returns how many
        alerts were raised, updated or resolved.

        The first tick checks every rule for every subject: the situation as it was when the
        engine started (bounded by ``alert_first_check_seconds``: on a database too large for
        that, a warning says so and only changes are evaluated). Later ticks check what time
        alone changes: the rules of the clock (a camera's silence, a lot's expiry or its
        stock below its minimum) for every subject, and the zones whose validity began or ended
        since the last tick, with the incidents and shelters inside them. What a change makes
        true is ``catch_up``'s, as it commits."""
        _check_aware(now)
        at = now or dt.datetime.now(dt.UTC)
        last, self._last_tick = self._last_tick, at
        if last is None:
            started = time.monotonic()
            self._deadline = started + self.first_check_ms / 1000
            try:
                with self.db.connection() as conn:
                    conn.execute(f"SET LOCAL statement_timeout = {self.first_check_ms}")
                    act_as(conn, ACTOR)
                    written = self._evaluate(
                        conn, dict.fromkeys(self.rules), at, changed_zones=set()
                    )
                log.info(
                    "alert rules: first check of the existing data done in %.1f s (%d alerts "
                    "raised, updated or resolved)",
                    time.monotonic() - started,
                    written,
                )
                return written
            except (psycopg.errors.QueryCanceled, _TooLong):
                log.warning(
                    "alert rules: checking the existing data took longer than %.0f s "
                    "(GISSERVER_ALERT_FIRST_CHECK_SECONDS); alerts are raised for changes and "
                    "on the clock from now on",
                    self.first_check_ms / 1000,
                )
                return 0
            finally:
                self._deadline = None
        with self.db.connection() as conn:
            candidates: dict[str, set[int] | None] = {
                rule: None for rule in CLOCK_RULES if rule in self.rules
            }
            crossed = conn.execute(
                load_sql("alerts/zones_crossed.sql"), {"lo": min(last, at), "hi": max(last, at)}
            ).fetchall()
            for layer, feature_id in crossed:
                for rule in _FOR_NEIGHBOUR.get(layer, ()):
                    if rule in self.rules:
                        found = candidates.setdefault(rule, set())
                        if found is not None:
                            found.add(int(feature_id))
            act_as(conn, ACTOR)
            return self._evaluate(conn, candidates, at, changed_zones=set())

    def _candidates(
        self, conn: psycopg.Connection[Any], events: Iterable[tuple[Any, ...]]
    ) -> tuple[Candidates, set[int]]:
        """Which rules to evaluate for which features after these events, and which zones
        changed (their affected population is computed again)."""
        candidates: dict[str, set[int]] = {}
        changed_zones: set[int] = set()
        ids: list[int] = []
        for event_id, kind, layer, feature_id in events:
            if kind != "feature" or layer == ALERTS_LAYER or feature_id is None:
                continue
            ids.append(int(event_id))
            if layer == "hazard_zones":
                changed_zones.add(int(feature_id))
            for rule in _FOR_FEATURE.get(layer, ()):
                candidates.setdefault(rule, set()).add(int(feature_id))
        if ids:
            near = conn.execute(load_sql("alerts/neighbours.sql"), {"events": ids}).fetchall()
            for layer, feature_id in near:
                for rule in _FOR_NEIGHBOUR.get(layer, ()):
                    candidates.setdefault(rule, set()).add(int(feature_id))
        return {r: f for r, f in candidates.items() if r in self.rules}, changed_zones

    # -----------------------------------------------------------------------------------------
    # Evaluating

    def _evaluate(
        self,
        conn: psycopg.Connection[Any],
        candidates: Candidates,
        now: dt.datetime,
        *,
        changed_zones: set[int],
    ) -> int:
        """Decide every rule's writes, then make them under the feed's lock. The lock first,
        the alerts' rows after it (as ``lifecycle.change_status`` does): an acknowledgement at
        the same moment waits for us or we for it, never both (no deadlock)."""
        writes: list[tuple[str, dict[str, Any]]] = []
        for name, ids in candidates.items():
            if self._deadline is not None and time.monotonic() > self._deadline:
                raise _TooLong
            writes += self._plan(conn, KINDS[name], self.rules[name], ids, now, changed_zones)
        if not writes:
            return 0
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (FEED_LOCK,))
        written = 0
        for statement, params in writes:
            cur = conn.execute(load_sql(statement), params)
            written += cur.rowcount > 0
        return written

    def _plan(
        self,
        conn: psycopg.Connection[Any],
        kind: RuleKind,
        rule: AlertRule,
        ids: set[int] | None,
        now: dt.datetime,
        changed_zones: set[int],
    ) -> list[tuple[str, dict[str, Any]]]:
        """The writes that make the alerts of one rule say what the data says: raise, refresh
        (what it is about changed) or resolve (the condition ended)."""
        params = kind.params(rule, now) | {"ids": None if ids is None else sorted(ids)}
        with conn.cursor(row_factory=dict_row) as cur:
            holding = {
                kind.subject(row["subject_id"]): row
                for row in cur.execute(load_sql(kind.sql), params).fetchall()
            }
            subjects = None if ids is None else [kind.subject(i) for i in sorted(ids)]
            opened = {
                row["subject"]: row
                for row in cur.execute(
                    load_sql("alerts/open_alerts.sql"), {"rule": kind.name, "subjects": subjects}
                ).fetchall()
            }
            dismissed = self._dismissed(cur, kind, [s for s in holding if s not in opened])
        writes: list[tuple[str, dict[str, Any]]] = []
        for subject, row in holding.items():
            alert = opened.get(subject)
            previous = alert["details"] if alert else dismissed.get(subject)
            if kind.name == ZONE_RULE:
                row = self._with_population(row, previous, changed_zones)
            finding = kind.finding(rule, row)
            values = _values(finding)
            if alert is None:
                if previous is not None and _comparable(finding.details) == _comparable(previous):
                    continue  # a person resolved it, and nothing changed since
                writes.append(
                    ("alerts/raise.sql", values | {"rule": kind.name, "subject": finding.subject})
                )
            elif _comparable(finding.details) != _comparable(alert["details"]):
                writes.append(("alerts/refresh.sql", values | {"id": alert["id"]}))
        for subject, alert in opened.items():
            if subject not in holding:
                resolution = {"id": alert["id"], "by": RULES_ACTOR, "resolution": kind.resolution}
                writes.append(("alerts/resolve.sql", resolution))
        return writes

    @staticmethod
    def _dismissed(
        cur: psycopg.Cursor[dict[str, Any]], kind: RuleKind, subjects: list[str]
    ) -> dict[str, dict[str, Any]]:
        """Subject -> what its alert said when a person resolved it (its newest alert), for the
        subjects without an open alert: the same condition is not raised again unchanged."""
        if not subjects:
            return {}
        rows = cur.execute(
            load_sql("alerts/last_alerts.sql"), {"rule": kind.name, "subjects": subjects}
        ).fetchall()
        return {
            row["subject"]: row["details"]
            for row in rows
            if row["status"] == "resolved" and row["resolved_by"] != RULES_ACTOR
        }

    def _with_population(
        self, row: dict[str, Any], previous: Mapping[str, Any] | None, changed_zones: set[int]
    ) -> dict[str, Any]:
        """The zone's row with its affected population: computed when the zone changed or no
        alert about it said one; else the figure its last alert said (``previous``, its
        details: the people living there did not move)."""
        if previous and row["subject_id"] not in changed_zones and "population" in previous:
            return row | {"population": previous["population"]}
        if self._deadline is not None and time.monotonic() > self._deadline:
            raise _TooLong
        try:
            population = population_in_area(self.db, bytes(row["wkb"]))
        except GisServerError as exc:
            log.warning("affected population of hazard zone %s: %s", row["subject_id"], exc)
            population = {"population": None, "reason": exc.message}
        return row | {"population": population}


class _TooLong(Exception):
    """The first check went past ``alert_first_check_seconds``."""


def _values(finding: Finding) -> dict[str, Any]:
    return {
        "event": finding.event,
        "severity": finding.severity,
        "urgency": finding.urgency,
        "certainty": finding.certainty,
        "headline": finding.headline,
        "description": finding.description,
        "instruction": finding.instruction,
        "details": Jsonb(finding.details, dumps=lambda v: json.dumps(v, default=str)),
        "expires": finding.expires,
        "wkb": finding.wkb,
    }
