"""The app's database sessions: what every pooled connection is set up with."""

from __future__ import annotations

from gisserver.db import Database


def test_app_sessions_have_a_timeout_and_no_jit(database_url: str) -> None:
    """JIT off: once a session has JIT-compiled one statement, its later PostGIS statements ran
    about twice as slow (see Database._configure)."""
    db = Database(database_url, statement_timeout_ms=12_000)
    try:
        with db.connection() as conn:
            assert conn.execute("SHOW jit").fetchone() == ("off",)
            assert conn.execute("SHOW statement_timeout").fetchone() == ("12s",)
    finally:
        db.close()
