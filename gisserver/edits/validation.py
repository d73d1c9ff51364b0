"""A feature sent to the API, checked against its layer with the ETL's rules: the same value
coercion (``etl.mapping.coerce``: enums, minimums, integer range, ISO dates) and the same geometry
rules (``etl.geometry.conform``: type, promotion to multi, lon/lat range, repair).

JSON already carries types, so a value must first be of its field's JSON type (a string for a
string, a number for a number, true/false for a boolean): the ETL's readings of text ("yes",
"1,200") are for files, not for a client that sends JSON. Everything a client may send back as it
read it (id, version, source, updated_at, derived fields, a layer's ``read_only`` properties) is
ignored; anything else unknown is refused. Problems are ``InvalidValue`` (422) naming the field
and what is accepted, or ``InvalidParameter`` (400) for a body that is not JSON at all.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyproj
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from gisserver.errors import InvalidParameter, InvalidValue
from gisserver.etl.geometry import conform
from gisserver.etl.mapping import RowError, coerce
from gisserver.layers import MANAGED_FIELDS, Layer, LayerField

# Properties of every feature that a client may send back but never sets.
READ_ONLY = ("id", "version", *MANAGED_FIELDS)
# Deeper JSON is no feature (a MultiPolygon in a Feature is 6 levels deep).
MAX_DEPTH = 32
# As many vertices as a posted area of /api may have.
MAX_VERTICES = 50_000
# Nesting of the coordinates of each GeoJSON geometry type (positions are depth 1).
_DEPTHS = {
    "Point": 1,
    "MultiPoint": 2,
    "LineString": 2,
    "MultiLineString": 3,
    "Polygon": 3,
    "MultiPolygon": 4,
}
_JSON_TYPES = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "datetime": "an RFC 3339 date-time string such as 2026-11-25T20:00:00Z",
    "date": "a date string such as 2026-11-25",
    "list": "an array of distinct strings",
}


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _depth(document: Any) -> int:
    deepest, stack = 0, [(document, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth > MAX_DEPTH:
            break
        children = node.values() if isinstance(node, dict) else node
        if isinstance(node, dict | list):
            stack.extend((child, depth + 1) for child in children)
    return deepest


def parse_json(body: bytes, accepted: str) -> Any:
    """The JSON document of a request body; 400 if it is none."""
    if not body.strip():
        raise InvalidParameter("body", "is empty", accepted)
    try:
        document = json.loads(body.decode("utf-8"), parse_constant=_refuse_constant)
    except UnicodeDecodeError:
        raise InvalidParameter("body", "is not UTF-8 text", accepted) from None
    except RecursionError:
        raise InvalidParameter("body", f"is nested deeper than {MAX_DEPTH} levels") from None
    except ValueError as exc:
        raise InvalidParameter("body", f"is not JSON ({exc})", accepted) from None
    if _depth(document) > MAX_DEPTH:
        raise InvalidParameter("body", f"is nested deeper than {MAX_DEPTH} levels", accepted)
    return document


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7396 JSON Merge Patch: ``patch`` applied to ``target``."""
    if not isinstance(patch, dict):
        return patch
    merged = dict(target) if isinstance(target, dict) else {}
    for name, value in patch.items():
        if value is None:
            merged.pop(name, None)
        else:
            merged[name] = merge_patch(merged.get(name), value)
    return merged


@functools.cache
def _to_lonlat(srid: int) -> pyproj.Transformer:
    return pyproj.Transformer.from_crs(
        pyproj.CRS.from_epsg(srid), pyproj.CRS.from_epsg(4326), always_xy=True
    )


def _positions(coordinates: Any, depth: int, kind: str) -> int:
    """The number of positions, checking the nesting and that each is 2 or 3 numbers."""
    accepted = f"the coordinates of a GeoJSON {kind}"
    if depth == 1:
        if (
            not isinstance(coordinates, list)
            or len(coordinates) not in (2, 3)
            or not all(
                isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
                for v in coordinates
            )
        ):
            raise InvalidValue("geometry", f"{coordinates!r} is not a position [x, y]", accepted)
        return 1
    if not isinstance(coordinates, list):
        raise InvalidValue("geometry", f"{kind} coordinates are nested arrays", accepted)
    return sum(_positions(part, depth - 1, kind) for part in coordinates)


def _shape(geometry: Any) -> tuple[BaseGeometry, int]:
    """A GeoJSON geometry object as shapely (2D) and its number of positions."""
    kinds = ", ".join([*_DEPTHS, "GeometryCollection"])
    if not isinstance(geometry, dict):
        raise InvalidValue("geometry", f"{geometry!r} is not a GeoJSON geometry object", kinds)
    kind = geometry.get("type")
    if kind == "GeometryCollection":
        members = geometry.get("geometries")
        if not isinstance(members, list):
            raise InvalidValue("geometry", "a GeometryCollection needs 'geometries'", kinds)
        parts = [_shape(member) for member in members]
        collection = shapely.geometrycollections([g for g, _ in parts])
        return collection, sum(n for _, n in parts)
    if kind not in _DEPTHS:
        raise InvalidValue("geometry", f"type {kind!r} is not a GeoJSON geometry type", kinds)
    if "coordinates" not in geometry:
        raise InvalidValue(
            "geometry", f"the {kind} has no coordinates", "a geometry with its coordinates"
        )
    count = _positions(geometry["coordinates"], _DEPTHS[kind], kind)
    try:
        geom = shape({"type": kind, "coordinates": geometry["coordinates"]})
    except (ValueError, TypeError, IndexError, shapely.errors.GEOSException) as exc:
        raise InvalidValue(
            "geometry", f"not a valid {kind} ({exc})", f"the coordinates of a GeoJSON {kind}"
        ) from exc
    return shapely.force_2d(geom), count


def geometry_of(raw: Any, layer: Layer, source: tuple[int, bool] | None) -> BaseGeometry:
    """A GeoJSON geometry in ``source`` (SRID, northing first; None: CRS84) as the layer
    stores it: lon/lat, of one of its geometry types, valid (repaired as the ETL repairs)."""
    accepted = f"a {' or '.join(layer.geometry_types)} in longitude/latitude (or Content-Crs)"
    if raw is None:
        raise InvalidValue("geometry", "is missing (null)", accepted)
    geom, count = _shape(raw)
    if count > MAX_VERTICES:
        raise InvalidValue(
            "geometry", f"has {count:,} vertices", f"at most {MAX_VERTICES:,} vertices"
        )
    if source is not None:
        srid, northing_first = source
        if northing_first:
            geom = shapely.transform(geom, lambda c: c[:, ::-1])
        if srid != 4326:
            transformer = _to_lonlat(srid)

            def to_lonlat(c: np.ndarray) -> np.ndarray:
                x, y = transformer.transform(c[:, 0], c[:, 1])
                return np.column_stack([x, y])

            geom = shapely.transform(geom, to_lonlat)
    try:
        return conform(geom, layer.geometry_types)
    except RowError as exc:
        raise InvalidValue("geometry", exc.reason, accepted) from exc


def _accepted(field: LayerField) -> str:
    if field.is_list:
        items = f" from {', '.join(field.enum)}" if field.enum else ""
        return f"{_JSON_TYPES['list']}{items}, e.g. [] (or null) for none"
    if field.enum:
        return f"one of {', '.join(field.enum)}"
    text = _JSON_TYPES[field.type]
    bounds = []
    if field.minimum is not None:
        bounds.append(f">= {field.minimum:g}")
    if field.maximum is not None:
        bounds.append(f"<= {field.maximum:g}")
    if field.exclusive_maximum is not None:
        bounds.append(f"< {field.exclusive_maximum:g}")
    return f"{text} {' and '.join(bounds)}".strip() + (", or null" if not field.required else "")


def _json_type_fits(field: LayerField, raw: Any) -> bool:
    if field.type in ("string", "datetime", "date"):
        return isinstance(raw, str)
    if field.type == "boolean":
        return isinstance(raw, bool)
    if field.is_list:
        return isinstance(raw, list) and all(isinstance(item, str) for item in raw)
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        return False
    return field.type == "number" or isinstance(raw, int) or float(raw).is_integer()


def _storable(name: str, value: Any, field: LayerField) -> None:
    """What PostgreSQL cannot keep: a NUL in text, a time outside the years 1 to 9999 (UTC)."""
    if isinstance(value, list):
        for item in value:
            _storable(name, item, field)
    if isinstance(value, str) and "\x00" in value:
        raise InvalidValue(name, "holds a NUL character", "text without NUL (U+0000)")
    if isinstance(value, dt.datetime):
        try:
            utc = value.astimezone(dt.UTC)
        except OverflowError:
            utc = None
        if utc is None or not 1 <= utc.year <= 9999:
            raise InvalidValue(name, f"{value.isoformat()} is out of range", _accepted(field))


@dataclass(frozen=True)
class FeatureRules:
    """What an API write may set on one layer, and the value each field takes."""

    layer: Layer

    @functools.cached_property
    def ignored(self) -> frozenset[str]:
        """Properties a client may send back as it read them: never written."""
        read_only = self.layer.editing.read_only if self.layer.editing else ()
        return frozenset((*READ_ONLY, *self.layer.derived, *read_only))

    @functools.cached_property
    def writable(self) -> Mapping[str, LayerField]:
        """The fields a write sets, public and private."""
        return {n: f for n, f in self.layer.fields.items() if n not in self.ignored}

    def public(self) -> list[str]:
        return [n for n, f in self.writable.items() if f.public]

    def value(self, name: str, raw: Any) -> Any:
        """``raw`` (a JSON value) as the value of field ``name``; None for null/removed, which
        becomes the field's default; 422 if it is not acceptable."""
        field = self.writable[name]
        if raw is None:
            value = self.default(name)
        elif not _json_type_fits(field, raw):
            raise InvalidValue(name, f"{raw!r} is not {_JSON_TYPES[field.type]}", _accepted(field))
        else:
            try:
                value = coerce(raw, field, None, dt.UTC)
            except RowError as exc:
                raise InvalidValue(name, exc.reason, _accepted(field)) from exc
            _storable(name, value, field)
        if value is None and field.required:
            raise InvalidValue(name, "is required", _accepted(field))
        return value

    def default(self, name: str) -> Any:
        """What a field takes when a write leaves it out (its ``default:``, else null)."""
        field = self.writable[name]
        if field.is_list:
            return []  # never null (its column is NOT NULL DEFAULT '{}')
        return None if field.default is None else coerce(field.default, field, None, dt.UTC)

    def values(self, properties: Any, *, private: bool) -> dict[str, Any]:
        """The fields a feature's ``properties`` set (null: the default), checked."""
        if properties is None:
            return {}
        if not isinstance(properties, dict):
            raise InvalidValue("properties", "is not an object", "an object of property values")
        values: dict[str, Any] = {}
        for name, raw in properties.items():
            if name in self.ignored:
                continue
            field = self.writable.get(name)
            if field is None or (not field.public and not private):
                raise InvalidValue(name, "unknown property", ", ".join(self.public()))
            values[name] = self.value(name, raw)
        return values

    def whole(self, given: dict[str, Any]) -> dict[str, Any]:
        """A whole feature's public fields (a create, a replacement): those not given take their
        default; private fields not given are left as they are (no client read them)."""
        values = {name: given.get(name, self.default(name)) for name in self.public()}
        missing = [n for n in values if values[n] is None and self.writable[n].required]
        if missing:
            name = missing[0]
            raise InvalidValue(name, "is required", _accepted(self.writable[name]))
        return values | {n: v for n, v in given.items() if n not in values}

    def check_period(self, values: Mapping[str, Any]) -> None:
        """A validity period must not end before it starts."""
        start, end = self.layer.temporal_start, self.layer.temporal_end
        first, last = values.get(start or ""), values.get(end or "")
        if first is not None and last is not None and last < first:
            raise InvalidValue(
                str(end), f"{last.isoformat()} is before {start}", f"a time after {start}"
            )


def feature_document(document: Any) -> tuple[Any, Any]:
    """(properties, geometry) of a GeoJSON Feature; 422 for anything else."""
    accepted = 'a GeoJSON Feature: {"type": "Feature", "geometry": {...}, "properties": {...}}'
    if not isinstance(document, dict) or document.get("type") != "Feature":
        kind = document.get("type") if isinstance(document, dict) else type(document).__name__
        raise InvalidValue("type", f"{kind!r} is not a Feature", accepted)
    if "geometry" not in document:
        raise InvalidValue("geometry", "is missing", accepted)
    return document.get("properties"), document["geometry"]
