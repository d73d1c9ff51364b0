"""The write operations of the /ogc OpenAPI document (OGC API - Features - Part 4), generated
from the layers' ``editing:`` declarations: POST on items, PUT, PATCH and DELETE on an item, and
OPTIONS on both, with their request bodies, headers, security schemes and every status they
answer. A read-only layer gets none of them (they would answer 405).
"""

from __future__ import annotations

from typing import Any

from gisserver.edits import idempotency
from gisserver.edits.features import OVER_LIMIT_PARAMETER
from gisserver.edits.validation import FeatureRules
from gisserver.layers import Layer, LayerField, LayerRegistry

SECURITY_SCHEMES = {
    "bearerKey": {
        "type": "http",
        "scheme": "bearer",
        "description": "an API key (gisserver keys create NAME --role ROLE)",
    },
    "basicKey": {
        "type": "http",
        "scheme": "basic",
        "description": "the key's name as user, its secret as password (QGIS, GDAL)",
    },
    "headerKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
}
SECURITY: list[dict[str, list[str]]] = [{name: []} for name in SECURITY_SCHEMES]
_TYPES: dict[str, dict[str, Any]] = {
    "string": {"type": "string"},
    "integer": {"type": "integer", "format": "int32"},
    "number": {"type": "number"},
    "boolean": {"type": "boolean"},
    "datetime": {"type": "string", "format": "date-time"},
    "date": {"type": "string", "format": "date"},
    "list": {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
}
_FEATURE_ID = {"$ref": "#/components/parameters/featureId"}
_WHY = {
    "400": "a malformed header (Content-Crs, If-Match, Idempotency-Key) or a body that is not JSON",
    "401": "no API key, or one that is unknown, revoked or expired (see WWW-Authenticate)",
    "403": "the key's role may not do this (the message names the role that may)",
    "404": "no such feature",
    "409": "the data's state refuses it (a shelter's occupancy above its capacity; a feature "
    "still referenced)",
    "412": "If-Match does not name the feature's current version: it changed since it was read",
    "415": "a body in another media type",
    "422": "a value the layer does not take: the message names the field and what is accepted",
    "428": "this server requires If-Match on changes (GISSERVER_REQUIRE_IF_MATCH)",
}


def _error(status: str) -> dict[str, Any]:
    return {
        "description": _WHY[status],
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/exception"}}},
    }


def _field_schema(field: LayerField, *, nullable: bool, private_role: str) -> dict[str, Any]:
    schema: dict[str, Any] = dict(_TYPES[field.type], title=field.title)
    if field.enum and field.is_list:
        schema["items"] = {"type": "string", "enum": list(field.enum)}
    elif field.enum:
        schema["enum"] = list(field.enum)
    for bound in ("minimum", "maximum"):
        if getattr(field, bound) is not None:
            schema[bound] = getattr(field, bound)
    if field.exclusive_maximum is not None:  # OpenAPI 3.0: a flag on maximum
        schema["maximum"] = field.exclusive_maximum
        schema["exclusiveMaximum"] = True
    if field.description:
        schema["description"] = field.description
    if not field.public:
        schema["description"] = f"private (never served): only the {private_role} role writes it"
    if field.default is not None:
        schema["default"] = field.default
    if nullable and not field.required:
        schema["nullable"] = True
    return schema


def _feature_schema(layer: Layer, *, whole: bool) -> dict[str, Any]:
    rules = FeatureRules(layer)
    private_role = layer.editing.private if layer.editing else "admin"
    properties: dict[str, Any] = {
        name: _field_schema(field, nullable=True, private_role=private_role)
        for name, field in rules.writable.items()
    }
    for name in sorted(rules.ignored - {"id"}):
        properties[name] = {"readOnly": True, "description": "sent back as read: ignored"}
    body: dict[str, Any] = {"type": "object", "properties": properties}
    required = [name for name, field in rules.writable.items() if field.required]
    if whole and required:
        body["required"] = required
    if not whole:
        return {
            "type": "object",
            "description": "a JSON Merge Patch (RFC 7396) of the feature: a property set to "
            "null takes its default; a geometry replaces the coordinates",
            "properties": {
                "type": {"type": "string", "enum": ["Feature"]},
                "geometry": {"$ref": "#/components/schemas/geometryGeoJSON"},
                "properties": body,
            },
        }
    return {
        "type": "object",
        "required": ["type", "geometry", "properties"],
        "properties": {
            "type": {"type": "string", "enum": ["Feature"]},
            "geometry": {"$ref": "#/components/schemas/geometryGeoJSON"},
            "properties": body,
        },
    }


def _example(layer: Layer) -> dict[str, Any]:
    values: dict[str, Any] = {
        "string": "text",
        "integer": 1,
        "number": 1.0,
        "boolean": True,
        "datetime": "2026-11-25T20:00:00Z",
        "date": "2026-11-25",
        "list": [],
    }
    properties = {
        name: (
            [field.enum[0]]
            if field.enum and field.is_list
            else field.enum[0]
            if field.enum
            else values[field.type]
        )
        for name, field in FeatureRules(layer).writable.items()
        if field.public and (field.required or field.enum)
    }
    if layer.geometry_types[0].endswith("Polygon"):
        ring = [[-71.06, 42.35], [-71.05, 42.35], [-71.05, 42.36], [-71.06, 42.35]]
        coordinates: Any = [[ring]] if layer.geometry_types[0] == "MultiPolygon" else [ring]
    else:
        coordinates = [-71.06, 42.35]
    geometry = {"type": layer.geometry_types[0], "coordinates": coordinates}
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def _parameters(layer: Layer, crs: list[str], *, change: bool) -> list[dict[str, Any]]:
    accepted = [f"<{uri}>" for uri in crs]
    parameters: list[dict[str, Any]] = [
        {
            "name": "Content-Crs",
            "in": "header",
            "required": False,
            "description": "the CRS of the geometry sent (and of the feature answered); CRS84 "
            "(longitude, latitude) without it; EPSG:4326 is latitude first. The angle brackets "
            "may be left out.",
            "schema": {"type": "string", "enum": accepted},
        }
    ]
    if change:
        parameters.insert(0, _FEATURE_ID)
        parameters.append(
            {
                "name": "If-Match",
                "in": "header",
                "required": False,
                "description": "the ETag of the feature as read (GET): a change of a feature that "
                "changed since is refused (412); * for any version",
                "schema": {"type": "string"},
            }
        )
    if layer.editing and layer.editing.at_most:
        limits = ", ".join(f"{n} above {m}" for n, m in layer.editing.at_most.items())
        parameters.append(
            {
                "name": OVER_LIMIT_PARAMETER,
                "in": "query",
                "required": False,
                "description": f"true: accept {limits} on purpose (else refused with 409)",
                "schema": {"type": "boolean", "default": False},
            }
        )
    return parameters


def _feature_answer(description: str, headers: tuple[str, ...]) -> dict[str, Any]:
    header_text = {
        "ETag": "the feature's new version, for If-Match",
        "Location": "the new feature's URL",
        "Content-Crs": "the CRS of the geometry",
    }
    return {
        "description": description,
        "headers": {
            name: {"description": header_text[name], "schema": {"type": "string"}}
            for name in headers
        },
        "content": {
            "application/geo+json": {"schema": {"$ref": "#/components/schemas/featureGeoJSON"}}
        },
    }


def _options(operation: dict[str, Any], methods: str) -> None:
    operation["responses"] = {
        "204": {
            "description": f"the methods this URL answers: {methods}",
            "headers": {"Allow": {"schema": {"type": "string"}}},
        }
    }


def add_write_operations(
    document: dict[str, Any], layers: LayerRegistry, crs_lists: dict[str, list[str]]
) -> None:
    """Put the write operations of every editable layer into ``document``'s paths."""
    paths: dict[str, Any] = document.setdefault("paths", {})
    for layer in layers:
        items = paths.get(f"/collections/{layer.id}/items")
        item = paths.get(f"/collections/{layer.id}/items/{{featureId}}")
        if items is None or item is None:
            continue
        writes = layer.editing is not None
        if "options" in items:
            _options(items["options"], "GET, HEAD, OPTIONS, POST")
        if "options" in item:
            _options(
                item["options"], "GET, HEAD, OPTIONS" + (", PUT, PATCH, DELETE" if writes else "")
            )
        if not writes:
            continue
        crs = crs_lists[layer.id]
        whole = _feature_schema(layer, whole=True)
        example = _example(layer)
        conflicts = ("409",) if layer.editing and layer.editing.at_most else ()
        common = {"tags": [layer.id], "security": SECURITY}
        items["post"] = {
            **common,
            "summary": f"Create a {layer.title} feature",
            "description": "Creates the GeoJSON Feature sent. A JSON body that is not a Feature is "
            "a CQL2 JSON filter instead, answered like GET (200). An Idempotency-Key makes a "
            "retry answer the first result (kept 24 hours).",
            "operationId": f"create{layer.id.title().replace('_', '')}Feature",
            "parameters": [
                *_parameters(layer, crs, change=False),
                {
                    "name": "Idempotency-Key",
                    "in": "header",
                    "required": False,
                    "description": "a unique value per create (e.g. a UUID): a retry with it "
                    "gets the first answer, never a second feature; another body with it is 422",
                    "schema": dict(idempotency.HEADER_SCHEMA),
                },
            ],
            "requestBody": {
                "required": True,
                "content": {
                    "application/geo+json": {"schema": whole, "example": example},
                    "application/json": {"schema": whole, "example": example},
                },
            },
            "responses": {
                "200": {"$ref": "#/components/responses/Features"},
                "201": _feature_answer("the feature created", ("Location", "ETag", "Content-Crs")),
                **{s: _error(s) for s in ("400", "401", "403", *conflicts, "415", "422")},
            },
        }
        changed = _feature_answer("the feature as it is now", ("ETag", "Content-Crs"))
        item["put"] = {
            **common,
            "summary": f"Replace a {layer.title} feature",
            "description": "Replaces the feature by the one sent: public properties left out "
            "take their defaults; private ones are kept. A feature sent back unchanged is "
            "not written (same ETag).",
            "operationId": f"replace{layer.id.title().replace('_', '')}Feature",
            "parameters": _parameters(layer, crs, change=True),
            "requestBody": {
                "required": True,
                "content": {
                    "application/geo+json": {"schema": whole, "example": example},
                    "application/json": {"schema": whole, "example": example},
                },
            },
            "responses": {
                "200": changed,
                **{
                    s: _error(s)
                    for s in ("400", "401", "403", "404", *conflicts, "412", "415", "422", "428")
                },
            },
        }
        item["patch"] = {
            **common,
            "summary": f"Update a {layer.title} feature (JSON Merge Patch)",
            "description": "Changes only what the merge patch names.",
            "operationId": f"update{layer.id.title().replace('_', '')}Feature",
            "parameters": _parameters(layer, crs, change=True),
            "requestBody": {
                "required": True,
                "content": {
                    "application/merge-patch+json": {
                        "schema": _feature_schema(layer, whole=False),
                        "example": {"properties": dict(list(example["properties"].items())[:1])},
                    }
                },
            },
            "responses": dict(item["put"]["responses"]),
        }
        item["delete"] = {
            **common,
            "summary": f"Delete a {layer.title} feature",
            "description": "Deletes the feature (its history and audit trail stay).",
            "operationId": f"delete{layer.id.title().replace('_', '')}Feature",
            "parameters": [
                _FEATURE_ID,
                {
                    "name": "If-Match",
                    "in": "header",
                    "required": False,
                    "description": "the ETag of the feature as read (GET); * for any version",
                    "schema": {"type": "string"},
                },
            ],
            "responses": {
                "204": {"description": "deleted"},
                **{s: _error(s) for s in ("400", "401", "403", "404", "409", "412", "428")},
            },
        }
    if any(layer.editing for layer in layers):
        components = document.setdefault("components", {})
        components.setdefault("securitySchemes", {}).update(SECURITY_SCHEMES)
