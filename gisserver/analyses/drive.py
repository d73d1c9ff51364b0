"""Drive-time answers on the road network (``gisserver.routing``): the fastest route between two
points, isochrones, and the travel times that drive-time nearest, dispatch recommendations and
the affected population within an isochrone are computed from. Declared in ``registry.py``
(``route``, ``isochrone``; ``by=drive_time`` of ``nearest-resources``).

Hazard-aware by default: the roads touched by a hazard zone in force at ``at`` (default now) are
closed or slowed as the routing profile says (gisserver/routing/profile.yaml);
``avoid_hazards=false`` routes as if there were none.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gisserver.analyses.area import parse_lon_lat
from gisserver.analyses.parameters import parse_bool, parse_choice, parse_time, reject_unknown
from gisserver.db import Database
from gisserver.errors import InvalidParameter
from gisserver.routing.network import NO_CLOSURES, network_of
from gisserver.routing.profile import profile_of
from gisserver.routing.search import Path, Search, Snap, isochrones, paths, snap_or_refuse
from gisserver.settings import Settings

MAX_MINUTES = 120.0
MAX_BANDS = 12
DIRECTIONS = ("from", "to")


def parse_point(value: Any, *, parameter: str) -> tuple[float, float]:
    """``lon,lat`` (text) or [lon, lat]."""
    parts = value.split(",") if isinstance(value, str) else value
    if not isinstance(parts, list | tuple) or len(parts) != 2:
        raise InvalidParameter(
            parameter, f"{value!r} is not a point", "lon,lat in WGS84 degrees, e.g. -71.11,42.37"
        )
    return parse_lon_lat(parts[0], parts[1], parameter=parameter)


def parse_minutes(value: Any) -> list[float]:
    """``5,10,15`` (text) or [5, 10, 15]: distinct, ascending, 0 < m <= MAX_MINUTES."""
    parts = value.split(",") if isinstance(value, str) else value
    if isinstance(parts, int | float) and not isinstance(parts, bool):
        parts = [parts]
    accepted = f"1 to {MAX_BANDS} numbers of minutes, 0 < m <= {MAX_MINUTES:g}, e.g. 5,10,15"
    if not isinstance(parts, list | tuple) or not 1 <= len(parts) <= MAX_BANDS:
        raise InvalidParameter("minutes", f"{value!r} is not a list of minutes", accepted)
    minutes = []
    for part in parts:
        try:
            number = float(part) if not isinstance(part, bool) else float("nan")
        except (TypeError, ValueError):
            number = float("nan")
        if not 0 < number <= MAX_MINUTES:  # also refuses NaN
            raise InvalidParameter("minutes", f"{part!r} is not a number of minutes", accepted)
        minutes.append(number)
    return sorted(set(minutes))


@dataclass(frozen=True)
class Conditions:
    """Whether hazard zones act, and at what instant they are judged in force."""

    avoid_hazards: bool = True
    at: dt.datetime | None = None

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> Conditions:
        avoid = params.get("avoid_hazards")
        at = params.get("at")
        return cls(
            avoid_hazards=True
            if avoid in (None, "")
            else parse_bool(avoid, parameter="avoid_hazards"),
            at=None if at in (None, "") else parse_time(at, parameter="at"),
        )

    def search(self, db: Database, settings: Settings) -> Search:
        profile = profile_of(settings)
        network = network_of(db, profile)
        closures = (
            network.closures(profile, self.at or dt.datetime.now(dt.UTC))
            if self.avoid_hazards
            else NO_CLOSURES
        )
        return Search(network, profile, closures, settings.route_max_snap_m)

    def describe(self, search: Search) -> dict[str, Any]:
        """What the answer was computed under: the zones acting on the roads and how."""
        return {
            "avoid_hazards": self.avoid_hazards,
            "at": (self.at or dt.datetime.now(dt.UTC)).isoformat(),
            "hazard_zones": [
                {"id": zone, "effect": search.profile.describe_effect(effect)}
                for zone, effect in sorted(search.closures.zones.items())
            ],
            "roads_closed": len(search.closures.closed),
            "roads_slowed": len(search.closures.factors) - len(search.closures.closed),
        }


def snap_document(snap: Snap) -> dict[str, Any]:
    return {
        "snap_m": round(snap.distance_m, 1),
        "point": [round(snap.lon, 7), round(snap.lat, 7)],
        "segment": snap.edge,
    }


def path_properties(path: Path) -> dict[str, Any]:
    return {
        "travel_time_s": round(path.travel_time_s, 1),
        "length_m": round(path.length_m, 1),
        "roads": path.roads,
    }


def path_geometry(path: Path) -> dict[str, Any]:
    return {"type": "LineString", "coordinates": path.coordinates}


def _no_route_reason(
    db: Database, settings: Settings, conditions: Conditions, start: Snap, end: Snap
) -> str:
    if not conditions.avoid_hazards:
        return "the two points are on parts of the road network that do not connect"
    open_search = Conditions(False, conditions.at).search(db, settings)
    with db.read_cursor() as cur:
        through = paths(cur, open_search, start, [end])[0]
    if through is None:
        return "the two points are on parts of the road network that do not connect"
    return (
        "every route crosses a road closed by a hazard zone in force (the route through them "
        f"would take {through.travel_time_s:.0f} s); no route is given rather than one through "
        "a closed zone"
    )


ROUTE_PARAMETERS = ("from", "to", "avoid_hazards", "at")


def route(db: Database, params: Mapping[str, Any], *, settings: Settings) -> dict[str, Any]:
    """The fastest route as a GeoJSON Feature (geometry null and found false when there is
    none)."""
    reject_unknown(params, ROUTE_PARAMETERS, where="route")
    for required in ("from", "to"):
        if params.get(required) in (None, ""):
            raise InvalidParameter(required, "is required", "lon,lat in WGS84 degrees")
    start_point = parse_point(params["from"], parameter="from")
    end_point = parse_point(params["to"], parameter="to")
    conditions = Conditions.from_params(params)
    search = conditions.search(db, settings)
    with db.read_cursor() as cur:
        start = snap_or_refuse(cur, search, start_point, "from")
        end = snap_or_refuse(cur, search, end_point, "to")
        found = paths(cur, search, start, [end])[0]
    properties: dict[str, Any] = {
        "found": found is not None,
        "from": snap_document(start),
        "to": snap_document(end),
        **conditions.describe(search),
    }
    if found is None:
        properties["reason"] = _no_route_reason(db, settings, conditions, start, end)
        return {"type": "Feature", "geometry": None, "properties": properties}
    return {
        "type": "Feature",
        "geometry": path_geometry(found),
        "properties": {**path_properties(found), **properties},
    }


def route_answer(
    db: Database, params: Mapping[str, Any], *, layers: Any, settings: Settings
) -> dict[str, Any]:
    """The ``route`` analysis."""
    return route(db, params, settings=settings)


ISOCHRONE_PARAMETERS = ("lon", "lat", "minutes", "direction", "avoid_hazards", "at")


def isochrone_polygons(
    db: Database,
    point: tuple[float, float],
    minutes: list[float],
    *,
    towards: bool,
    conditions: Conditions,
    settings: Settings,
) -> dict[str, Any]:
    """The isochrones of ``minutes`` around ``point`` as a FeatureCollection, smallest first."""
    search = conditions.search(db, settings)
    with db.read_cursor() as cur:
        origin = snap_or_refuse(cur, search, point, "lon/lat")
        rows = isochrones(cur, search, origin, [m * 60.0 for m in minutes], towards=towards)
    features = [
        {
            "type": "Feature",
            "id": index + 1,
            "geometry": json.loads(row["geometry"]) if row["geometry"] else None,
            "properties": {
                "minutes": row["seconds"] / 60.0,
                "seconds": row["seconds"],
                "area_m2": round(row["area_m2"], 1),
                "junctions": row["junctions"],
            },
        }
        for index, row in enumerate(rows)
    ]
    return {
        "type": "FeatureCollection",
        "features": features,
        "numberReturned": len(features),
        "origin": {"requested": list(point), **snap_document(origin)},
        "direction": "to" if towards else "from",
        **conditions.describe(search),
    }


def isochrone(db: Database, params: Mapping[str, Any], *, settings: Settings) -> dict[str, Any]:
    reject_unknown(params, ISOCHRONE_PARAMETERS, where="isochrone")
    for required in ("lon", "lat", "minutes"):
        if params.get(required) in (None, ""):
            raise InvalidParameter(required, "is required", "lon, lat in WGS84; minutes 5,10,15")
    point = parse_lon_lat(params["lon"], params["lat"])
    minutes = parse_minutes(params["minutes"])
    direction = parse_choice(
        params.get("direction") or "from", parameter="direction", choices=DIRECTIONS
    )
    return isochrone_polygons(
        db,
        point,
        minutes,
        towards=direction == "to",
        conditions=Conditions.from_params(params),
        settings=settings,
    )


def isochrone_answer(
    db: Database, params: Mapping[str, Any], *, layers: Any, settings: Settings
) -> dict[str, Any]:
    """The ``isochrone`` analysis."""
    return isochrone(db, params, settings=settings)


ISOCHRONE_AREA_KEYS = ("lon", "lat", "minutes", "direction", "avoid_hazards")


def isochrone_area(
    db: Database, value: Any, *, settings: Settings
) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    """An isochrone given as an area (affected-population's ``isochrone``: lon, lat, one number
    of minutes, direction, avoid_hazards): its polygon (GeoJSON; None when empty) and the area
    as the answer describes it."""
    accepted = '{"lon": -71.11, "lat": 42.37, "minutes": 10} (direction, avoid_hazards optional)'
    if not isinstance(value, Mapping):
        raise InvalidParameter("isochrone", f"{value!r} is not an object", accepted)
    unknown = sorted(set(value) - set(ISOCHRONE_AREA_KEYS))
    if unknown:
        raise InvalidParameter(f"isochrone.{unknown[0]}", "is not a key of isochrone", accepted)
    for required in ("lon", "lat", "minutes"):
        if value.get(required) in (None, ""):
            raise InvalidParameter(f"isochrone.{required}", "is required", accepted)
    point = parse_lon_lat(value["lon"], value["lat"], parameter="isochrone.lon/lat")
    minutes = parse_minutes([value["minutes"]])
    direction = parse_choice(
        value.get("direction") or "from", parameter="isochrone.direction", choices=DIRECTIONS
    )
    conditions = Conditions.from_params({"avoid_hazards": value.get("avoid_hazards")})
    collection = isochrone_polygons(
        db, point, minutes, towards=direction == "to", conditions=conditions, settings=settings
    )
    feature = collection["features"][0] if collection["features"] else None
    described = {
        "isochrone": {
            "lon": point[0],
            "lat": point[1],
            "minutes": minutes[0],
            "direction": direction,
            "avoid_hazards": conditions.avoid_hazards,
            "origin": collection["origin"],
            "hazard_zones": collection["hazard_zones"],
        }
    }
    geometry = feature["geometry"] if feature else None
    if geometry is None or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        return None, described
    return geometry, described
