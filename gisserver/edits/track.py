"""A unit's track: its positions in a time window (``unit_positions``, partitioned by month of
their time: the filter on the time reads only the months of the window), oldest first, as GeoJSON
points with the line they make. Served by ``GET /api/units/{id}/track``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gisserver.audit import parse_time
from gisserver.db import Database
from gisserver.edits.positions import MAX_ID, UNIT_ACCEPTED, sql_text, utc_text
from gisserver.errors import InvalidParameter, NotFound

MAX_TRACK = 10_000
DEFAULT_WINDOW = dt.timedelta(hours=24)
TRACK_ARGS = ("from", "to", "limit")


@dataclass(frozen=True)
class TrackQuery:
    """A unit's positions in [start, end) (None: the default window, up to the clock), oldest
    first, at most ``limit``."""

    unit_id: int
    start: dt.datetime | None
    end: dt.datetime | None
    limit: int = MAX_TRACK

    @classmethod
    def from_args(cls, unit_id: int, args: Mapping[str, str]) -> TrackQuery:
        unknown = sorted(set(args) - set(TRACK_ARGS))
        if unknown:
            raise InvalidParameter(
                unknown[0], "is not a parameter of a track", ", ".join(TRACK_ARGS)
            )
        if not 1 <= unit_id <= MAX_ID:
            raise InvalidParameter("id", f"{unit_id} is not a unit id", UNIT_ACCEPTED)
        start = parse_time(args["from"], "from") if args.get("from") else None
        end = parse_time(args["to"], "to") if args.get("to") else None
        if start is not None and end is not None and start >= end:
            raise InvalidParameter(
                "from", "is not before to", "a window whose from is before its to"
            )
        limit = MAX_TRACK
        if args.get("limit"):
            text = args["limit"].strip()
            if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_TRACK:
                raise InvalidParameter("limit", f"{args['limit']!r}", f"1 to {MAX_TRACK:,}")
            limit = int(text)
        return cls(unit_id, start, end, limit)


def unit_track(db: Database, query: TrackQuery) -> dict[str, Any]:
    """The track as a GeoJSON FeatureCollection of its points, oldest first, with the line they
    make (``line``); ``truncated`` when the window holds more than ``limit`` positions (then
    ``next`` starts after the last one returned)."""
    with db.read() as conn:
        unit = conn.execute(sql_text("units/track_unit.sql"), {"unit_id": query.unit_id}).fetchone()
        if unit is None:
            raise NotFound(f"id: there is no unit {query.unit_id}")
        _, name, now = unit
        end = query.end or now
        start = query.start or min(end, now) - DEFAULT_WINDOW
        if start >= end:
            raise InvalidParameter(
                "from", "is not before to", "a window whose from is before its to"
            )
        rows = conn.execute(
            sql_text("units/track.sql"),
            {"unit_id": query.unit_id, "from": start, "to": end, "limit": query.limit + 1},
        ).fetchall()
    truncated = len(rows) > query.limit
    rows = rows[: query.limit]
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {"time": utc_text(at), "speed": speed, "heading": heading},
        }
        for lon, lat, at, speed, heading in rows
    ]
    line = None
    if len(rows) >= 2:
        line = {"type": "LineString", "coordinates": [[r[0], r[1]] for r in rows]}
    document: dict[str, Any] = {
        "type": "FeatureCollection",
        "unit": {"id": query.unit_id, "name": name},
        "from": utc_text(start),
        "to": utc_text(end),
        "numberReturned": len(features),
        "truncated": truncated,
        "features": features,
        "line": {
            "type": "Feature",
            "geometry": line,
            "properties": {"unit": query.unit_id, "positions": len(features)},
        },
    }
    if truncated:
        # the next page starts just after the last position returned
        document["next"] = {
            "from": utc_text(rows[-1][2] + dt.timedelta(microseconds=1)),
            "to": utc_text(end),
        }
    return document
