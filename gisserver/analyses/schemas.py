"""The JSON schemas the analyses' inputs and answers share (a point, a time, an area, a bbox,
a FeatureCollection, an error document), with the limit they state."""

from __future__ import annotations

from typing import Any

# A posted area: at most this many vertices.
MAX_VERTICES = 50_000

LON = {"type": "number", "minimum": -180, "maximum": 180, "description": "WGS84 longitude"}
LAT = {"type": "number", "minimum": -90, "maximum": 90, "description": "WGS84 latitude"}
AT = {
    "type": "string",
    "format": "date-time",
    "description": "ISO 8601 time (default: now; a time without a zone is UTC)",
}
AS_OF = {
    "type": "string",
    "format": "date-time",
    "description": "replay: the layers as they were at this RFC 3339 instant (with its zone, "
    "up to now), from the history the audit triggers keep (default: as they are now)",
}
AREA_GEOMETRY = {
    "type": "object",
    "required": ["type"],
    "properties": {"type": {"type": "string", "enum": ["Polygon", "MultiPolygon", "Feature"]}},
    "description": "GeoJSON Polygon or MultiPolygon (WGS84; a Feature is accepted too), at most "
    f"{MAX_VERTICES:,} vertices; invalid ones are repaired with make_valid and the answer says so",
}
BBOX = {
    "type": "array",
    "items": {"type": "number", "minimum": -180, "maximum": 180},
    "minItems": 4,
    "maxItems": 4,
    "description": "minlon, minlat, maxlon, maxlat (WGS84 degrees, min < max)",
}
FEATURE_COLLECTION: dict[str, Any] = {
    "type": "object",
    "required": ["type", "features"],
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {"type": "array", "items": {"type": "object"}},
        "numberReturned": {"type": "integer"},
    },
}
ERROR: dict[str, Any] = {
    "type": "object",
    "required": ["code", "description"],
    "properties": {
        "code": {"type": "string"},
        "type": {"type": "string"},
        "description": {
            "type": "string",
            "description": "names the input, what was wrong and what is accepted",
        },
    },
}
