"""The web map at ``/map``: MapLibre GL JS drawing ``/styles/situation.json``.

One HTML page (``templates/map.html``) and the vendored MapLibre files (``static/maplibre/``,
version in ``MAPLIBRE_VERSION``), all served by this app: a command centre may have no internet,
so the page loads nothing from elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Flask, Response, render_template, request

from gisserver.errors import InvalidParameter

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


def map_page() -> Response:
    """The full-window map; ``?view=nyc`` starts over New York City instead of Cambridge."""
    view = request.args.get("view", DEFAULT_VIEW)
    if view not in VIEWS:
        raise InvalidParameter("view", f"{view!r} is not a known view", ", ".join(VIEWS))
    body = render_template(
        "map.html", views=VIEWS, initial_view=view, maplibre_version=MAPLIBRE_VERSION
    )
    response = Response(body, mimetype="text/html")
    response.headers["Cache-Control"] = "no-cache"
    return response


def init_app(app: Flask) -> None:
    """Serve the map at /map and its static files at /map/static/."""
    bp = Blueprint(
        "webmap",
        __name__,
        template_folder="templates",
        static_folder="static",
        static_url_path="/map/static",
    )
    bp.add_url_rule("/map", view_func=map_page, methods=["GET"])
    app.register_blueprint(bp)
