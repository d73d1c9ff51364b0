"""Which units to send: the available units able to help at an incident that reach it first,
with their distance and ETA (``gisserver.analyses.travel``: by road avoiding the hazard zones in
force, else the straight line), excluding units inside a hazard zone in force.
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
from gisserver.analyses.travel import DRIVE_TIME, trips_to, with_roads
from gisserver.db import Database, load_sql
from gisserver.errors import NotFound
from gisserver.layers import LayerRegistry
from gisserver.settings import Settings

KNOWN = ("incident_id", "capability", "unit_type", "k", replay.PARAMETER)
# Until the units layer's file says otherwise (its enums are the accepted values).
UNITS = "units"
# What the recommendation reads, replayed with as_of (the units at their track positions then).
READS = (("incidents", "incidents"), (UNITS, UNITS), ("hazard_zones", "hazard_zones"))
# By road, the able units nearest by straight line that are timed (all of a city's fleet).
CANDIDATES = 1000


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
    db: Database,
    query: Recommendation,
    *,
    settings: Settings,
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """The ``k`` available units that reach the incident first, as a GeoJSON FeatureCollection,
    soonest first: by road where the incident is on the road network (units the roads do not
    bring there are left out and counted), else by straight line at the assumed speed; with
    ``as_of``, among the units (status, capabilities, track position), the incident and the
    hazard zones as they were at that instant, by straight line."""
    at = query.as_of or now or dt.datetime.now(dt.UTC)
    statement: Any = load_sql("analyses/recommend_units.sql")
    if query.as_of is not None:
        statement = replay.replayed(db, READS, sql.SQL(statement))
    params = {
        "incident": query.incident_id,
        "capability": query.capability,
        "unit_type": query.unit_type,
        "at": at,
        "k": CANDIDATES if query.as_of is None else query.k,
        replay.PARAMETER: query.as_of,
    }
    with db.read_cursor() as cur:
        rows = cur.execute(statement, params).fetchall()
    if not rows:
        when = f" at {query.as_of.isoformat()}" if query.as_of else ""
        raise NotFound(f"incident {query.incident_id} not found{when}")
    first = rows[0]
    units = [row for row in rows if row["id"] is not None]  # none: no unit qualifies
    target = (first["incident_lon"], first["incident_lat"])
    trips = trips_to(
        db,
        settings,
        target,
        [(row["lon"], row["lat"]) for row in units],
        [float(row["distance_m"]) for row in units],
        replayed=query.as_of is not None,
    )
    order = sorted(
        (i for i, travel in enumerate(trips.travels) if travel.eta_s is not None),
        key=lambda i: (trips.travels[i].eta_s, units[i]["distance_m"], units[i]["id"]),
    )[: query.k]
    detailed = with_roads(db, settings, trips, order)
    features = []
    for index in order:
        row = units[index]
        travel = detailed.get(index, trips.travels[index])
        assert travel.eta_s is not None
        properties = {
            "name": row["name"],
            "unit_type": row["unit_type"],
            "capabilities": list(row["capabilities"]),
            "home_station": row["home_station"],
            "status": row["status"],
            "position_at": row["position_at"].isoformat() if row["position_at"] else None,
            "distance_m": round(travel.distance_m, 1),
            "eta_s": round(travel.eta_s, 1),
            "travel": travel.method,
        }
        if travel.method == DRIVE_TIME:
            properties["road_length_m"] = travel.road_length_m
            properties["roads"] = list(travel.roads)
        features.append(
            {
                "type": "Feature",
                "id": row["id"],
                "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]},
                "properties": properties,
            }
        )
    answer: dict[str, Any] = {
        "type": "FeatureCollection",
        "incident": {
            "id": first["incident_id"],
            "status": first["incident_status"],
            "point": [first["incident_lon"], first["incident_lat"]],
        },
        "capability": query.capability,
        "unit_type": query.unit_type,
        "travel": trips.method,
        "at": at.isoformat(),
        "as_of": query.as_of.isoformat() if query.as_of else None,
        "features": features,
        "numberReturned": len(features),
    }
    if trips.method == DRIVE_TIME and trips.target is not None:
        answer["not_reached_by_road"] = sum(1 for t in trips.travels if t.eta_s is None)
        # where the trips by road end: the open road nearest to the incident, this far from it
        answer["incident"]["road_snap_m"] = round(trips.target.distance_m, 1)
    else:
        answer["assumed_speed_kmh"] = settings.dispatch_speed_kmh
        answer["why_straight_line"] = trips.note
    return answer


def answer(
    db: Database, params: Mapping[str, Any], *, layers: LayerRegistry, settings: Settings
) -> dict[str, Any]:
    return recommend(db, parse(params, layers), settings=settings)
