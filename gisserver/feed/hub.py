"""The feed's listener in a server process: one thread ``LISTEN``s on ``gisserver_events``, reads
each new event once (``read_events``), keeps the latest ones in a ring and wakes every open
stream. A stream then takes the events after the last one it sent, from the ring, or from the
database when it is further behind than the ring reaches (a ``Last-Event-ID`` from before).

Events are read in id order and ids are handed out in commit order (migration 0008), so the
ring always holds a contiguous run of the feed: a stream that follows it misses nothing and
sends nothing twice. The thread wakes on ``NOTIFY`` (no polling); it also looks every
``IDLE_CHECK_S`` while idle, which costs one indexed query and covers nothing but a lost
connection. A database outage leaves the streams open (they send heartbeats); the thread
reconnects by itself and catches up from the last id it read.
"""

from __future__ import annotations

import bisect
import logging
import threading
import time
import weakref
from collections.abc import Callable
from typing import Any

import psycopg

from gisserver.errors import DatabaseUnavailable
from gisserver.feed.events import CHANNEL, Event, last_event_id, read_events
from gisserver.layers import LayerRegistry

log = logging.getLogger(__name__)

RING_SIZE = 5000
IDLE_CHECK_S = 10.0
RECONNECT_MAX_S = 10.0

_HUBS: weakref.WeakSet[Hub] = weakref.WeakSet()


class Hub:
    """The events of the feed as they commit, for the streams of one process."""

    def __init__(
        self,
        connect: Callable[[], psycopg.Connection[Any]],
        layers: LayerRegistry,
        *,
        base_url: str = "",
        ring_size: int = RING_SIZE,
    ) -> None:
        self._connect = connect
        self._layers = layers
        self._base_url = base_url
        self._ring_size = ring_size
        self._ring: list[Event] = []
        self._ids: list[int] = []
        # Every event with an id <= floor is older than the ring: read those from the database.
        self._floor: int | None = None
        self.head: int | None = None  # the newest event id read (None: not connected yet)
        self.connected = False
        self.closing = False
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="gisserver-feed", daemon=True)
        self._started = threading.Event()
        self._thread.start()
        _HUBS.add(self)

    # -- what the streams ask ----------------------------------------------------------------

    def wait_started(self, timeout: float) -> bool:
        """Wait until the hub has read the feed's head once (False: the database is away)."""
        return self._started.wait(timeout)

    def after(self, cursor: int) -> list[Event] | None:
        """The events after ``cursor`` that the ring holds ([] if none yet), or None when the
        ring does not reach back to ``cursor`` (read those from the database)."""
        with self._changed:
            if self._floor is None or cursor < self._floor:
                return None
            start = bisect.bisect_right(self._ids, cursor)
            return self._ring[start:]

    def wait(self, cursor: int, timeout: float) -> None:
        """Block until an event after ``cursor`` is read, the hub closes, or ``timeout``."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not self.closing and (self.head is None or self.head <= cursor):
                left = deadline - time.monotonic()
                if left <= 0:
                    return
                self._changed.wait(left)

    def close(self) -> None:
        """Wake every stream for the last time (the server is stopping)."""
        with self._changed:
            self.closing = True
            self._changed.notify_all()

    # -- the listening thread ----------------------------------------------------------------

    def _run(self) -> None:
        delay = 0.5
        while not self.closing:
            try:
                with self._connect() as conn:
                    conn.autocommit = True
                    conn.execute(f"LISTEN {CHANNEL}")
                    if self.head is None:
                        head = last_event_id(conn)
                        with self._changed:
                            self.head = head
                            self._floor = head
                    self.connected = True
                    self._started.set()
                    delay = 0.5
                    self._drain(conn)  # what committed while (re)connecting
                    while not self.closing:
                        # woken by a NOTIFY, or IDLE_CHECK_S went by: read what is new
                        for _ in conn.notifies(timeout=IDLE_CHECK_S, stop_after=1):
                            pass
                        if not self.closing:
                            self._drain(conn)
            except (psycopg.Error, DatabaseUnavailable) as exc:
                if self.connected:
                    log.warning("the change feed lost its database connection: %s", exc)
                self.connected = False
                time.sleep(delay)
                delay = min(delay * 2, RECONNECT_MAX_S)
            except Exception:  # never let the thread die: streams would hang silently
                log.exception("the change feed's listener failed; restarting it")
                self.connected = False
                time.sleep(delay)
                delay = min(delay * 2, RECONNECT_MAX_S)

    def _drain(self, conn: psycopg.Connection[Any]) -> None:
        while True:
            assert self.head is not None
            events = read_events(conn, self._layers, after=self.head, base_url=self._base_url)
            if not events:
                return
            with self._changed:
                self._ring.extend(events)
                self._ids.extend(e.id for e in events)
                extra = len(self._ring) - self._ring_size
                if extra > 0:
                    self._floor = self._ids[extra - 1]
                    del self._ring[:extra]
                    del self._ids[:extra]
                self.head = events[-1].id
                self._changed.notify_all()


def close_all() -> None:
    """Close every hub of this process (a server worker that is stopping)."""
    for hub in list(_HUBS):
        hub.close()
