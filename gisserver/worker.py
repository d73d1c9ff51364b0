"""The worker process (``gisserver worker``): what acts on the change feed outside requests.

One worker per database is active: it holds a session advisory lock (``WORKER_LOCK``) for as
long as its connection lives. Another one started beside it waits as a standby (it says so
once) and takes over when the lock is released, i.e. when the first one stops or dies.

The active worker ``LISTEN``s on the feed's channel and, on every notification and on a timer
(``worker_tick_seconds``), runs its consumers (``consumers()``): each keeps its own cursor in
the database, so being woken twice or late costs nothing and loses nothing.

A database outage does not end it: it logs one line, retries with a growing delay (at most
``RETRY_MAX_S``) and says when the database is back. SIGTERM and SIGINT (``stop``) end it
cleanly: the deliveries in flight finish (each is bounded by its timeout).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

import psycopg

from gisserver.alerts.engine import AlertEngine
from gisserver.db import Database, connect, database_url, describe_target
from gisserver.errors import DatabaseUnavailable
from gisserver.feed.delivery import WebhookDeliverer, check_settings
from gisserver.feed.events import CHANNEL
from gisserver.layers import LayerRegistry, load_layers
from gisserver.settings import Settings

log = logging.getLogger(__name__)

# pg_try_advisory_lock key of the active worker (the feed's lock is 7_470_310_015).
WORKER_LOCK = 7_470_310_016
# The application_name of its listening connection (pg_stat_activity shows which is which).
APPLICATION = "gisserver worker"
RETRY_MIN_S = 1.0
RETRY_MAX_S = 30.0


class Consumer(Protocol):
    """A part of the worker: it keeps its own place in the feed. Both methods return how much
    they did (for the log); an optional ``close()`` is called when the worker stops."""

    def catch_up(self) -> int:
        """Handle the events that came since the last call (woken by a NOTIFY)."""
        ...

    def tick(self, now: dt.datetime) -> int:
        """Periodic work: retries that are due, timers (every ``worker_tick_seconds``)."""
        ...


class Every:
    """A consumer whose periodic work runs at most every ``seconds`` (its events as they come):
    the alert rules' clock re-checks every subject, which need not run every tick."""

    def __init__(self, consumer: Any, seconds: float) -> None:
        self.consumer = consumer
        self.seconds = seconds
        self._last: dt.datetime | None = None

    def catch_up(self) -> int:
        done: int = self.consumer.catch_up()
        return done

    def tick(self, now: dt.datetime) -> int:
        if self._last is not None and (now - self._last).total_seconds() < self.seconds:
            return 0
        self._last = now
        done: int = self.consumer.tick(now)
        return done

    def close(self) -> None:
        close = getattr(self.consumer, "close", None)
        if close is not None:
            close()


def consumers(settings: Settings, db: Database, layers: LayerRegistry) -> list[Consumer]:
    """The worker's consumers, in the order they run; a new one is one more line here."""
    return [
        # first: the alerts it raises are events to deliver; its clock every alert_sweep_seconds
        Every(AlertEngine(db, layers, settings), settings.alert_sweep_seconds),
        WebhookDeliverer(db, layers, settings),
    ]


class _Outage:
    """One log line when the database goes away, one when it is back."""

    def __init__(self) -> None:
        self.since: float | None = None
        self.delay = RETRY_MIN_S

    def failed(self, reason: object) -> float:
        if self.since is None:
            self.since = time.monotonic()
            log.warning("worker: the database is unavailable (%s); retrying", reason)
        else:
            log.debug("worker: still no database (%s)", reason)
        delay, self.delay = self.delay, min(self.delay * 2, RETRY_MAX_S)
        return delay

    def healed(self) -> None:
        if self.since is not None:
            log.warning("worker: the database is back after %.0f s", time.monotonic() - self.since)
        self.since, self.delay = None, RETRY_MIN_S


def run(
    settings: Settings,
    stop: threading.Event,
    *,
    build: Callable[[Settings, Database, LayerRegistry], list[Consumer]] = consumers,
) -> None:
    """Work until ``stop`` is set: stand by while another worker is active, then listen and
    run the consumers (``build(settings, db, layers)``, ``consumers`` by default)."""
    check_settings(settings)
    url = database_url(settings, "edit")
    layers = load_layers(settings.layers_dir)
    outage = _Outage()
    while not stop.is_set():
        try:
            with connect(url, autocommit=True, application_name=APPLICATION) as conn:
                if not _take_lock(conn, settings, stop, outage):
                    break
                outage.healed()
                log.info("worker: active on %s", describe_target(url))
                _active(conn, url, settings, layers, stop, build)
        except (DatabaseUnavailable, psycopg.OperationalError) as exc:
            reason = exc.message if isinstance(exc, DatabaseUnavailable) else _line(exc)
            stop.wait(outage.failed(reason))
    log.info("worker: stopped")


def _line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _take_lock(
    conn: psycopg.Connection[Any], settings: Settings, stop: threading.Event, outage: _Outage
) -> bool:
    """Wait for the worker lock (False: stopped while waiting)."""
    said = False
    while not stop.is_set():
        row = conn.execute("SELECT pg_try_advisory_lock(%s)", (WORKER_LOCK,)).fetchone()
        if row and row[0]:
            return True
        outage.healed()
        if not said:
            log.info(
                "worker: standby: another worker is active on this database; taking over when "
                "it stops"
            )
            said = True
        stop.wait(settings.worker_tick_seconds)
    return False


def _active(
    conn: psycopg.Connection[Any],
    url: str,
    settings: Settings,
    layers: LayerRegistry,
    stop: threading.Event,
    build: Callable[[Settings, Database, LayerRegistry], list[Consumer]],
) -> None:
    """Listen and run the consumers until ``stop`` (or the connection is lost: it raises)."""
    row = conn.execute("SELECT to_regclass('subscriptions') IS NOT NULL").fetchone()
    if not (row and row[0]):  # waited for like an outage: a deployment may migrate later
        raise DatabaseUnavailable(
            "the database has no change feed yet (migration 0008); run 'gisserver db migrate'"
        )
    db = Database(
        url,
        min_size=0,
        max_size=settings.webhook_threads + 2,
        statement_timeout_ms=settings.statement_timeout_ms,
    )
    parts: list[Consumer] = build(settings, db, layers)
    try:
        conn.execute(f"LISTEN {CHANNEL}")
        _each(parts, "catch_up")  # what came while no worker was active
        tick_s = settings.worker_tick_seconds
        next_tick = time.monotonic()
        while not stop.is_set():
            wait = max(0.0, next_tick - time.monotonic())
            woken = any(True for _ in conn.notifies(timeout=wait, stop_after=1))
            if woken:
                for _ in conn.notifies(timeout=0):  # one round for every NOTIFY queued
                    pass
                _each(parts, "catch_up")
            if time.monotonic() >= next_tick:
                now = dt.datetime.now(dt.UTC)
                _each(parts, "tick", now)
                # A query on the listening connection: a lost server shows here, not later.
                conn.execute("SELECT 1")
                next_tick = time.monotonic() + tick_s
    finally:
        for part in parts:
            close = getattr(part, "close", None)
            if callable(close):
                close()
        db.close()


def _each(parts: list[Consumer], method: str, *args: Any) -> None:
    """Call ``method`` of each consumer: an outage ends the round (the worker reconnects); any
    other error is one consumer's, logged, and the others still run."""
    for part in parts:
        try:
            getattr(part, method)(*args)
        except psycopg.errors.QueryCanceled:  # past the statement timeout: that part's, not ours
            log.exception("worker: %s took longer than the statement timeout", type(part).__name__)
        except (DatabaseUnavailable, psycopg.OperationalError):
            raise
        except Exception:
            log.exception("worker: %s failed", type(part).__name__)
