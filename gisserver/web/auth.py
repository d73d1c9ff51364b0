"""Who is asking, for every request of every surface: /api, /ogc (pygeoapi's views and ours),
tiles, styles, the map and health.

``init_app`` installs one app-wide ``before_request`` hook, so no surface can be reached around
it (pygeoapi's blueprint included: app-level hooks run for every blueprint). It puts the
caller's ``Principal`` on ``flask.g``; a view that needs a role says so with ``@requires(role)``,
which answers 401 (no or unknown credentials, with a ``WWW-Authenticate`` challenge) or 403 (a
known caller whose role does not allow it) through the app's error handler.

Callers present an API key (``gisserver keys create``) as ``Authorization: Bearer <secret>``, as
``X-API-Key: <secret>``, or as HTTP Basic with the key's name as user and the secret as password
(QGIS 3.22 and GDAL's ``GDAL_HTTP_USERPWD`` speak Basic). Without a key a caller is anonymous:
reads of public fields stay open unless ``GISSERVER_READS_REQUIRE_KEY`` is set. A key that is
unknown, revoked or expired is a 401 (never a silent downgrade to anonymous), recorded in the
``security_events`` table with a 403; a client address with too many failures in a minute gets
429 until the minute is over.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import functools
import logging
import re
import secrets
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask, Response, current_app, g, request

from gisserver.audit import Actor
from gisserver.context import state
from gisserver.errors import Forbidden, GisServerError, Unauthorized
from gisserver.keys import ROLES, find_key, find_key_named, read_token

log = logging.getLogger(__name__)

REALM = "gisserver"
CHALLENGE = f'Basic realm="{REALM}", Bearer realm="{REALM}"'
# Failed authentications per client address and window before it is answered 429 (per worker).
MAX_FAILURES = 10
FAILURE_WINDOW_S = 60.0
# A key's last_used_at is written at most this often (not a write per request).
LAST_USED_EVERY = dt.timedelta(minutes=1)
# Endpoints that answer without a key even when reads require one (probes).
OPEN_ENDPOINTS = ("health.healthz", "health.readyz")
# Endpoints that also accept a short-lived signed token as ?token= (gisserver.keys.sign_token):
# a browser's EventSource cannot send headers, and a key never goes in a URL.
TOKEN_ENDPOINTS = ("events.stream",)
TOKEN_SECRET = "gisserver.token_secret"

F = TypeVar("F", bound=Callable[..., Any])
# A request id the client sent (X-Request-Id) is kept when it looks like one; else one is made.
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


class TooManyRequests(GisServerError):
    """Too many failed authentications from one client address (HTTP 429)."""

    status = 429
    code = "TooManyRequests"


@dataclass(frozen=True)
class Principal:
    """A caller: a name for the audit trail and the roles it holds."""

    name: str
    roles: frozenset[str]
    authenticated: bool = False

    def has(self, role: str) -> bool:
        return _known(role) in self.roles or "admin" in self.roles


ANONYMOUS = Principal("anonymous", frozenset())


def _known(role: str) -> str:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; accepted: {', '.join(ROLES)}")
    return role


class FailureLimiter:
    """Failed authentications per client address in a sliding window (this process only)."""

    def __init__(self, limit: int = MAX_FAILURES, window_s: float = FAILURE_WINDOW_S) -> None:
        self.limit = limit
        self.window_s = window_s
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, address: str, now: float) -> deque[float]:
        times = self._failures.setdefault(address, deque())
        while times and times[0] <= now - self.window_s:
            times.popleft()
        return times

    def blocked_for(self, address: str) -> float:
        """Seconds until ``address`` may try again (0: it may now)."""
        now = time.monotonic()
        with self._lock:
            times = self._recent(address, now)
            if len(times) < self.limit:
                return 0.0
            return max(0.0, times[0] + self.window_s - now)

    def failed(self, address: str) -> None:
        now = time.monotonic()
        with self._lock:
            self._recent(address, now).append(now)
            if len(self._failures) > 10_000:  # forget the quiet ones
                for quiet in [a for a, t in self._failures.items() if not t]:
                    del self._failures[quiet]


def _credentials() -> tuple[str | None, str] | None:
    """(the name a Basic user claims, the secret) of this request, or None."""
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return None, value.strip()
    if scheme.lower() == "basic" and value.strip():
        try:
            user, _, password = base64.b64decode(value.strip()).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return "", ""  # malformed: an authentication that fails
        return user, password
    api_key = request.headers.get("X-API-Key", "").strip()
    return (None, api_key) if api_key else None


def record(event: str, detail: str, key_name: str | None = None) -> None:
    """A row in ``security_events`` (failures to record are logged, never raised)."""
    try:
        with state().database().connection() as conn:
            conn.execute(
                "INSERT INTO security_events (event, key_name, client_address, method, path,"
                " detail) VALUES (%s, %s, %s, %s, %s, %s)",
                (event, key_name, request.remote_addr, request.method, request.path, detail),
            )
    except Exception:  # the answer (401/403/429) matters more than its record
        log.warning("could not record the security event %s", event, exc_info=True)


def _token_holder(token: str) -> Principal:
    """The holder of a stream token: its key, checked again (a revoked key's tokens stop)."""
    now = dt.datetime.now(dt.UTC)
    secret: bytes = current_app.extensions[TOKEN_SECRET]
    name = read_token(secret, token, now)
    key = None
    if name is not None:
        with state().database().connection() as conn:  # the primary: see identify()
            key = find_key_named(conn, name)
    if key is None or key.state(now) != "active":
        LIMITER.failed(request.remote_addr or "unknown")
        record("unauthenticated", "invalid or expired stream token", name)
        raise Unauthorized(
            "the token is not valid (expired, altered, or its key was revoked); accepted: a "
            "token from POST /api/events/token, used within 5 minutes"
        )
    return Principal(key.name, frozenset({key.role}), authenticated=True)


def identify() -> Principal:
    """The caller of the current request: anonymous, or the holder of a valid key (or, on a
    stream, of a valid token)."""
    given = _credentials()
    if given is None:
        token = request.args.get("token")
        if token and request.endpoint in TOKEN_ENDPOINTS:
            return _token_holder(token)
        return ANONYMOUS
    claimed, secret = given
    address = request.remote_addr or "unknown"
    wait = LIMITER.blocked_for(address)
    if wait > 0:
        record("rate_limited", f"more than {LIMITER.limit} failures in {LIMITER.window_s:.0f} s")
        raise TooManyRequests(
            f"too many failed authentications from {address}; try again in {wait:.0f} s"
        )
    now = dt.datetime.now(dt.UTC)
    key = None
    if secret:
        # Keys are read on the primary, never on a read replica: a key made or revoked a moment
        # ago acts at once (a replica replays it up to replica_max_lag_s later).
        with state().database().connection() as conn:
            key = find_key(conn, secret)
    if key is None or (claimed is not None and claimed != key.name) or key.state(now) != "active":
        LIMITER.failed(address)
        why = "unknown" if key is None or claimed not in (None, key.name) else key.state(now)
        record("unauthenticated", f"{why} key", key.name if key else claimed)
        raise Unauthorized(
            "the API key is not valid (unknown, revoked or expired); accepted: an active key "
            "as 'Authorization: Bearer <secret>', 'X-API-Key: <secret>' or Basic NAME:SECRET"
        )
    if key.last_used_at is None or now - key.last_used_at > LAST_USED_EVERY:
        with state().database().connection() as conn:
            conn.execute("UPDATE api_keys SET last_used_at = now() WHERE name = %s", (key.name,))
    return Principal(key.name, frozenset({key.role}), authenticated=True)


def principal() -> Principal:
    """The current request's caller, as the hook identified it."""
    who: Principal = g.get("principal", ANONYMOUS)
    return who


def request_id() -> str:
    """This request's id: the client's X-Request-Id when it is plain text of at most 64
    characters, else a new one. Sent back in X-Request-Id and kept in the audit trail."""
    known: str | None = g.get("request_id")
    if known is None:
        sent = request.headers.get("X-Request-Id", "")
        known = sent if _REQUEST_ID.match(sent) else uuid.uuid4().hex
        g.request_id = known
    return known


def actor() -> Actor:
    """The caller of this request as the audit trail records it."""
    who = principal()
    role = next(iter(who.roles)) if who.roles else None
    return Actor(who.name, role, request_id=request_id(), client_address=request.remote_addr)


def requires(role: str) -> Callable[[F], F]:
    """Refuse a view to callers without ``role`` (admin holds every role): 401 when
    unauthenticated, else 403."""
    _known(role)

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            who = principal()
            if not who.has(role):
                if not who.authenticated:
                    raise Unauthorized(
                        f"this needs the {role} role: send an API key "
                        "(Authorization: Bearer <secret>)"
                    )
                record("forbidden", f"needs the {role} role", who.name)
                raise Forbidden(f"{who.name} does not hold the {role} role this needs")
            return view(*args, **kwargs)

        return guarded  # type: ignore[return-value]

    return decorate


def requires_key(view: F) -> F:
    """Refuse a view to anonymous callers (401): any valid key may use it, whatever its role
    (a key holds one role, so ``requires("viewer")`` would refuse an operator)."""

    @functools.wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if not principal().authenticated:
            raise Unauthorized(
                "this needs an API key of any role: send it as 'Authorization: Bearer <secret>'"
            )
        return view(*args, **kwargs)

    return guarded  # type: ignore[return-value]


LIMITER = FailureLimiter()


def init_app(
    app: Flask, *, reads_require_key: bool = False, token_secret: str | None = None
) -> None:
    """Identify the caller of every request, before any surface's own hooks and views.
    ``token_secret`` signs the streams' tokens (None: a new random one for this app)."""
    app.extensions[TOKEN_SECRET] = (
        token_secret.encode("utf-8") if token_secret else secrets.token_bytes(32)
    )

    def _identify() -> None:
        g.principal = identify()
        if (
            reads_require_key
            and not g.principal.authenticated
            and request.endpoint not in OPEN_ENDPOINTS
            and request.method != "OPTIONS"
        ):
            raise Unauthorized(
                "this server requires an API key for every request; send one as "
                "'Authorization: Bearer <secret>', 'X-API-Key: <secret>' or Basic NAME:SECRET"
            )

    # First in the app-wide list: the blueprints' own before_request hooks run after it.
    app.before_request_funcs.setdefault(None, []).insert(0, _identify)

    @app.after_request
    def _request_id(response: Response) -> Response:
        if "request_id" in g:  # only requests that used one (a write, an audited event)
            response.headers["X-Request-Id"] = g.request_id
        return response
