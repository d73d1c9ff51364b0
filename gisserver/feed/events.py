"""The change feed's events (migration 0008): read in id order, filtered, as the JSON document
every consumer gets (SSE ``/api/events``, ``/api/changes``, webhooks).

An event's id is handed out in commit order (the feed's advisory lock), so "the events after
N" is complete the moment it is read: a consumer keeps the last id it handled and asks for what
comes after it, whether it was away for a second or across a restart.

The document of a ``feature`` event has the layer, the feature's id, the operation, its version,
the feature as GeoJSON with its public properties only (``null`` once deleted) and links to the
feature and its history. An ``alert`` event has the alert (``gisserver.alerts``) as GeoJSON and
links to it and its CAP document. A ``positions`` event is one batch of AVL positions
(``gisserver.edits.positions``): how many, how many were stale, and the units it moved at their
new positions as a GeoJSON FeatureCollection (its bbox: theirs). None names who made the change:
the audit trail (``/api/audit``, a key with the analyst role) does.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gisserver.audit import masked
from gisserver.errors import InvalidParameter
from gisserver.layers import LayerRegistry

if TYPE_CHECKING:
    import psycopg

# The advisory lock a transaction holds from its first event until it commits (migration 0008).
FEED_LOCK = 7_470_310_015
# The NOTIFY channel that wakes the feed's listeners; the events table is the record.
CHANNEL = "gisserver_events"
TYPES = ("feature", "alert", "positions")
POSITIONS = "positions"
ALERTS_LAYER = "alerts"
MAX_PAGE = 1000
MAX_ID = 2**63 - 1
# Alert properties that name people: the feed says when, the alert API says who.
_ALERT_PRIVATE = frozenset({"acknowledged_by", "resolved_by", "version", "updated_at"})

_SELECT = """
SELECT e.id, e.at, e.type, e.layer, e.feature_id, e.operation, e.version, e.etl_run_id,
       e.min_lon, e.min_lat, e.max_lon, e.max_lat,
       CASE WHEN e.operation = 'delete' THEN NULL ELSE a.after END AS after
  FROM events AS e
  JOIN audit_log AS a ON a.id = e.audit_id
 WHERE e.id > %(after)s AND e.id <= %(until)s
 ORDER BY e.id
 LIMIT %(limit)s
"""


@dataclass(frozen=True)
class Event:
    """One event of the feed, its document ready to send (``data``, JSON text)."""

    id: int
    type: str
    layer: str
    feature_id: int | None
    bbox: tuple[float, float, float, float] | None
    data: str

    def document(self) -> dict[str, Any]:
        result: dict[str, Any] = json.loads(self.data)
        return result


@dataclass(frozen=True)
class EventFilter:
    """What a consumer wants: event types, layers, and a bbox (lon/lat) the change touches
    (before or after it: a feature moved out of the box is a change of the box). None: all."""

    types: frozenset[str] | None = None
    layers: frozenset[str] | None = None
    bbox: tuple[float, float, float, float] | None = None

    def matches(self, event: Event) -> bool:
        if self.types is not None and event.type not in self.types:
            return False
        if self.layers is not None and event.type == "feature" and event.layer not in self.layers:
            return False
        if self.bbox is not None:
            if event.bbox is None:
                return False
            x0, y0, x1, y1 = self.bbox
            ex0, ey0, ex1, ey1 = event.bbox
            if ex0 > x1 or ex1 < x0 or ey0 > y1 or ey1 < y0:
                return False
        return True

    @classmethod
    def parse(cls, args: Mapping[str, str], layer_ids: Iterable[str]) -> EventFilter:
        """From query parameters ``types``, ``layers`` and ``bbox`` (comma-separated)."""
        known_layers = tuple(layer_ids)
        types = _names(args.get("types"), "types", TYPES)
        layers = _names(args.get("layers"), "layers", known_layers)
        bbox = parse_bbox(args["bbox"]) if args.get("bbox") else None
        return cls(types, layers, bbox)

    def as_args(self) -> dict[str, str]:
        """The query parameters that make this filter again."""
        args: dict[str, str] = {}
        if self.types is not None:
            args["types"] = ",".join(sorted(self.types))
        if self.layers is not None:
            args["layers"] = ",".join(sorted(self.layers))
        if self.bbox is not None:
            args["bbox"] = ",".join(repr(v) for v in self.bbox)
        return args


def _names(text: str | None, parameter: str, accepted: tuple[str, ...]) -> frozenset[str] | None:
    if text is None or not text.strip():
        return None
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in accepted]
    if unknown:
        raise InvalidParameter(
            parameter,
            f"{', '.join(unknown)} {'is' if len(unknown) == 1 else 'are'} not known",
            f"a comma-separated list of {', '.join(accepted)}",
        )
    return frozenset(names)


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    accepted = "minLon,minLat,maxLon,maxLat in degrees (CRS84), min below max"
    try:
        values = tuple(float(part) for part in text.split(","))
    except ValueError as exc:
        raise InvalidParameter("bbox", f"{text!r} is not four numbers", accepted) from exc
    if len(values) != 4 or any(v != v for v in values):
        raise InvalidParameter("bbox", f"{text!r} is not four numbers", accepted)
    x0, y0, x1, y1 = values
    if not (-180 <= x0 <= x1 <= 180 and -90 <= y0 <= y1 <= 90):
        raise InvalidParameter("bbox", f"{text!r} is not a box on the globe", accepted)
    return (x0, y0, x1, y1)


def parse_event_id(text: str, parameter: str) -> int:
    """An event id a client sends back (``Last-Event-ID``, ``since``): a whole number >= 0."""
    value = text.strip()
    if not (value.isascii() and value.isdigit()) or int(value) > MAX_ID:
        raise InvalidParameter(
            parameter, f"{text!r} is not an event id", "the id of an event (a whole number >= 0)"
        )
    return int(value)


def last_event_id(conn: psycopg.Connection[Any]) -> int:
    """The id of the newest committed event (0: none yet)."""
    row = conn.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()
    return int(row[0]) if row else 0


def read_events(
    conn: psycopg.Connection[Any],
    layers: LayerRegistry,
    *,
    after: int,
    limit: int = MAX_PAGE,
    until: int = MAX_ID,
    base_url: str = "",
) -> list[Event]:
    """The events after ``after`` (and at most ``until``), oldest first, at most ``limit``."""
    rows = conn.execute(
        _SELECT, {"after": after, "until": until, "limit": min(limit, MAX_PAGE)}
    ).fetchall()
    return [_event(row, layers, base_url) for row in rows]


def _event(row: tuple[Any, ...], layers: LayerRegistry, base_url: str) -> Event:
    (event_id, at, kind, layer_id, feature_id, operation, version, etl_run, *box, after) = row
    bbox = None if box[0] is None else (box[0], box[1], box[2], box[3])
    document: dict[str, Any] = {
        "id": event_id,
        "type": kind,
        "at": utc_text(at),
        "layer": layer_id,
        "featureId": feature_id,
        "operation": operation,
        "version": version,
    }
    if etl_run is not None:
        document["etlRun"] = etl_run
    if kind == "alert":
        document["alert"] = None if after is None else _alert(after)
        document["links"] = [
            {
                "rel": "alternate",
                "type": "application/json",
                "href": f"{base_url}/api/alerts/{feature_id}",
            },
            {
                "rel": "alternate",
                "type": "application/cap+xml",
                "href": f"{base_url}/api/alerts/{feature_id}.cap",
            },
        ]
    elif kind == POSITIONS:
        document |= _positions(after or {})
        # each unit's track: /api/units/{id}/track
        document["links"] = [
            {
                "rel": "collection",
                "type": "application/geo+json",
                "href": f"{base_url}/ogc/collections/{layer_id}/items",
            }
        ]
    else:
        layer = layers.layers.get(layer_id)
        public = set(layer.public_fields) if layer is not None else set()
        document["feature"] = None if after is None else _feature(after, public, layer_id)
        item = f"{base_url}/ogc/collections/{layer_id}/items/{feature_id}"
        document["links"] = [
            {"rel": "item", "type": "application/geo+json", "href": item},
            {"rel": "version-history", "type": "application/json", "href": f"{item}/history"},
        ]
    return Event(
        id=event_id,
        type=kind,
        layer=layer_id,
        feature_id=feature_id,
        bbox=bbox,
        data=json.dumps(document, ensure_ascii=False, separators=(",", ":"), default=str),
    )


def _feature(after: dict[str, Any], public: set[str], layer_id: str) -> dict[str, Any]:
    properties = after.get("properties") or {}
    return {
        "type": "Feature",
        "id": after.get("id"),
        "geometry": after.get("geometry"),
        "properties": {k: masked(v) for k, v in properties.items() if k in public},
    }


def _positions(after: dict[str, Any]) -> dict[str, Any]:
    """A batch of positions: its counts and the units it moved, at their new positions."""
    return {
        "count": after.get("count"),
        "stale": after.get("stale"),
        "units": {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "id": unit.get("id"),
                    "geometry": {"type": "Point", "coordinates": [unit["lon"], unit["lat"]]},
                    "properties": {
                        "time": unit.get("time"),
                        "speed": unit.get("speed"),
                        "heading": unit.get("heading"),
                    },
                }
                for unit in after.get("units") or ()
            ],
        },
    }


def _alert(after: dict[str, Any]) -> dict[str, Any]:
    properties = after.get("properties") or {}
    return {
        "type": "Feature",
        "id": after.get("id"),
        "geometry": after.get("geometry"),
        "properties": {k: v for k, v in properties.items() if k not in _ALERT_PRIVATE},
    }


def utc_text(value: dt.datetime) -> str:
    """A time as RFC 3339 in UTC with a ``Z`` (what the feed's documents say)."""
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
