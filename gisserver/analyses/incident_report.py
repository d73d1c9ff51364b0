"""The after-action report of one incident (``GET /api/incidents/{id}/report``): its timeline,
the units sent and their times, the hazard zones and alerts involved, the people affected,
the shelters used and the stock issued, and what the map draws.

The rules (docs/after-action.md):

- **hazard zones involved**: the zones in force during the incident's window whose area met the
  incident (every version: current ones and those changed or deleted since);
- **people affected**: the affected-population analysis of the incident's area (its polygon,
  or ``PEOPLE_BUFFER_M`` around a point incident);
- **shelters used**: shelters whose occupancy rose during the window, inside a zone involved or
  within ``SHELTER_RADIUS_M`` of the incident;
- **stock issued**: issue moves of the ledger in the window whose reason names the incident
  (``incidents/12``, ``incident 12``, ``incident #12``), and issue moves naming no incident from
  stockpiles within ``STOCK_RADIUS_M`` of the incident.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from decimal import Decimal
from typing import Any

from gisserver.analyses.incident_record import (
    IncidentRecord,
    load_record,
    movement,
    read_alerts,
    read_zones,
    timeline_document,
)
from gisserver.analyses.population import AffectedPopulationQuery, affected_population
from gisserver.analyses.response_metrics import incident_response_times
from gisserver.db import Database, load_sql
from gisserver.errors import GisServerError
from gisserver.layers import LayerRegistry

PEOPLE_BUFFER_M = 500.0
SHELTER_RADIUS_M = 3000.0
STOCK_RADIUS_M = 3000.0
# An issue move's reason naming an incident (PostgreSQL ARE, matched case-insensitively).
NAMES_ANY_INCIDENT = r"(^|[^[:alnum:]_])incidents?[[:space:]]*[/#:]?[[:space:]]*#?[0-9]+"


def names_incident(incident_id: int) -> str:
    """The pattern of a reason that names this incident (and no other whose id starts alike)."""
    return rf"(^|[^[:alnum:]_])incidents?[[:space:]]*[/#:]?[[:space:]]*#?{incident_id}([^0-9]|$)"


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _number(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _units_sent(record: IncidentRecord) -> list[dict[str, Any]]:
    return [
        {
            "assignment_id": a["id"],
            "unit_id": a["unit_id"],
            "unit_name": a["unit_name"],
            "unit_type": a["unit_type"],
            "status": a["status"],
            "assigned_at": _iso(a["assigned_at"]),
            "en_route_at": _iso(a["en_route_at"]),
            "on_scene_at": _iso(a["on_scene_at"]),
            "released_at": _iso(a["released_at"]),
            **{k: v for k, v in movement(a).items() if k not in ("from", "to")},
        }
        for a in record.assignments
    ]


def _people_affected(db: Database, record: IncidentRecord) -> dict[str, Any]:
    if record.deleted_at is not None:
        return {"population": None, "reason": "the incident was deleted; its area is not kept"}
    point = (record.feature.get("geometry") or {}).get("type") == "Point"
    query = AffectedPopulationQuery(
        incident_id=record.id, buffer_m=PEOPLE_BUFFER_M if point else None
    )
    try:
        return affected_population(db, query)
    except GisServerError as exc:
        return {"area": query.describe(), "population": None, "reason": exc.message}


def _shelters_used(
    db: Database, record: IncidentRecord, zones: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    collection = (
        json.dumps({"type": "GeometryCollection", "geometries": [z["geometry"] for z in zones]})
        if zones
        else None
    )
    params = {
        "geometry": record.geometry_text,
        "zones": collection,
        "start": record.window.start,
        "end": record.window.end,
        "radius_m": SHELTER_RADIUS_M,
    }
    with db.read_cursor() as cur:
        cur.execute(load_sql("records/shelters.sql"), params)
        rows = cur.fetchall()
    return [
        {k: _number(v) for k, v in row.items()} | {"distance_m": round(row["distance_m"], 1)}
        for row in rows
    ]


def _stock_issued(db: Database, record: IncidentRecord) -> dict[str, Any]:
    params = {
        "geometry": record.geometry_text,
        "start": record.window.start,
        "end": record.window.end,
        "radius_m": STOCK_RADIUS_M,
        "names_this": names_incident(record.id),
        "names_any": NAMES_ANY_INCIDENT,
    }
    with db.read_cursor() as cur:
        cur.execute(load_sql("records/stock.sql"), params)
        lines = cur.fetchall()
    totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for line in lines:
        totals[(line["item"], line["unit"])] += line["quantity"]
    return {
        "totals": [
            {"item": item, "unit": unit, "quantity": _number(quantity)}
            for (item, unit), quantity in sorted(totals.items())
        ],
        "lines": [
            {k: _number(v) for k, v in line.items()} | {"at": _iso(line["at"])} for line in lines
        ],
    }


def _zone(zone: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": zone["id"],
        "version": zone["version"],
        "name": zone["name"],
        "hazard_type": zone["hazard_type"],
        "severity": zone["severity"],
        "valid_from": _iso(zone["valid_from"]),
        "valid_to": _iso(zone["valid_to"]),
        "exists_now": zone["exists_now"],
        "geometry": zone["geometry"],
    }


def _alert(alert: dict[str, Any], people: bool) -> dict[str, Any]:
    shown = {
        k: _iso(v) if isinstance(v, dt.datetime) else v
        for k, v in alert.items()
        if people or k not in ("acknowledged_by", "resolved_by")
    }
    return shown


def report(
    db: Database, incident_id: int, *, layers: LayerRegistry, people: bool
) -> dict[str, Any]:
    """The after-action report of an incident as JSON (NotFound: it never existed)."""
    record = load_record(db, incident_id, layers=layers)
    zones = read_zones(db, record)
    alerts = read_alerts(db, record, [z["id"] for z in zones])
    return timeline_document(record, alerts, layers=layers, people=people) | {
        "response_times": incident_response_times(db, record.id, record.window.start)
        if record.deleted_at is None
        else None,
        "units_sent": _units_sent(record),
        "hazard_zones": [_zone(z) for z in zones],
        "alerts": [_alert(a, people) for a in alerts],
        "people_affected": _people_affected(db, record),
        "shelters_used": _shelters_used(db, record, zones),
        "stock_issued": _stock_issued(db, record),
        "tracks": [
            {"assignment_id": a["id"], "unit_name": a["unit_name"], "geometry": a["track"]}
            for a in record.assignments
            if a["track"] is not None
        ],
        "rules": {
            "people_buffer_m": PEOPLE_BUFFER_M,
            "shelter_radius_m": SHELTER_RADIUS_M,
            "stock_radius_m": STOCK_RADIUS_M,
        },
    }
