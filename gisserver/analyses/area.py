"""Areas of interest as users give them: a GeoJSON geometry, a bbox, or a point and a radius.

One parser for the JSON endpoints, the OGC processes and the CLI. Geometries are WGS84 lon/lat.
Invalid polygons (self-intersections, ...) are repaired with shapely's ``make_valid`` and the
answer says so (``repaired``); what cannot be repaired into an area is refused with the reason.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from gisserver.analyses.registry import MAX_RADIUS_M, MAX_VERTICES
from gisserver.errors import InvalidParameter

AREA_TYPES = ("Polygon", "MultiPolygon")
GEOMETRY_TYPES = (
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
)


@dataclass(frozen=True)
class Area:
    """A validated geometry in EPSG:4326, with a note when it had to be repaired."""

    geometry: BaseGeometry
    repaired: bool = False
    repair_note: str | None = None

    @property
    def wkb(self) -> bytes:
        return shapely.to_wkb(self.geometry, output_dimension=2)


def parse_lon_lat(lon: Any, lat: Any, *, parameter: str = "lon/lat") -> tuple[float, float]:
    """Two numbers within WGS84 range, or InvalidParameter naming the parameter."""
    try:
        x, y = float(lon), float(lat)
    except (TypeError, ValueError) as exc:
        raise InvalidParameter(
            parameter,
            f"{lon!r}, {lat!r} are not numbers",
            "decimal degrees, lon -180..180, lat -90..90",
        ) from exc
    if not (math.isfinite(x) and math.isfinite(y)) or not (-180 <= x <= 180 and -90 <= y <= 90):
        raise InvalidParameter(
            parameter, f"{x}, {y} is outside WGS84", "lon -180..180, lat -90..90"
        )
    # To 1e-9 degrees (0.1 mm): a subnormal coordinate such as 5e-324 made PostGIS's distance
    # arithmetic underflow (a 500 that schemathesis found); no position is that precise.
    return round(x, 9) + 0.0, round(y, 9) + 0.0


def parse_radius(value: Any, *, parameter: str = "radius_m") -> float:
    """A radius in metres, > 0 and at most 500 km."""
    try:
        r = float(value)
    except (TypeError, ValueError) as exc:
        raise InvalidParameter(
            parameter, f"{value!r} is not a number", "metres, 0 < r <= 500000"
        ) from exc
    if not math.isfinite(r) or r <= 0 or r > MAX_RADIUS_M:
        raise InvalidParameter(parameter, f"{value!r} is out of range", "metres, 0 < r <= 500000")
    return r


def parse_bbox(value: Any, *, parameter: str = "bbox") -> Area:
    """``minlon,minlat,maxlon,maxlat`` (string or list) as a polygon."""
    parts: Sequence[Any] = value.split(",") if isinstance(value, str) else value
    accepted = "minlon,minlat,maxlon,maxlat in WGS84 degrees, min < max"
    if not isinstance(parts, list | tuple) or len(parts) != 4:
        raise InvalidParameter(parameter, f"{value!r} does not have 4 numbers", accepted)
    try:
        x1, y1, x2, y2 = (float(p) for p in parts)
    except (TypeError, ValueError) as exc:
        raise InvalidParameter(parameter, f"{value!r} holds a non-number", accepted) from exc
    parse_lon_lat(x1, y1, parameter=parameter)
    parse_lon_lat(x2, y2, parameter=parameter)
    if not (x1 < x2 and y1 < y2):
        raise InvalidParameter(parameter, f"{value!r} has min >= max", accepted)
    return Area(shapely.box(x1, y1, x2, y2))


def parse_geometry(value: Any, *, parameter: str = "geometry", areal: bool = True) -> Area:
    """A GeoJSON geometry object (a Feature is accepted too).

    With ``areal`` only Polygon/MultiPolygon are accepted (an area is needed).
    """
    accepted = "a GeoJSON " + (" or ".join(AREA_TYPES) if areal else "geometry")
    if isinstance(value, dict) and value.get("type") == "Feature":
        value = value.get("geometry")
    if not isinstance(value, dict) or "type" not in value:
        raise InvalidParameter(parameter, "is not a GeoJSON geometry object", accepted)
    gtype = value.get("type")
    allowed = AREA_TYPES if areal else GEOMETRY_TYPES
    if gtype not in allowed:
        raise InvalidParameter(parameter, f"type {gtype!r} is not accepted", accepted)
    try:
        geom = shape(value)
    except (
        KeyError,
        TypeError,
        ValueError,
        IndexError,
        AttributeError,
        shapely.errors.GEOSException,
    ) as exc:
        raise InvalidParameter(parameter, f"coordinates are malformed ({exc})", accepted) from exc
    if geom.is_empty:
        raise InvalidParameter(parameter, "is empty", accepted)
    coords = shapely.get_coordinates(geom)
    if len(coords) > MAX_VERTICES:
        raise InvalidParameter(
            parameter, f"has {len(coords):,} vertices", f"at most {MAX_VERTICES:,} vertices"
        )
    if not ((abs(coords[:, 0]) <= 180).all() and (abs(coords[:, 1]) <= 90).all()):
        raise InvalidParameter(
            parameter, "has coordinates outside WGS84", "lon -180..180, lat -90..90 (EPSG:4326)"
        )
    if geom.is_valid:
        return Area(geom)
    reason = shapely.is_valid_reason(geom)
    if not areal:
        raise InvalidParameter(parameter, f"is invalid: {reason}", accepted)
    fixed = shapely.make_valid(geom)
    polygons = [g for g in getattr(fixed, "geoms", [fixed]) if g.geom_type in AREA_TYPES]
    if not polygons:
        raise InvalidParameter(
            parameter, f"is invalid ({reason}) and has no area once repaired", accepted
        )
    repaired = shapely.unary_union(polygons)
    return Area(
        repaired,
        repaired=True,
        repair_note=f"geometry was invalid ({reason}) and was repaired with make_valid",
    )
