"""The offline basemap: vector tiles drawn from the project's own data (the road network and
``basemap_areas``: the city boundary, water and parks where loaded), so that the web map is
readable with no internet. docs/webmap.md, "Basemap".

``/tiles/basemap/{z}/{y}/{x}`` (WebMercatorQuad, zoom/row/column like the OGC tile URLs) gives
the MVT layers ``roads`` (``road_class``, ``name``) and ``areas`` (``kind``, ``name``);
``/tiles/basemap/tilejson.json`` its TileJSON. The statement is ``sql/basemap/tile.sql``.

Which streets a zoom draws (``road_classes``): every class from zoom 13 (MIN_ZOOM_ALL_ROADS);
the main roads (motorway to secondary, with their links) from zoom 10 to 12; below, motorways,
trunk roads and primary roads only. Lines and areas are simplified to the zoom's tolerance
(``grid.simplify_tolerance``: half a pixel).

Freshness like the layers' tiles: ``ETag`` from the basemap areas' version (``basemap_version``,
bumped by their loads) and the road network's (``road_network.version``), read in the same
snapshot as the features; ``Cache-Control: no-cache`` (revalidate: a 304 costs one tiny query);
204 for an empty tile. The tiles are gzipped for clients that accept it, and kept in a
per-process LRU keyed by the ETag (never stale: a load changes the ETag).
"""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Flask, Response, current_app, jsonify, request

from gisserver.context import EXTENSION as APP_EXTENSION
from gisserver.context import public_base_url, state
from gisserver.db import Database, load_sql
from gisserver.lru import ByteLRU
from gisserver.tiles.grid import TILE_MATRIX_SET, parse_tile, simplify_tolerance
from gisserver.tiles.metadata import MVT

PREFIX = "/tiles/basemap"
EXTENSION = "gisserver.basemap"
# The source's highest zoom: MapLibre scales zoom-15 tiles up beyond it (every street is in them).
MAX_ZOOM = 15
MIN_ZOOM_ALL_ROADS = 13
MAIN_ROADS = (
    "motorway",
    "motorway_link",
    "trunk",
    "trunk_link",
    "primary",
    "primary_link",
    "secondary",
    "secondary_link",
)
MIN_ZOOM_MAIN_ROADS = 10
TRUNK_ROADS = ("motorway", "trunk", "primary")
CACHE_MB = 16  # at most; none when GISSERVER_TILES_CACHE_MB is 0
GZIP_LEVEL = 5
VECTOR_LAYERS = (
    {
        "id": "roads",
        "description": "the road network's streets, merged per class and name",
        "fields": {"road_class": "String", "name": "String"},
    },
    {
        "id": "areas",
        "description": "the city boundary; water and parks where the data has them",
        "fields": {"kind": "String (boundary, water, park)", "name": "String"},
    },
)


def road_classes(z: int) -> list[str] | None:
    """The road classes drawn at zoom ``z``; None for every class."""
    if z >= MIN_ZOOM_ALL_ROADS:
        return None
    if z >= MIN_ZOOM_MAIN_ROADS:
        return list(MAIN_ROADS)
    return list(TRUNK_ROADS)


def _without_comments(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("--"))


@dataclass(frozen=True)
class BasemapTile:
    content: bytes
    gzipped: bytes
    etag: str


def _size(tile: BasemapTile) -> int:
    return len(tile.content) + len(tile.gzipped) + 200


class Basemap:
    """The basemap's tile statement, its cache and its rendering."""

    def __init__(self, cache_mb: int) -> None:
        # {filter}: the tile grown by the buffer, in EPSG:4326 (tiles/filter.sql)
        tile_filter = _without_comments(load_sql("tiles/filter.sql")).strip()
        self.statement = _without_comments(load_sql("basemap/tile.sql")).replace(
            "{filter}", tile_filter
        )
        # Part of every ETag: a server with other SQL refreshes every cache.
        self.revision = hashlib.sha1(self.statement.encode(), usedforsecurity=False).hexdigest()[:8]
        self.cache: ByteLRU[str, BasemapTile] = ByteLRU(cache_mb * 1024 * 1024, _size)
        self.cache_on = cache_mb > 0

    def parameters(self, z: int, x: int, y: int) -> dict[str, Any]:
        return {
            "z": z,
            "x": x,
            "y": y,
            "tolerance": simplify_tolerance(z),
            "classes": road_classes(z),
        }

    def etag(self, areas_version: int, roads_version: int, z: int, x: int, y: int) -> str:
        return f"{self.revision}-{areas_version}.{roads_version}-{z}.{x}.{y}"

    def versions(self, db: Database) -> tuple[int, int]:
        with db.read() as conn:
            row = conn.execute(load_sql("basemap/version.sql")).fetchone()
        assert row is not None
        return int(row[0]), int(row[1])

    def render(self, db: Database, z: int, x: int, y: int) -> BasemapTile:
        with db.read() as conn:
            row = conn.execute(self.statement, self.parameters(z, x, y), binary=True).fetchone()
        assert row is not None  # the statement always returns one row
        content = bytes(row[0])
        return BasemapTile(
            content=content,
            gzipped=gzip.compress(content, compresslevel=GZIP_LEVEL) if content else b"",
            etag=self.etag(int(row[1]), int(row[2]), z, x, y),
        )


def basemap() -> Basemap:
    return current_app.extensions[EXTENSION]


def tile(z: str, y: str, x: str) -> Response:
    """One basemap tile: 200 MVT, 204 when empty, 304 on a matching If-None-Match."""
    address = parse_tile(TILE_MATRIX_SET, z, y, x)
    maker = basemap()
    db = state().database()
    if request.if_none_match or maker.cache_on:
        etag = maker.etag(*maker.versions(db), address.z, address.x, address.y)
        if request.if_none_match.contains(etag):
            return _headers(Response(status=304), etag)
        hit = maker.cache.get(etag) if maker.cache_on else None
        if hit is not None:
            return _body(hit)
    rendered = maker.render(db, address.z, address.x, address.y)
    if maker.cache_on:
        maker.cache.put(rendered.etag, rendered)
    return _body(rendered)


def _body(rendered: BasemapTile) -> Response:
    if not rendered.content:
        return _headers(Response(status=204), rendered.etag)
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        response = Response(rendered.gzipped, status=200, mimetype=MVT)
        response.headers["Content-Encoding"] = "gzip"
    else:
        response = Response(rendered.content, status=200, mimetype=MVT)
    return _headers(response, rendered.etag)


def _headers(response: Response, etag: str) -> Response:
    response.set_etag(etag)
    # Always revalidate: the ETag follows every load of roads or areas, so a 304 is cheap.
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Vary"] = "Accept-Encoding"
    return response


def tilejson() -> Response:
    """The basemap's TileJSON (3.0.0): absolute tile URL, zooms, the two layers."""
    base = public_base_url()
    response = jsonify(
        {
            "tilejson": "3.0.0",
            "name": "gisserver basemap",
            "description": "the offline basemap: streets of the road network, the city "
            "boundary, water and parks where loaded",
            "tiles": [f"{base}{PREFIX}/{{z}}/{{y}}/{{x}}"],
            "scheme": "xyz",
            "minzoom": 0,
            "maxzoom": MAX_ZOOM,
            "vector_layers": [dict(layer) for layer in VECTOR_LAYERS],
        }
    )
    response.headers["Cache-Control"] = "no-cache"
    return response


def init_app(app: Flask) -> None:
    """Serve the basemap's tiles and TileJSON at /tiles/basemap."""
    settings = app.extensions[APP_EXTENSION].settings
    cache_mb = min(CACHE_MB, settings.tiles_cache_mb)
    app.extensions[EXTENSION] = Basemap(cache_mb)
    bp = Blueprint("basemap_tiles", __name__, url_prefix=PREFIX)
    bp.add_url_rule("/tilejson.json", "tilejson", tilejson, methods=["GET"])
    bp.add_url_rule("/<z>/<y>/<x>", "tile", tile, methods=["GET"])
    app.register_blueprint(bp)
