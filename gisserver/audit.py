"""Who makes a change, for the audit trail that the database writes (migration 0006), and the
readers of that trail and of every feature's versions.

The triggers on every layer record each change with the transaction-local settings that
``act_as`` sets at the start of a writing transaction: the API sets the key's name and role,
the request id, the client address and the If-Match it was sent; the ETL sets its run (actor
``etl``). A change made without them (psql) is recorded under the session's database user.

``trail`` reads the audit trail (``gisserver audit``, ``GET /api/audit``); ``feature_versions``
reads the versions of one feature, the previous ones from ``feature_history`` and the current
one from its layer (``GET /ogc/collections/{id}/items/{fid}/history``). Neither publishes a
credential: a password inside a URL value (``rtsp://user:secret@camera``) is masked.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from gisserver.db import load_sql
from gisserver.errors import InvalidParameter
from gisserver.keys import parse_duration
from gisserver.layers import Layer

if TYPE_CHECKING:
    import psycopg

OPERATIONS = ("create", "replace", "update", "delete", "stock-move", "positions")
# The actor of every change an ETL load makes; its run id (etl_run_id) says which load.
ETL_ACTOR = "etl"
# What the trail records besides the layers: the alerts' lifecycle (migration 0008).
ALSO_AUDITED = ("alerts",)
# Rows of the trail a reader returns at most at once.
MAX_LIMIT = 1000
# Ids of entries and features are bigint.
MAX_ID = 2**63 - 1
SET_CONTEXT = (
    "SELECT set_config('gisserver.actor', %s, true), set_config('gisserver.actor_role', %s, true),"
    " set_config('gisserver.etl_run', %s, true), set_config('gisserver.request_id', %s, true),"
    " set_config('gisserver.client_address', %s, true), set_config('gisserver.if_match', %s,"
    " true), set_config('gisserver.operation', %s, true)"
)


@dataclass(frozen=True)
class Actor:
    """Who is changing the data, and through which request."""

    name: str
    role: str | None = None
    etl_run: int | None = None
    request_id: str | None = None
    client_address: str | None = None


def act_as(
    conn: psycopg.Connection[Any],
    actor: Actor,
    *,
    if_match: str | None = None,
    operation: str | None = None,
) -> None:
    """Set who changes the data for the rest of this transaction (the audit triggers read it).

    ``operation`` names an UPDATE that is a ``replace`` (a PUT) rather than an ``update``.
    """
    if operation is not None and operation not in OPERATIONS:
        raise ValueError(f"operation {operation!r}; accepted: {', '.join(OPERATIONS)}")
    conn.execute(
        SET_CONTEXT,
        (
            actor.name,
            actor.role or "",
            "" if actor.etl_run is None else str(actor.etl_run),
            actor.request_id or "",
            actor.client_address or "",
            if_match or "",
            operation or "",
        ),
    )


# ---------------------------------------------------------------------------------------------
# Reading the trail

TIME_ACCEPTED = (
    "an ISO 8601 time (2026-12-03T10:00:00Z, 2026-12-03 10:00, 2026-12-03; UTC unless an "
    "offset is given) or a time ago (90m, 12h, 30d, 2w)"
)
# ://user:password@ in a URL: the password is a secret (a camera's stream, a feed's address).
_URL_PASSWORD = re.compile(r"(://[^/?#@:\s]*:)[^/?#@\s]*@")
# Bookkeeping every change moves: never what changed.
_NOT_CHANGES = frozenset({"updated_at"})


def parse_time(text: str, parameter: str, *, now: dt.datetime | None = None) -> dt.datetime:
    """An ISO 8601 date or time (UTC unless it says otherwise) or a duration before ``now``."""
    value = text.strip()
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        pass
    else:
        return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    try:
        ago = parse_duration(value, parameter=parameter)
    except InvalidParameter:
        raise InvalidParameter(parameter, f"{text!r} is not a time", TIME_ACCEPTED) from None
    return (now or dt.datetime.now(dt.UTC)) - ago


def _whole_number(text: str, parameter: str, *, low: int, high: int = MAX_ID) -> int:
    accepted = f"a whole number from {low} to {high}"
    try:
        number = int(text.strip())
    except ValueError:
        raise InvalidParameter(parameter, f"{text!r} is not a whole number", accepted) from None
    if not low <= number <= high:
        raise InvalidParameter(parameter, f"{number} is out of range", accepted)
    return number


@dataclass(frozen=True)
class TrailQuery:
    """Which entries of the trail to read: filters, then ``limit`` entries in id order, after
    the entry ``after`` (paging); with ``latest`` the last ``limit`` of them instead."""

    layer: str | None = None
    feature: int | None = None
    actor: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    limit: int = 100
    after: int | None = None
    latest: bool = False

    @classmethod
    def parse(
        cls,
        values: Mapping[str, str | None],
        *,
        layer_ids: Iterable[str],
        prefix: str = "",
        default_limit: int = 100,
        latest: bool = False,
    ) -> TrailQuery:
        """The query from text (a query string, command options named ``prefix`` + name);
        an InvalidParameter names the first wrong one and what it accepts."""
        known = ("layer", "feature", "actor", "since", "until", "limit", "after")
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise InvalidParameter(prefix + unknown[0], "is not a parameter", ", ".join(known))
        given = {k: v for k, v in values.items() if v is not None and v != ""}
        for name, value in given.items():
            if "\x00" in value or len(value) > 200:
                raise InvalidParameter(prefix + name, "is not plain text", "up to 200 characters")
        layer = given.get("layer")
        ids = (*layer_ids, *ALSO_AUDITED)
        if layer is not None and layer not in ids:
            raise InvalidParameter(prefix + "layer", f"{layer!r} is not a layer", ", ".join(ids))
        feature = None
        if "feature" in given:
            if layer is None:
                raise InvalidParameter(
                    prefix + "feature", "needs a layer (ids are per layer)", f"{prefix}layer too"
                )
            feature = _whole_number(given["feature"], prefix + "feature", low=1)
        now = dt.datetime.now(dt.UTC)
        since = parse_time(given["since"], prefix + "since", now=now) if "since" in given else None
        until = parse_time(given["until"], prefix + "until", now=now) if "until" in given else None
        if since and until and until < since:
            raise InvalidParameter(prefix + "until", "is before since", "a time after since")
        limit = default_limit
        if "limit" in given:
            limit = _whole_number(given["limit"], prefix + "limit", low=1, high=MAX_LIMIT)
        after = _whole_number(given["after"], prefix + "after", low=0) if "after" in given else None
        actor = given.get("actor")
        return cls(layer, feature, actor, since, until, limit, after, latest and after is None)


@dataclass(frozen=True)
class AuditEntry:
    """One change of one feature as the trail keeps it; ``before`` and ``after`` are the
    feature (id, version, geometry, properties: every column) without credentials."""

    id: int
    at: dt.datetime
    actor: str
    actor_role: str | None
    etl_run_id: int | None
    layer: str
    feature_id: int | None
    operation: str
    version: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    request_id: str | None
    client_address: str | None
    if_match: str | None

    @property
    def changed(self) -> list[str]:
        """The names of the properties an update or replace changed (``geometry`` too)."""
        if self.before is None or self.after is None:
            return []
        old, new = self.before.get("properties") or {}, self.after.get("properties") or {}
        names = [
            name
            for name in dict.fromkeys([*old, *new])
            if name not in _NOT_CHANGES and old.get(name) != new.get(name)
        ]
        if self.before.get("geometry") != self.after.get("geometry"):
            names.append("geometry")
        return names

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: times in ISO 8601, ``changed`` beside the values."""
        data = asdict(self)
        data["at"] = self.at.isoformat()
        data["changed"] = self.changed
        return data


def masked(value: Any) -> Any:
    """``value`` with the password of every URL in it masked."""
    if isinstance(value, str):
        return _URL_PASSWORD.sub(r"\1***@", value)
    if isinstance(value, dict):
        return {key: masked(item) for key, item in value.items()}
    if isinstance(value, list):
        return [masked(item) for item in value]
    return value


def trail(conn: psycopg.Connection[Any], query: TrailQuery) -> list[AuditEntry]:
    """The entries of the audit trail that ``query`` selects, oldest first."""
    from psycopg import sql

    conditions: list[sql.Composable] = []
    params: dict[str, Any] = {"limit": query.limit}
    for column, operator, name, value in (
        ("layer", "=", "layer", query.layer),
        ("feature_id", "=", "feature", query.feature),
        ("actor", "=", "actor", query.actor),
        ("at", ">=", "since", query.since),
        ("at", "<", "until", query.until),
        ("id", ">", "after", query.after),
    ):
        if value is not None:
            conditions.append(
                sql.SQL("{} {} {}").format(
                    sql.Identifier(column), sql.SQL(operator), sql.Placeholder(name)
                )
            )
            params[name] = value
    statement = sql.SQL(load_sql("audit/trail.sql")).format(
        where=sql.SQL(" AND ").join(conditions) if conditions else sql.SQL("true"),
        direction=sql.SQL("DESC" if query.latest else "ASC"),
    )
    from psycopg.rows import dict_row

    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(statement, params).fetchall()
    entries = [
        AuditEntry(**{**row, "before": masked(row["before"]), "after": masked(row["after"])})
        for row in rows
    ]
    return entries[::-1] if query.latest else entries


# ---------------------------------------------------------------------------------------------
# The versions of a feature


@dataclass(frozen=True)
class FeatureVersion:
    """One version of a feature and its validity [valid_from, valid_to) (valid_to None: the
    current one); who made it and how (None where the trail has no entry for it); what ended
    it (``update``, ``replace``, ``delete``; None: current)."""

    version: int
    valid_from: dt.datetime
    valid_to: dt.datetime | None
    ended_by: str | None
    operation: str | None
    actor: str | None
    actor_role: str | None
    etl_run_id: int | None
    properties: dict[str, Any]
    geometry: dict[str, Any]


def version_properties(layer: Layer, *, private: bool = False) -> dict[str, str]:
    """Name -> SQL over the alias ``t`` of the properties a version shows: the layer's public
    fields (every declared field with ``private``) and its derived fields; never the
    bookkeeping columns (source_id, properties, loaded_at)."""
    fields = layer.fields if private else layer.public_fields
    shown = {name: '"t"."{}"'.format(name.replace('"', '""')) for name in fields}
    shown.update({name: derived.sql('"t"') for name, derived in layer.derived.items()})
    return shown


def feature_versions(
    conn: psycopg.Connection[Any], layer: Layer, feature_id: int, *, private: bool = False
) -> list[FeatureVersion]:
    """Every version of a feature of ``layer``, oldest first: the previous ones (its history)
    and the current one (its row, unless it was deleted). Empty: it never existed."""
    from psycopg import sql

    properties = version_properties(layer, private=private)
    statement = sql.SQL(load_sql("audit/versions.sql")).format(
        table=sql.Identifier(layer.table),
        properties=sql.SQL(", ").join(
            sql.SQL("{} AS {}").format(sql.SQL(expression), sql.Identifier(name))
            for name, expression in properties.items()
        ),
    )
    from psycopg.rows import dict_row

    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(statement, {"layer": layer.id, "id": feature_id}).fetchall()
    return [
        FeatureVersion(**{**row, "properties": masked(row["properties"]) or {}}) for row in rows
    ]
