"""Alembic, driven from code: the migration scripts live in ``gisserver/migrations``."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.script.revision import RevisionError
from alembic.util import CommandError
from sqlalchemy import create_engine

from gisserver.db import connect, load_sql, sqlalchemy_url


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(files("gisserver") / "migrations"))
    cfg.set_main_option("sqlalchemy.url", sqlalchemy_url(url).replace("%", "%%"))
    return cfg


@cache
def _head() -> str | None:
    # The migration scripts ship with the code: read them once per process, not per /readyz.
    return ScriptDirectory.from_config(alembic_config("postgresql://")).get_current_head()


def head_revision(url: str) -> str | None:
    """The newest revision the code knows (the same for every database)."""
    return _head()


def known_revision(revision: str) -> bool:
    """Whether the code's migrations include ``revision`` (a database made by newer code may
    be at one they do not)."""
    try:
        script = ScriptDirectory.from_config(alembic_config("postgresql://"))
        return script.get_revision(revision) is not None
    except (CommandError, RevisionError):
        return False


def current_revision(url: str) -> str | None:
    engine = create_engine(sqlalchemy_url(url))
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def upgrade(url: str, revision: str = "head") -> None:
    """Upgrade the schema, then apply the roles' privileges to what the migrations made."""
    command.upgrade(alembic_config(url), revision)
    apply_grants(url)


def apply_grants(url: str) -> None:
    """``sql/roles/grants.sql``: the read and write roles and their privileges (idempotent)."""
    with connect(url, autocommit=True) as conn:
        conn.execute(load_sql("roles/grants.sql"))


def downgrade(url: str, revision: str) -> None:
    command.downgrade(alembic_config(url), revision)
