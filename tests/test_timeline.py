"""GET /api/incidents/{id}/timeline: every change, transition, assignment step, unit movement
summary and alert of an incident in time order, against a history the test wrote (times it
chose or observed); actors only for callers with a key; a deleted incident keeps its timeline;
404 and 400."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from conftest import SyntheticRows
from editing import api_keys
from flask.testing import FlaskClient
from pyproj import Geod
from records import ACTOR, Recorder, recorder

from gisserver.settings import Settings
from gisserver.web import auth

LON, LAT = 30.0, -30.0  # far from every other test's data
MIN = dt.timedelta(minutes=1)


@pytest.fixture(scope="module")
def key(database_url: str) -> Iterator[str]:
    with api_keys(database_url, "timeline") as made:
        yield made["viewer"].secret


@pytest.fixture(autouse=True)
def fresh_limiter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "LIMITER", auth.FailureLimiter())


@pytest.fixture()
def record(settings: Settings, database_url: str, rows: SyntheticRows) -> Iterator[Recorder]:
    with recorder(settings, database_url, rows.source) as made:
        yield made


def _at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def test_timeline_in_time_order_with_every_kind(
    client: FlaskClient, record: Recorder, key: str, database_url: str
):
    t0 = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(hours=2)
    history = record.incident(f"POINT({LON} {LAT})", t0)
    alert_id = record.alert(
        f"incidents/{history.incident_id}",
        t0 + MIN,
        headline="Incident in a flood zone",
        acknowledged=(t0 + 3 * MIN, "duty-officer"),
        lonlat=(LON, LAT),
    )
    engine = record.unit("Engine 7", "fire_engine", LON - 0.02, LAT)
    medic = record.unit("Medic 3", "ambulance", LON + 0.02, LAT)
    first = record.assign(
        history,
        engine,
        t0 + 5 * MIN,
        en_route_at=t0 + 6 * MIN,
        on_scene_at=t0 + 15 * MIN,
        released_at=t0 + 50 * MIN,
    )
    second = record.assign(history, medic, t0 + 8 * MIN, en_route_at=t0 + 9 * MIN)
    track = [
        (t0 + 4 * MIN, LON - 0.03, LAT),  # before the assignment: not counted
        (t0 + 6 * MIN, LON - 0.02, LAT),
        (t0 + 10 * MIN, LON - 0.01, LAT + 0.005),
        (t0 + 15 * MIN, LON, LAT),
        (t0 + 55 * MIN, LON - 0.02, LAT),  # after the release: not counted
    ]
    record.positions(engine, track)
    verified = record.transition(history, "verified", "confirmed by a second caller")
    responding = record.transition(history, "responding")
    with record.acting() as conn:
        conn.execute(
            "UPDATE incidents SET severity = 'extreme' WHERE id = %s", (history.incident_id,)
        )
        changed = record.now(conn)

    expected = sorted(
        [
            (history.created_at, "created", None),
            (t0 + MIN, "alert", "raised"),
            (t0 + 3 * MIN, "alert", "acknowledged"),
            (first.assigned_at, "assignment", (first.id, "assigned")),
            (t0 + 6 * MIN, "assignment", (first.id, "en_route")),
            (t0 + 6 * MIN, "unit_movement", first.id),  # its first position in the assignment
            (t0 + 15 * MIN, "assignment", (first.id, "on_scene")),
            (t0 + 50 * MIN, "assignment", (first.id, "released")),
            (second.assigned_at, "assignment", (second.id, "assigned")),
            (second.assigned_at, "unit_movement", second.id),  # no position: when assigned
            (t0 + 9 * MIN, "assignment", (second.id, "en_route")),
            (verified, "transition", "verified"),
            (responding, "transition", "responding"),
            (changed, "changed", None),
        ],
        key=lambda e: e[0],  # stable: at one instant, a step before the movement summary
    )

    answer = client.get(
        f"/api/incidents/{history.incident_id}/timeline",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert answer.status_code == 200, answer.json
    document = answer.json
    items = document["timeline"]

    def detail(item: dict[str, Any]) -> Any:
        if item["kind"] == "alert":
            return item["event"]
        if item["kind"] == "assignment":
            return (item["assignment_id"], item["step"])
        if item["kind"] == "unit_movement":
            return item["assignment_id"]
        if item["kind"] == "transition":
            return item["to"]
        return None

    assert [(_at(i["at"]), i["kind"], detail(i)) for i in items] == expected
    assert [_at(i["at"]) for i in items] == sorted(_at(i["at"]) for i in items)

    by_kind = {(i["kind"], str(detail(i))): i for i in items}
    transition = by_kind[("transition", "verified")]
    assert transition["from"] == "reported" and transition["note"] == "confirmed by a second caller"
    assert transition["actor"] == ACTOR.name and transition["actor_role"] == "operator"
    change = by_kind[("changed", "None")]
    assert change["changes"] == {"severity": {"from": "high", "to": "extreme"}}
    assert by_kind[("alert", "acknowledged")]["actor"] == "duty-officer"
    assert by_kind[("alert", "raised")]["alert_id"] == alert_id
    assigned = by_kind[("assignment", str((first.id, "assigned")))]
    assert assigned["unit_name"] == "Engine 7" and assigned["unit_type"] == "fire_engine"
    assert assigned["actor"] == ACTOR.name

    inside = track[1:4]
    lons, lats = [p[1] for p in inside], [p[2] for p in inside]
    movement = by_kind[("unit_movement", str(first.id))]
    assert movement["positions"] == 3
    assert movement["distance_m"] == pytest.approx(
        Geod(ellps="WGS84").line_length(lons, lats), abs=0.1
    )
    assert _at(movement["first_position_at"]) == t0 + 6 * MIN
    assert _at(movement["last_position_at"]) == t0 + 15 * MIN
    idle = by_kind[("unit_movement", str(second.id))]
    assert idle["positions"] == 0 and idle["distance_m"] == 0 and idle["to"] is None

    assert document["incident"]["id"] == history.incident_id
    assert document["incident"]["properties"]["status"] == "responding"
    assert document["window"]["open"] is True
    assert _at(document["window"]["start"]) == t0


def test_actors_only_for_callers_with_a_key(client: FlaskClient, record: Recorder):
    history = record.incident(f"POINT({LON} {LAT + 0.5})", dt.datetime.now(dt.UTC))
    record.transition(history, "verified", "seen on camera 12")
    record.alert(
        f"incidents/{history.incident_id}",
        dt.datetime.now(dt.UTC),
        headline="x",
        acknowledged=(dt.datetime.now(dt.UTC), "duty-officer"),
    )
    answer = client.get(f"/api/incidents/{history.incident_id}/timeline")
    assert answer.status_code == 200
    items = answer.json["timeline"]
    assert {i["kind"] for i in items} == {"created", "transition", "alert"}
    for item in items:
        assert not {"actor", "actor_role"} & set(item), item
    assert "duty-officer" not in answer.get_data(as_text=True)
    assert ACTOR.name not in answer.get_data(as_text=True)
    assert [i["note"] for i in items if i["kind"] == "transition"] == ["seen on camera 12"]


def test_a_deleted_incident_keeps_its_timeline(client: FlaskClient, record: Recorder):
    history = record.incident(f"POINT({LON} {LAT + 1})", dt.datetime.now(dt.UTC))
    record.transition(history, "verified")
    with record.acting() as conn:
        conn.execute("DELETE FROM incidents WHERE id = %s", (history.incident_id,))
        deleted = record.now(conn)
    answer = client.get(f"/api/incidents/{history.incident_id}/timeline")
    assert answer.status_code == 200, answer.json
    document = answer.json
    assert _at(document["deleted_at"]) == deleted
    assert document["incident"]["properties"]["status"] == "verified"
    assert [i["kind"] for i in document["timeline"]] == ["created", "transition", "deleted"]
    assert _at(document["timeline"][-1]["at"]) == deleted


def test_unknown_incident_and_wrong_parameters(client: FlaskClient, database_url: str):
    with psycopg.connect(database_url) as conn:
        row = conn.execute(  # past every incident, also those deleted (their trail remains)
            "SELECT greatest((SELECT max(id) FROM incidents), (SELECT max(feature_id)"
            " FROM audit_log WHERE layer = 'incidents'), 0) + 1000"
        ).fetchone()
    missing = row[0]  # type: ignore[index]
    answer = client.get(f"/api/incidents/{missing}/timeline")
    assert answer.status_code == 404
    assert str(missing) in answer.json["description"]
    assert client.get(f"/api/incidents/{2**63}/timeline").status_code == 400
    assert client.get("/api/incidents/0/timeline").status_code == 400
    wrong = client.get(f"/api/incidents/{missing}/timeline?colour=red")
    assert wrong.status_code == 400 and "colour" in wrong.json["description"]
    assert client.get(f"/api/incidents/{missing}/timeline?f=html").status_code == 400
