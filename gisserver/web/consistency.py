"""Read-your-writes with read replicas: a client that has just written reads what it wrote.

After a write (POST, PUT, PATCH, DELETE answered below 400) the primary's WAL position is sent
back as a cookie (``gisserver_lsn``, for browsers), a header (``X-Gisserver-LSN``, for API
clients to send back as ``X-Gisserver-Min-LSN``) and kept for the writing key in this process.
For GISSERVER_READ_YOUR_WRITES_S afterwards, a request carrying it (or made with that key) is
read only from a replica that has replayed that far, else from the primary
(``gisserver.replicas.required_lsn``). Without replicas this does nothing.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from flask import Flask, Response, g, request

from gisserver.context import state
from gisserver.replicas import lsn, required_lsn
from gisserver.settings import Settings
from gisserver.web.auth import principal

COOKIE = "gisserver_lsn"
SENT = "X-Gisserver-LSN"
ASKED = "X-Gisserver-Min-LSN"
WRITES = frozenset(("POST", "PUT", "PATCH", "DELETE"))


class KeyWrites:
    """The WAL position each key last wrote at, until it no longer matters."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_key: dict[str, tuple[int, float]] = {}

    def wrote(self, key: str, position: int, until: float) -> None:
        with self._lock:
            self._by_key[key] = (position, until)
            if len(self._by_key) > 10_000:  # forget the expired ones
                now = time.monotonic()
                self._by_key = {k: v for k, v in self._by_key.items() if v[1] > now}

    def position(self, key: str) -> int | None:
        with self._lock:
            found = self._by_key.get(key)
        if found is None or found[1] <= time.monotonic():
            return None
        return found[0]


def init_app(app: Flask, settings: Settings) -> None:
    window = settings.read_your_writes_s
    by_key = KeyWrites()

    def replicated() -> bool:
        db = state().db
        return db is not None and db.replicas is not None and window > 0

    @app.before_request
    def _required() -> None:
        if not replicated():
            return
        who = principal()
        candidates = [
            lsn(request.cookies.get(COOKIE)),
            lsn(request.headers.get(ASKED)),
            by_key.position(who.name) if who.authenticated else None,
        ]
        known = [c for c in candidates if c is not None]
        if known:
            g.gisserver_lsn_token = required_lsn.set(max(known))

    @app.teardown_request
    def _forget(_: BaseException | None) -> None:
        token: Any = g.pop("gisserver_lsn_token", None)
        if token is not None:
            required_lsn.reset(token)

    @app.after_request
    def _wrote(response: Response) -> Response:
        if request.method not in WRITES or response.status_code >= 400 or not replicated():
            return response
        editor = state().editor or state().db
        if editor is None:
            return response
        try:
            with editor.connection() as conn:
                row = conn.execute("SELECT pg_current_wal_lsn()::text").fetchone()
        except Exception:  # the write is done; read-your-writes is best effort
            return response
        if not row:
            return response
        position = row[0]
        response.headers[SENT] = position
        response.set_cookie(
            COOKIE, position, max_age=int(window), httponly=True, samesite="Lax", path="/"
        )
        who = principal()
        parsed = lsn(position)
        if who.authenticated and parsed is not None:
            by_key.wrote(who.name, parsed, time.monotonic() + window)
        return response
