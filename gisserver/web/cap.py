"""CAP 1.2 out and in (docs/cap.md).

``GET /api/alerts/{id}.cap`` is an alert as a CAP 1.2 message (``application/cap+xml``): the
current version's, msgType Alert, Update or Cancel with the references of the earlier ones.
``GET /api/alerts.atom`` is an Atom feed of the alerts in force (active and acknowledged),
each entry linking its CAP document. ``POST /api/cap`` (role analyst) applies a CAP message, or
an Atom feed embedding them, to the hazard zones (``gisserver.etl.cap_messages``, the same code
as ``gisserver etl load hazard_zones FILE``): 201 when it created zones, else 200, with what
each message did; a malformed (400) or invalid (422) document, or an Update/Cancel of a message
never loaded (409), changes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import shapely
from flask import Blueprint, Flask, Response, request

from gisserver.cap import MEDIA_TYPE, AlertVersion, Shape, alert_document, atom_feed, parse
from gisserver.context import public_base_url, state
from gisserver.db import load_sql
from gisserver.errors import NotFound, UnsupportedMediaType
from gisserver.etl.cap_messages import CapOutcome, apply_message
from gisserver.settings import Settings
from gisserver.web import auth

ACCEPTED_BODIES = ("application/cap+xml", "application/xml", "text/xml", "application/atom+xml")
ATOM_TYPE = "application/atom+xml"
# Entries of the Atom feed at most (the newest changes first).
FEED_LIMIT = 500
ZONE_PATH = "/ogc/collections/hazard_zones/items/{id}"


def _shape(settings: Settings) -> Shape:
    return Shape(
        tolerance_m=settings.cap_polygon_tolerance_m,
        max_points=settings.cap_polygon_max_points,
        point_radius_km=settings.cap_point_radius_km,
    )


def _versions(rows: list[dict[str, Any]], earlier: list[tuple[Any, ...]]) -> list[AlertVersion]:
    times: dict[int, dict[int, dt.datetime]] = {}
    for alert_id, version, sent in earlier:
        if sent is not None:
            times.setdefault(int(alert_id), {})[int(version)] = sent
    return [
        AlertVersion(
            **{k: v for k, v in row.items() if k != "wkb"},
            geometry=shapely.from_wkb(bytes(row["wkb"])),
            earlier={v: t for v, t in times.get(row["id"], {}).items() if v < row["version"]},
        )
        for row in rows
    ]


def _alerts(sql_name: str, params: dict[str, Any]) -> list[AlertVersion]:
    with state().database().read_cursor() as cur:
        cur.execute(load_sql(sql_name), params)
        rows = cur.fetchall()
        if not rows:
            return []
        cur.execute(load_sql("cap/alert_versions.sql"), {"ids": [r["id"] for r in rows]})
        earlier = [(r["feature_id"], r["version"], r["sent"]) for r in cur.fetchall()]
    return _versions(rows, earlier)


def _outcome_document(outcome: CapOutcome, base: str) -> dict[str, Any]:
    def zones(ids: list[int]) -> list[dict[str, Any]]:
        return [{"id": i, "url": base + ZONE_PATH.format(id=i)} for i in ids]

    return {
        "identifier": outcome.identifier,
        "sender": outcome.sender,
        "sent": outcome.sent.isoformat(),
        "status": outcome.status,
        "msgType": outcome.msg_type,
        "loaded": outcome.loaded,
        "created": zones(outcome.created),
        "updated": zones(outcome.updated),
        "ended": zones(outcome.ended),
        "unchanged": zones(outcome.unchanged),
        "skipped": outcome.skipped,
        "note": outcome.note,
    }


def init_app(app: Flask) -> None:
    """Register /api/alerts/{id}.cap, /api/alerts.atom and /api/cap."""
    bp = Blueprint("cap", __name__)

    @bp.get("/api/alerts/<int:alert_id>.cap")
    def alert_cap(alert_id: int) -> Response:
        found = _alerts("cap/alert.sql", {"id": alert_id})
        if not found:
            raise NotFound(f"alert {alert_id}: there is no such alert")
        settings = state().settings
        document = alert_document(found[0], sender=settings.cap_sender, shape=_shape(settings))
        return Response(document, mimetype=MEDIA_TYPE)

    @bp.get("/api/alerts.atom")
    def alerts_atom() -> Response:
        settings = state().settings
        base = public_base_url()
        document = atom_feed(
            _alerts("cap/alerts_in_force.sql", {"limit": FEED_LIMIT}),
            sender=settings.cap_sender,
            feed_url=base + "/api/alerts.atom",
            cap_url=base + "/api/alerts/{id}.cap",
            now=dt.datetime.now(dt.UTC),
        )
        return Response(document, mimetype=ATOM_TYPE)

    @bp.post("/api/cap")
    @auth.requires("analyst")
    def receive() -> Response:
        if request.mimetype not in ACCEPTED_BODIES:
            raise UnsupportedMediaType(
                "Content-Type",
                f"{request.mimetype or 'none'} is not accepted",
                ", ".join(ACCEPTED_BODIES),
            )
        messages = parse(request.get_data(cache=False), what="body")
        actor = auth.actor()
        with state().edits().connection() as conn:  # one transaction: every message or none
            outcomes = [apply_message(conn, message, actor) for message in messages]
        base = public_base_url()
        document = {
            "messages": [_outcome_document(o, base) for o in outcomes],
            "created": sum(len(o.created) for o in outcomes),
            "updated": sum(len(o.updated) for o in outcomes),
            "ended": sum(len(o.ended) for o in outcomes),
        }
        status = 201 if document["created"] else 200
        return Response(json.dumps(document), status=status, mimetype="application/json")

    app.register_blueprint(bp)
