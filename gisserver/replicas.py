"""Read replicas: PostgreSQL's own streaming replicas serving the read-only statements.

``GISSERVER_READ_REPLICAS`` (URLs, comma-separated) makes ``Database.read()`` spread its
statements over the replicas in rotation; writes (``Database.connection()``), the change feed's
LISTEN and migrations stay on the primary. A monitor thread asks each replica every
``CHECK_EVERY_S`` how far its replay is behind the primary: a replica that cannot be reached, is
not in recovery, or lags more than ``GISSERVER_REPLICA_MAX_LAG_S`` leaves the rotation and comes
back by itself when it recovers. A statement that fails on a replica (it died in between) is
run again on the primary: a replica going away fails no read.

Read-your-writes: a request may say the WAL position its client last wrote at
(``required_lsn``, set by the web tier from the client's cookie, header or key); it is then
read from a replica only if that replica has replayed at least that far, else from the primary.
"""

from __future__ import annotations

import contextvars
import itertools
import logging
import select
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

log = logging.getLogger(__name__)

CHECK_EVERY_S = 1.0
CONNECT_TIMEOUT_S = 2
POOL_WAIT_S = 0.5

# The WAL position (an int, see lsn()) the current request must see: set by the web tier.
required_lsn: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "gisserver_required_lsn", default=None
)


def lsn(text: str | None) -> int | None:
    """A PostgreSQL LSN ('16/B374D848') as an integer (comparable); None stays None."""
    if not text:
        return None
    high, _, low = text.partition("/")
    try:
        return (int(high, 16) << 32) + int(low, 16)
    except ValueError:
        return None


def lsn_text(value: int) -> str:
    return f"{value >> 32:X}/{value & 0xFFFFFFFF:X}"


def where(url: str) -> str:
    """host:port of a URL (never its credentials)."""
    parts = urlsplit(url)
    return f"{parts.hostname or 'localhost'}:{parts.port or 5432}"


@dataclass
class Replica:
    """One replica: its pool, and what the monitor last saw of it."""

    url: str
    pool: ConnectionPool
    in_rotation: bool = False
    replay_lsn: int | None = None
    lag_bytes: int | None = None
    lag_s: float | None = None
    error: str | None = None
    checked_at: float | None = None
    behind_since: float | None = None  # when the monitor first saw it behind the primary
    reads: int = 0

    def report(self) -> dict[str, Any]:
        return {
            "replica": where(self.url),
            "state": "in rotation" if self.in_rotation else "out of rotation",
            "lag_bytes": self.lag_bytes,
            "lag_s": None if self.lag_s is None else round(self.lag_s, 3),
            "replayed": None if self.replay_lsn is None else lsn_text(self.replay_lsn),
            "reads": self.reads,
            "error": self.error,
        }


STATUS = "SELECT pg_is_in_recovery() AS recovering, pg_last_wal_replay_lsn()::text AS replayed"


@dataclass
class ReplicaSet:
    """The replicas of one primary, in rotation while they keep up."""

    primary_url: str
    urls: list[str]
    max_lag_s: float = 5.0
    pool_size: int = 4
    statement_timeout_ms: int = 30_000
    replicas: list[Replica] = field(default_factory=list)
    _turn: Iterator[int] = field(default_factory=itertools.count)
    _monitor: threading.Thread | None = None
    _stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _configure(self, conn: psycopg.Connection[Any]) -> None:
        conn.execute(f"SET statement_timeout = {int(self.statement_timeout_ms)}")
        conn.execute("SET jit = off")
        conn.commit()

    def start(self) -> None:
        """Open the pools and start the monitor (once; in the serving process, not at import)."""
        with self._lock:
            if self._monitor is not None:
                return
            for url in self.urls:
                pool = ConnectionPool(
                    url,
                    min_size=0,
                    max_size=self.pool_size,
                    kwargs={"connect_timeout": CONNECT_TIMEOUT_S},
                    configure=self._configure,
                    check=check_idle_connection,
                    reconnect_timeout=4.0,
                    open=False,
                    name=f"replica {where(url)}",
                )
                pool.open(wait=False)
                self.replicas.append(Replica(url, pool))
            self.check()
            self._monitor = threading.Thread(
                target=self._watch, name="gisserver-replica-monitor", daemon=True
            )
            self._monitor.start()

    def _watch(self) -> None:
        while not self._stop.wait(CHECK_EVERY_S):
            try:
                self.check()
            except Exception:  # the monitor must outlive anything a check raises
                log.exception("replica check failed")

    def check(self) -> None:
        """Ask the primary where its WAL is, then each replica how far it has replayed."""
        try:
            with psycopg.connect(
                self.primary_url, connect_timeout=CONNECT_TIMEOUT_S, autocommit=True
            ) as conn:
                row = conn.execute("SELECT pg_current_wal_lsn()::text").fetchone()
            primary = lsn(row[0] if row else None)
        except psycopg.Error:
            primary = None  # the primary's own outage is /readyz's business
        for replica in self.replicas:
            self._check_one(replica, primary)

    def _check_one(self, replica: Replica, primary: int | None) -> None:
        try:
            with psycopg.connect(
                replica.url, connect_timeout=CONNECT_TIMEOUT_S, autocommit=True
            ) as conn:
                row = conn.execute(STATUS).fetchone()
        except psycopg.Error as exc:
            if replica.in_rotation:
                log.warning("replica %s out of rotation: %s", where(replica.url), exc)
            replica.in_rotation = False
            replica.error = "unreachable"  # the cause goes to the log, not to /readyz
            log.debug("replica %s unreachable: %s", where(replica.url), exc)
            replica.checked_at = time.time()
            return
        assert row is not None
        recovering, replayed = row
        replica.replay_lsn = lsn(replayed)
        replica.checked_at = time.time()
        if not recovering:
            replica.in_rotation, replica.error = False, "not a replica (not in recovery)"
            return
        behind = None
        if primary is not None and replica.replay_lsn is not None:
            behind = max(0, primary - replica.replay_lsn)
        replica.lag_bytes = behind
        # How long it has been behind, as the monitor saw it: nothing to replay is no lag,
        # however long ago the last transaction was (pg_last_xact_replay_timestamp() would
        # call a replica of an idle primary minutes late).
        now = time.monotonic()
        if behind == 0 or behind is None:
            replica.behind_since = None
            replica.lag_s = 0.0
        else:
            replica.behind_since = replica.behind_since or now
            replica.lag_s = now - replica.behind_since
        keeps_up = behind is not None and (behind == 0 or replica.lag_s <= self.max_lag_s)
        if keeps_up != replica.in_rotation:
            log.warning(
                "replica %s %s the rotation (lag %s bytes, %.1f s)",
                where(replica.url),
                "joins" if keeps_up else "leaves",
                behind,
                replica.lag_s or 0.0,
            )
        replica.in_rotation = keeps_up
        replica.error = None if keeps_up else f"lags {replica.lag_s:.1f} s ({behind} bytes)"

    def choose(self) -> Replica | None:
        """The next replica in rotation that has replayed what the request must see."""
        if self._monitor is None:
            self.start()
        needed = required_lsn.get()
        ready = [
            r
            for r in self.replicas
            if r.in_rotation
            and (needed is None or (r.replay_lsn is not None and r.replay_lsn >= needed))
        ]
        if not ready:
            return None
        return ready[next(self._turn) % len(ready)]

    def acquire(self, replica: Replica) -> psycopg.Connection[Any]:
        """A connection to ``replica`` in autocommit; PoolTimeout or OperationalError when it
        cannot give one (the caller falls back to the primary). Give it back with release()."""
        conn = replica.pool.getconn(timeout=POOL_WAIT_S)
        conn.autocommit = True
        return conn

    def release(self, replica: Replica, conn: psycopg.Connection[Any]) -> None:
        replica.pool.putconn(conn)

    def failed(self, replica: Replica, exc: BaseException) -> None:
        log.warning("replica %s failed a read, out of rotation: %s", where(replica.url), exc)
        replica.in_rotation = False
        replica.error = "failed a read"

    def report(self) -> list[dict[str, Any]]:
        if self._monitor is None:
            self.start()
        return [replica.report() for replica in self.replicas]

    def close(self) -> None:
        self._stop.set()
        for replica in self.replicas:
            replica.pool.close()


FALLBACK_ERRORS = (psycopg.OperationalError, PoolTimeout)


def check_idle_connection(conn: psycopg.Connection[Any]) -> None:
    """Raise if a pooled connection is dead, at the cost of a system call, not a round trip.

    An idle connection has nothing to read: the server says nothing between queries unless it
    is ending the session (a restart sends "terminating connection due to administrator
    command", then closes; a crashed server's socket reads as closed). So a connection whose
    socket is readable gets the real test, an empty query; one that is quiet is handed out.
    (A round trip for every request was 5-8% of a nearest answer.)
    """
    if conn.closed or conn.broken:
        raise psycopg.OperationalError("the connection is closed")
    readable, _, _ = select.select([conn.fileno()], [], [], 0)
    if readable:
        ConnectionPool.check_connection(conn)
