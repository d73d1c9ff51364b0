"""The Flask application factory. Nothing is built at import time."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import Flask, current_app, jsonify
from werkzeug.exceptions import HTTPException

from gisserver.db import Database, database_url
from gisserver.errors import GisServerError
from gisserver.layers import LayerRegistry, load_layers
from gisserver.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class AppState:
    """What the app's request handlers share: settings, layers and the database."""

    settings: Settings
    layers: LayerRegistry
    db: Database | None
    db_problem: str | None = None

    def database(self) -> Database:
        if self.db is None:
            raise GisServerError(self.db_problem or "no database configured", status=503)
        return self.db


def state() -> AppState:
    """The AppState of the app handling the current request."""
    return current_app.extensions["gisserver"]


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
    app.extensions["gisserver"] = AppState(settings, layers, db, problem)

    @app.errorhandler(GisServerError)
    def _gisserver_error(exc: GisServerError):
        if exc.status >= 500:
            log.exception("server error")
        return jsonify(code=exc.code, description=exc.message), exc.status

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        return jsonify(code=exc.name, description=exc.description), exc.code

    @app.after_request
    def _cors(response):
        response.headers.setdefault("Access-Control-Allow-Origin", settings.cors_origins)
        response.headers.setdefault(
            "Access-Control-Expose-Headers",
            "ETag, Last-Modified, Link, Content-Crs, X-Tile-Thinned",
        )
        return response

    from gisserver import api, health, ogc, tiles, webmap

    health.init_app(app)
    tiles.init_app(app)  # before pygeoapi, so that our tile routes take precedence
    ogc.init_app(app)
    api.init_app(app)
    webmap.init_app(app)

    return app
