"""The alert rules on a real PostGIS: each raised when its condition starts, never twice while
open, resolved by the rules when the condition ends; the hazard-zone rule's assets and
population checked against an independent computation (shapely on the same rows)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
import shapely
from conftest import SyntheticRows
from psycopg.rows import dict_row

from gisserver.alerts import AlertEngine
from gisserver.db import Database
from gisserver.db import database_url as url_for
from gisserver.layers import LayerRegistry
from gisserver.settings import Settings

# Far from every other test's data.
LON, LAT = 30.0, 10.0
ZONE = (LON, LAT, LON + 0.1, LAT + 0.1)
INSIDE = (LON + 0.05, LAT + 0.05)
OUTSIDE = (LON + 0.5, LAT + 0.5)


@pytest.fixture(scope="module")
def edits(settings: Settings) -> Iterator[Database]:
    """The database as the worker writes alerts: the edit role."""
    db = Database(url_for(settings, "edit"), min_size=1, max_size=4)
    yield db
    db.close()


@pytest.fixture()
def engine(edits: Database, layers: LayerRegistry, settings: Settings) -> AlertEngine:
    engine = AlertEngine(edits, layers, settings)
    engine.catch_up()  # the cursor past every earlier change (other tests' rows too)
    return engine


@pytest.fixture()
def db(database_url: str) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(database_url, autocommit=True, row_factory=dict_row) as connection:
        yield connection


def alerts_of(db: psycopg.Connection[Any], rule: str, subject: str) -> list[dict[str, Any]]:
    """Every alert of a rule about a subject, oldest first (read directly, not through ours)."""
    return db.execute(
        "SELECT *, ST_AsText(geom) AS wkt FROM alerts WHERE rule = %s AND subject = %s ORDER BY id",
        (rule, subject),
    ).fetchall()


def the_open(db: psycopg.Connection[Any], rule: str, subject: str) -> dict[str, Any] | None:
    found = [a for a in alerts_of(db, rule, subject) if a["status"] != "resolved"]
    assert len(found) <= 1
    return found[0] if found else None


def move(db: psycopg.Connection[Any], table: str, feature_id: int, lon: float, lat: float) -> None:
    db.execute(
        f"UPDATE {table} SET geom = ST_SetSRID(ST_MakePoint(%s, %s), 4326) WHERE id = %s",
        (lon, lat, feature_id),
    )


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# ---------------------------------------------------------------------------------------------
# incident_in_hazard_zone


def test_incident_created_inside_a_zone_in_force_raises_one_alert(
    rows: SyntheticRows, engine: AlertEngine, db: psycopg.Connection[Any]
):
    rows.zone(ZONE, hazard_type="flood", severity="high", name="FEMA 100-year floodplain")
    incident = rows.incident(INSIDE, incident_type="fire", severity="high")
    assert engine.catch_up() >= 1
    alert = the_open(db, "incident_in_hazard_zone", f"incidents/{incident}")
    assert alert is not None
    assert alert["status"] == "active"
    assert alert["severity"] == "severe"  # the zone's high
    assert alert["headline"] == (
        f"Incident {incident} (fire, high) is inside hazard zone 'FEMA 100-year floodplain' "
        "(flood, high)"
    )
    assert alert["wkt"] == f"POINT({INSIDE[0]} {INSIDE[1]})"
    assert alert["details"]["zones"][0]["name"] == "FEMA 100-year floodplain"
    # not raised twice while open: the feed again, and the clock's re-check
    engine.catch_up()
    engine.tick()
    db.execute("UPDATE incidents SET description = 'still burning' WHERE id = %s", (incident,))
    engine.catch_up()
    assert len(alerts_of(db, "incident_in_hazard_zone", f"incidents/{incident}")) == 1


def test_incident_moved_into_and_out_of_a_zone(
    rows: SyntheticRows, engine: AlertEngine, db: psycopg.Connection[Any]
):
    rows.zone(ZONE, severity="extreme", name="Chemical plume")
    incident = rows.incident(OUTSIDE, incident_type="collision", severity="low")
    engine.catch_up()
    subject = f"incidents/{incident}"
    assert alerts_of(db, "incident_in_hazard_zone", subject) == []
    move(db, "incidents", incident, *INSIDE)
    engine.catch_up()
    alert = the_open(db, "incident_in_hazard_zone", subject)
    assert alert is not None and alert["severity"] == "extreme"
    move(db, "incidents", incident, *OUTSIDE)
    engine.catch_up()
    assert the_open(db, "incident_in_hazard_zone", subject) is None
    (resolved,) = alerts_of(db, "incident_in_hazard_zone", subject)
    assert resolved["status"] == "resolved"
    assert resolved["resolved_by"] == "alert-rules"
    assert "no longer inside a hazard zone" in resolved["resolution"]
    assert resolved["resolved_at"] is not None
    # back in: a new alert (the old one stays resolved)
    move(db, "incidents", incident, *INSIDE)
    engine.catch_up()
    assert [a["status"] for a in alerts_of(db, "incident_in_hazard_zone", subject)] == [
        "resolved",
        "active",
    ]


def test_no_alert_for_a_zone_ended_or_not_yet_begun(
    rows: SyntheticRows, engine: AlertEngine, db: psycopg.Connection[Any]
):
    hour = dt.timedelta(hours=1)
    rows.zone(ZONE, valid_from=now() - 2 * hour, valid_to=now() - hour)
    rows.zone(ZONE, valid_from=now() + hour)
    incident = rows.incident(INSIDE)
    engine.catch_up()
    engine.tick()
    assert alerts_of(db, "incident_in_hazard_zone", f"incidents/{incident}") == []
    # the zone to come: in force at that time (the clock's rule)
    engine.tick(now() + 2 * hour)
    assert the_open(db, "incident_in_hazard_zone", f"incidents/{incident}") is not None
    engine.tick()  # and not any more now
    assert the_open(db, "incident_in_hazard_zone", f"incidents/{incident}") is None


def test_zone_drawn_around_an_incident_then_ended_then_deleted(
    rows: SyntheticRows, engine: AlertEngine, db: psycopg.Connection[Any]
):
    incident = rows.incident(INSIDE)
    open_shelter = rows.shelter(*INSIDE, status="open")
    engine.catch_up()
    subject = f"incidents/{incident}"
    assert alerts_of(db, "incident_in_hazard_zone", subject) == []
    zone = rows.zone(ZONE, severity="moderate")
    engine.catch_up()  # the feed alone: no tick
    alert = the_open(db, "incident_in_hazard_zone", subject)
    assert alert is not None and alert["severity"] == "moderate"
    assert the_open(db, "shelter_open_in_hazard_zone", f"shelters/{open_shelter}") is not None
    db.execute("UPDATE hazard_zones SET valid_to = now() WHERE id = %s", (zone,))
    engine.catch_up()
    assert the_open(db, "incident_in_hazard_zone", subject) is None
    assert the_open(db, "shelter_open_in_hazard_zone", f"shelters/{open_shelter}") is None
    db.execute("UPDATE hazard_zones SET valid_to = NULL WHERE id = %s", (zone,))
    engine.catch_up()
    assert the_open(db, "incident_in_hazard_zone", subject) is not None
    assert the_open(db, "hazard_zone_covers_assets", f"hazard_zones/{zone}") is not None
    db.execute("DELETE FROM hazard_zones WHERE id = %s", (zone,))
    engine.catch_up()
    assert the_open(db, "incident_in_hazard_zone", subject) is None
    assert the_open(db, "hazard_zone_covers_assets", f"hazard_zones/{zone}") is None


def test_a_resolved_incident_resolves_its_alert(
    rows: SyntheticRows, engine: AlertEngine, db: psycopg.Connection[Any]
):
    rows.zone(ZONE)
    incident = rows.incident(INSIDE)
    engine.catch_up()
    assert the_open(db, "incident_in_hazard_zone", f"incidents/{incident}") is not None
    db.execute("UPDATE incidents SET status = 'resolved' WHERE id = %s", (incident,))
    engine.catch_up()
    assert the_open(db, "incident_in_hazard_zone", f"incidents/{incident}") is None


# ---------------------------------------------------------------------------------------------
# hazard_zone_covers_assets


def test_zone_covering_assets_lists_them_and_the_population(
    rows: SyntheticRows, engine: AlertEngine, db: psycopg.Connection[Any]
):
    x, y = LON, LAT
    inside_units = [
        ("u1", 1000.0, (x + 0.01, y + 0.01, x + 0.03, y + 0.03)),
        ("u2", 500.0, (x + 0.05, y + 0.05, x + 0.08, y + 0.08)),
    ]
    outside_units = [("u3", 9999.0, (x + 0.2, y + 0.2, x + 0.25, y + 0.25))]
    # half inside: cut by a meridian, so its share is the same on the ellipsoid as in degrees
    half_units = [("u4", 2000.0, (x + 0.09, y + 0.02, x + 0.11, y + 0.04))]
    units = inside_units + outside_units + half_units
    rows.census((x - 0.1, y - 0.1, x + 0.3, y + 0.3), units)
    rows.shelter(x + 0.02, y + 0.02, name="School gym", status="open", capacity=100)
    rows.shelter(x + 0.3, y + 0.3, name="Far hall")
    rows.stockpile(x + 0.04, y + 0.06, name="Depot North")
    rows.camera(x + 0.09, y + 0.01, name="Bridge cam")
    rows.camera(x - 0.05, y - 0.05, name="Outside cam")
    zone = rows.zone(ZONE, hazard_type="flood", severity="moderate", name="River flood")
    engine.catch_up()
    alert = the_open(db, "hazard_zone_covers_assets", f"hazard_zones/{zone}")
    assert alert is not None
    assert alert["severity"] == "moderate"
    assert alert["headline"].startswith("Hazard zone 'River flood' (flood, moderate) covers")
    # independent: shapely on the same rows
    area = shapely.box(*ZONE)
    for layer in ("shelters", "stockpiles", "cameras"):
        stored = db.execute(
            f"SELECT id, ST_X(geom) AS x, ST_Y(geom) AS y FROM {layer} WHERE source = %s",
            (rows.source,),
        ).fetchall()
        expected = sorted(r["id"] for r in stored if area.intersects(shapely.Point(r["x"], r["y"])))
        assert [a["id"] for a in alert["details"]["assets"][layer]] == expected
        assert expected
    covered = sum(
        p * shapely.box(*box).intersection(area).area / shapely.box(*box).area
        for _, p, box in units
    )
    assert covered == pytest.approx(2500.0)
    assert alert["details"]["population"]["population"] == pytest.approx(covered, rel=1e-6)
    assert alert["details"]["population"]["source"] == rows.source
    assert "About 2,500 people live in the zone" in alert["description"]
    assert alert["wkt"].startswith("MULTIPOLYGON")
    # an asset leaves: the same alert, updated
    shelter = alert["details"]["assets"]["shelters"][0]["id"]
    move(db, "shelters", shelter, x + 0.5, y + 0.5)
    engine.catch_up()
    (updated,) = alerts_of(db, "hazard_zone_covers_assets", f"hazard_zones/{zone}")
    assert updated["details"]["assets"]["shelters"] == []
    assert updated["version"] == alert["version"] + 1
    # the zone ends: resolved
    db.execute(
        "UPDATE hazard_zones SET valid_to = now() - interval '1 minute' WHERE id = %s", (zone,)
    )
    engine.catch_up()
    assert the_open(db, "hazard_zone_covers_assets", f"hazard_zones/{zone}") is None


def test_zone_covering_nothing_raises_nothing(
    rows: SyntheticRows, engine: AlertEngine, db: psycopg.Connection[Any]
):
    zone = rows.zone(ZONE)
    engine.catch_up()
    assert alerts_of(db, "hazard_zone_covers_assets", f"hazard_zones/{zone}") == []


# ---------------------------------------------------------------------------------------------
# shelters


def test_shelter_occupancy_at_exactly_ninety_percent_and_below(
    rows: SyntheticRows, engine: AlertEngine, db: psycopg.Connection[Any]
):
    # 0.9 * 10 is 9.000000000000002 in floating point: exactly 90% must still count
    at = rows.shelter(*OUTSIDE, capacity=10, occupancy=9, name="Town hall")
    below = rows.shelter(*OUTSIDE, capacity=100, occupancy=89)
    engine.catch_up()
    alert = the_open(db, "shelter_nearly_full", f"shelters/{at}")
    assert alert is not None
    assert alert["headline"] == (
        f"Shelter 'Town hall' ({at}) is nearly full: 9 of 10 places taken (90%)"
    )
    assert alert["wkt"] == f"POINT({OUTSIDE[0]} {OUTSIDE[1]})"
    assert alerts_of(db, "shelter_nearly_full", f"shelters/{below}") == []
    db.execute("UPDATE shelters SET occupancy = 90 WHERE id = %s", (below,))
    engine.catch_up()
    assert the_open(db, "shelter_nearly_full", f"shelters/{below}") is not None
    db.execute("UPDATE shelters SET occupancy = 8 WHERE id = %s", (at,))
    engine.catch_up()
    assert the_open(db, "shelter_nearly_full", f"shelters/{at}") is None


def test_open_shelter_inside_a_zone(
    rows: SyntheticRows, engine: AlertEngine, db: psycopg.Connection[Any]
):
    rows.zone(ZONE, severity="low", name="Heat")
    opened = rows.shelter(*INSIDE, status="open")
    standby = rows.shelter(*INSIDE, status="standby")
    engine.catch_up()
    alert = the_open(db, "shelter_open_in_hazard_zone", f"shelters/{opened}")
    assert alert is not None and alert["severity"] == "minor"
    assert alerts_of(db, "shelter_open_in_hazard_zone", f"shelters/{standby}") == []
    db.execute("UPDATE shelters SET status = 'closed' WHERE id = %s", (opened,))
    engine.catch_up()
    assert the_open(db, "shelter_open_in_hazard_zone", f"shelters/{opened}") is None


# ---------------------------------------------------------------------------------------------
# stockpiles (their lots change without a feature event of their own: the clock re-checks)


def test_stock_below_minimum(rows: SyntheticRows, engine: AlertEngine, db: psycopg.Connection[Any]):
    today = now().date()
    low = rows.stockpile(*OUTSIDE, name="Depot Low")
    rows.item(low, "water", 60, "case")
    rows.item(low, "water", 500, "case", expires_on=today - dt.timedelta(days=1))  # expired
    ok = rows.stockpile(*OUTSIDE)
    rows.item(ok, "water", 100, "case")
    rows.item(ok, "pump", 1, "unit")  # no minimum for pumps
    engine.tick()
    alert = the_open(db, "stock_below_minimum", f"stockpiles/{low}")
    assert alert is not None
    assert alert["details"]["items"] == [
        {"item": "water", "quantity": 60, "unit": "case", "minimum": 100}
    ]
    assert alert["headline"] == f"Stockpile 'Depot Low' ({low}) is low on water"
    assert alerts_of(db, "stock_below_minimum", f"stockpiles/{ok}") == []
    engine.tick()
    assert len(alerts_of(db, "stock_below_minimum", f"stockpiles/{low}")) == 1
    rows.item(low, "water", 40, "case", expires_on=today + dt.timedelta(days=365))
    engine.tick()
    assert the_open(db, "stock_below_minimum", f"stockpiles/{low}") is None


def test_stock_expiring_within_days(
    rows: SyntheticRows, engine: AlertEngine, db: psycopg.Connection[Any]
):
    today = now().date()
    soon = rows.stockpile(*OUTSIDE)
    rows.item(soon, "medical_kit", 20, "kit", expires_on=today + dt.timedelta(days=3))
    later = rows.stockpile(*OUTSIDE)
    rows.item(later, "medical_kit", 20, "kit", expires_on=today + dt.timedelta(days=30))
    engine.tick()
    alert = the_open(db, "stock_expiring", f"stockpiles/{soon}")
    assert alert is not None
    assert alert["details"]["lots"][0]["expires_on"] == str(today + dt.timedelta(days=3))
    assert alerts_of(db, "stock_expiring", f"stockpiles/{later}") == []
    engine.tick(now() + dt.timedelta(days=25))
    assert the_open(db, "stock_expiring", f"stockpiles/{later}") is not None
    # the lot is issued (quantity 0) and the stockpile's change reaches the rules through the feed
    db.execute("UPDATE stockpile_items SET quantity = 0 WHERE stockpile_id = %s", (soon,))
    db.execute("UPDATE stockpiles SET name = 'emptied' WHERE id = %s", (soon,))
    engine.catch_up()
    assert the_open(db, "stock_expiring", f"stockpiles/{soon}") is None


# ---------------------------------------------------------------------------------------------
# cameras


def test_camera_silence_on_the_clock(
    rows: SyntheticRows, engine: AlertEngine, db: psycopg.Connection[Any]
):
    camera = rows.camera(*OUTSIDE, name="Harbour cam", status="online")
    engine.catch_up()
    engine.tick(now() + dt.timedelta(minutes=31))
    # loaded and never reported since (an ETL snapshot): not a camera that reports
    assert alerts_of(db, "camera_silent", f"cameras/{camera}") == []
    db.execute("UPDATE cameras SET status = 'online' WHERE id = %s", (camera,))  # a report
    engine.catch_up()
    engine.tick()
    assert alerts_of(db, "camera_silent", f"cameras/{camera}") == []
    engine.tick(now() + dt.timedelta(minutes=31))
    alert = the_open(db, "camera_silent", f"cameras/{camera}")
    assert alert is not None
    assert alert["headline"] == (
        f"Camera 'Harbour cam' ({camera}) has reported nothing for more than 30 minutes"
    )
    engine.tick(now() + dt.timedelta(minutes=40))
    assert len(alerts_of(db, "camera_silent", f"cameras/{camera}")) == 1
    db.execute("UPDATE cameras SET status = 'offline' WHERE id = %s", (camera,))  # it reports
    engine.catch_up()
    assert the_open(db, "camera_silent", f"cameras/{camera}") is None


# ---------------------------------------------------------------------------------------------
# the audit trail, the feed, the cursor


def test_alerts_are_audited_as_the_rules_and_published_in_the_feed(
    rows: SyntheticRows, engine: AlertEngine, db: psycopg.Connection[Any]
):
    rows.zone(ZONE)
    incident = rows.incident(INSIDE)
    engine.catch_up()
    alert = the_open(db, "incident_in_hazard_zone", f"incidents/{incident}")
    assert alert is not None
    audit = db.execute(
        "SELECT id, actor, actor_role, operation FROM audit_log WHERE layer = 'alerts'"
        " AND feature_id = %s",
        (alert["id"],),
    ).fetchall()
    assert [(a["actor"], a["actor_role"], a["operation"]) for a in audit] == [
        ("alert-rules", "system", "create")
    ]
    event = db.execute("SELECT type, layer FROM events WHERE audit_id = %s", (audit[0]["id"],))
    assert event.fetchone() == {"type": "alert", "layer": "alerts"}
    cursor = db.execute("SELECT event_id FROM feed_cursors WHERE name = 'alerts'").fetchone()
    newest = db.execute("SELECT max(id) AS id FROM events").fetchone()
    assert cursor is not None and newest is not None
    # the cursor is at the last event it read; the alert's own event comes after it
    engine.catch_up()
    cursor = db.execute("SELECT event_id FROM feed_cursors WHERE name = 'alerts'").fetchone()
    assert cursor is not None and cursor["event_id"] == newest["id"]


def test_a_disabled_rule_raises_nothing(
    rows: SyntheticRows,
    edits: Database,
    layers: LayerRegistry,
    settings: Settings,
    db: psycopg.Connection[Any],
):
    import dataclasses

    shelters = layers["shelters"]
    rule = dataclasses.replace(shelters.alerts["shelter_nearly_full"], enabled=False)
    changed = dataclasses.replace(shelters, alerts={**shelters.alerts, "shelter_nearly_full": rule})
    registry = LayerRegistry({**layers.layers, "shelters": changed})
    engine = AlertEngine(edits, registry, settings)
    engine.catch_up()
    full = rows.shelter(*OUTSIDE, capacity=10, occupancy=10)
    engine.catch_up()
    engine.tick()
    assert alerts_of(db, "shelter_nearly_full", f"shelters/{full}") == []


def test_the_clock_must_say_its_time_zone(engine: AlertEngine):
    with pytest.raises(ValueError, match="a datetime with a time zone"):
        engine.tick(dt.datetime(2026, 12, 3, 12, 0))


def test_two_engines_at_once_raise_each_alert_once(
    rows: SyntheticRows,
    engine: AlertEngine,
    edits: Database,
    layers: LayerRegistry,
    settings: Settings,
    db: psycopg.Connection[Any],
):
    from concurrent.futures import ThreadPoolExecutor

    rows.zone(ZONE)
    with rows.transaction():
        incidents = [rows.incident((INSIDE[0] + i * 0.001, INSIDE[1])) for i in range(20)]
    other = AlertEngine(edits, layers, settings)
    with ThreadPoolExecutor(2) as pool:
        counts = list(pool.map(lambda e: e.catch_up(), (engine, other)))
    assert sum(counts) >= 20
    raised = db.execute(
        "SELECT subject, count(*) AS n FROM alerts WHERE rule = 'incident_in_hazard_zone'"
        " AND subject = ANY(%s) GROUP BY subject",
        ([f"incidents/{i}" for i in incidents],),
    ).fetchall()
    assert sorted(r["subject"] for r in raised) == sorted(f"incidents/{i}" for i in incidents)
    assert {r["n"] for r in raised} == {1}
    # the cursor is past every event: a restarted engine has nothing left to do
    assert AlertEngine(edits, layers, settings).catch_up() == 0
