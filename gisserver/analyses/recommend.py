"""Which units to send: the nearest available units able to help at an incident, with their
distance and ETA (``gisserver.analyses.travel``), excluding units inside a hazard zone in force.
Declared in ``registry.py`` as ``recommend-units`` (``GET /api/incidents/{id}/recommend``, the
OGC process and ``gisserver analyse recommend-units``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from psycopg import sql

from gisserver.analyses import as_of as replay
from gisserver.analyses.parameters import parse_choice, parse_int, reject_unknown
from gisserver.analyses.registry import RECOMMEND_K_DEFAULT, RECOMMEND_K_MAX
from gisserver.analyses.travel import estimate
from gisserver.db import Database, load_sql
from gisserver.errors import NotFound
from gisserver.layers import LayerRegistry
from gisserver.settings import Settings

KNOWN = ("incident_id", "capability", "unit_type", "k", replay.PARAMETER)
# Until the units layer's file says otherwise (its enums are the accepted values).
UNITS = "units"
# What the recommendation reads, replayed with as_of (the units at their track positions then).
READS = (("incidents", "incidents"), (UNITS, UNITS), ("hazard_zones", "hazard_zones"))


@dataclass(frozen=True)
class Recommendation:
    incident_id: int
    capability: str | None = None
    unit_type: str | None = None
    k: int = RECOMMEND_K_DEFAULT
    as_of: dt.datetime | None = None


def _enum(layers: LayerRegistry, field: str) -> tuple[str, ...] | None:
    if UNITS not in layers or field not in layers[UNITS].fields:
        return None
    return layers[UNITS].fields[field].enum


def parse(params: Mapping[str, Any], layers: LayerRegistry) -> Recommendation:
    reject_unknown(params, KNOWN, where="recommend-units")
    incident = parse_int(
        params.get("incident_id"), parameter="incident_id", minimum=1, maximum=2**63 - 1
    )
    choices: dict[str, str | None] = {}
    for name, field in (("capability", "capabilities"), ("unit_type", "unit_type")):
        value = params.get(name)
        if value is None or value == "":
            choices[name] = None
            continue
        accepted = _enum(layers, field)
        if accepted:
            choices[name] = parse_choice(value, parameter=name, choices=accepted)
        else:
            choices[name] = str(value)
    k = params.get("k")
    as_of = params.get(replay.PARAMETER)
    return Recommendation(
        incident_id=incident,
        capability=choices["capability"],
        unit_type=choices["unit_type"],
        k=RECOMMEND_K_DEFAULT
        if k in (None, "")
        else parse_int(k, parameter="k", minimum=1, maximum=RECOMMEND_K_MAX),
        as_of=None if as_of in (None, "") else replay.parse_as_of(as_of),
    )


def recommend(
    db: Database, query: Recommendation, *, speed_kmh: float, now: dt.datetime | None = None
) -> dict[str, Any]:
    """The ``k`` nearest available units as a GeoJSON FeatureCollection, nearest first; with
    ``as_of``, among the units (status, capabilities, track position), the incident and the
    hazard zones as they were at that instant."""
    at = query.as_of or now or dt.datetime.now(dt.UTC)
    statement: Any = load_sql("analyses/recommend_units.sql")
    if query.as_of is not None:
        statement = replay.replayed(db, READS, sql.SQL(statement))
    params = {
        "incident": query.incident_id,
        "capability": query.capability,
        "unit_type": query.unit_type,
        "at": at,
        "k": query.k,
        replay.PARAMETER: query.as_of,
    }
    with db.read_cursor() as cur:
        rows = cur.execute(statement, params).fetchall()
    if not rows:
        when = f" at {query.as_of.isoformat()}" if query.as_of else ""
        raise NotFound(f"incident {query.incident_id} not found{when}")
    first = rows[0]
    features = []
    for row in rows:
        if row["id"] is None:
            continue  # the incident exists, no unit qualifies
        travel = estimate(float(row["distance_m"]), speed_kmh=speed_kmh)
        features.append(
            {
                "type": "Feature",
                "id": row["id"],
                "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]},
                "properties": {
                    "name": row["name"],
                    "unit_type": row["unit_type"],
                    "capabilities": list(row["capabilities"]),
                    "home_station": row["home_station"],
                    "status": row["status"],
                    "position_at": row["position_at"].isoformat() if row["position_at"] else None,
                    "distance_m": round(travel.distance_m, 1),
                    "eta_s": round(travel.eta_s, 1),
                    "travel": travel.method,
                },
            }
        )
    return {
        "type": "FeatureCollection",
        "incident": {
            "id": first["incident_id"],
            "status": first["incident_status"],
            "point": [first["incident_lon"], first["incident_lat"]],
        },
        "capability": query.capability,
        "unit_type": query.unit_type,
        "assumed_speed_kmh": speed_kmh,
        "at": at.isoformat(),
        "as_of": query.as_of.isoformat() if query.as_of else None,
        "features": features,
        "numberReturned": len(features),
    }


def answer(
    db: Database, params: Mapping[str, Any], *, layers: LayerRegistry, settings: Settings
) -> dict[str, Any]:
    return recommend(db, parse(params, layers), speed_kmh=settings.dispatch_speed_kmh)
