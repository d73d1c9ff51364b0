"""/api/alerts over HTTP: the list and one alert as GeoJSON, ack and resolve by an operator
(who and when, audited, in the feed), the 409s of a wrong status, 401/403, and the reads that
need a key when the server says so."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from conftest import SyntheticRows
from editing import api_keys
from flask import Flask
from flask.testing import FlaskClient
from psycopg.rows import dict_row

from gisserver.alerts import AlertEngine
from gisserver.app import create_app
from gisserver.db import Database
from gisserver.db import database_url as url_for
from gisserver.layers import LayerRegistry
from gisserver.settings import Settings
from gisserver.web import auth

LON, LAT = -20.0, 50.0  # far from every other test's data
ZONE = (LON, LAT, LON + 0.1, LAT + 0.1)
INSIDE = (LON + 0.05, LAT + 0.05)
BBOX = f"{LON - 1},{LAT - 1},{LON + 1},{LAT + 1}"


@pytest.fixture(scope="module")
def keys(database_url: str) -> Iterator[dict[str, tuple[str, str]]]:
    """A key of every role (`gisserver keys create`, editing.api_keys): role -> (name, secret)."""
    with api_keys(database_url, "alerts") as made:
        yield {role: (key.name, key.secret) for role, key in made.items()}


@pytest.fixture(autouse=True)
def fresh_limiter(monkeypatch: pytest.MonkeyPatch) -> None:
    """Other tests' failed authentications from 127.0.0.1 must not make ours a 429."""
    monkeypatch.setattr(auth, "LIMITER", auth.FailureLimiter())


@pytest.fixture(scope="module")
def edits(settings: Settings) -> Iterator[Database]:
    db = Database(url_for(settings, "edit"), min_size=1, max_size=4)
    yield db
    db.close()


@pytest.fixture()
def db(database_url: str) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(database_url, autocommit=True, row_factory=dict_row) as connection:
        yield connection


@pytest.fixture()
def raised(rows: SyntheticRows, edits: Database, layers: LayerRegistry, settings: Settings) -> int:
    """An incident inside a hazard zone in force, and the alert the rules raised about it."""
    engine = AlertEngine(edits, layers, settings)
    engine.catch_up()
    rows.zone(ZONE, severity="high", name="Levee breach")
    incident = rows.incident(INSIDE, incident_type="flood", severity="extreme")
    engine.catch_up()
    with psycopg.connect(rows._url) as conn:
        row = conn.execute(
            "SELECT id FROM alerts WHERE subject = %s AND status = 'active'",
            (f"incidents/{incident}",),
        ).fetchone()
    assert row is not None
    return int(row[0])


def bearer(keys: dict[str, tuple[str, str]], role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {keys[role][1]}"}


def test_list_and_show_as_geojson(client: FlaskClient, raised: int):
    response = client.get(f"/api/alerts?bbox={BBOX}&rule=incident_in_hazard_zone")
    assert response.status_code == 200, response.json
    assert response.mimetype == "application/geo+json"
    collection = response.json
    assert collection["type"] == "FeatureCollection"
    assert [f["id"] for f in collection["features"]] == [raised]
    feature = collection["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": list(INSIDE)}
    assert feature["properties"]["status"] == "active"
    assert feature["properties"]["severity"] == "severe"
    assert "Levee breach" in feature["properties"]["headline"]
    # anonymous callers do not see who acknowledged or resolved
    assert "acknowledged_by" not in feature["properties"]
    one = client.get(f"/api/alerts/{raised}")
    assert one.status_code == 200 and one.json["id"] == raised
    assert (
        client.get(f"/api/alerts?bbox={LON + 5},{LAT},{LON + 6},{LAT + 1}").json["features"] == []
    )
    assert client.get(f"/api/alerts?bbox={BBOX}&status=resolved").json["features"] == []
    assert client.get(f"/api/alerts?bbox={BBOX}&severity=minor").json["features"] == []


def test_unknown_alert_and_wrong_parameters(client: FlaskClient):
    missing = client.get("/api/alerts/987654321")
    assert missing.status_code == 404
    assert "987654321" in missing.get_data(as_text=True)
    wrong = client.get("/api/alerts?status=open")
    assert wrong.status_code == 400
    assert "active, acknowledged, resolved" in wrong.get_data(as_text=True)
    assert client.get("/api/alerts?rule=nonsense").status_code == 400
    assert client.get("/api/alerts?limit=0").status_code == 400
    assert client.get("/api/alerts?colour=red").status_code == 400


def test_paging_newest_first(
    client: FlaskClient, rows: SyntheticRows, edits: Database, layers, settings
):
    engine = AlertEngine(edits, layers, settings)
    engine.catch_up()
    rows.zone(ZONE)
    for i in range(3):
        rows.incident((INSIDE[0] + i * 0.01, INSIDE[1]))
    engine.catch_up()
    first = client.get(f"/api/alerts?bbox={BBOX}&rule=incident_in_hazard_zone&limit=2").json
    ids = [f["id"] for f in first["features"]]
    assert ids == sorted(ids, reverse=True) and len(ids) == 2
    (following,) = [link["href"] for link in first["links"] if link["rel"] == "next"]
    second = client.get(following).json
    assert [f["id"] for f in second["features"]] == [ids[-1] - 1]
    assert not [link for link in second["links"] if link["rel"] == "next"]


def test_ack_then_resolve_by_an_operator(
    client: FlaskClient,
    raised: int,
    keys: dict[str, tuple[str, str]],
    db: psycopg.Connection[Any],
):
    operator = keys["operator"][0]
    acked = client.post(
        f"/api/alerts/{raised}/ack",
        json={"note": "crew informed"},
        headers=bearer(keys, "operator"),
    )
    assert acked.status_code == 200, acked.json
    properties = acked.json["properties"]
    assert properties["status"] == "acknowledged"
    assert properties["acknowledged_by"] == operator
    assert properties["acknowledged_at"] is not None
    assert properties["details"]["acknowledgement_note"] == "crew informed"
    again = client.post(f"/api/alerts/{raised}/ack", headers=bearer(keys, "operator"))
    assert again.status_code == 409
    text = again.get_data(as_text=True)
    assert "is acknowledged" in text and "active" in text
    resolved = client.post(
        f"/api/alerts/{raised}/resolve",
        json={"note": "water receding"},
        headers=bearer(keys, "operator"),
    )
    assert resolved.status_code == 200, resolved.json
    assert resolved.json["properties"]["status"] == "resolved"
    assert resolved.json["properties"]["resolved_by"] == operator
    assert resolved.json["properties"]["resolution"] == "water receding"
    for action in ("ack", "resolve"):
        refused = client.post(f"/api/alerts/{raised}/{action}", headers=bearer(keys, "operator"))
        assert refused.status_code == 409
        assert "is resolved" in refused.get_data(as_text=True)
    # the trail says who, the feed publishes each change as an alert event
    trail = db.execute(
        "SELECT a.actor, a.actor_role, a.operation, a.after -> 'properties' ->> 'status' AS status,"
        " e.type FROM audit_log AS a JOIN events AS e ON e.audit_id = a.id"
        " WHERE a.layer = 'alerts' AND a.feature_id = %s ORDER BY a.id",
        (raised,),
    ).fetchall()
    assert [(t["actor"], t["actor_role"], t["status"], t["type"]) for t in trail] == [
        ("alert-rules", "system", "active", "alert"),
        (operator, "operator", "acknowledged", "alert"),
        (operator, "operator", "resolved", "alert"),
    ]
    # a caller with a key sees who did it
    shown = client.get(f"/api/alerts/{raised}", headers=bearer(keys, "viewer")).json
    assert shown["properties"]["acknowledged_by"] == operator


def test_resolve_an_active_alert_directly(
    client: FlaskClient, raised: int, keys: dict[str, tuple[str, str]]
):
    resolved = client.post(f"/api/alerts/{raised}/resolve", headers=bearer(keys, "admin"))
    assert resolved.status_code == 200
    assert resolved.json["properties"]["status"] == "resolved"
    assert resolved.json["properties"]["resolution"] == "resolved by an operator"
    assert resolved.json["properties"]["resolved_by"] == keys["admin"][0]


def test_who_may_acknowledge(client: FlaskClient, raised: int, keys: dict[str, tuple[str, str]]):
    assert client.post(f"/api/alerts/{raised}/ack").status_code == 401
    assert client.post(f"/api/alerts/{raised}/ack", headers=bearer(keys, "viewer")).status_code == (
        403
    )
    assert client.post(
        "/api/alerts/987654321/ack", headers=bearer(keys, "operator")
    ).status_code == (404)
    wrong = client.post(
        f"/api/alerts/{raised}/ack", json={"note": 5}, headers=bearer(keys, "operator")
    )
    assert wrong.status_code == 400
    assert client.get(f"/api/alerts/{raised}").json["properties"]["status"] == "active"


def test_reads_need_a_key_when_the_server_says_so(
    settings: Settings, raised: int, keys: dict[str, tuple[str, str]]
):
    locked: Flask = create_app(settings.model_copy(update={"reads_require_key": True}))
    try:
        client = locked.test_client()
        assert client.get("/api/alerts").status_code == 401
        assert client.get(f"/api/alerts/{raised}").status_code == 401
        assert client.get(f"/api/alerts/{raised}", headers=bearer(keys, "viewer")).status_code == (
            200
        )
    finally:
        state = locked.extensions["gisserver"]
        state.db.close()
        if state.editor is not None:
            state.editor.close()


def test_an_alert_a_person_resolved_is_not_raised_again_until_something_changes(
    client: FlaskClient,
    raised: int,
    keys: dict[str, tuple[str, str]],
    edits: Database,
    layers: LayerRegistry,
    settings: Settings,
    db: psycopg.Connection[Any],
):
    engine = AlertEngine(edits, layers, settings)
    engine.catch_up()
    resolved = client.post(f"/api/alerts/{raised}/resolve", headers=bearer(keys, "operator"))
    assert resolved.status_code == 200
    subject = db.execute("SELECT subject FROM alerts WHERE id = %s", (raised,)).fetchone()
    assert subject is not None
    engine.catch_up()
    engine.tick()
    count = (
        "SELECT count(*) AS n FROM alerts WHERE subject = %s AND rule = 'incident_in_hazard_zone'"
    )
    assert db.execute(count, (subject["subject"],)).fetchone() == {"n": 1}
    # the incident's severity changes: a new alert
    incident = int(subject["subject"].split("/")[1])
    db.execute("UPDATE incidents SET severity = 'low' WHERE id = %s", (incident,))
    engine.catch_up()
    assert db.execute(count, (subject["subject"],)).fetchone() == {"n": 2}
