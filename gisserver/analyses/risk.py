"""Risk areas: the hazard zones in force that touch an area of interest, and what is inside them.

Also the point form: which zones in force contain a point (a point on a boundary counts as
inside). Areas are geodesic square metres on the WGS84 ellipsoid (PostGIS geography).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from psycopg import sql
from pyproj import Geod

from gisserver.analyses import as_of as replay
from gisserver.analyses.area import Area, parse_bbox, parse_geometry, parse_lon_lat, parse_radius
from gisserver.analyses.parameters import parse_choice, parse_time, reject_unknown
from gisserver.analyses.registry import ASSET_SCOPES, MAX_AREA_KM2
from gisserver.analyses.rows import (
    column_list,
    feature,
    json_value,
)
from gisserver.db import Database, load_sql
from gisserver.errors import InvalidParameter
from gisserver.layers import SEVERITIES, LayerRegistry

# A circle (point + radius) is this many geodesic points on its rim: the polygon lies inside the
# circle by at most r * (1 - cos(pi / 256)), 3.8 cm at 500 m, and its area is 0.01 % smaller.
CIRCLE_VERTICES = 256
AREA_KEYS = ("geometry", "bbox", "point")
QUERY_KEYS = (
    *AREA_KEYS,
    "radius_m",
    "hazard_types",
    "min_severity",
    "at",
    "assets_scope",
    replay.PARAMETER,
)
# What risk-areas reads, replayed with as_of: (layer id, table) pairs.
READS = tuple(
    (name, name) for name in ("hazard_zones", "shelters", "stockpiles", "cameras", "incidents")
)
ZONES = (("hazard_zones", "hazard_zones"),)
GEOD = Geod(ellps="WGS84")


def geodesic_circle(lon: float, lat: float, radius_m: float) -> Area:
    """A circle on the ellipsoid as a polygon of CIRCLE_VERTICES geodesic points."""
    azimuths = np.linspace(0.0, 360.0, CIRCLE_VERTICES, endpoint=False)
    lons, lats, _ = GEOD.fwd(
        np.full(CIRCLE_VERTICES, lon),
        np.full(CIRCLE_VERTICES, lat),
        azimuths,
        np.full(CIRCLE_VERTICES, radius_m),
    )
    # unwrap around the centre so that the ring stays continuous
    lons = lon + (np.asarray(lons) - lon + 180.0) % 360.0 - 180.0
    # a ring around a pole spans every longitude; one over the antimeridian leaves -180..180
    if (np.abs(lons) > 180).any() or np.ptp(lons) >= 180:
        raise InvalidParameter(
            "point",
            "the circle crosses the antimeridian or reaches a pole",
            "a circle that does not; or give a geometry",
        )
    polygon = shapely.Polygon(np.column_stack([lons, lats]))
    return Area(polygon)


@dataclass(frozen=True)
class RiskAreasQuery:
    """A validated risk-areas question: an area of interest and the zones to consider."""

    area: Area
    area_kind: str
    hazard_types: tuple[str, ...] | None = None
    min_severity: str = "low"
    at: dt.datetime | None = None
    assets_scope: str = "area"
    describe: dict[str, Any] = field(default_factory=dict, compare=False)
    as_of: dt.datetime | None = None

    @classmethod
    def from_params(cls, params: Mapping[str, Any], *, layers: LayerRegistry) -> RiskAreasQuery:
        """Parse a JSON body (or process inputs); exactly one of geometry, bbox, point+radius_m."""
        if not isinstance(params, Mapping):
            raise InvalidParameter("body", "is not a JSON object", "an object with " + _AREA_HELP)
        params = {key: value for key, value in params.items() if value is not None}
        reject_unknown(params, QUERY_KEYS, where="risk-areas")
        given = [key for key in AREA_KEYS if key in params]
        if len(given) != 1:
            raise InvalidParameter(
                "geometry/bbox/point",
                "none given" if not given else f"{' and '.join(given)} given together",
                "exactly one of " + _AREA_HELP,
            )
        kind = given[0]
        describe: dict[str, Any] = {"kind": kind}
        if kind == "geometry":
            area = parse_geometry(params["geometry"])
        elif kind == "bbox":
            area = parse_bbox(params["bbox"])
            describe["bbox"] = list(area.geometry.bounds)
        else:
            point = params["point"]
            if isinstance(point, str):
                point = point.split(",")
            if not isinstance(point, list | tuple) or len(point) != 2:
                raise InvalidParameter("point", f"{point!r} is not [lon, lat]", "[lon, lat]")
            lon, lat = parse_lon_lat(point[0], point[1], parameter="point")
            if "radius_m" not in params:
                raise InvalidParameter(
                    "radius_m", "is required with point", "metres, 0 < r <= 500000"
                )
            radius = parse_radius(params["radius_m"])
            area = geodesic_circle(lon, lat, radius)
            describe.update(point=[lon, lat], radius_m=radius, vertices=CIRCLE_VERTICES)
        if "radius_m" in params and kind != "point":
            raise InvalidParameter("radius_m", "only goes with point", "point and radius_m")
        if area.repaired:
            describe.update(repaired=True, repair_note=area.repair_note)
        hazard_types = None
        if "hazard_types" in params:
            raw = params["hazard_types"]
            items = raw.split(",") if isinstance(raw, str) else raw
            if not isinstance(items, list | tuple) or not items:
                raise InvalidParameter("hazard_types", f"{raw!r} is not a list", "a list of names")
            allowed = layers["hazard_zones"].fields["hazard_type"].enum or ()
            hazard_types = tuple(
                parse_choice(item, parameter="hazard_types", choices=allowed) for item in items
            )
        min_severity = parse_choice(
            params.get("min_severity", "low"), parameter="min_severity", choices=SEVERITIES
        )
        at = parse_time(params["at"]) if "at" in params else None
        as_of = _as_of(params)
        scope = parse_choice(
            params.get("assets_scope", "area"), parameter="assets_scope", choices=ASSET_SCOPES
        )
        area_m2 = abs(GEOD.geometry_area_perimeter(area.geometry)[0])
        if area_m2 > MAX_AREA_KM2 * 1e6:
            raise InvalidParameter(
                kind,
                f"covers {area_m2 / 1e6:,.0f} km²",
                f"an area of interest of at most {MAX_AREA_KM2:,.0f} km² (ask per region)",
            )
        describe["area_m2"] = area_m2
        return cls(area, kind, hazard_types, min_severity, at, scope, describe, as_of)


_AREA_HELP = (
    "'geometry' (GeoJSON Polygon/MultiPolygon), 'bbox' [minlon, minlat, maxlon, maxlat], or "
    "'point' [lon, lat] with 'radius_m'"
)
ASSET_KINDS = ("shelters", "stockpiles", "cameras", "incidents")


def _zone_fields(layers: LayerRegistry) -> tuple[str, ...]:
    return tuple(layers["hazard_zones"].public_fields)


def risk_areas(db: Database, query: RiskAreasQuery, *, layers: LayerRegistry) -> dict[str, Any]:
    """The zones in force that intersect the area, each with its intersection area and assets."""
    fields = _zone_fields(layers)
    at = query.at or query.as_of or dt.datetime.now(dt.UTC)
    statement: sql.Composed = sql.SQL(load_sql("analyses/risk_areas.sql")).format(
        columns=column_list(fields, "z")
    )
    if query.as_of is not None:
        statement = replay.replayed(db, READS, statement)
    params = {
        "aoi": query.area.wkb,
        "at": at,
        "hazard_types": list(query.hazard_types) if query.hazard_types else None,
        "min_rank": SEVERITIES.index(query.min_severity) + 1,
        "scope": query.assets_scope,
        replay.PARAMETER: query.as_of,
    }
    with db.read_cursor() as cur:
        cur.execute(statement, params)
        rows = cur.fetchall()
    features = []
    seen: dict[str, dict[int, Any]] = {kind: {} for kind in ASSET_KINDS}
    for row in rows:
        out = feature(row, fields)
        out["properties"]["intersection_area_m2"] = row["intersection_area_m2"]
        out["properties"]["zone_area_m2"] = row["zone_area_m2"]
        out["properties"]["assets"] = {
            "shelters": {
                "count": row["shelter_count"],
                "capacity": json_value(row["capacity"]),
                "occupancy": json_value(row["occupancy"]),
                "items": row["shelters"],
            },
            "stockpiles": {"count": row["stockpile_count"], "items": row["stockpiles"]},
            "cameras": {"count": row["camera_count"], "items": row["cameras"]},
            "incidents": {"count": row["incident_count"], "items": row["incidents"]},
        }
        for kind in ASSET_KINDS:
            for item in row[kind]:
                seen[kind][item["id"]] = item
        features.append(out)
    shelters = seen["shelters"].values()
    summary = {
        "zones": len(features),
        # distinct assets: a shelter in two overlapping zones is counted once here
        "shelters": len(seen["shelters"]),
        "shelter_capacity_at_risk": sum(s["capacity"] or 0 for s in shelters),
        "shelter_occupancy_at_risk": sum(s["occupancy"] or 0 for s in shelters),
        "stockpiles": len(seen["stockpiles"]),
        "cameras": len(seen["cameras"]),
        "open_incidents": len(seen["incidents"]),
    }
    return {
        "type": "FeatureCollection",
        "features": features,
        "numberReturned": len(features),
        "summary": summary,
        "area": {
            **query.describe,
            "repaired": query.area.repaired,
            **({"repair_note": query.area.repair_note} if query.area.repaired else {}),
        },
        "at": at.isoformat(),
        "as_of": query.as_of.isoformat() if query.as_of else None,
        "filters": {
            "hazard_types": list(query.hazard_types) if query.hazard_types else None,
            "min_severity": query.min_severity,
            "assets_scope": query.assets_scope,
        },
    }


def zones_at_point(
    db: Database,
    lon: float | str,
    lat: float | str,
    at: dt.datetime | None = None,
    *,
    layers: LayerRegistry,
    as_of: dt.datetime | None = None,
) -> dict[str, Any]:
    """The zones in force at ``at`` (default ``as_of``, else now) that contain the point,
    boundary included; with ``as_of``, among the zones as they were at that instant.

    ``lon``/``lat`` may be text (a query string): they are checked here.
    """
    fields = _zone_fields(layers)
    lon, lat = parse_lon_lat(lon, lat)
    at = at or as_of or dt.datetime.now(dt.UTC)
    statement: sql.Composed = sql.SQL(load_sql("analyses/risk_zones_at_point.sql")).format(
        columns=column_list(fields, "z")
    )
    if as_of is not None:
        statement = replay.replayed(db, ZONES, statement)
    with db.read_cursor() as cur:
        cur.execute(statement, {"lon": lon, "lat": lat, "at": at, replay.PARAMETER: as_of})
        rows = cur.fetchall()
    features = [feature(row, fields) for row in rows]
    return {
        "type": "FeatureCollection",
        "features": features,
        "numberReturned": len(features),
        "point": [lon, lat],
        "at": at.isoformat(),
        "as_of": as_of.isoformat() if as_of else None,
    }


@dataclass(frozen=True)
class ZonesAtPointQuery:
    """A validated zones-at-a-point question."""

    lon: float
    lat: float
    at: dt.datetime | None = None
    as_of: dt.datetime | None = None

    @classmethod
    def from_params(
        cls, params: Mapping[str, Any], *, layers: LayerRegistry | None = None
    ) -> ZonesAtPointQuery:
        """Parse query-string or JSON parameters: lon, lat (required) and at."""
        params = {key: value for key, value in params.items() if value is not None}
        reject_unknown(
            params,
            ("lon", "lat", "at", replay.PARAMETER),
            where="zones-at-point (GET /api/risk-areas)",
        )
        for required in ("lon", "lat"):
            if required not in params:
                raise InvalidParameter(
                    required, "is required", "lon and lat in WGS84 degrees (POST for an area)"
                )
        lon, lat = parse_lon_lat(params["lon"], params["lat"])
        at = parse_time(params["at"]) if "at" in params else None
        return cls(lon, lat, at, _as_of(params))


def answer(db: Database, params: Mapping[str, Any], *, layers: LayerRegistry) -> dict[str, Any]:
    """The risk-areas analysis (registry entry ``risk-areas``)."""
    return risk_areas(db, RiskAreasQuery.from_params(params, layers=layers), layers=layers)


def zones_answer(
    db: Database, params: Mapping[str, Any], *, layers: LayerRegistry
) -> dict[str, Any]:
    """The zones-at-point analysis (registry entry ``zones-at-point``)."""
    query = ZonesAtPointQuery.from_params(params, layers=layers)
    return zones_at_point(db, query.lon, query.lat, query.at, layers=layers, as_of=query.as_of)


def _as_of(params: Mapping[str, Any]) -> dt.datetime | None:
    """``as_of`` if given: the zones and assets as they were then ("in force" at it too)."""
    if replay.PARAMETER not in params:
        return None
    return replay.parse_as_of(params[replay.PARAMETER])
