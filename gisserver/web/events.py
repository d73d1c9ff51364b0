"""The change feed over HTTP: ``GET /api/events`` (Server-Sent Events), ``GET /api/changes``
(the same events as JSON pages, for systems that pull) and ``POST /api/events/token`` (a
short-lived token for a browser's EventSource, which cannot send a key in a header).

A stream starts after the newest event, or after ``Last-Event-ID`` (the header an EventSource
sends when it reconnects, or the ``lastEventId`` query parameter): it first replays what the
client missed, from the database, then follows the feed as it commits (``gisserver.feed.hub``),
in id order, nothing missed and nothing twice. ``types``, ``layers`` and ``bbox`` filter it. An
idle stream gets a comment every ``GISSERVER_EVENTS_HEARTBEAT_SECONDS`` (15 s), so proxies keep
it open and a client notices a dead connection.

Each stream holds a server thread while it is open (``gisserver serve --streams``): beyond
``GISSERVER_EVENTS_MAX_STREAMS`` per process a new one gets 503 with ``Retry-After``.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Flask, Response, current_app, request

from gisserver.context import AppState, public_base_url, state
from gisserver.db import connect, database_url
from gisserver.errors import DatabaseUnavailable, InvalidParameter
from gisserver.feed.events import (
    MAX_PAGE,
    Event,
    EventFilter,
    last_event_id,
    parse_event_id,
    read_events,
)
from gisserver.feed.hub import Hub
from gisserver.keys import TOKEN_TTL, sign_token
from gisserver.web import auth
from gisserver.web.http import query_args

HUB = "gisserver.feed.hub"
STREAMS = "gisserver.feed.streams"
LAST_EVENT_ID = "lastEventId"
DEFAULT_CHANGES = 100
RETRY_MS = 2000
# A replay reads the database in pages of this many events.
REPLAY_PAGE = 500
# /api/changes looks at most this many pages of MAX_PAGE events per request.
MAX_SCANNED_PAGES = 20


class TooManyStreams(DatabaseUnavailable):
    """Every stream slot of this process is taken (503, Retry-After)."""

    code = "TooManyStreams"


def _hub() -> Hub:
    app = current_app
    lock: threading.Lock = app.extensions[STREAMS]["lock"]
    with lock:
        hub: Hub | None = app.extensions.get(HUB)
        if hub is None:
            st = state()
            url = database_url(st.settings, "read")
            hub = Hub(
                lambda: connect(url, application_name="gisserver feed"),
                st.layers,
                base_url=(st.settings.public_url or "").rstrip("/"),
            )
            app.extensions[HUB] = hub
    return hub


def _frame(event: Event) -> str:
    return f"id: {event.id}\nevent: {event.type}\ndata: {event.data}\n\n"


def _start_cursor(hub: Hub) -> tuple[int, str | None]:
    """Where the stream starts: after the client's last event, else after the newest one."""
    sent = request.headers.get("Last-Event-ID") or request.args.get(LAST_EVENT_ID)
    if not hub.wait_started(5.0) or hub.head is None:
        raise DatabaseUnavailable("the change feed cannot reach the database; try again soon")
    if sent is None or not sent.strip():
        return hub.head, None
    cursor = parse_event_id(sent, "Last-Event-ID")
    if cursor > hub.head:
        with state().database().read() as conn:
            newest = last_event_id(conn)
        if cursor > newest:  # another server's ids, or a database restored from a backup
            return newest, f"Last-Event-ID {cursor} is ahead of this feed (newest {newest})"
    return cursor, None


def _stream(
    st: AppState, hub: Hub, cursor: int, wanted: EventFilter, note: str | None
) -> Iterator[str]:
    """The stream's text (runs outside the request's context: everything comes in ``st``)."""
    heartbeat = st.settings.events_heartbeat_seconds
    base_url = (st.settings.public_url or "").rstrip("/")
    db = st.database()
    yield f"retry: {RETRY_MS}\n: following the change feed after event {cursor}\n\n"
    if note:
        yield f": {note}\n\n"
    while not hub.closing:
        events = hub.after(cursor)
        if events is None:  # further back than the ring: replay from the database
            try:
                with db.read() as conn:
                    events = read_events(
                        conn, st.layers, after=cursor, limit=REPLAY_PAGE, base_url=base_url
                    )
            except DatabaseUnavailable:
                yield ": the database is unavailable; waiting\n\n"
                hub.wait(cursor, heartbeat)
                continue
        if events:
            cursor = events[-1].id
            frames = [_frame(e) for e in events if wanted.matches(e)]
            if frames:
                yield "".join(frames)
            continue
        hub.wait(cursor, heartbeat)
        if hub.head is None or hub.head <= cursor:
            yield ": heartbeat\n\n"


def init_app(app: Flask) -> None:
    """Register /api/events, /api/events/token and /api/changes."""
    app.extensions[STREAMS] = {
        "lock": threading.Lock(),
        "slots": threading.BoundedSemaphore(
            app.extensions["gisserver"].settings.events_max_streams
        ),
    }
    bp = Blueprint("events", __name__)

    @bp.get("/api/events")
    def stream() -> Response:
        st = state()
        args = query_args()
        wanted = EventFilter.parse(args, st.layers.ids())
        hub = _hub()
        cursor, note = _start_cursor(hub)
        slots: threading.BoundedSemaphore = current_app.extensions[STREAMS]["slots"]
        if not slots.acquire(blocking=False):
            raise TooManyStreams(
                "every event stream of this server process is taken "
                "(GISSERVER_EVENTS_MAX_STREAMS); try again in a few seconds"
            )

        def body() -> Iterator[str]:
            try:
                yield from _stream(st, hub, cursor, wanted, note)
            finally:
                slots.release()

        response = Response(body(), mimetype="text/event-stream")
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
        return response

    @bp.post("/api/events/token")
    @auth.requires_key
    def token() -> Response:
        who = auth.principal()
        expires = dt.datetime.now(dt.UTC) + TOKEN_TTL
        secret: bytes = current_app.extensions[auth.TOKEN_SECRET]
        value = sign_token(secret, who.name, expires)
        base = public_base_url()
        body = {
            "token": value,
            "expires": expires.isoformat().replace("+00:00", "Z"),
            "stream": f"{base}/api/events?{urlencode({'token': value})}",
        }
        response = Response(json.dumps(body), mimetype="application/json")
        response.headers["Cache-Control"] = "no-store"
        return response

    @bp.get("/api/changes")
    def changes() -> Response:
        st = state()
        args = query_args()
        wanted = EventFilter.parse(args, st.layers.ids())
        since = parse_event_id(args.get("since", "0"), "since")
        limit = _limit(args.get("limit"))
        base = public_base_url()
        found: list[dict[str, Any]] = []
        cursor = since
        with st.database().read() as conn:
            for _ in range(MAX_SCANNED_PAGES):  # a filter that matches little: come back later
                page = read_events(conn, st.layers, after=cursor, base_url=base)
                for event in page:
                    cursor = event.id
                    if wanted.matches(event):
                        found.append(event.document())
                        if len(found) == limit:
                            break
                if len(page) < MAX_PAGE or len(found) == limit:
                    break
        next_args = {**wanted.as_args(), "since": str(cursor), "limit": str(limit)}
        document = {
            "events": found,
            "numberReturned": len(found),
            "since": since,
            "next": cursor,
            "links": [
                {
                    "rel": "next",
                    "type": "application/json",
                    "href": f"{base}/api/changes?{urlencode(next_args)}",
                }
            ],
        }
        response = Response(json.dumps(document, ensure_ascii=False), mimetype="application/json")
        response.headers["Cache-Control"] = "no-store"
        return response

    app.register_blueprint(bp)


def _limit(text: str | None) -> int:
    if text is None:
        return DEFAULT_CHANGES
    if not text.strip().isdigit() or not 1 <= int(text) <= MAX_PAGE:
        raise InvalidParameter("limit", f"{text!r} is not a page size", f"1 to {MAX_PAGE}")
    return int(text)
