"""Database access: the URL in use, a psycopg 3 connection pool and the project's SQL files.

One convention for every part of the package:

- ``load_sql("area/name.sql")`` is the only way SQL text is read (``gisserver/sql/<area>/``);
- ``Database.connection()`` for statements that write (one transaction, committed at the end);
- ``Database.read()`` / ``read_cursor()`` for reads: autocommit (no BEGIN/COMMIT round trips), and a
  statement cancelled by ``statement_timeout`` becomes ``DatabaseUnavailable`` (503) on every
  surface, like an unreachable server.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool, PoolTimeout

from gisserver.cluster import PrivateCluster
from gisserver.errors import DatabaseUnavailable
from gisserver.settings import Settings

log = logging.getLogger(__name__)


@cache
def load_sql(name: str) -> str:
    """The text of ``gisserver/sql/<name>``, e.g. ``load_sql("analyses/nearest.sql")``."""
    return resources.files("gisserver").joinpath("sql", name).read_text(encoding="utf-8")


def private_cluster(settings: Settings) -> PrivateCluster:
    """The private cluster in data_dir/pg, on the port it was started on last.

    GISSERVER_PG_PORT given explicitly wins (and is remembered by the next start).
    """
    root = settings.data_dir / "pg"
    port = settings.pg_port
    if "pg_port" not in settings.model_fields_set:
        port = PrivateCluster.remembered_port(root) or port
    return PrivateCluster(root=root, port=port, bin_dir=settings.pg_bin_dir)


def database_url(settings: Settings) -> str:
    """DATABASE_URL when set, otherwise the private cluster's URL (which must exist)."""
    if settings.database_url:
        return settings.database_url
    cluster = private_cluster(settings)
    if not cluster.is_initialised():
        raise DatabaseUnavailable(
            f"no DATABASE_URL and no private cluster in {cluster.root}; "
            "run 'gisserver db start' (make demo does) or set DATABASE_URL"
        )
    return cluster.url()


def describe_target(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or "localhost (unix socket)"
    port = parts.port or 5432
    db = parts.path.lstrip("/") or "(default)"
    return f"{host}:{port}/{db}"


def connect(url: str, **kwargs: Any) -> psycopg.Connection[Any]:
    """Connect, turning an unreachable server into one clear line."""
    kwargs.setdefault("connect_timeout", 5)
    try:
        return psycopg.connect(url, **kwargs)
    except psycopg.OperationalError as exc:
        # libpq's first line ends with the cause ("... failed: Connection refused").
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else "unknown reason"
        reason = first.rsplit("failed: ", 1)[-1].strip()
        raise DatabaseUnavailable(
            f"cannot connect to PostgreSQL at {describe_target(url)} ({reason}); check that the "
            "server is running and that DATABASE_URL (host, port, user, password, database) "
            "is right"
        ) from exc


def sqlalchemy_url(url: str) -> str:
    """The same URL for SQLAlchemy with the psycopg 3 driver."""
    for prefix in ("postgresql+psycopg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


@dataclass
class Database:
    """The app's database: a lazily opened pool (opened in the worker, never at import)."""

    url: str
    min_size: int = 1
    max_size: int = 8
    statement_timeout_ms: int = 30_000
    _pool: ConnectionPool | None = None

    def _configure(self, conn: psycopg.Connection[Any]) -> None:
        conn.execute(f"SET statement_timeout = {int(self.statement_timeout_ms)}")
        # No JIT: the app's statements are short, and once one statement of a session has been
        # JIT-compiled (the collection extents at start-up plan an exact extent as a fallback,
        # costly enough to compile) every later PostGIS statement of that session ran slower:
        # a z5 hazard-zones tile took 34 ms instead of 18 ms on the same data (PostgreSQL 15,
        # PostGIS 3.3, LLVM JIT loaded into the backend).
        conn.execute("SET jit = off")
        conn.commit()

    @property
    def pool(self) -> ConnectionPool:
        if self._pool is None:
            self._pool = ConnectionPool(
                self.url,
                min_size=self.min_size,
                max_size=self.max_size,
                kwargs={"connect_timeout": 5},
                configure=self._configure,
                open=False,
                name="gisserver",
            )
            self._pool.open(wait=False)
        return self._pool

    @contextmanager
    def connection(self) -> Iterator[psycopg.Connection[Any]]:
        # Only a failure to get a connection means "unreachable"; errors raised inside the
        # block (a statement timeout, a constraint) propagate as they are.
        try:
            conn = self.pool.getconn(timeout=10)
        except (psycopg.OperationalError, PoolTimeout) as exc:
            raise DatabaseUnavailable(
                f"database at {describe_target(self.url)} is unreachable: {exc}"
            ) from exc
        try:
            with conn:  # commits on success, rolls back on an exception
                yield conn
        finally:
            self.pool.putconn(conn)

    @contextmanager
    def read(self) -> Iterator[psycopg.Connection[Any]]:
        """A pooled connection for read-only statements, in autocommit.

        Each statement is its own transaction, so neither a BEGIN nor a COMMIT round trip is
        paid (about 1 ms of a 5 ms nearest query). A statement cancelled by the statement
        timeout is a 503 that says so.
        """
        with self.connection() as conn:
            conn.autocommit = True
            try:
                yield conn
            except psycopg.errors.QueryCanceled as exc:
                raise DatabaseUnavailable(
                    "the request took longer than the statement timeout "
                    f"({self.statement_timeout_ms} ms); ask for a smaller area or fewer results, "
                    "or try again"
                ) from exc
            finally:
                conn.autocommit = False

    @contextmanager
    def read_cursor(self) -> Iterator[psycopg.Cursor[dict[str, Any]]]:
        """A dict-row cursor on ``read()``."""
        with self.read() as conn, conn.cursor(row_factory=dict_row) as cur:
            yield cur

    @contextmanager
    def cursor(self) -> Iterator[psycopg.Cursor[dict[str, Any]]]:
        with self.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            yield cur

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None
