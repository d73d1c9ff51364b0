"""The Flask application factory. Nothing is built at import time."""

from __future__ import annotations

import logging

from flask import Flask, Response
from werkzeug.exceptions import HTTPException

from gisserver import ogc, tiles
from gisserver.context import EXTENSION, AppState
from gisserver.db import Database, database_url
from gisserver.errors import DatabaseUnavailable, GisServerError, exception_document
from gisserver.layers import load_layers
from gisserver.settings import Settings
from gisserver.web import api, health, styles, webmap

log = logging.getLogger(__name__)


def _error_response(status: int, code: str, description: str) -> Response:
    return Response(
        exception_document(code, description), status=status, mimetype="application/json"
    )


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings()
    layers = load_layers(settings.layers_dir)
    app = Flask("gisserver")
    app.json.sort_keys = False  # type: ignore[attr-defined]
    try:
        db: Database | None = Database(
            database_url(settings),
            min_size=settings.pool_min_size,
            max_size=settings.pool_max_size,
            statement_timeout_ms=settings.statement_timeout_ms,
        )
        problem = None
    except GisServerError as exc:
        db, problem = None, exc.message
        log.warning("starting without a database: %s", problem)
    app.extensions[EXTENSION] = AppState(settings, layers, db, problem)

    @app.errorhandler(GisServerError)
    def _gisserver_error(exc: GisServerError) -> Response:
        if isinstance(exc, DatabaseUnavailable):
            log.warning("503: %s", exc.message)  # an outage: one line, not a traceback each time
        elif exc.status >= 500:
            log.exception("server error")
        return _error_response(exc.status, exc.code, exc.message)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response:
        response = _error_response(exc.code or 500, exc.name, exc.description or exc.name)
        headers = dict(exc.get_headers())
        for name in ("Allow", "WWW-Authenticate"):  # a 405 keeps its Allow, a 401 its challenge
            if name in headers:
                response.headers[name] = headers[name]
        return response

    @app.after_request
    def _cors(response):
        response.headers.setdefault("Access-Control-Allow-Origin", settings.cors_origins)
        response.headers.setdefault(
            "Access-Control-Expose-Headers",
            "ETag, Last-Modified, Link, Content-Crs, X-Tile-Thinned",
        )
        return response

    # Every route group, in one place (Martin's register_services).
    health.init_app(app)
    tiles.init_app(app)  # before pygeoapi, so that our tile routes take precedence
    ogc.init_app(app)
    styles.init_app(app)
    api.init_app(app)
    webmap.init_app(app)

    return app
