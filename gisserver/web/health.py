"""/healthz (the process is up) and /readyz (database reachable, schema current, PostGIS)."""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Flask, jsonify

from gisserver import __version__
from gisserver.db import CONNECT_TIMEOUT_S, UNAVAILABLE
from gisserver.errors import GisServerError

log = logging.getLogger(__name__)

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    return jsonify(status="ok", version=__version__)


def readiness(db_url: str, *, connect_timeout: int = 5) -> dict[str, Any]:
    """Check the database: reachable, PostGIS installed, migrations at head."""
    from gisserver import migrations
    from gisserver.db import connect

    report: dict[str, Any] = {"ready": False}
    with connect(db_url, connect_timeout=connect_timeout) as conn:
        row = conn.execute(
            "SELECT current_setting('server_version'), "
            "(SELECT extversion FROM pg_extension WHERE extname = 'postgis'), "
            "to_regclass('alembic_version') IS NOT NULL"
        ).fetchone()
        assert row is not None
        report["postgresql"], report["postgis"], versioned = row
        current = None
        if versioned:
            found = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            current = found[0] if found else None
    head = migrations.head_revision(db_url)
    report["schema"] = {"current": current, "head": head}
    if report["postgis"] is None:
        report["reason"] = "PostGIS is not installed in the database; run 'gisserver db migrate'"
    elif current != head:
        report["reason"] = (
            f"schema is at {current or 'nothing'}, code expects {head}; run 'gisserver db migrate'"
        )
    else:
        report["ready"] = True
    return report


@bp.get("/readyz")
def readyz():
    from gisserver.context import state

    st = state()
    if st.db is None:
        return jsonify(ready=False, reason="no database is configured for this server"), 503
    try:
        report = readiness(st.db.url, connect_timeout=CONNECT_TIMEOUT_S)
    except GisServerError:
        # details (host, port, cause) go to the log, not to whoever asks
        log.warning("not ready", exc_info=True)
        return jsonify(ready=False, reason=UNAVAILABLE), 503
    if st.db.replicas is not None:
        # each replica's state and lag (a replica out of rotation does not make us unready:
        # the primary answers its reads)
        report["replicas"] = st.db.replicas.report()
    return jsonify(report), 200 if report["ready"] else 503


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
