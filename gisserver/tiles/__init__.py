"""Vector tiles (OGC API Tiles, MVT from PostGIS) for every layer and one combined tileset.

URLs (z/y/x order: ``{tileMatrix}/{tileRow}/{tileCol}``), see docs/tiles.md:
``/ogc/collections/{id}/tiles/WebMercatorQuad/{z}/{y}/{x}`` and ``/ogc/tiles/WebMercatorQuad/
{z}/{y}/{x}``, each with its tileset metadata and ``.../WebMercatorQuad/tilejson.json``;
and the web map's offline basemap at ``/tiles/basemap/{z}/{y}/{x}`` (``basemap.py``).
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from gisserver.layers import Layer
from gisserver.settings import Settings
from gisserver.tiles.grid import MAX_ZOOM, MIN_ZOOM, TILE_MATRIX_SET


def init_app(app: Flask) -> None:
    """Register the tile routes; called before pygeoapi is mounted."""
    from gisserver.tiles import basemap, routes

    routes.init_app(app)
    basemap.init_app(app)


def tile_provider_config(layer: Layer, settings: Settings) -> dict[str, Any] | None:
    """The pygeoapi provider entry for this layer's tiles.

    With it pygeoapi lists the tiles in the collection's links, its OpenAPI document and its
    HTML pages; the tile URLs themselves are answered by our routes (gisserver.tiles.routes).
    """
    return {
        "type": "tile",
        "name": "gisserver.tiles.provider.GisServerTileProvider",
        "data": layer.id,
        "options": {
            "zoom": {"min": MIN_ZOOM, "max": MAX_ZOOM},
            "schemes": [TILE_MATRIX_SET],
        },
        "format": {"name": "mvt", "mimetype": "application/vnd.mapbox-vector-tile"},
    }
