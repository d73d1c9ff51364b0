"""Tileset documents: the OGC API Tiles tileset list and tileset metadata, and TileJSON 3.0.

``base`` is the absolute URL of the OGC API root (``https://host/ogc``); ``collection`` is a
collection id, or None for the combined tileset of every layer at ``/ogc/tiles``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gisserver.layers import Layer
from gisserver.tiles.grid import (
    CRS_URI,
    MAX_ZOOM,
    MIN_ZOOM,
    TILE_MATRIX_SET,
    TILE_MATRIX_SET_URI,
    WORLD_HALF_WIDTH,
    feature_limit,
)
from gisserver.tiles.mvt import tile_fields

MVT = "application/vnd.mapbox-vector-tile"
TILEJSON = "application/vnd.mapbox.tile+json"  # the media type TileJSON is commonly served as
WORLD_LONLAT = [-180.0, -85.0511287798066, 180.0, 85.0511287798066]
_JSON_TYPES = {"integer": "integer", "number": "number", "boolean": "boolean"}
_TILEJSON_TYPES = {"integer": "Number", "number": "Number", "boolean": "Boolean"}
# MVT values are scalars (mvt.py)
LIST_IN_TILES = "a list: its items joined by commas (e.g. fire,rescue), empty for none"
THINNING_RULE = (
    "at most min(10000, 500 * 2^max(0, z - 4)) features per layer per tile; a thinned layer "
    "keeps its most important features (by severity, status, free capacity, then id) and is "
    "named in the X-Tile-Thinned response header"
)


def tileset_path(base: str, collection: str | None) -> str:
    """The URL of the tilesets of a collection, or of the combined tileset."""
    return f"{base}/collections/{collection}/tiles" if collection else f"{base}/tiles"


def tile_url_template(base: str, collection: str | None) -> str:
    """``.../WebMercatorQuad/{z}/{y}/{x}``: zoom, then row (y, from the north), then column."""
    return f"{tileset_path(base, collection)}/{TILE_MATRIX_SET}/{{z}}/{{y}}/{{x}}"


def _field_schema(layer: Layer) -> dict[str, Any]:
    properties: dict[str, Any] = {"id": {"type": "integer", "title": "Feature id"}}
    for f in tile_fields(layer):
        spec: dict[str, Any] = {"type": _JSON_TYPES.get(f.type, "string"), "title": f.title}
        if f.type in ("datetime", "date"):
            spec["format"] = "date-time" if f.type == "datetime" else "date"
        if f.enum and not f.is_list:
            spec["enum"] = list(f.enum)
        if f.description:
            spec["description"] = f.description
        if f.is_list:
            spec["description"] = f"{LIST_IN_TILES}; {f.description}".rstrip("; ")
        properties[f.name] = spec
    for name, derived in layer.derived.items():
        properties[name] = {"type": _JSON_TYPES.get(derived.type, "string"), "title": derived.title}
    return {"type": "object", "properties": properties}


def _geometry_dimension(layer: Layer) -> int | None:
    dims = {0 if "Point" in g else 1 if "Line" in g else 2 for g in layer.geometry_types}
    return dims.pop() if len(dims) == 1 else None


def tilesets(base: str, layers: Sequence[Layer], collection: str | None) -> dict[str, Any]:
    """The list of tilesets (one: WebMercatorQuad) of a collection or of the combined set."""
    path = tileset_path(base, collection)
    title = layers[0].title if collection else "All situational layers"
    return {
        "links": [{"rel": "self", "type": "application/json", "href": path}],
        "tilesets": [
            {
                "title": title,
                "dataType": "vector",
                "crs": CRS_URI,
                "tileMatrixSetURI": TILE_MATRIX_SET_URI,
                "links": [
                    {
                        "rel": "self",
                        "type": "application/json",
                        "title": f"{title}: {TILE_MATRIX_SET} tileset",
                        "href": f"{path}/{TILE_MATRIX_SET}",
                    },
                    {
                        "rel": "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme",
                        "type": "application/json",
                        "href": f"{base}/TileMatrixSets/{TILE_MATRIX_SET}",
                    },
                ],
            }
        ],
    }


def tileset(base: str, layers: Sequence[Layer], collection: str | None) -> dict[str, Any]:
    """OGC API Tiles tileset metadata (one vector layer per collection)."""
    path = f"{tileset_path(base, collection)}/{TILE_MATRIX_SET}"
    title = layers[0].title if collection else "All situational layers"
    return {
        "title": title,
        "description": layers[0].description
        if collection
        else ", ".join(layer.id for layer in layers),
        "dataType": "vector",
        "crs": CRS_URI,
        "tileMatrixSetURI": TILE_MATRIX_SET_URI,
        "mediaTypes": [MVT],
        "boundingBox": {
            "lowerLeft": [-WORLD_HALF_WIDTH, -WORLD_HALF_WIDTH],
            "upperRight": [WORLD_HALF_WIDTH, WORLD_HALF_WIDTH],
            "crs": CRS_URI,
        },
        "thinning": THINNING_RULE,
        "featureLimits": {str(z): feature_limit(z) for z in range(MIN_ZOOM, MAX_ZOOM + 1)},
        "layers": [
            {
                "id": layer.id,
                "title": layer.title,
                "description": layer.description,
                "dataType": "vector",
                "geometryDimension": _geometry_dimension(layer),
                "minTileMatrix": str(MIN_ZOOM),
                "maxTileMatrix": str(MAX_ZOOM),
                "propertiesSchema": _field_schema(layer),
                "links": [
                    {
                        "rel": "collection",
                        "type": "application/json",
                        "href": f"{base}/collections/{layer.id}",
                    }
                ],
            }
            for layer in layers
        ],
        "links": [
            {"rel": "self", "type": "application/json", "href": path},
            {
                "rel": "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme",
                "type": "application/json",
                "href": f"{base}/TileMatrixSets/{TILE_MATRIX_SET}",
            },
            {
                "rel": "item",
                "type": MVT,
                "title": "Tiles: {tileMatrix}/{tileRow}/{tileCol} = z/y/x",
                "href": f"{path}/{{tileMatrix}}/{{tileRow}}/{{tileCol}}",
                "templated": True,
            },
            {
                "rel": "describedby",
                "type": "application/json",
                "title": "TileJSON",
                "href": f"{path}/tilejson.json",
            },
        ],
    }


def tilejson(base: str, layers: Sequence[Layer], collection: str | None) -> dict[str, Any]:
    """TileJSON 3.0.0 whose ``tiles`` template MapLibre, OpenLayers and QGIS use directly."""
    doc: dict[str, Any] = {
        "tilejson": "3.0.0",
        "name": layers[0].title if collection else "gisserver",
        "description": layers[0].description if collection else "All situational layers",
        "scheme": "xyz",
        "tiles": [tile_url_template(base, collection)],
        "minzoom": MIN_ZOOM,
        "maxzoom": MAX_ZOOM,
        "bounds": WORLD_LONLAT,
        "vector_layers": [
            {
                "id": layer.id,
                "description": layer.title,
                "minzoom": MIN_ZOOM,
                "maxzoom": MAX_ZOOM,
                "fields": {
                    "id": "Number",
                    **{
                        f.name: f"String ({LIST_IN_TILES})"
                        if f.is_list
                        else _TILEJSON_TYPES.get(f.type, "String")
                        for f in tile_fields(layer)
                    },
                    **{
                        name: _TILEJSON_TYPES.get(d.type, "String")
                        for name, d in layer.derived.items()
                    },
                },
            }
            for layer in layers
        ],
    }
    attributions = sorted({layer.attribution for layer in layers if layer.attribution})
    if attributions:
        doc["attribution"] = "; ".join(attributions)
    return doc
