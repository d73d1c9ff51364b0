"""Geometry on the way in: reprojection to EPSG:4326, type normalisation, repair, range checks."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

from gisserver.errors import InvalidParameter
from gisserver.etl.mapping import RowError

WGS84 = pyproj.CRS.from_epsg(4326)


def parse_crs(value: str, what: str) -> pyproj.CRS:
    try:
        return pyproj.CRS.from_user_input(value)
    except pyproj.exceptions.CRSError as exc:
        raise InvalidParameter(
            what, f"{value!r} is not a known CRS", "EPSG:n, e.g. EPSG:2263"
        ) from exc


@dataclass
class Reprojector:
    """Transforms batches of geometries from the source CRS to EPSG:4326 (lon/lat order)."""

    source: pyproj.CRS | None

    def __post_init__(self) -> None:
        self.transformer = (
            None
            if self.source is None or self.source.equals(WGS84, ignore_axis_order=True)
            else pyproj.Transformer.from_crs(self.source, WGS84, always_xy=True)
        )

    def __call__(self, geoms: np.ndarray) -> np.ndarray:
        if self.transformer is None:
            return geoms
        transformer = self.transformer

        def to_wgs84(coords: np.ndarray) -> np.ndarray:
            x, y = transformer.transform(coords[:, 0], coords[:, 1])
            return np.column_stack([x, y])

        return shapely.transform(geoms, to_wgs84)


def refuse_unless_lonlat(geoms: np.ndarray, path: Path) -> bool:
    """A file without a CRS is taken as lon/lat only when its coordinates could be lon/lat.
    False when the batch has no coordinates to judge by."""
    present = [g for g in geoms if g is not None and not g.is_empty]
    if not present:
        return False
    xmin, ymin, xmax, ymax = shapely.total_bounds(np.array(present, dtype=object))
    if xmin < -180 or xmax > 180 or ymin < -90 or ymax > 90:
        raise InvalidParameter(
            str(path),
            f"declares no CRS and its coordinates ({xmin:.0f}, {ymin:.0f}) - "
            f"({xmax:.0f}, {ymax:.0f}) are not longitude/latitude",
            "pass --crs EPSG:n with the file's CRS (e.g. --crs EPSG:2263 for New York State "
            "Plane feet), or 'crs:' in the mapping",
        )
    return True


_SINGLE_TO_MULTI = {
    "Point": "MultiPoint",
    "LineString": "MultiLineString",
    "Polygon": "MultiPolygon",
}


def conform(geom: BaseGeometry | None, accepted: Sequence[str]) -> BaseGeometry:
    """``geom`` as one of the ``accepted`` geometry types, repaired if invalid; RowError if it
    cannot be (null, empty, wrong type, repair changes its type, out of lon/lat range)."""
    if geom is None:
        raise RowError("geometry", "missing (null geometry or no coordinates)")
    if geom.is_empty:
        raise RowError("geometry", "empty geometry")
    geom = _as_accepted(geom, accepted)
    xmin, ymin, xmax, ymax = geom.bounds
    if not np.isfinite([xmin, ymin, xmax, ymax]).all():
        raise RowError("geometry", "coordinates are not finite numbers")
    if xmin < -180 or xmax > 180 or ymin < -90 or ymax > 90:
        raise RowError(
            "geometry",
            f"coordinates out of range ({xmin:.6f}, {ymin:.6f}) - ({xmax:.6f}, {ymax:.6f}); "
            "longitude must be within ±180 and latitude within ±90",
        )
    if not geom.is_valid:
        reason = shapely.is_valid_reason(geom)
        repaired = shapely.make_valid(geom)
        try:
            geom = _as_accepted(repaired, accepted)
        except RowError as exc:
            raise RowError(
                "geometry",
                f"invalid ({reason}) and repair gives a {repaired.geom_type}, "
                f"not {' or '.join(accepted)}",
            ) from exc
        if geom.is_empty or not geom.is_valid:
            raise RowError("geometry", f"invalid ({reason}) and cannot be repaired")
    return geom


def _as_accepted(geom: BaseGeometry, accepted: Sequence[str]) -> BaseGeometry:
    kind = geom.geom_type
    if kind in accepted:
        return geom
    multi = _SINGLE_TO_MULTI.get(kind)
    if multi is not None and multi in accepted:
        return shapely.multipolygons([geom]) if multi == "MultiPolygon" else _promote(geom, multi)
    # a one-part multi geometry fits a single-part layer
    if kind.startswith("Multi") and kind[5:] in accepted and len(geom.geoms) == 1:
        return geom.geoms[0]
    raise RowError("geometry", f"a {kind} where the layer takes {' or '.join(accepted)}")


def _promote(geom: BaseGeometry, multi: str) -> BaseGeometry:
    if multi == "MultiPoint":
        return shapely.multipoints([geom])
    return shapely.multilinestrings([geom])


def derived_ids(geoms: Sequence[BaseGeometry], keys: Sequence[Sequence[Any]]) -> list[str]:
    """Stable ids for rows of sources without one: a hash of the normalised geometry (to 1e-7
    degrees, about a centimetre) and the key field values. Vectorised over a batch."""
    if not geoms:
        return []
    normalised = shapely.normalize(np.array(geoms, dtype=object))
    rounded = shapely.transform(normalised, lambda c: np.round(c, 7))
    ids = []
    for wkb, key in zip(shapely.to_wkb(rounded, byte_order=1), keys, strict=True):
        digest = hashlib.sha1(wkb, usedforsecurity=False)
        digest.update(repr([str(k) for k in key]).encode())
        ids.append("h" + digest.hexdigest()[:24])
    return ids
