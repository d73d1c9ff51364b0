"""JSON schemas of the analyses' inputs and outputs, shared by the OpenAPI document of /api and
the OGC API process descriptions (one description for both front doors)."""

from __future__ import annotations

from typing import Any

from gisserver.analyses import nearest, risk

NEAREST_INPUTS = nearest.INPUT_SCHEMA
RISK_AREAS_INPUTS = risk.INPUT_SCHEMA
AFFECTED_POPULATION_INPUTS: dict[str, dict[str, Any]] = {
    "geometry": {
        "type": "object",
        "description": "GeoJSON Polygon or MultiPolygon (WGS84); invalid ones are repaired and "
        "the answer says so",
    },
    "hazard_zone_id": {"type": "integer", "minimum": 1, "description": "a hazard zone's id"},
    "incident_id": {"type": "integer", "minimum": 1, "description": "an incident's id"},
    "buffer_m": {
        "type": "number",
        "exclusiveMinimum": 0,
        "maximum": 500000,
        "description": "with incident_id: the buffer around the incident, metres",
    },
    "source": {
        "type": "string",
        "description": "a named population source (default: the one covering the area)",
    },
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

AFFECTED_POPULATION_OUTPUT: dict[str, Any] = {
    "type": "object",
    "properties": {
        "population": {"type": ["number", "null"]},
        "method": {
            "type": ["string", "null"],
            "enum": ["raster-cell-centre", "areal-weighted", None],
        },
        "source": {"type": ["string", "null"]},
        "area_m2": {"type": "number"},
        "reason": {"type": "string", "description": "why population is null, when it is"},
    },
}

SITUATION_OUTPUT: dict[str, Any] = {
    "type": "object",
    "properties": {
        "bbox": {"type": ["array", "null"]},
        "at": {"type": "string", "format": "date-time"},
        "layers": {"type": "object", "description": "per layer: total and by_status"},
        "shelters": {"type": "object", "description": "capacity, occupancy, free_places, ..."},
        "stock": {"type": "object", "description": "per item: unexpired quantity per unit"},
        "open_incidents": {"type": "object"},
        "population_in_hazard_zones": {"type": "object"},
    },
}

ERROR: dict[str, Any] = {
    "type": "object",
    "properties": {"code": {"type": "string"}, "description": {"type": "string"}},
}
