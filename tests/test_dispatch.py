"""Command and dispatch over HTTP: an incident's phases (allowed moves only, who and when),
units sent to it (one open assignment per unit, also under concurrent requests over real
HTTP), an assignment's progress and its unit's status, and the units recommended, checked
against distances pyproj computes."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
import requests
from conftest import SyntheticRows
from editing import api_keys
from flask import Flask
from flask.testing import FlaskClient
from live import serving
from psycopg.rows import dict_row
from pyproj import Geod

from gisserver.web import auth

LON, LAT = 12.0, -33.0  # open sea, far from every other test's data
GEOD = Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def keys(database_url: str) -> Iterator[dict[str, tuple[str, str]]]:
    with api_keys(database_url, "dispatch") as made:
        yield {role: (key.name, key.secret) for role, key in made.items()}


@pytest.fixture(autouse=True)
def fresh_limiter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "LIMITER", auth.FailureLimiter())


def bearer(keys: dict[str, tuple[str, str]], role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {keys[role][1]}"}


class Units:
    """Units inserted for a test (at known places), removed with their assignments after it."""

    def __init__(self, rows: SyntheticRows) -> None:
        self.rows = rows
        self.ids: list[int] = []

    def add(
        self,
        lon: float,
        lat: float,
        *,
        unit_type: str = "ambulance",
        capabilities: tuple[str, ...] = ("ambulance", "ems"),
        status: str = "available",
    ) -> int:
        with self.rows.transaction():
            row = self.rows._conn.execute(
                "INSERT INTO units (source, source_id, name, unit_type, capabilities, status,"
                " geom) VALUES (%s, %s, %s, %s, %s, %s, ST_SetSRID(ST_MakePoint(%s, %s), 4326))"
                " RETURNING id",
                (
                    self.rows.source,
                    f"unit-{len(self.ids)}",
                    f"Unit {len(self.ids)}",
                    unit_type,
                    list(capabilities),
                    status,
                    lon,
                    lat,
                ),
            ).fetchone()
        assert row is not None
        self.ids.append(int(row[0]))
        return int(row[0])

    def delete(self) -> None:
        with psycopg.connect(self.rows._url, autocommit=True) as conn:
            conn.execute("DELETE FROM assignments WHERE unit_id = ANY(%s)", (self.ids,))
            conn.execute("DELETE FROM units WHERE id = ANY(%s)", (self.ids,))


@pytest.fixture()
def units(rows: SyntheticRows) -> Iterator[Units]:
    made = Units(rows)
    yield made
    made.delete()


@pytest.fixture()
def db(database_url: str) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(database_url, autocommit=True, row_factory=dict_row) as connection:
        yield connection


def _move(client: FlaskClient, keys: Any, incident: int, to: str, **body: Any) -> Any:
    return client.post(
        f"/api/incidents/{incident}/transition",
        json={"to": to, **body},
        headers=bearer(keys, "operator"),
    )


# --- the incident's phases -----------------------------------------------------------------------


def test_phases_move_along_the_lifecycle_and_record_who_and_when(
    client: FlaskClient, keys, rows: SyntheticRows, db
):
    incident = rows.incident((LON, LAT))
    before = db.execute("SELECT now() AS t").fetchone()["t"]
    moved = _move(client, keys, incident, "verified", note="caller confirmed by a patrol")
    assert moved.status_code == 200, moved.json
    assert moved.json["from"] == "reported" and moved.json["to"] == "verified"
    assert moved.json["by"] == keys["operator"][0] and moved.json["role"] == "operator"
    recorded = db.execute(
        "SELECT from_status, to_status, actor, actor_role, note, at FROM incident_transitions"
        " WHERE incident_id = %s ORDER BY id",
        (incident,),
    ).fetchall()
    assert [(r["from_status"], r["to_status"], r["actor"], r["note"]) for r in recorded] == [
        ("reported", "verified", keys["operator"][0], "caller confirmed by a patrol")
    ]
    assert recorded[0]["at"] >= before
    status = db.execute("SELECT status FROM incidents WHERE id = %s", (incident,)).fetchone()
    assert status["status"] == "verified"
    # the audit trail has the change too, by the same key
    audit = db.execute(
        "SELECT actor, after -> 'properties' ->> 'status' AS status FROM audit_log"
        " WHERE layer = 'incidents' AND feature_id = %s AND operation = 'update'",
        (incident,),
    ).fetchall()
    assert [(a["actor"], a["status"]) for a in audit] == [(keys["operator"][0], "verified")]


def test_a_move_the_lifecycle_does_not_allow_is_a_409_naming_the_allowed_ones(
    client: FlaskClient, keys, rows: SyntheticRows, db
):
    incident = rows.incident((LON, LAT))
    refused = _move(client, keys, incident, "closed")
    assert refused.status_code == 409
    assert "allowed from reported: verified, responding, cancelled" in refused.json["description"]
    again = _move(client, keys, incident, "reported")
    assert again.status_code == 409 and "reported already" in again.json["description"]
    for to in ("verified", "responding", "contained", "resolved", "closed"):
        assert _move(client, keys, incident, to).status_code == 200, to
    last = _move(client, keys, incident, "responding")
    assert last.status_code == 409 and "none (closed is a last phase)" in last.json["description"]
    phases = db.execute(
        "SELECT to_status FROM incident_transitions WHERE incident_id = %s ORDER BY id",
        (incident,),
    ).fetchall()
    assert [p["to_status"] for p in phases] == [
        "verified",
        "responding",
        "contained",
        "resolved",
        "closed",
    ]


def test_a_wrong_body_or_caller_is_refused_and_changes_nothing(
    client: FlaskClient, keys, rows: SyntheticRows, db
):
    incident = rows.incident((LON, LAT))
    assert _move(client, keys, incident, "on_fire").status_code == 422
    assert "accepted: reported, verified" in _move(client, keys, incident, "x").json["description"]
    extra = client.post(
        f"/api/incidents/{incident}/transition",
        json={"to": "verified", "why": "x"},
        headers=bearer(keys, "operator"),
    )
    assert extra.status_code == 422 and "why" in extra.json["description"]
    anonymous = client.post(f"/api/incidents/{incident}/transition", json={"to": "verified"})
    assert anonymous.status_code == 401
    viewer = client.post(
        f"/api/incidents/{incident}/transition",
        json={"to": "verified"},
        headers=bearer(keys, "viewer"),
    )
    assert viewer.status_code == 403
    assert _move(client, keys, 2**62, "verified").status_code == 404
    status = db.execute("SELECT status FROM incidents WHERE id = %s", (incident,)).fetchone()
    assert status["status"] == "reported"
    assert (
        db.execute(
            "SELECT count(*) AS n FROM incident_transitions WHERE incident_id = %s", (incident,)
        ).fetchone()["n"]
        == 0
    )


def test_features_writes_follow_the_same_lifecycle(
    client: FlaskClient, keys, rows: SyntheticRows, db
):
    incident = rows.incident((LON, LAT))
    patch = client.patch(
        f"/ogc/collections/incidents/items/{incident}",
        json={"properties": {"status": "closed"}},
        content_type="application/merge-patch+json",
        headers=bearer(keys, "operator"),
    )
    assert patch.status_code == 409, patch.json
    assert "allowed from reported" in patch.json["description"]
    allowed = client.patch(
        f"/ogc/collections/incidents/items/{incident}",
        json={"properties": {"status": "verified"}},
        content_type="application/merge-patch+json",
        headers=bearer(keys, "operator"),
    )
    assert allowed.status_code == 200, allowed.json
    recorded = db.execute(
        "SELECT to_status, actor FROM incident_transitions WHERE incident_id = %s", (incident,)
    ).fetchall()
    assert [(r["to_status"], r["actor"]) for r in recorded] == [("verified", keys["operator"][0])]
    created = client.post(
        "/ogc/collections/incidents/items",
        json={
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [LON, LAT]},
            "properties": {
                "incident_type": "fire",
                "status": "resolved",
                "reported_at": "2026-12-03T10:00:00Z",
            },
        },
        headers=bearer(keys, "operator"),
    )
    assert created.status_code == 409 and "starts reported" in created.json["description"]


# --- sending units -------------------------------------------------------------------------------


def test_units_sent_become_assigned_and_the_incident_responding(
    client: FlaskClient, keys, rows: SyntheticRows, units: Units, db
):
    incident = rows.incident((LON, LAT))
    first, second = units.add(LON + 0.01, LAT), units.add(LON + 0.02, LAT)
    sent = client.post(
        f"/api/incidents/{incident}/assignments",
        json={"unit_ids": [second, first], "note": "two ambulances"},
        headers=bearer(keys, "operator"),
    )
    assert sent.status_code == 201, sent.json
    assert sent.json["incident_status"] == "responding"
    assignments = sent.json["assignments"]
    assert [a["unit_id"] for a in assignments] == [first, second]
    assert {a["status"] for a in assignments} == {"assigned"}
    assert {a["assigned_by"] for a in assignments} == {keys["operator"][0]}
    assert assignments[0]["point"] == [LON, LAT]
    statuses = db.execute(
        "SELECT status FROM units WHERE id = ANY(%s)", ([first, second],)
    ).fetchall()
    assert {s["status"] for s in statuses} == {"assigned"}
    phase = db.execute(
        "SELECT from_status, to_status, note, actor FROM incident_transitions"
        " WHERE incident_id = %s",
        (incident,),
    ).fetchall()
    assert [(p["from_status"], p["to_status"], p["note"]) for p in phase] == [
        ("reported", "responding", "units dispatched")
    ]
    audited = db.execute(
        "SELECT count(*) AS n FROM audit_log WHERE layer = 'assignments' AND operation = 'create'"
        " AND feature_id = ANY(%s) AND actor = %s",
        ([a["id"] for a in assignments], keys["operator"][0]),
    ).fetchone()
    assert audited["n"] == 2
    listed = client.get(f"/api/incidents/{incident}/assignments")
    assert [a["id"] for a in listed.json["assignments"]] == [a["id"] for a in assignments]
    # a unit already out is not sent twice; an unknown one is a 422; nothing changes
    again = client.post(
        f"/api/incidents/{incident}/assignments",
        json={"unit_ids": [first]},
        headers=bearer(keys, "operator"),
    )
    assert again.status_code == 409
    assert f"unit {first} (Unit 0) is assigned" in again.json["description"]
    unknown = client.post(
        f"/api/incidents/{incident}/assignments",
        json={"unit_ids": [2**62]},
        headers=bearer(keys, "operator"),
    )
    assert unknown.status_code == 422 and "not found" in unknown.json["description"]
    for bad in ([], [first, first], ["1"], [0], list(range(1, 60))):
        response = client.post(
            f"/api/incidents/{incident}/assignments",
            json={"unit_ids": bad},
            headers=bearer(keys, "operator"),
        )
        assert response.status_code == 422, bad
    count = db.execute(
        "SELECT count(*) AS n FROM assignments WHERE incident_id = %s", (incident,)
    ).fetchone()
    assert count["n"] == 2


def test_a_finished_incident_gets_no_units(
    client: FlaskClient, keys, rows: SyntheticRows, units: Units
):
    incident = rows.incident((LON, LAT), status="resolved")
    unit = units.add(LON, LAT + 0.01)
    refused = client.post(
        f"/api/incidents/{incident}/assignments",
        json={"unit_ids": [unit]},
        headers=bearer(keys, "operator"),
    )
    assert refused.status_code == 409 and "is resolved" in refused.json["description"]


def test_concurrent_dispatches_of_one_unit_over_http_send_it_once(
    app: Flask, keys, rows: SyntheticRows, units: Units, db
):
    incidents = [rows.incident((LON + i * 0.001, LAT)) for i in range(8)]
    unit = units.add(LON, LAT - 0.01)
    answers: list[int] = []
    start = threading.Barrier(len(incidents))

    def send(base: str, incident: int) -> None:
        start.wait()
        response = requests.post(
            f"{base}/api/incidents/{incident}/assignments",
            json={"unit_ids": [unit]},
            headers=bearer(keys, "operator"),
            timeout=30,
        )
        answers.append(response.status_code)

    with serving(app) as base:
        threads = [threading.Thread(target=send, args=(base, i)) for i in incidents]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert sorted(answers) == [201] + [409] * (len(incidents) - 1)
    open_ = db.execute(
        "SELECT count(*) AS n FROM assignments WHERE unit_id = %s AND status <> 'released'",
        (unit,),
    ).fetchone()
    assert open_["n"] == 1


def test_an_assignment_moves_on_with_its_times_and_its_unit_follows(
    client: FlaskClient, keys, rows: SyntheticRows, units: Units, db
):
    incident = rows.incident((LON, LAT))
    unit = units.add(LON + 0.03, LAT)
    sent = client.post(
        f"/api/incidents/{incident}/assignments",
        json={"unit_ids": [unit]},
        headers=bearer(keys, "operator"),
    )
    assignment = sent.json["assignments"][0]
    assigned_at = dt.datetime.fromisoformat(assignment["assigned_at"])

    def move(to: str, **body: Any) -> Any:
        return client.post(
            f"/api/assignments/{assignment['id']}/transition",
            json={"to": to, **body},
            headers=bearer(keys, "operator"),
        )

    early = (assigned_at - dt.timedelta(minutes=5)).isoformat()
    assert move("en_route", at=early).status_code == 422
    assert move("en_route", at="yesterday").status_code == 422
    assert move("released", unit_status="en_route").status_code == 422
    en_route = move("en_route")
    assert en_route.status_code == 200, en_route.json
    assert en_route.json["status"] == "en_route" and en_route.json["en_route_at"]
    unit_status = "SELECT status FROM units WHERE id = %s"
    assert db.execute(unit_status, (unit,)).fetchone()["status"] == "en_route"
    assert move("assigned").status_code == 409
    assert move("parked").status_code == 422
    arrived = move("on_scene", note="on scene, one patient")
    assert arrived.json["status"] == "on_scene"
    assert db.execute(unit_status, (unit,)).fetchone()["status"] == "on_scene"
    assert move("en_route").status_code == 409
    released = move("released", unit_status="returning")
    assert released.status_code == 200
    times = [released.json[k] for k in ("assigned_at", "en_route_at", "on_scene_at", "released_at")]
    assert times == sorted(times)
    assert db.execute(unit_status, (unit,)).fetchone()["status"] == "returning"
    final = move("released")
    assert final.status_code == 409 and "released is the last" in final.json["description"]
    shown = client.get(f"/api/assignments/{assignment['id']}")
    assert shown.json["status"] == "released" and shown.json["note"] == "on scene, one patient"
    assert client.get("/api/assignments/999999999").status_code == 404
    beyond = 2**63  # no bigint: nothing by that id, not a database error
    assert client.get(f"/api/assignments/{beyond}").status_code == 404
    assert client.get(f"/api/incidents/{beyond}/assignments").status_code == 404
    assert move("en_route").status_code == 409  # (the id of this assignment still answers)


# --- which units to send -------------------------------------------------------------------------


def test_recommend_the_nearest_available_able_units_outside_hazard_zones(
    client: FlaskClient, rows: SyntheticRows, units: Units, settings
):
    incident = rows.incident((LON, LAT))
    places = {
        "near": (LON + 0.010, LAT + 0.004),
        "middle": (LON - 0.020, LAT - 0.010),
        "far": (LON + 0.050, LAT - 0.030),
        "farther": (LON - 0.080, LAT + 0.060),
    }
    able = {name: units.add(*where) for name, where in places.items()}
    units.add(LON + 0.001, LAT, status="assigned")  # nearest, but busy
    units.add(LON - 0.001, LAT, unit_type="police_car", capabilities=("police",))  # cannot help
    flooded = units.add(LON + 0.002, LAT + 0.002)  # inside a zone in force
    rows.zone((LON + 0.0015, LAT + 0.0015, LON + 0.0025, LAT + 0.0025))
    expired = units.add(LON - 0.002, LAT - 0.002)  # inside a zone that has ended
    rows.zone(
        (LON - 0.0025, LAT - 0.0025, LON - 0.0015, LAT - 0.0015),
        valid_from=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
        valid_to=dt.datetime(2020, 2, 1, tzinfo=dt.UTC),
    )
    response = client.get(f"/api/incidents/{incident}/recommend?capability=ambulance&k=4")
    assert response.status_code == 200, response.json
    features = response.json["features"]
    expected = sorted(
        [(GEOD.inv(LON, LAT, *places[n])[2], able[n]) for n in places]
        + [(GEOD.inv(LON, LAT, LON - 0.002, LAT - 0.002)[2], expired)]
    )[:4]
    assert [f["id"] for f in features] == [unit for _, unit in expected]
    assert flooded not in [f["id"] for f in features]
    speed = settings.dispatch_speed_kmh / 3.6
    for feature, (distance, _) in zip(features, expected, strict=True):
        assert feature["properties"]["distance_m"] == pytest.approx(distance, abs=0.1)
        assert feature["properties"]["eta_s"] == pytest.approx(distance / speed, abs=0.1)
        assert feature["properties"]["travel"] == "straight_line"
    police = client.get(f"/api/incidents/{incident}/recommend?capability=police&k=3")
    assert [f["properties"]["unit_type"] for f in police.json["features"]] == ["police_car"]
    assert client.get("/api/incidents/999999999/recommend").status_code == 404
    assert client.get(f"/api/incidents/{2**63}/recommend").status_code == 400
    assert client.get(f"/api/incidents/{incident}/recommend?k=0").status_code == 400
    assert client.get(f"/api/incidents/{incident}/recommend?k=3&x=1").status_code == 400
