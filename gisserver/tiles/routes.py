"""The tile endpoints under /ogc: per collection and the combined tileset of every layer.

These are Flask routes of ours rather than pygeoapi's tile API because a tile response needs
what pygeoapi's cannot give: an ETag from the layers' change versions, 304 on If-None-Match,
204 for an empty tile and the X-Tile-Thinned header (pygeoapi's tile view only passes the bytes
a provider returns).

Precedence over pygeoapi's rules for the same URLs: Werkzeug tries a rule's static path parts
before dynamic ones, and among dynamic ones sorts ``<path:collection_id>/tiles/...`` (pygeoapi,
one part with static text in it) BEFORE a plain ``<collection_id>``, whatever the registration
order. So each layer gets rules with its id spelled out (``/collections/shelters/tiles/...``),
which win; and the rules for any other collection id (to answer 404, where pygeoapi's tile view
would say 400 "invalid format") use a converter shaped like pygeoapi's path converter but
lighter, which Werkzeug then sorts before pygeoapi's rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Flask, Response, current_app, jsonify, request
from werkzeug.routing import BaseConverter

from gisserver.context import EXTENSION as APP_EXTENSION
from gisserver.context import public_base_url, state
from gisserver.errors import InvalidParameter, NotFound
from gisserver.layers import Layer, LayerRegistry
from gisserver.lru import ByteLRU
from gisserver.settings import Settings
from gisserver.tiles import metadata
from gisserver.tiles.cache import CachedTile, tile_cache
from gisserver.tiles.grid import check_tile_matrix_set, parse_tile
from gisserver.tiles.mvt import Tileset

OGC_PREFIX = "/ogc"
EXTENSION = "gisserver.tiles"


@dataclass(frozen=True)
class Tilesets:
    """The app's tilesets: one per collection and the combined one (key None), and the cache
    of their low-zoom tiles."""

    layers: LayerRegistry
    by_collection: dict[str | None, Tileset]
    cache_mb: int
    cache_max_zoom: int
    cache: ByteLRU[tuple[str | None, str], CachedTile]

    @classmethod
    def build(cls, layers: LayerRegistry, settings: Settings) -> Tilesets:
        sets: dict[str | None, Tileset] = {layer.id: Tileset([layer]) for layer in layers}
        sets[None] = Tileset(list(layers))
        cache_mb, max_zoom = settings.tiles_cache_mb, settings.tiles_cache_max_zoom
        return cls(layers, sets, cache_mb, max_zoom, tile_cache(cache_mb * 1024 * 1024))

    def cached(self, z: int) -> bool:
        return self.cache_mb > 0 and z <= self.cache_max_zoom

    def get(self, collection: str | None) -> Tileset:
        try:
            return self.by_collection[collection]
        except KeyError:
            raise NotFound(
                f"collection {collection!r} does not exist; accepted: "
                f"{', '.join(self.layers.ids())}"
            ) from None

    def layers_of(self, collection: str | None) -> list[Layer]:
        return list(self.get(collection).layers)


def tilesets() -> Tilesets:
    return current_app.extensions[EXTENSION]


class CollectionIdConverter(BaseConverter):
    """A collection id, matched like pygeoapi's ``<path:...>`` (part_isolating False) but with
    a lower weight (path's is 200), so that our rules are tried before pygeoapi's."""

    regex = "[^/]+"
    part_isolating = False
    weight = 50


def init_app(app: Flask) -> None:
    app_state = app.extensions[APP_EXTENSION]
    layers: LayerRegistry = app_state.layers
    app.extensions[EXTENSION] = Tilesets.build(layers, app_state.settings)
    install(app, layers)


def install(app: Flask, layers: LayerRegistry) -> None:
    """Register the tile routes on an app (before or after pygeoapi: either way they win)."""
    app.url_map.converters["collection_id"] = CollectionIdConverter
    app.register_blueprint(blueprint(layers))


_COLLECTION_ROUTES: list[tuple[str, str, Callable[..., Any]]] = []
_COMBINED_ROUTES: list[tuple[str, str, Callable[..., Any]]] = []


def blueprint(layers: LayerRegistry) -> Blueprint:
    """The tile routes: per collection (each layer's id spelled out, see above) and combined."""
    bp = Blueprint("tiles", __name__, url_prefix=OGC_PREFIX)
    for name, path, view in _COLLECTION_ROUTES:
        for layer_id in layers.ids():
            bp.add_url_rule(
                f"/collections/{layer_id}{path}",
                f"{layer_id}_{name}",
                view,
                defaults={"collection_id": layer_id},
            )
        bp.add_url_rule(f"/collections/<collection_id:collection_id>{path}", name, view)
    for name, path, view in _COMBINED_ROUTES:
        bp.add_url_rule(path, name, view)
    return bp


def _collection_route(name: str, path: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def register(view: Callable[..., Any]) -> Callable[..., Any]:
        _COLLECTION_ROUTES.append((name, path, view))
        return view

    return register


def _combined_route(name: str, path: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def register(view: Callable[..., Any]) -> Callable[..., Any]:
        _COMBINED_ROUTES.append((name, path, view))
        return view

    return register


def ogc_base_url() -> str:
    """The absolute URL of /ogc as clients see it: settings.public_url, else this request's."""
    return public_base_url() + OGC_PREFIX


def _format(accepted: tuple[str, ...]) -> str:
    """The ``f`` query parameter, checked against what this endpoint offers."""
    f = request.args.get("f", accepted[0])
    if f not in accepted:
        raise InvalidParameter("f", f"{f!r} is not offered here", ", ".join(accepted))
    return f


def _pygeoapi_view(endpoint: str) -> Callable[..., Any] | None:
    """pygeoapi's own view for an endpoint (its blueprint is named "pygeoapi"), when mounted."""
    return current_app.view_functions.get(f"pygeoapi.{endpoint}")


def _tile_response(collection: str | None, tms: str, z: str, y: str, x: str) -> Response:
    sets = tilesets()
    tileset = sets.get(collection)
    tile = parse_tile(tms, z, y, x)
    _format(("mvt",))
    db = state().database()
    use_cache = sets.cached(tile.z)
    if request.if_none_match or use_cache:
        etag = tileset.etag(tileset.versions(db), tile.z, tile.x, tile.y)
        if request.if_none_match.contains(etag):
            return _tile_headers(Response(status=304), etag, ())
        hit = sets.cache.get((collection, etag)) if use_cache else None
        if hit is not None:
            return _tile_body(hit.content, etag, hit.thinned)
    # One statement reads the features and the versions they belong to (one snapshot).
    rendered = tileset.render(db, tile.z, tile.x, tile.y)
    etag = tileset.etag(rendered.versions, tile.z, tile.x, tile.y)
    if use_cache:
        sets.cache.put((collection, etag), CachedTile(rendered.content, rendered.thinned))
    return _tile_body(rendered.content, etag, rendered.thinned)


def _tile_body(content: bytes, etag: str, thinned: tuple[str, ...]) -> Response:
    if content:
        response = Response(content, status=200, mimetype=metadata.MVT)
    else:
        response = Response(status=204)  # no feature of any layer in this tile
    return _tile_headers(response, etag, thinned)


def _tile_headers(response: Response, etag: str, thinned: tuple[str, ...]) -> Response:
    response.set_etag(etag)
    # Always revalidate: the ETag follows every change, so caches are right and still cheap.
    response.headers["Cache-Control"] = "no-cache"
    if thinned:
        response.headers["X-Tile-Thinned"] = ", ".join(thinned)
    return response


def _document(kind: str, collection: str | None) -> Response:
    layers = tilesets().layers_of(collection)
    builder = {
        "tilesets": metadata.tilesets,
        "tileset": metadata.tileset,
        "tilejson": metadata.tilejson,
    }[kind]
    response = jsonify(builder(ogc_base_url(), layers, collection))
    if kind == "tilejson":
        response.headers["Cache-Control"] = "no-cache"
    return response


@_collection_route("tilesets", "/tiles")
def collection_tilesets(collection_id: str) -> Any:
    tilesets().get(collection_id)
    if _format(("json", "html")) == "html":
        view = _pygeoapi_view("get_collection_tiles")
        if view is None:
            raise InvalidParameter("f", "'html' needs the OGC API mounted", "json")
        return view(collection_id=collection_id)
    return _document("tilesets", collection_id)


@_collection_route("tileset_metadata", "/tiles/<tms>/metadata")
@_collection_route("tileset", "/tiles/<tms>")
def collection_tileset(collection_id: str, tms: str) -> Any:
    tilesets().get(collection_id)
    check_tile_matrix_set(tms)
    f = _format(("json", "tilejson", "html"))
    if f == "html":
        view = _pygeoapi_view("get_collection_tiles_metadata")
        if view is None:
            raise InvalidParameter("f", "'html' needs the OGC API mounted", "json, tilejson")
        return view(collection_id=collection_id, tileMatrixSetId=tms)
    return _document("tilejson" if f == "tilejson" else "tileset", collection_id)


@_collection_route("tilejson", "/tiles/<tms>/tilejson.json")
def collection_tilejson(collection_id: str, tms: str) -> Response:
    check_tile_matrix_set(tms)
    return _document("tilejson", collection_id)


@_collection_route("tile", "/tiles/<tms>/<z>/<y>/<x>")
def collection_tile(collection_id: str, tms: str, z: str, y: str, x: str) -> Response:
    return _tile_response(collection_id, tms, z, y, x)


@_combined_route("combined_tilesets", "/tiles")
def combined_tilesets() -> Response:
    _format(("json",))
    return _document("tilesets", None)


@_combined_route("combined_tileset", "/tiles/<tms>")
def combined_tileset(tms: str) -> Response:
    check_tile_matrix_set(tms)
    f = _format(("json", "tilejson"))
    return _document("tilejson" if f == "tilejson" else "tileset", None)


@_combined_route("combined_tilejson", "/tiles/<tms>/tilejson.json")
def combined_tilejson(tms: str) -> Response:
    check_tile_matrix_set(tms)
    return _document("tilejson", None)


@_combined_route("combined_tile", "/tiles/<tms>/<z>/<y>/<x>")
def combined_tile(tms: str, z: str, y: str, x: str) -> Response:
    return _tile_response(None, tms, z, y, x)
