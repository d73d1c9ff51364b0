"""The web map at ``/map``: the common operating picture, MapLibre GL JS drawing
``/styles/situation.json``, live.

One HTML page (``templates/map.html``), its parts as ES modules with their words in English and
Simplified Chinese (``static/map/``, ``static/map/locales/``) and the vendored MapLibre files
(``static/maplibre/``, version in ``MAPLIBRE_VERSION``), all served by this app: a command centre
may have no internet, so the page loads nothing from elsewhere.

``?view=`` is the mode (``desk``, the default: the duty desk; ``wall``: the command centre's
wall screen, large type, no editing; ``field``: a phone in the field) or, as before, an area
to start at (``cambridge``, ``nyc``: the desk there); ``?area=`` the area; ``?lang=en|zh-CN``
forces a language; the map's position is in the URL's hash (``#16/42.3736/-71.1097``).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import Blueprint, Flask, Response, render_template, request, url_for

from gisserver.context import EXTENSION, state
from gisserver.errors import ConfigError, InvalidParameter
from gisserver.web.http import allow_images_from

# Kept in step with static/maplibre/ (the copy of the npm package's dist/; see docs/webmap.md).
MAPLIBRE_VERSION = "5.24.1"


@dataclass(frozen=True)
class MapView:
    """A place the map starts at or jumps to."""

    title: str
    bounds: tuple[float, float, float, float]  # west, south, east, north; WGS84 degrees


VIEWS = {
    "cambridge": MapView("Cambridge, MA", (-71.161, 42.352, -71.064, 42.404)),
    "nyc": MapView("New York City", (-74.259, 40.477, -73.700, 40.917)),
}
DEFAULT_VIEW = "cambridge"
MODES = ("desk", "wall", "field")
LANGUAGES = ("en", "zh-CN")


def _choice(name: str, value: str | None, accepted: tuple[str, ...]) -> str | None:
    if value is None or value == "":
        return None
    if value not in accepted:
        raise InvalidParameter(name, f"{value!r} is not known", ", ".join(accepted))
    return value


def map_page() -> Response:
    """The full-window map: ``?view=`` a mode or an area, ``?area=``, ``?lang=``."""
    view = _choice("view", request.args.get("view"), (*MODES, *VIEWS))
    area = _choice("area", request.args.get("area"), tuple(VIEWS))
    lang = _choice("lang", request.args.get("lang"), LANGUAGES)
    mode = view if view in MODES else "desk"
    area = area or (view if view in VIEWS else DEFAULT_VIEW)
    settings = state().settings
    config = {
        "mode": mode,
        "area": area,
        "lang": lang,
        "areas": {key: {"title": v.title, "bounds": list(v.bounds)} for key, v in VIEWS.items()},
        "style": url_for("styles.style_file", name="situation", ext="json"),
        "static": url_for("webmap.static", filename="map/"),
        "basemap_url": settings.basemap_url,
        "basemap_tiles": url_for("basemap_tiles.tilejson"),
    }
    body = render_template("map.html", config=config, maplibre_version=MAPLIBRE_VERSION)
    response = Response(body, mimetype="text/html")
    response.headers["Cache-Control"] = "no-cache"
    return response


def check_basemap_url(url: str) -> None:
    """GISSERVER_BASEMAP_URL: an http(s) XYZ template of raster tiles, else ConfigError."""
    parts = urlsplit(url)
    missing = [p for p in ("{z}", "{x}", "{y}") if p not in url]
    if parts.scheme not in ("http", "https") or not parts.netloc or missing:
        raise ConfigError(
            f"GISSERVER_BASEMAP_URL: {url!r} is not an http(s) URL of raster tiles with "
            "{z}, {x} and {y}; accepted: e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png"
        )


def init_app(app: Flask) -> None:
    """Serve the map at /map and its static files at /map/static/; an external basemap's
    (GISSERVER_BASEMAP_URL) images are allowed by the pages' Content-Security-Policy."""
    basemap_url = app.extensions[EXTENSION].settings.basemap_url
    if basemap_url:
        check_basemap_url(basemap_url)
        allow_images_from(app, basemap_url)
    bp = Blueprint(
        "webmap",
        __name__,
        template_folder="templates",
        static_folder="static",
        static_url_path="/map/static",
    )
    bp.add_url_rule("/map", view_func=map_page, methods=["GET"])
    app.register_blueprint(bp)
