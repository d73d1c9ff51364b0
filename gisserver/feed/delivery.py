"""Delivering the feed to webhook subscriptions: the worker's ``WebhookDeliverer`` consumer.

For each active subscription that is due (never failed, or its retry time has come) the events
after its cursor are read; those its filter does not want just move the cursor on, the others
are POSTed one per request, in id order: the body is the event's document exactly as the SSE
stream sends it, signed with the subscription's secret (``X-Gisserver-Signature``).

**At least once.** Each attempt is a ``deliveries`` row written before the request (its id is
the ``X-Gisserver-Delivery`` header) and completed after it; a 2xx answer moves the cursor past
the event in that same transaction. A worker that dies in between leaves the row saying so and
sends the event again when it comes back: at most the event in flight is sent twice.

**Retries.** Anything but a 2xx (an error status, a timeout, a refused connection, a name that
does not resolve, an address that is not allowed) is recorded and retried after a delay that
doubles from ``webhook_backoff_seconds`` up to ``webhook_backoff_max_seconds``, with jitter; a
subscription failing for longer than ``webhook_retry_hours`` is suspended, its cursor kept, so
resuming it delivers every event it missed.

**Each subscription in its own lane.** Subscriptions are delivered by a small thread pool
(``webhook_threads``), one job per subscription at a time: a slow receiver delays only its own
events.

**Where a request goes.** The host is resolved at each attempt and only an address that
``webhooks.refusal`` allows is connected to, that very address (no second lookup a DNS answer
could change in between); redirects are not followed (a 3xx is a failure); a delivery takes at
most ``webhook_timeout_seconds`` in all and at most 64 KB of the answer is read.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import http.client
import logging
import os
import random
import socket
import ssl
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import SplitResult, urlsplit

import psycopg
from psycopg.rows import dict_row

from gisserver.errors import ConfigError, DatabaseUnavailable
from gisserver.feed.events import Event, read_events
from gisserver.feed.hub import Hub
from gisserver.feed.webhooks import (
    SIGNATURE_HEADER,
    IPAddress,
    IPNetwork,
    allowed_networks,
    destination_addresses,
    event_filter,
    signature,
)

if TYPE_CHECKING:
    from gisserver.db import Database
    from gisserver.layers import LayerRegistry
    from gisserver.settings import Settings

log = logging.getLogger(__name__)

MAX_ANSWER_BYTES = 64 * 1024
# Events read per round of one subscription.
BATCH = 100
# The nice value of the delivery threads (0 normal, 19 lowest): below the server's requests.
DELIVERY_NICE = 10
USER_AGENT = "gisserver-webhooks/1"
# What an attempt's row says until its answer is recorded (a worker stopped in between).
IN_FLIGHT = "no answer recorded: the worker stopped during the request; the event is sent again"
MAX_ERROR = 500


@dataclass(frozen=True)
class Outcome:
    """How one POST went: a 2xx is ``delivered``; otherwise the status or the error."""

    delivered: bool
    status_code: int | None
    error: str | None
    duration_ms: float


def backoff_seconds(
    attempt: int, base: float, cap: float, rng: random.Random | None = None
) -> float:
    """The delay after failed attempt number ``attempt`` (1, 2, ...): ``base`` doubling up to
    ``cap``, less a random part of up to a quarter (retries of many subscriptions spread)."""
    delay = min(cap, base * 2.0 ** min(max(attempt - 1, 0), 60))
    return delay * (rng or random).uniform(0.75, 1.0)


class _PinnedHTTP(http.client.HTTPConnection):
    """An HTTP connection to one checked address, whatever the host name resolves to now."""

    def __init__(self, host: str, port: int, address: IPAddress, connect_timeout: float) -> None:
        super().__init__(host, port, timeout=connect_timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((str(self.address), self.port), self.timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def start_tls(self) -> None:
        """Nothing to do over plain HTTP."""


class _PinnedHTTPS(_PinnedHTTP):
    """The same over TLS: the certificate is checked against the host name (SNI too)."""

    default_port = 443
    _tls = ssl.create_default_context()

    def start_tls(self) -> None:
        self.sock = self._tls.wrap_socket(self.sock, server_hostname=self.host)


def post(
    url: SplitResult,
    body: bytes,
    headers: dict[str, str],
    *,
    allowed: tuple[IPNetwork, ...],
    connect_timeout: float,
    timeout: float,
) -> Outcome:
    """POST ``body`` to ``url`` at an address that is allowed; never raises for the network.
    ``timeout`` bounds it all, from the name's resolution to the answer's last byte read."""
    started = time.monotonic()
    host = url.hostname or ""
    https = url.scheme.lower() == "https"
    port = url.port or (443 if https else 80)
    path = (url.path or "/") + (f"?{url.query}" if url.query else "")
    kind = _PinnedHTTPS if https else _PinnedHTTP
    connection: _PinnedHTTP | None = None
    watchdog: threading.Timer | None = None
    try:
        addresses = destination_addresses(host, port, allowed)
        errors: list[str] = []
        for address in addresses[:3]:
            remaining = timeout - (time.monotonic() - started)
            if remaining <= 0:
                errors.append("timed out")
                break
            candidate = kind(host, port, address, min(connect_timeout, remaining))
            try:
                candidate.connect()
            except OSError as exc:
                errors.append(f"{address}: {_reason(exc)}")
                candidate.close()
                continue
            connection = candidate
            break
        if connection is None:
            raise OSError("; ".join(errors))
        remaining = max(0.1, timeout - (time.monotonic() - started))
        connection.sock.settimeout(remaining)
        # The whole exchange (TLS handshake included) ends by the deadline, however slowly the
        # other side trickles its bytes.
        watchdog = threading.Timer(remaining, _shut, (connection.sock,))
        watchdog.daemon = True
        watchdog.start()
        connection.start_tls()
        connection.request("POST", path, body=body, headers=headers)
        answer = connection.getresponse()
        answer.read(MAX_ANSWER_BYTES)
        status = answer.status
    except (OSError, http.client.HTTPException, ValueError) as exc:
        return Outcome(False, None, _reason(exc)[:MAX_ERROR], _ms(started))
    finally:
        if watchdog is not None:
            watchdog.cancel()
        if connection is not None:
            connection.close()
    if 200 <= status < 300:
        return Outcome(True, status, None, _ms(started))
    error = f"answered HTTP {status}"
    if 300 <= status < 400:
        error += " (redirects are not followed)"
    return Outcome(False, status, error, _ms(started))


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


def _ms(started: float) -> float:
    return round((time.monotonic() - started) * 1000, 1)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError | socket.timeout):
        return "timed out"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, ssl.SSLError):
        return f"TLS: {exc.reason or exc}"
    if isinstance(exc, http.client.RemoteDisconnected | ConnectionResetError | BrokenPipeError):
        return "the connection was closed without an answer (or the deadline passed)"
    return str(exc) or type(exc).__name__


_DUE = """
SELECT s.id FROM subscriptions AS s
 WHERE s.status = 'active' AND (s.next_attempt_at IS NULL OR s.next_attempt_at <= now())
   AND s.cursor < (SELECT coalesce(max(id), 0) FROM events)
 ORDER BY s.id
"""
_SUBSCRIPTION = """
SELECT id, url, secret, types, layers, bbox, status, cursor, attempts, failing_since,
       next_attempt_at, now() AS now
  FROM subscriptions WHERE id = %s
"""
_FAILED = """
UPDATE subscriptions
   SET attempts = %(attempt)s,
       failing_since = coalesce(failing_since, %(started)s),
       next_attempt_at = now() + %(delay)s * interval '1 second',
       status = CASE WHEN coalesce(failing_since, %(started)s)
                          < now() - %(hours)s * interval '1 hour'
                     THEN 'suspended' ELSE status END,
       updated_at = now()
 WHERE id = %(id)s AND status = 'active'
RETURNING status
"""


class WebhookDeliverer:
    """The worker's consumer that delivers the feed to the webhook subscriptions."""

    name = "webhooks"

    def __init__(self, db: Database, layers: LayerRegistry, settings: Settings) -> None:
        # Its own pool: a delivery's bookkeeping commits without waiting for the disk (a crash
        # loses at most the last rows and cursor moves: those events are sent again, at least
        # once as always), so thousands of deliveries a second do not queue up fsyncs before
        # the writes of the people at the desks.
        self.db = dataclasses.replace(db, synchronous_commit=False, _pool=None)
        self.layers = layers
        self.settings = settings
        self.allowed = allowed_networks(settings.webhook_allowed_networks)
        self.base_url = (settings.public_url or f"http://{settings.host}:{settings.port}").rstrip(
            "/"
        )
        # The events as they commit, read and formatted once for every subscription (a job
        # reads the database only when it is further behind than the hub's ring).
        url = db.url
        self._feed = Hub(
            lambda: psycopg.connect(url, application_name="gisserver webhooks feed"),
            layers,
            base_url=self.base_url,
        )
        self._pool = ThreadPoolExecutor(
            settings.webhook_threads, thread_name_prefix="webhook", initializer=_background
        )
        self._lock = threading.Lock()
        # subscription id -> "new events came while its job ran" (the job makes another round)
        self._running: dict[int, bool] = {}
        self._stopping = threading.Event()

    def catch_up(self) -> int:
        """Start a job for every subscription that has events to deliver and is due."""
        return self._dispatch()

    def tick(self, now: dt.datetime) -> int:
        """Retries whose time has come (a subscription with events and no job: started)."""
        return self._dispatch()

    def close(self) -> None:
        """Let the requests in flight end (each is bounded by the timeout), start no more."""
        self._stopping.set()
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._feed.close()
        self.db.close()

    def _dispatch(self) -> int:
        with self.db.read() as conn:
            due = [row[0] for row in conn.execute(_DUE).fetchall()]
        started = 0
        with self._lock:
            for subscription_id in due:
                if subscription_id in self._running:
                    self._running[subscription_id] = True
                    continue
                self._running[subscription_id] = False
                self._pool.submit(self._job, subscription_id)
                started += 1
        return started

    def _job(self, subscription_id: int) -> None:
        try:
            while not self._stopping.is_set():
                self._deliver(subscription_id)
                with self._lock:
                    if not self._running[subscription_id]:
                        del self._running[subscription_id]
                        return
                    self._running[subscription_id] = False
        except (DatabaseUnavailable, psycopg.OperationalError) as exc:
            log.warning(
                "webhooks: subscription %s waits for the database: %s", subscription_id, exc
            )
        except Exception:
            log.exception("webhooks: subscription %s: delivery failed", subscription_id)
        with self._lock:
            self._running.pop(subscription_id, None)

    def _deliver(self, subscription_id: int) -> None:
        """Deliver the subscription's events until none is left, one fails or it is stopped."""
        while not self._stopping.is_set():
            with self.db.read() as conn, conn.cursor(row_factory=dict_row) as cur:
                row = cur.execute(_SUBSCRIPTION, (subscription_id,)).fetchone()
                if row is None or row["status"] != "active":
                    return
                if row["next_attempt_at"] is not None and row["next_attempt_at"] > row["now"]:
                    return
                events = self._feed.after(row["cursor"]) or read_events(
                    conn, self.layers, after=row["cursor"], limit=BATCH, base_url=self.base_url
                )
            if not events:
                return
            events = events[:BATCH]
            wanted = event_filter(row)
            cursor = done = row["cursor"]
            for event in events:
                if self._stopping.is_set():
                    break
                if not wanted.matches(event):
                    done = event.id  # not wanted: passed over with the next write
                    continue
                if done > cursor and not self._advance(subscription_id, cursor, done):
                    return
                cursor = done
                if not self._attempt(row, event):
                    return
                row["attempts"] = 0  # the next event's first attempt
                cursor = done = event.id
            if done > cursor and not self._advance(subscription_id, cursor, done):
                return

    def _advance(self, subscription_id: int, cursor: int, to: int) -> bool:
        """Move the cursor over events the filter does not want (False: it was changed)."""
        with self.db.connection() as conn:
            moved = conn.execute(
                "UPDATE subscriptions SET cursor = %s, updated_at = now()"
                " WHERE id = %s AND cursor = %s AND status = 'active' RETURNING id",
                (to, subscription_id, cursor),
            ).fetchone()
        return moved is not None

    def _attempt(self, row: dict[str, Any], event: Event) -> bool:
        """POST one event; record the attempt; True when it was delivered."""
        attempt = int(row["attempts"]) + 1
        started = dt.datetime.now(dt.UTC)
        with self.db.connection() as conn:
            # Only while it is active: deleted or suspended meanwhile, nothing more is sent.
            delivery = conn.execute(
                "INSERT INTO deliveries (subscription_id, event_id, attempt, delivered, error)"
                " SELECT id, %s, %s, false, %s FROM subscriptions"
                "  WHERE id = %s AND status = 'active' RETURNING id",
                (event.id, attempt, IN_FLIGHT, row["id"]),
            ).fetchone()
        if delivery is None:
            return False
        body = event.data.encode("utf-8")
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "X-Gisserver-Event": event.type,
            "X-Gisserver-Event-Id": str(event.id),
            "X-Gisserver-Delivery": str(delivery[0]),
            SIGNATURE_HEADER: signature(row["secret"], body),
        }
        outcome = post(
            urlsplit(row["url"]),
            body,
            headers,
            allowed=self.allowed,
            connect_timeout=self.settings.webhook_connect_timeout_seconds,
            timeout=self.settings.webhook_timeout_seconds,
        )
        with self.db.connection() as conn:
            conn.execute(
                "UPDATE deliveries SET delivered = %s, status_code = %s, error = %s,"
                " duration_ms = %s WHERE id = %s",
                (
                    outcome.delivered,
                    outcome.status_code,
                    outcome.error,
                    outcome.duration_ms,
                    delivery[0],
                ),
            )
            if outcome.delivered:
                conn.execute(
                    "UPDATE subscriptions SET cursor = %s, attempts = 0, failing_since = NULL,"
                    " next_attempt_at = NULL, updated_at = now() WHERE id = %s AND cursor < %s",
                    (event.id, row["id"], event.id),
                )
                return True
            delay = backoff_seconds(
                attempt,
                self.settings.webhook_backoff_seconds,
                self.settings.webhook_backoff_max_seconds,
            )
            changed = conn.execute(
                _FAILED,
                {
                    "attempt": attempt,
                    "started": started,
                    "delay": delay,
                    "hours": self.settings.webhook_retry_hours,
                    "id": row["id"],
                },
            ).fetchone()
        if changed is not None and changed[0] == "suspended":
            log.warning(
                "webhooks: subscription %s suspended: failing for more than %s h (last: %s); "
                "POST /api/subscriptions/%s/resume resumes it at event %s",
                row["id"],
                self.settings.webhook_retry_hours,
                outcome.error,
                row["id"],
                event.id,
            )
        else:
            log.info(
                "webhooks: subscription %s, event %s, attempt %s: %s; next in %.1f s",
                row["id"],
                event.id,
                attempt,
                outcome.error,
                delay,
            )
        return False


def _background() -> None:
    """A delivery thread yields the CPU to the server's requests and the alert rules: on Linux
    a thread's nice value is its own (setpriority on its thread id). Deliveries are background
    work: under load they fall behind (and catch up) rather than slow down the desks' writes."""
    # not Linux, or not allowed: deliveries run at the worker's priority
    with contextlib.suppress(OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), DELIVERY_NICE)


def check_settings(settings: Settings) -> None:
    """Refuse settings the deliverer cannot work with (a ConfigError names the setting)."""
    allowed_networks(settings.webhook_allowed_networks)
    if settings.webhook_backoff_max_seconds < settings.webhook_backoff_seconds:
        raise ConfigError(
            "GISSERVER_WEBHOOK_BACKOFF_MAX_SECONDS is below GISSERVER_WEBHOOK_BACKOFF_SECONDS; "
            "accepted: a cap at least as long as the first delay"
        )
