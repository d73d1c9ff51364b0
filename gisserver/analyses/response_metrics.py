"""Response metrics: how fast incidents were verified, dispatched to and reached, and how long
units stayed on scene, per incident and aggregated (registry entry ``response-metrics``).

The definitions are in ``sql/records/response_metrics.sql`` and docs/after-action.md. The
aggregates (count, mean, median, p90, min, max) leave out the incidents lacking a metric and
say how many lack it; an on-scene time still running (a unit not released) is shown per
incident, marked open, and not aggregated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from psycopg import sql

from gisserver.analyses.parameters import parse_int, reject_unknown
from gisserver.analyses.parameters import parse_time as parse_moment
from gisserver.analyses.registry import (
    METRICS_DEFAULT_DAYS,
    METRICS_LIMIT_DEFAULT,
    METRICS_LIMIT_MAX,
    METRICS_MAX_DAYS,
)
from gisserver.db import Database, load_sql
from gisserver.errors import InvalidParameter
from gisserver.layers import LayerRegistry

METRICS = ("time_to_verify_s", "time_to_dispatch_s", "time_to_first_arrival_s", "on_scene_s")
PARAMETERS = ("from", "to", "type", "limit", "offset")
MAX_OFFSET = 1_000_000


@dataclass(frozen=True)
class MetricsQuery:
    """Incidents reported in [start, end), of one type or all; a page of per-incident rows."""

    start: dt.datetime
    end: dt.datetime
    incident_type: str | None = None
    limit: int = METRICS_LIMIT_DEFAULT
    offset: int = 0

    @classmethod
    def from_params(
        cls,
        params: Mapping[str, Any],
        *,
        layers: LayerRegistry,
        now: dt.datetime | None = None,
    ) -> MetricsQuery:
        """Validate query-string text, process inputs or CLI options."""
        given = {key: value for key, value in params.items() if value is not None}
        reject_unknown(given, PARAMETERS, where="response-metrics")
        now = now or dt.datetime.now(dt.UTC)
        end = parse_moment(given["to"], parameter="to") if "to" in given else now
        if "from" in given:
            start = parse_moment(given["from"], parameter="from")
        else:
            start = end - dt.timedelta(days=METRICS_DEFAULT_DAYS)
        if start >= end:
            raise InvalidParameter(
                "from", f"{start.isoformat()} is not before to ({end.isoformat()})", "from < to"
            )
        if end - start > dt.timedelta(days=METRICS_MAX_DAYS):
            raise InvalidParameter(
                "from",
                f"the window {start.isoformat()} to {end.isoformat()} is longer than "
                f"{METRICS_MAX_DAYS} days",
                f"from and to at most {METRICS_MAX_DAYS} days apart",
            )
        incident_type = given.get("type")
        if incident_type is not None:
            known = tuple(layers["incidents"].fields["incident_type"].enum or ())
            if not isinstance(incident_type, str) or incident_type not in known:
                raise InvalidParameter("type", f"{incident_type!r} is not known", ", ".join(known))
        limit = parse_int(
            given.get("limit", METRICS_LIMIT_DEFAULT),
            parameter="limit",
            minimum=1,
            maximum=METRICS_LIMIT_MAX,
        )
        offset = parse_int(
            given.get("offset", 0), parameter="offset", minimum=0, maximum=MAX_OFFSET
        )
        return cls(start, end, incident_type, limit, offset)


def _aggregate(expression: sql.Composable, *, open_count: bool = False) -> sql.Composable:
    parts = sql.SQL(
        "'count', count({x}), 'mean', avg({x}), "
        "'median', percentile_cont(0.5) WITHIN GROUP (ORDER BY {x}), "
        "'p90', percentile_cont(0.9) WITHIN GROUP (ORDER BY {x}), "
        "'min', min({x}), 'max', max({x}), 'lacking', count(*) - count({y})"
    ).format(x=expression, y=sql.Identifier("on_scene_s") if open_count else expression)
    if open_count:
        parts = sql.SQL("{}, 'open', count(*) FILTER (WHERE on_scene_open)").format(parts)
    return sql.SQL("jsonb_build_object({})").format(parts)


@cache
def _statement() -> str:
    return (
        sql.SQL(load_sql("records/response_metrics.sql"))
        .format(
            time_to_verify_s=_aggregate(sql.Identifier("time_to_verify_s")),
            time_to_dispatch_s=_aggregate(sql.Identifier("time_to_dispatch_s")),
            time_to_first_arrival_s=_aggregate(sql.Identifier("time_to_first_arrival_s")),
            on_scene_s=_aggregate(
                sql.SQL("CASE WHEN NOT on_scene_open THEN on_scene_s END"), open_count=True
            ),
        )
        .as_string(None)
    )


def response_metrics(db: Database, query: MetricsQuery) -> dict[str, Any]:
    """The metrics of the incidents ``query`` selects: one implementation for API, process
    and CLI."""
    params = {
        "from": query.start,
        "to": query.end,
        "type": query.incident_type,
        "limit": query.limit,
        "offset": query.offset,
        "incident": None,
    }
    with db.read_cursor() as cur:
        cur.execute(_statement(), params)
        rows = cur.fetchall()
    matched = int(rows[0]["matched"]) if rows else 0
    aggregates = rows[0]["aggregates"] if rows else {}
    incidents = [
        {
            "id": row["id"],
            "incident_type": row["incident_type"],
            "reported_at": row["reported_at"].isoformat(),
            **{metric: row[metric] for metric in METRICS},
            "on_scene_open": row["on_scene_open"],
        }
        for row in rows
        if row["id"] is not None
    ]
    return {
        "from": query.start.isoformat(),
        "to": query.end.isoformat(),
        "type": query.incident_type,
        "numberMatched": matched,
        "numberReturned": len(incidents),
        "offset": query.offset,
        "aggregates": aggregates,
        "incidents": incidents,
    }


def incident_response_times(
    db: Database, incident_id: int, reported_at: dt.datetime
) -> dict[str, Any]:
    """The four metrics of one incident (the after-action report's), by the same SQL."""
    params = {
        "from": reported_at,
        "to": reported_at + dt.timedelta(microseconds=1),
        "type": None,
        "limit": 1,
        "offset": 0,
        "incident": incident_id,
    }
    with db.read_cursor() as cur:
        cur.execute(_statement(), params)
        row = cur.fetchone()
    if row is None or row["id"] is None:
        return {metric: None for metric in METRICS} | {"on_scene_open": False}
    return {metric: row[metric] for metric in METRICS} | {"on_scene_open": row["on_scene_open"]}


def answer(db: Database, params: Mapping[str, Any], *, layers: LayerRegistry) -> dict[str, Any]:
    """The response metrics (registry entry ``response-metrics``)."""
    return response_metrics(db, MetricsQuery.from_params(params, layers=layers))
