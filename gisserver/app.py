"""The Flask application factory. Nothing is built at import time."""

from __future__ import annotations

import logging

from flask import Flask, Response
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from gisserver import ogc, tiles
from gisserver.context import EXTENSION, AppState
from gisserver.db import Database, database_url
from gisserver.errors import (
    DatabaseUnavailable,
    GisServerError,
    Unauthorized,
    exception_document,
)
from gisserver.layers import load_layers
from gisserver.ogc import history
from gisserver.replicas import ReplicaSet
from gisserver.settings import Settings
from gisserver.web import (
    alerts,
    api,
    audit,
    auth,
    cap,
    consistency,
    events,
    health,
    http,
    incidents,
    reports,
    stock,
    styles,
    subscriptions,
    units,
    webmap,
)

log = logging.getLogger(__name__)


def _error_response(status: int, code: str, description: str) -> Response:
    return Response(
        exception_document(code, description), status=status, mimetype="application/json"
    )


def replica_set(settings: Settings, primary_url: str) -> ReplicaSet | None:
    """The read replicas of GISSERVER_READ_REPLICAS, if any (started by their first read)."""
    urls = [u.strip() for u in (settings.read_replicas or "").split(",") if u.strip()]
    if not urls:
        return None
    return ReplicaSet(
        primary_url,
        urls,
        max_lag_s=settings.replica_max_lag_s,
        pool_size=settings.pool_max_size,
        statement_timeout_ms=settings.statement_timeout_ms,
    )


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings()
    layers = load_layers(settings.layers_dir)
    app = Flask("gisserver")
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes  # larger bodies: 413
    try:
        read_url = database_url(settings, "read")
        db: Database | None = Database(
            read_url,
            min_size=settings.pool_min_size,
            max_size=settings.pool_max_size,
            statement_timeout_ms=settings.statement_timeout_ms,
            replicas=replica_set(settings, read_url),
        )
        problem = None
    except GisServerError as exc:
        db, problem = None, exc.message
        log.warning("starting without a database: %s", problem)
    try:
        # Writes are few beside reads: a small pool, opened when the first write comes.
        editor: Database | None = Database(
            database_url(settings, "edit"),
            min_size=0,
            max_size=max(2, settings.pool_max_size // 2),
            statement_timeout_ms=settings.statement_timeout_ms,
        )
    except GisServerError as exc:
        editor = None
        log.warning("starting without a database for writes: %s", exc.message)
    app.extensions[EXTENSION] = AppState(settings, layers, db, editor)

    @app.errorhandler(GisServerError)
    def _gisserver_error(exc: GisServerError) -> Response:
        if isinstance(exc, DatabaseUnavailable):
            log.warning("503: %s", exc.message)  # an outage: one line, not a traceback each time
        elif exc.status >= 500:
            log.exception("server error")
        response = _error_response(exc.status, exc.code, exc.message)
        if isinstance(exc, Unauthorized):
            response.headers["WWW-Authenticate"] = auth.CHALLENGE
        return response

    @app.errorhandler(RequestEntityTooLarge)
    def _too_large(exc: RequestEntityTooLarge) -> Response:
        return _error_response(
            413,
            "RequestEntityTooLarge",
            f"body: larger than {settings.max_body_bytes:,} bytes; accepted: a body up to that "
            "size (GISSERVER_MAX_BODY_BYTES)",
        )

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response:
        response = _error_response(exc.code or 500, exc.name, exc.description or exc.name)
        headers = dict(exc.get_headers())
        for name in ("Allow", "WWW-Authenticate"):  # a 405 keeps its Allow, a 401 its challenge
            if name in headers:
                response.headers[name] = headers[name]
        return response

    # What every surface passes through, then every route group, in one place.
    auth.init_app(
        app, reads_require_key=settings.reads_require_key, token_secret=settings.token_secret
    )
    http.init_app(app, settings)
    consistency.init_app(app, settings)
    health.init_app(app)
    tiles.init_app(app)  # before pygeoapi, so that our tile routes take precedence
    ogc.init_app(app)
    history.init_app(app)  # a feature's versions; wins over pygeoapi's item route either way
    styles.init_app(app)
    api.init_app(app)
    audit.init_app(app)
    events.init_app(app)
    stock.init_app(app)
    alerts.init_app(app)
    reports.init_app(app)
    cap.init_app(app)
    subscriptions.init_app(app)
    incidents.init_app(app)
    units.init_app(app)
    webmap.init_app(app)

    return app
