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
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool, PoolTimeout

from gisserver.cluster import PrivateCluster
from gisserver.errors import DatabaseUnavailable
from gisserver.replicas import FALLBACK_ERRORS, ReplicaSet, check_idle_connection
from gisserver.settings import Settings

log = logging.getLogger(__name__)

# How long a request waits for a pooled connection before it is answered 503: an outage must
# be answered within 2 s, not after the 10 s a client (or a load balancer) gives up at.
POOL_WAIT_S = 1.5
CONNECT_TIMEOUT_S = 2
# The pool retries a lost server with a doubling delay and gives up after this long (then the
# next request starts a new attempt at once): after a long outage it must not wait minutes.
POOL_RECONNECT_S = 4.0
# Connections made beside the pool (see Database.connection) at once, at most.
DIRECT_CONNECTIONS = 2
# What a client is told when the database is down (the log has the details: host, cause).
UNAVAILABLE = "the database is unavailable; try again shortly"


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


PURPOSES = ("admin", "read", "write", "edit")


def database_url(settings: Settings, purpose: str = "admin") -> str:
    """The URL to connect with for a purpose: "admin" (migrations, backups: DATABASE_URL or the
    private cluster's superuser), "read" (the web tier: a read-only role), "write" (the ETL:
    the role that owns the tables) or "edit" (the web tier's API writes: rows of the editable
    tables, append-only audit).

    GISSERVER_READ_DATABASE_URL / _WRITE_ / _EDIT_ win; without them the private
    cluster's login roles are used, or DATABASE_URL itself when that is set (one role for all:
    README's Operations says how to make the two roles on a database of your own).
    """
    if purpose not in PURPOSES:
        raise ValueError(f"purpose {purpose!r}; accepted: {', '.join(PURPOSES)}")
    explicit = {
        "read": settings.read_database_url,
        "write": settings.write_database_url,
        "edit": settings.edit_database_url,
    }
    if explicit.get(purpose):
        return str(explicit[purpose])
    if settings.database_url:
        return settings.database_url
    cluster = private_cluster(settings)
    if not cluster.is_initialised():
        raise DatabaseUnavailable(
            f"no DATABASE_URL and no private cluster in {cluster.root}; "
            "run 'gisserver db start' (make demo does) or set DATABASE_URL"
        )
    if purpose != "admin" and not cluster.role_password_file(purpose).exists():
        raise DatabaseUnavailable(
            f"the private cluster in {cluster.root} has no {purpose} role yet; "
            "run 'gisserver db start' once (it creates the roles)"
        )
    return cluster.url(purpose)


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
    # False: a commit does not wait for its WAL to reach the disk (bookkeeping whose loss in a
    # crash is harmless, e.g. the webhooks' deliveries: at least once re-sends what was lost).
    synchronous_commit: bool = True
    # Read replicas: read() spreads over them (gisserver.replicas); None: all on this URL.
    replicas: ReplicaSet | None = None
    _pool: ConnectionPool | None = None
    _direct: threading.BoundedSemaphore = field(
        default_factory=lambda: threading.BoundedSemaphore(DIRECT_CONNECTIONS), repr=False
    )

    def _configure(self, conn: psycopg.Connection[Any]) -> None:
        conn.execute(f"SET statement_timeout = {int(self.statement_timeout_ms)}")
        if not self.synchronous_commit:
            conn.execute("SET synchronous_commit = off")
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
                kwargs={"connect_timeout": CONNECT_TIMEOUT_S},
                configure=self._configure,
                # A pooled connection is checked as it is handed out, so the first requests
                # after a PostgreSQL restart get a fresh one, not an error.
                check=check_idle_connection,
                reconnect_timeout=POOL_RECONNECT_S,
                open=False,
                name="gisserver",
            )
            self._pool.open(wait=False)
        return self._pool

    @contextmanager
    def connection(self) -> Iterator[psycopg.Connection[Any]]:
        """A pooled connection in a transaction (committed at the end, rolled back on error).

        No connection within POOL_WAIT_S, or a connection lost in the middle of the block (a
        server restart), is ``DatabaseUnavailable`` (503); other errors propagate as they are.
        """
        pooled = True
        try:
            conn = self.pool.getconn(timeout=POOL_WAIT_S)
        except (psycopg.OperationalError, PoolTimeout) as exc:
            # The server may be back while the pool still waits out its retry delay: one
            # connection of our own answers this request (at most DIRECT_CONNECTIONS at once,
            # so a pool that is merely busy does not open a connection per waiting request).
            conn = self._connect_beside_pool(exc)
            pooled = False
        try:
            with conn:  # commits on success, rolls back on an exception
                yield conn
        except psycopg.errors.QueryCanceled:
            raise
        except psycopg.OperationalError as exc:
            log.warning("database connection lost (%s): %s", describe_target(self.url), exc)
            raise DatabaseUnavailable(UNAVAILABLE) from exc
        finally:
            if pooled:
                self.pool.putconn(conn)
            else:
                conn.close()
                self._direct.release()

    def _connect_beside_pool(self, cause: Exception) -> psycopg.Connection[Any]:
        if not self._direct.acquire(blocking=False):
            log.warning("database at %s: no connection (%s)", describe_target(self.url), cause)
            raise DatabaseUnavailable(UNAVAILABLE) from cause
        try:
            conn = psycopg.connect(self.url, connect_timeout=CONNECT_TIMEOUT_S)
            self._configure(conn)
        except psycopg.Error as exc:
            self._direct.release()
            log.warning("database at %s is unavailable: %s", describe_target(self.url), exc)
            raise DatabaseUnavailable(UNAVAILABLE) from exc
        return conn

    @contextmanager
    def read(self) -> Iterator[psycopg.Connection[Any]]:
        """A pooled connection for read-only statements, in autocommit: on a read replica in
        rotation when there are some (and it has replayed what the request must see), else on
        this database.

        Each statement is its own transaction, so neither a BEGIN nor a COMMIT round trip is
        paid (about 1 ms of a 5 ms nearest query). A statement cancelled by the statement
        timeout is a 503 that says so.
        """
        replicas, replica = self.replicas, None
        if replicas is not None and (replica := replicas.choose()) is not None:
            try:
                conn = replicas.acquire(replica)
            except FALLBACK_ERRORS as exc:  # gone since the last check: the primary answers
                replicas.failed(replica, exc)
                replica = None
        if replicas is not None and replica is not None:
            replica.reads += 1
            try:
                with self._reading(conn):
                    yield conn
            except psycopg.OperationalError as exc:  # lost in the middle: a 503, like ours
                replicas.failed(replica, exc)
                raise DatabaseUnavailable(UNAVAILABLE) from exc
            finally:
                replicas.release(replica, conn)
            return
        with self.connection() as conn:
            conn.autocommit = True
            try:
                with self._reading(conn):
                    yield conn
            finally:
                conn.autocommit = False

    @contextmanager
    def _reading(self, conn: psycopg.Connection[Any]) -> Iterator[None]:
        try:
            yield
        except psycopg.errors.QueryCanceled as exc:
            raise DatabaseUnavailable(
                "the request took longer than the statement timeout "
                f"({self.statement_timeout_ms} ms); ask for a smaller area or fewer results, "
                "or try again"
            ) from exc

    @contextmanager
    def read_cursor(self) -> Iterator[psycopg.Cursor[dict[str, Any]]]:
        """A dict-row cursor on ``read()``."""
        with self.read() as conn, conn.cursor(row_factory=dict_row) as cur:
            yield cur

    @contextmanager
    def read_transaction_cursor(self) -> Iterator[psycopg.Cursor[dict[str, Any]]]:
        """A dict-row cursor for reads that need one transaction (settings local to it, ended
        by the caller's COMMIT or rolled back here): on a read replica in rotation when there
        are some, like ``read()``, else a transaction on this database."""
        replicas, replica = self.replicas, None
        if replicas is not None and (replica := replicas.choose()) is not None:
            try:
                conn = replicas.acquire(replica)
            except FALLBACK_ERRORS as exc:
                replicas.failed(replica, exc)
                replica = None
        if replicas is None or replica is None:
            with self.cursor() as cur:
                yield cur
            return
        replica.reads += 1
        conn.autocommit = False
        try:
            with self._reading(conn), conn.cursor(row_factory=dict_row) as cur:
                yield cur
        except psycopg.OperationalError as exc:
            replicas.failed(replica, exc)
            raise DatabaseUnavailable(UNAVAILABLE) from exc
        finally:
            if not conn.closed:
                conn.rollback()  # nothing to undo: ends a transaction the caller left open
                conn.autocommit = True
            replicas.release(replica, conn)

    @contextmanager
    def cursor(self) -> Iterator[psycopg.Cursor[dict[str, Any]]]:
        with self.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            yield cur

    def close(self) -> None:
        if self.replicas is not None:
            self.replicas.close()
        if self._pool is not None:
            self._pool.close()
            self._pool = None
