"""CAP 1.2 messages applied to the hazard zones: the one implementation that ``gisserver etl
load hazard_zones warning.xml`` (``load_cap_file``) and ``POST /api/cap`` (``apply_message``)
both use.

- **Alert**: each info makes a zone (``gisserver.cap.zones``), ``source`` = the load's source
  (``cap`` unless told otherwise), ``source_id`` = ``sender identifier info-number``.
- **Update**: the zones that the referenced messages made are changed in place (an UPDATE, so
  ``feature_history`` keeps their previous version): info n of the Update replaces the zone of
  info n; an info with no zone yet makes a new one; a zone whose info the Update no longer has
  ends (``valid_to`` = the Update's ``sent``); an info with geocodes only keeps its zone's
  area and attributes.
- **Cancel**: the referenced zones end at the Cancel's ``sent`` (never before they began);
  they stay in the layer and in its history.
- A message already applied (its ``sender,identifier`` is in a zone's ``cap_messages``) changes
  nothing: loading a feed again is harmless, and an old Alert cannot undo its Update.
- Status Test, Exercise, Draft or System, and msgType Ack or Error, load nothing (the outcome
  says so). An Update or Cancel none of whose references made a zone is refused (409).

Each zone keeps the CAP attributes in ``properties`` (``cap_event``, ``cap_urgency``, ...) and
``cap_messages``: every message that made or changed it, in order.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import shapely
from psycopg.types.json import Jsonb

from gisserver.audit import ETL_ACTOR, Actor, act_as
from gisserver.cap import CapInvalid, CapMessage, ZoneDraft, parse, root_kind, zone_drafts
from gisserver.cap.zones import live_infos
from gisserver.errors import Conflict, InvalidParameter
from gisserver.etl.geometry import conform
from gisserver.etl.locks import lock_tables
from gisserver.etl.mapping import RowError
from gisserver.etl.runs import LoadReport, SourceInfo, check_source_name, recorded_run
from gisserver.settings import Settings

log = logging.getLogger(__name__)

LAYER = "hazard_zones"
DEFAULT_SOURCE = "cap"
# File names the ETL looks into for a CAP alert or an Atom feed (by its root element).
SUFFIXES = (".xml", ".cap", ".atom")
_SNIFF_BYTES = 64 * 1024
# The first key (int4) of the advisory locks of CAP applications; the second: the source's hash.
CAP_LOCK = 747_031


class UnknownReference(Conflict):
    """An Update or Cancel whose referenced messages made no zone here (HTTP 409)."""

    code = "UnknownReference"


@dataclass
class CapOutcome:
    """What one message did to the hazard zones (zone ids)."""

    identifier: str
    sender: str
    sent: dt.datetime
    status: str
    msg_type: str
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    ended: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    note: str | None = None

    @property
    def loaded(self) -> bool:
        return bool(self.created or self.updated or self.ended)


def is_cap_file(path: Path) -> bool:
    """Whether ``path`` is a CAP alert or an Atom feed (by its root element)."""
    if path.suffix.lower() not in SUFFIXES or not path.is_file():
        return False
    with path.open("rb") as fh:
        return root_kind(fh.read(_SNIFF_BYTES)) is not None


def apply_message(
    conn: psycopg.Connection[Any],
    message: CapMessage,
    actor: Actor,
    *,
    source: str = DEFAULT_SOURCE,
) -> CapOutcome:
    """Apply ``message`` to the hazard zones within ``conn``'s transaction, as ``actor``."""
    act_as(conn, actor)
    outcome = CapOutcome(
        message.identifier, message.sender, message.sent, message.status, message.msg_type
    )
    if not message.live:
        why = f"status {message.status}" if message.status != "Actual" else message.msg_type
        outcome.note = f"{why}: never a live hazard zone, nothing loaded"
        return outcome
    with conn.cursor() as cur:
        serialise(cur, source)
        if _applied_before(cur, source, message):
            outcome.note = "already loaded: nothing changed"
            return outcome
        if message.msg_type == "Alert":
            drafts, outcome.skipped = zone_drafts(message)
            for draft in drafts:
                outcome.created.append(_insert(cur, source, message, draft))
        elif message.msg_type == "Update":
            _update(cur, source, message, outcome)
        else:
            _cancel(cur, source, message, outcome)
    if not outcome.loaded:
        outcome.note = outcome.note or "no info with a polygon or circle: nothing loaded"
    return outcome


def serialise(cur: psycopg.Cursor[Any], source: str) -> None:
    """Hold the source's CAP lock until the transaction ends: two deliveries of one message at
    once (a retried POST) apply it once, and an Update waits for the Alert being applied.
    Re-entrant: an ETL load takes it before its table lock, as the API's writes do."""
    cur.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (CAP_LOCK, source))


def _applied_before(cur: psycopg.Cursor[Any], source: str, message: CapMessage) -> bool:
    cur.execute(
        "SELECT 1 FROM hazard_zones WHERE source = %s AND properties -> 'cap_messages' ? %s"
        " LIMIT 1",
        (source, message.key),
    )
    return cur.fetchone() is not None


def _geometry(draft: ZoneDraft, message: CapMessage) -> bytes:
    where = f"{message.origin} info {draft.info}"
    try:
        geom = conform(draft.geometry, ("MultiPolygon",))
    except RowError as exc:
        raise CapInvalid(where, f"its area cannot be a hazard zone ({exc.reason})") from None
    if draft.valid_to is not None and draft.valid_to < draft.valid_from:
        raise CapInvalid(
            f"{where} expires",
            f"{draft.valid_to.isoformat()} is before the zone begins "
            f"({draft.valid_from.isoformat()}: onset, else effective, else sent)",
            "expires after onset/effective",
        )
    wkb: bytes = shapely.to_wkb(geom, byte_order=1)
    return wkb


def _values(draft: ZoneDraft, message: CapMessage, messages: list[str]) -> dict[str, Any]:
    return {
        "hazard_type": draft.hazard_type,
        "severity": draft.severity,
        "name": draft.name,
        "description": draft.description,
        "valid_from": draft.valid_from,
        "valid_to": draft.valid_to,
        "geom": _geometry(draft, message),
        "properties": Jsonb({**draft.properties, "cap_messages": messages}),
    }


def _insert(cur: psycopg.Cursor[Any], source: str, message: CapMessage, draft: ZoneDraft) -> int:
    values = _values(draft, message, [message.key])
    values.update(source=source, source_id=f"{message.sender} {message.identifier} {draft.info}")
    cur.execute(
        "INSERT INTO hazard_zones (source, source_id, hazard_type, severity, name, description,"
        " valid_from, valid_to, geom, properties)"
        " VALUES (%(source)s, %(source_id)s, %(hazard_type)s, %(severity)s, %(name)s,"
        " %(description)s, %(valid_from)s, %(valid_to)s, ST_GeomFromWKB(%(geom)s, 4326),"
        " %(properties)s) RETURNING id",
        values,
    )
    row = cur.fetchone()
    assert row is not None
    return int(row[0])


def _referenced(
    cur: psycopg.Cursor[Any], source: str, message: CapMessage
) -> list[tuple[int, int, list[str]]]:
    """(id, info number, cap_messages) of the zones the referenced messages made or changed."""
    keys = [reference.key for reference in message.references]
    if keys:
        cur.execute(
            "SELECT id, coalesce((properties ->> 'cap_info')::int, 1),"
            " properties -> 'cap_messages' FROM hazard_zones"
            " WHERE source = %s AND properties -> 'cap_messages' ?| %s::text[]"
            " ORDER BY id FOR UPDATE",
            (source, keys),
        )
        found = [(int(i), int(n), list(m or [])) for i, n, m in cur.fetchall()]
        if found:
            return found
    raise UnknownReference(
        f"{message.origin}: {message.msg_type} {message.identifier} references "
        + (" ".join(keys) if keys else "no message")
        + f", and none of them made a hazard zone of source {source!r}; accepted: an Update or "
        "Cancel of a message loaded before (load the Alert first)"
    )


def _update(
    cur: psycopg.Cursor[Any], source: str, message: CapMessage, outcome: CapOutcome
) -> None:
    zones = _referenced(cur, source, message)
    by_info: dict[int, tuple[int, list[str]]] = {}
    for zone_id, info, messages in zones:
        by_info.setdefault(info, (zone_id, messages))
    drafts, outcome.skipped = zone_drafts(message)
    kept = set()
    for draft in drafts:
        if draft.info not in by_info:
            outcome.created.append(_insert(cur, source, message, draft))
            continue
        zone_id, messages = by_info[draft.info]
        values = _values(draft, message, [*messages, message.key])
        cur.execute(
            "UPDATE hazard_zones SET hazard_type = %(hazard_type)s, severity = %(severity)s,"
            " name = %(name)s, description = %(description)s, valid_from = %(valid_from)s,"
            " valid_to = %(valid_to)s, geom = ST_GeomFromWKB(%(geom)s, 4326),"
            " properties = %(properties)s WHERE id = %(id)s",
            {**values, "id": zone_id},
        )
        outcome.updated.append(zone_id)
        kept.add(zone_id)
    # an info without a polygon or circle keeps its zone's area as it was (geocodes only)
    drawn = {draft.info for draft in drafts}
    for number, _info in live_infos(message):
        if number in by_info and number not in drawn:
            zone_id, messages = by_info[number]
            cur.execute(
                "UPDATE hazard_zones SET properties = properties || %s WHERE id = %s",
                (Jsonb({"cap_messages": [*messages, message.key]}), zone_id),
            )
            outcome.unchanged.append(zone_id)
            kept.add(zone_id)
    ended = [(i, m) for i, _n, m in zones if i not in kept]
    outcome.ended.extend(_end(cur, ended, message))


def _cancel(
    cur: psycopg.Cursor[Any], source: str, message: CapMessage, outcome: CapOutcome
) -> None:
    zones = _referenced(cur, source, message)
    outcome.ended.extend(_end(cur, [(i, m) for i, _n, m in zones], message))
    outcome.unchanged.extend(i for i, _n, _m in zones if i not in outcome.ended)


def _end(
    cur: psycopg.Cursor[Any], zones: list[tuple[int, list[str]]], message: CapMessage
) -> list[int]:
    """End the zones at the message's ``sent`` (or when they begin, if later); those already
    ended by then are left alone. Returns the ids ended."""
    ended = []
    for zone_id, messages in zones:
        cur.execute(
            "UPDATE hazard_zones SET valid_to = greatest(coalesce(valid_from, %(sent)s),"
            " %(sent)s), properties = properties || %(extra)s"
            " WHERE id = %(id)s AND (valid_to IS NULL OR valid_to > %(sent)s) RETURNING id",
            {
                "sent": message.sent,
                "id": zone_id,
                "extra": Jsonb(
                    {
                        "cap_messages": [*messages, message.key],
                        "cap_ended_by": message.key,
                        "cap_msg_type": message.msg_type,
                    }
                ),
            },
        )
        if cur.fetchone() is not None:
            ended.append(zone_id)
    return ended


def load_cap_file(
    conn: psycopg.Connection[Any],
    path: Path,
    *,
    source: str | None = None,
    dry_run: bool = False,
    settings: Settings,
    job: str = "etl load",
) -> LoadReport:
    """Load a CAP alert, or an Atom feed of them (linked CAP files beside it), into the hazard
    zones: one ETL run, one transaction, every message or none."""
    name = check_source_name(source) if source else DEFAULT_SOURCE
    run = recorded_run(
        conn, SourceInfo(LAYER, name, path), job=job, settings=settings, dry_run=dry_run
    )
    with run as (report, _rejects):
        # a malformed or invalid message fails the run whole, before anything is written
        messages = parse(path.read_bytes(), what=str(path), beside=path.parent)
        with conn.transaction(force_rollback=dry_run), conn.cursor() as cur:
            serialise(cur, name)  # before the table lock, in the order the API takes them
            if not dry_run:
                lock_tables(cur, LAYER)
            actor = Actor(ETL_ACTOR, etl_run=report.run_id)
            outcomes = [apply_message(conn, m, actor, source=name) for m in messages]
        _report(report, outcomes)
    return report


def _report(report: LoadReport, outcomes: list[CapOutcome]) -> None:
    report.read = len(outcomes)
    report.inserted = sum(len(o.created) for o in outcomes)
    report.updated = sum(len(o.updated) for o in outcomes)
    report.retired = sum(len(o.ended) for o in outcomes)
    report.unchanged = sum(len(o.unchanged) for o in outcomes)
    report.skipped = sum(1 for o in outcomes if not o.loaded)
    report.extra["CAP messages"] = len(outcomes)
    report.extra["zones created"] = report.inserted
    report.extra["zones updated"] = report.updated
    report.extra["zones ended"] = report.retired
    for outcome in outcomes:
        if outcome.note or outcome.skipped:
            notes = "; ".join([*([outcome.note] if outcome.note else []), *outcome.skipped])
            log.info("%s: %s", outcome.identifier, notes)
            report.extra[outcome.identifier] = notes


def refuse_options(**given: object) -> None:
    """A CAP load takes --source and --dry-run only."""
    wrong = [name for name, value in given.items() if value]
    if wrong:
        raise InvalidParameter(
            "--" + wrong[0].replace("_", "-"),
            "does not apply to a CAP message or feed",
            "--source and --dry-run",
        )
