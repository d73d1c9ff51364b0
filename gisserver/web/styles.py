"""``/styles``: each layer's QGIS, SLD and MapLibre style, and the combined situation style."""

from __future__ import annotations

import json

from flask import Blueprint, Flask, Response, jsonify, request

from gisserver.context import public_base_url, state
from gisserver.errors import NotFound
from gisserver.styles import (
    BASE_PLACEHOLDER,
    SITUATION,
    STYLE_MEDIA_TYPES,
    situation_style,
    style_paths,
)
from gisserver.web.http import compress


def init_app(app: Flask) -> None:
    """Serve styles/ at /styles/<layer>.qml|sld|json and the combined /styles/situation.json."""
    bp = Blueprint("styles", __name__)

    def _respond(body: str, media_type: str) -> Response:
        response = Response(body, mimetype=media_type)
        response.headers["Cache-Control"] = "no-cache"
        response.headers["Vary"] = "Accept-Encoding"
        response.add_etag()
        response.make_conditional(request)
        return compress(response)

    @bp.get("/styles")
    def style_index():
        base = public_base_url()
        return jsonify(
            styles=[
                {
                    "id": layer.id,
                    "title": layer.title,
                    "links": [
                        {
                            "rel": "stylesheet",
                            "type": media,
                            "href": f"{base}/styles/{layer.id}.{ext}",
                        }
                        for ext, media in STYLE_MEDIA_TYPES.items()
                    ],
                }
                for layer in state().layers
            ],
            situation=f"{base}/styles/{SITUATION}.json",
        )

    @bp.get("/styles/<name>.<ext>")
    def style_file(name: str, ext: str):
        app_state = state()
        styles_dir = app_state.settings.styles_dir
        if ext not in STYLE_MEDIA_TYPES:
            raise NotFound(
                f"style format {ext!r} unknown; accepted: {', '.join(STYLE_MEDIA_TYPES)}"
            )
        base = public_base_url()
        if name == SITUATION and ext == "json":
            body = json.dumps(situation_style(styles_dir, app_state.layers, base))
            return _respond(body, STYLE_MEDIA_TYPES["json"])
        layer = next((lyr for lyr in app_state.layers if (lyr.style or lyr.id) == name), None)
        if layer is None:
            names = [lyr.style or lyr.id for lyr in app_state.layers] + [SITUATION]
            raise NotFound(f"style {name!r} not found; accepted: {', '.join(names)}")
        path = style_paths(styles_dir, layer)[ext]
        if not path.exists():
            raise NotFound(f"{path.name} is missing on the server")
        body = path.read_text().replace(BASE_PLACEHOLDER, base)
        return _respond(body, STYLE_MEDIA_TYPES[ext])

    app.register_blueprint(bp)
