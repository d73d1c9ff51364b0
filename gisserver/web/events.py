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
    MAX_ID,
    MAX_PAGE,
    TYPES,
    Event,
    EventFilter,
    last_event_id,
    parse_event_id,
    read_events,
    utc_text,
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
    if sent is None or not sent.strip():  # after the newest committed event (the hub may lag)
        with state().database().read() as conn:
            return max(hub.head, last_event_id(conn)), None
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
            "expires": utc_text(expires),
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
    value = text.strip()
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= MAX_PAGE:
        raise InvalidParameter("limit", f"{text!r} is not a page size", f"1 to {MAX_PAGE}")
    return int(value)


# ---------------------------------------------------------------------------------------------
# Their description in the /api OpenAPI document (gisserver.web.api)

_EVENT_ID = {"type": "integer", "minimum": 0, "maximum": MAX_ID}
_FILTERS = [
    {
        "name": "types",
        "in": "query",
        "required": False,
        "style": "form",
        "explode": False,
        "schema": {"type": "array", "items": {"type": "string", "enum": list(TYPES)}},
        "description": "only these event types (comma-separated); none: every type",
    },
    {
        "name": "layers",
        "in": "query",
        "required": False,
        "style": "form",
        "explode": False,
        "schema": {"type": "array", "items": {"type": "string"}},
        "description": "only the feature events of these layers (comma-separated layer ids; "
        "alert events pass); none: every layer",
    },
    {
        "name": "bbox",
        "in": "query",
        "required": False,
        "style": "form",
        "explode": False,
        "schema": {"type": "array", "items": {"type": "number"}, "minItems": 4, "maxItems": 4},
        "description": "minLon,minLat,maxLon,maxLat (CRS84): only changes that touch the box "
        "(before or after them: a feature moved out of it is a change of the box)",
    },
]
_EVENT = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "type": {"type": "string", "enum": list(TYPES)},
        "at": {"type": "string", "format": "date-time"},
        "layer": {"type": "string"},
        "featureId": {"type": ["integer", "null"]},
        "operation": {"type": "string"},
        "version": {"type": ["integer", "null"]},
        "etlRun": {"type": "integer", "description": "the ETL run that made the change"},
        "feature": {
            "type": ["object", "null"],
            "description": "a feature event: the feature with its public fields (null: deleted)",
        },
        "alert": {"type": ["object", "null"], "description": "an alert event: the alert"},
        "count": {"type": "integer", "description": "a positions event: positions in the batch"},
        "stale": {
            "type": "integer",
            "description": "a positions event: positions not newer than their unit's",
        },
        "units": {
            "type": "object",
            "description": "a positions event: the units it moved, at their new positions (a "
            "GeoJSON FeatureCollection)",
        },
        "links": {"type": "array", "items": {"type": "object"}},
    },
}
_ERRORS = {
    "400": "a parameter is wrong (types, layers, bbox, an event id, limit); the description "
    "names it and what is accepted",
    "401": "the token (or the key) is not valid, or the server requires a key",
    "503": "the database is unavailable, or (a stream) every stream slot of this server process "
    "is taken; try again after Retry-After seconds",
}


def _errors(error: dict[str, Any], codes: tuple[str, ...]) -> dict[str, Any]:
    content = {"application/json": {"schema": error}}
    answers: dict[str, Any] = {
        code: {"description": _ERRORS[code], "content": content} for code in codes
    }
    if "503" in answers:
        answers["503"]["headers"] = {"Retry-After": {"schema": {"type": "integer"}}}
    return answers


def _json_answer(text: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": text, "content": {"application/json": {"schema": schema}}}


def openapi_paths(error: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI paths of /api/events, /api/events/token and /api/changes; ``error`` is the
    schema of an error document."""
    resume = "resume after this event id (what an EventSource sends when it reconnects)"
    token = {
        "type": "object",
        "properties": {
            "token": {"type": "string"},
            "expires": {"type": "string", "format": "date-time"},
            "stream": {"type": "string", "format": "uri", "description": "the stream's URL"},
        },
    }
    page = {
        "type": "object",
        "properties": {
            "events": {"type": "array", "items": _EVENT},
            "numberReturned": {"type": "integer"},
            "since": {"type": "integer", "description": "the request's since"},
            "next": {
                "type": "integer",
                "description": "the since of the next request: the last event looked at",
            },
            "links": {"type": "array", "items": {"type": "object"}},
        },
    }
    return {
        "/api/events": {
            "get": {
                "operationId": "events-stream",
                "summary": "The change feed as Server-Sent Events",
                "description": "An endless stream: first what the client missed after "
                "Last-Event-ID (or lastEventId), else nothing before the newest event, then "
                "every event as it commits, in id order (`id:`, `event:` feature or alert, "
                "`data:` the event as JSON); an idle stream gets a comment every 15 s. Readable "
                "like the other reads; a browser's EventSource sends its key as a `token` from "
                "POST /api/events/token. See docs/feed.md.",
                "parameters": [
                    *_FILTERS,
                    {
                        "name": LAST_EVENT_ID,
                        "in": "query",
                        "required": False,
                        "schema": _EVENT_ID,
                        "description": resume + "; the header wins",
                    },
                    {
                        "name": "token",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "string"},
                        "description": "a token from POST /api/events/token (valid 5 minutes)",
                    },
                    {
                        "name": "Last-Event-ID",
                        "in": "header",
                        "required": False,
                        "schema": _EVENT_ID,
                        "description": resume,
                    },
                ],
                "responses": {
                    "200": {
                        "description": "the stream (it does not end by itself)",
                        "content": {"text/event-stream": {"schema": {"type": "string"}}},
                    }
                }
                | _errors(error, ("400", "401", "503")),
            }
        },
        "/api/events/token": {
            "post": {
                "operationId": "events-token",
                "summary": "A short-lived token for an EventSource",
                "description": "Any valid API key. The token opens /api/events as its key for 5 "
                "minutes (a key never goes in a URL); `stream` is the URL with it.",
                "responses": {"200": _json_answer("the token", token)}
                | _errors(error, ("401", "503")),
            }
        },
        "/api/changes": {
            "get": {
                "operationId": "changes",
                "summary": "The change feed as JSON pages",
                "description": "The events after `since`, oldest first, filtered like the "
                "stream; follow `next` (or ask again with since=next later). A filter that "
                "matches little may answer fewer events than `limit` before the feed's end: "
                "ask again from `next`. See docs/feed.md.",
                "parameters": [
                    {
                        "name": "since",
                        "in": "query",
                        "required": False,
                        "schema": {**_EVENT_ID, "default": 0},
                        "description": "the events after this event id",
                    },
                    {
                        "name": "limit",
                        "in": "query",
                        "required": False,
                        "schema": {
                            "type": "integer",
                            "minimum": 1,
                            "maximum": MAX_PAGE,
                            "default": DEFAULT_CHANGES,
                        },
                        "description": "at most this many events",
                    },
                    *_FILTERS,
                ],
                "responses": {"200": _json_answer("a page of events", page)}
                | _errors(error, ("400", "503")),
            }
        },
    }
