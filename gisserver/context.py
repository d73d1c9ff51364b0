"""What a request handler needs of the app it runs in: settings, layers, the database.

A leaf module (Flask tutorial's ``db.get_db`` pattern): every web surface imports ``state()``
from here, never from ``gisserver.app``, which imports the surfaces to register them.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, request

from gisserver.db import Database
from gisserver.errors import DatabaseUnavailable
from gisserver.layers import LayerRegistry
from gisserver.settings import Settings

EXTENSION = "gisserver"


@dataclass
class AppState:
    """What the app's request handlers share: settings, layers and the database (reads as the
    read-only role; ``editor`` writes as the role of API edits, its pool opened on first use)."""

    settings: Settings
    layers: LayerRegistry
    db: Database | None
    editor: Database | None = None

    def database(self) -> Database:
        if self.db is None:
            # the reason (a path, a URL) is in the log at start-up, not in the answer
            raise DatabaseUnavailable("no database is configured for this server")
        return self.db

    def edits(self) -> Database:
        """The database as the role API writes use (gisserver_edit)."""
        if self.editor is None:
            raise DatabaseUnavailable("no database is configured for this server's writes")
        return self.editor


def state() -> AppState:
    """The AppState of the app handling the current request."""
    app_state: AppState = current_app.extensions[EXTENSION]
    return app_state


def public_base_url() -> str:
    """The server's base URL as clients see it: ``settings.public_url``, else this request's."""
    public = state().settings.public_url
    return (public or request.url_root).rstrip("/")
