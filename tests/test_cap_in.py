"""CAP 1.2 in: parsing (safe, schema-checked), what the messages become in hazard_zones, and the
two ways in, ``gisserver etl load hazard_zones FILE`` and ``POST /api/cap``, which apply them
with the same code. The database is the session's real PostGIS."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import psycopg
import pyproj
import pytest
import shapely
from click.testing import CliRunner
from editing import Key, api_keys
from flask.testing import FlaskClient

from gisserver.cap import CapInvalid, CapMalformed, parse, zone_drafts
from gisserver.cap.model import CapInfo, Circle
from gisserver.cap.zones import SEVERITY, UNKNOWN_SEVERITY, geodesic_circle, hazard_type
from gisserver.cli import main
from gisserver.settings import Settings

DATA = Path(__file__).parent / "data" / "cap"
GEOD = pyproj.Geod(ellps="WGS84")
EST = dt.timezone(dt.timedelta(hours=-5))
# Cambridge, Massachusetts (lon, lat): the zones must land here, not in Antarctica.
CAMBRIDGE = (-71.20, 42.33, -71.05, 42.41)


def message(name: str, label: str) -> bytes:
    """A test message whose identifiers (and references to them) carry ``label``: each test's
    messages are its own in the session's shared database."""
    text = (DATA / name).read_text()
    return (
        text.replace("2026.12.03.", f"2026.12.03.{label}.")
        .replace("2026-1203-", f"2026-1203-{label}-")
        .encode()
    )


@pytest.fixture()
def label(conn: psycopg.Connection[Any]) -> Iterator[str]:
    """A label for the test's messages; their zones are deleted afterwards."""
    made = uuid.uuid4().hex[:8]
    yield made
    conn.rollback()
    with conn.transaction():
        conn.execute(
            "DELETE FROM hazard_zones WHERE properties ->> 'cap_identifier' LIKE %s",
            (f"%{made}%",),
        )


def zones(conn: psycopg.Connection[Any], label: str) -> list[dict[str, Any]]:
    cur = conn.execute(
        "SELECT id, source, source_id, hazard_type, severity, name, valid_from, valid_to,"
        " version, properties, ST_AsBinary(geom) FROM hazard_zones"
        " WHERE properties ->> 'cap_identifier' LIKE %s ORDER BY id",
        (f"%{label}%",),
    )
    names = [d.name for d in cur.description or []]
    found = [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
    for zone in found:
        zone["geom"] = shapely.from_wkb(bytes(zone.pop("st_asbinary")))
    conn.commit()
    return found


def in_cambridge(geom: shapely.Geometry) -> bool:
    return shapely.box(*CAMBRIDGE).contains(geom)


# ---------------------------------------------------------------------------------------------
# Parsing: no database


def test_a_flood_warning_reads_as_typed_values():
    [msg] = parse((DATA / "flood_warning.xml").read_bytes())
    assert (msg.sender, msg.status, msg.msg_type, msg.scope) == (
        "w-nws.webmaster@noaa.gov",
        "Actual",
        "Alert",
        "Public",
    )
    assert msg.sent == dt.datetime(2026, 12, 3, 9, tzinfo=EST)
    [info] = msg.infos
    assert (info.event, info.severity, info.urgency, info.certainty) == (
        "Flood Warning",
        "Severe",
        "Expected",
        "Likely",
    )
    ring = info.areas[0].polygons[0]
    assert ring[0] == ring[-1] == (42.3745, -71.1300)  # lat first, as CAP writes it


@pytest.mark.parametrize(
    ("name", "error", "says"),
    [
        ("malformed.xml", CapMalformed, "not well-formed XML"),
        ("schema_invalid.xml", CapInvalid, "is not valid CAP 1.2"),
        ("open_polygon.xml", CapInvalid, "polygon 1: is not closed"),
        ("xxe.xml", CapMalformed, "DOCTYPE"),
    ],
)
def test_a_bad_document_is_rejected_naming_what_is_wrong(name: str, error: type, says: str):
    with pytest.raises(error, match=says):
        parse((DATA / name).read_bytes(), what=name)


def test_the_schema_names_the_element_it_refuses():
    with pytest.raises(CapInvalid) as caught:
        parse((DATA / "schema_invalid.xml").read_bytes())
    assert "sent" in caught.value.message  # 2026-12-03T10:15:00Z: CAP wants +00:00, not Z


def test_entity_expansion_is_refused_not_performed():
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE alert [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        b'<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&c;</identifier>'
        b"</alert>"
    )
    with pytest.raises(CapMalformed, match="DOCTYPE"):
        parse(laughs)


def test_a_polygon_of_three_points_and_cap_1_1_are_refused():
    text = (DATA / "open_polygon.xml").read_text()
    short = text.replace(
        "42.3745,-71.1300 42.3760,-71.1180 42.3700,-71.1050 42.3660,-71.1200",
        "42.3745,-71.1300 42.3760,-71.1180 42.3745,-71.1300",
    )
    with pytest.raises(CapInvalid, match="has 3 points"):
        parse(short.encode())
    old = text.replace("emergency:cap:1.2", "emergency:cap:1.1")
    with pytest.raises(CapInvalid, match="CAP 1.2 only"):
        parse(old.encode())


def test_an_atom_feed_reads_embedded_and_linked_entries_without_the_network():
    feed = (DATA / "feed.atom").read_bytes()
    surge, hazmat = parse(feed, what="feed.atom", beside=DATA)
    assert surge.identifier == "CAMBRIDGE-EM-2026-1203-SURGE-1"
    assert hazmat.identifier == "CAMBRIDGE-FD-2026-1203-HAZMAT-7"  # chemical_circle.xml
    with pytest.raises(CapInvalid, match="never fetched"):
        parse(feed, what="body")  # a request body has no folder: the link is not followed


def test_severity_and_hazard_type_tables():
    assert SEVERITY == {"Extreme": "extreme", "Severe": "high", "Moderate": "moderate",
                        "Minor": "low"}  # fmt: skip
    info = CapInfo("en-US", ("Met",), "Unknown Event", "Unknown", "Unknown", "Unknown")
    [draft], _ = zone_drafts(
        parse((DATA / "flood_warning.xml").read_text().replace("Severe", "Unknown").encode())[0]
    )
    assert draft.severity == UNKNOWN_SEVERITY
    assert hazard_type(info) == "other"
    for event, expected in [
        ("Coastal Flood Warning", "storm_surge"),
        ("Flash Flood Warning", "flood"),
        ("Red Flag Warning", "fire"),
        ("Tornado Warning", "wind"),
        ("Excessive Heat Warning", "heat"),
        ("Tsunami Warning", "tsunami"),
    ]:
        assert hazard_type(CapInfo("en-US", ("Met",), event, "", "", "")) == expected
    assert hazard_type(CapInfo("en-US", ("CBRNE",), "Shelter in place", "", "", "")) == "chemical"


def test_a_circle_is_a_geodesic_buffer_of_its_radius():
    polygon = geodesic_circle(Circle(42.3625, -71.0870, 1.5))
    lons, lats = zip(*polygon.exterior.coords, strict=True)
    _, _, distances = GEOD.inv([-71.0870] * len(lons), [42.3625] * len(lats), lons, lats)
    assert all(abs(d - 1500) < 0.01 for d in distances)


def test_two_areas_join_in_one_zone_and_translations_make_none():
    [msg] = parse((DATA / "wind_two_areas.xml").read_bytes())
    drafts, skipped = zone_drafts(msg)
    assert len(msg.infos) == 2 and len(drafts) == 1 and not skipped  # es-US translates en-US
    assert drafts[0].geometry.geom_type == "MultiPolygon"
    assert len(drafts[0].geometry.geoms) == 2
    assert drafts[0].properties["cap_areas"] == ["North Cambridge", "Somerville, Union Square"]


# ---------------------------------------------------------------------------------------------
# gisserver etl load hazard_zones FILE


@pytest.fixture()
def env(settings: Settings) -> dict[str, str]:
    return {
        "DATABASE_URL": settings.database_url or "",
        "GISSERVER_DATA_DIR": str(settings.data_dir),
    }


def load(env: dict[str, str], path: Path, *extra: str) -> Any:
    return CliRunner().invoke(main, ["etl", "load", "hazard_zones", str(path), *extra], env=env)


def written(tmp_path: Path, name: str, label: str) -> Path:
    path = tmp_path / name
    path.write_bytes(message(name, label))
    return path


def test_cli_alert_update_cancel(env, conn, label, tmp_path):
    result = load(env, written(tmp_path, "flood_warning.xml", label))
    assert result.exit_code == 0, result.output
    assert "zones created 1" in result.output
    [zone] = zones(conn, label)
    assert zone["source"] == "cap"
    assert (zone["hazard_type"], zone["severity"]) == ("flood", "high")
    assert zone["valid_from"] == dt.datetime(2026, 12, 3, 12, tzinfo=EST)  # onset
    assert zone["valid_to"] == dt.datetime(2026, 12, 4, 12, tzinfo=EST)  # expires
    assert zone["geom"].geom_type == "MultiPolygon" and in_cambridge(zone["geom"])
    lon, lat = zone["geom"].centroid.x, zone["geom"].centroid.y
    assert -71.13 < lon < -71.09 and 42.35 < lat < 42.38  # the Charles, lat,lon swapped
    assert zone["properties"]["cap_urgency"] == "Expected"

    result = load(env, written(tmp_path, "flood_update.xml", label))
    assert result.exit_code == 0, result.output
    assert "zones updated 1" in result.output
    [updated] = zones(conn, label)
    assert updated["id"] == zone["id"] and updated["version"] == zone["version"] + 1
    assert updated["severity"] == "extreme"
    assert updated["valid_to"] == dt.datetime(2026, 12, 5, 6, tzinfo=EST)
    assert not updated["geom"].equals(zone["geom"])
    history = conn.execute(
        "SELECT version, properties ->> 'severity', ST_AsBinary(geom) FROM feature_history"
        " WHERE layer = 'hazard_zones' AND feature_id = %s ORDER BY version",
        (zone["id"],),
    ).fetchall()
    assert [(v, s) for v, s, _ in history] == [(zone["version"], "high")]
    assert shapely.from_wkb(bytes(history[0][2])).equals(zone["geom"])

    # the original Alert again changes nothing (it cannot undo its Update)
    again = load(env, written(tmp_path, "flood_warning.xml", label))
    assert again.exit_code == 0 and "zones updated 0" in again.output
    assert zones(conn, label)[0]["severity"] == "extreme"

    result = load(env, written(tmp_path, "flood_cancel.xml", label))
    assert result.exit_code == 0, result.output
    assert "zones ended 1" in result.output
    [ended] = zones(conn, label)
    assert ended["id"] == zone["id"]
    assert ended["valid_to"] == dt.datetime(2026, 12, 4, 8, 30, tzinfo=EST)  # the Cancel's sent
    assert ended["geom"].equals(updated["geom"])
    assert len(ended["properties"]["cap_messages"]) == 3
    audit = conn.execute(
        "SELECT actor, etl_run_id FROM audit_log WHERE layer = 'hazard_zones'"
        " AND feature_id = %s ORDER BY id",
        (zone["id"],),
    ).fetchall()
    assert len(audit) == 3 and all(a == "etl" and run for a, run in audit)


def test_cli_test_status_never_loads(env, conn, label, tmp_path):
    result = load(env, written(tmp_path, "test_status.xml", label))
    assert result.exit_code == 0, result.output
    assert "never a live hazard zone" in result.output
    assert "zones created 0" in result.output
    assert zones(conn, label) == []


@pytest.mark.parametrize("name", ["malformed.xml", "schema_invalid.xml", "open_polygon.xml"])
def test_cli_rejects_a_bad_message_whole(env, conn, label, tmp_path, name):
    before = conn.execute("SELECT count(*) FROM hazard_zones").fetchone()
    conn.commit()
    result = load(env, written(tmp_path, name, label))
    assert result.exit_code != 0
    assert name in result.output
    assert conn.execute("SELECT count(*) FROM hazard_zones").fetchone() == before


def test_cli_an_update_of_an_unknown_message_is_refused(env, conn, label, tmp_path):
    result = load(env, written(tmp_path, "flood_update.xml", label))
    assert result.exit_code != 0
    assert "none of them made a hazard zone" in result.output
    assert zones(conn, label) == []


def test_cli_loads_an_atom_feed_with_a_linked_file_beside_it(env, conn, label, tmp_path):
    feed = written(tmp_path, "feed.atom", label)
    written(tmp_path, "chemical_circle.xml", label)
    result = load(env, feed, "--source", f"test-cap-{label}")
    assert result.exit_code == 0, result.output
    assert "CAP messages 2" in result.output and "zones created 2" in result.output
    found = zones(conn, label)
    assert {z["hazard_type"] for z in found} == {"storm_surge", "chemical"}
    assert {z["source"] for z in found} == {f"test-cap-{label}"}
    assert all(in_cambridge(z["geom"]) for z in found)


def test_cli_cap_options_that_do_not_apply_are_refused(env, label, tmp_path):
    result = load(env, written(tmp_path, "flood_warning.xml", label), "--replace")
    assert result.exit_code != 0 and "--replace" in result.output


# ---------------------------------------------------------------------------------------------
# POST /api/cap


@pytest.fixture(scope="module")
def keys(database_url: str) -> Iterator[dict[str, Key]]:
    with api_keys(database_url) as made:
        yield made


def post(client: FlaskClient, body: bytes, key: Key | None, mimetype: str = "application/cap+xml"):
    headers = {"Authorization": f"Bearer {key.secret}"} if key else {}
    return client.post("/api/cap", data=body, headers=headers, content_type=mimetype)


def test_api_needs_an_analyst_and_cap_xml(client, keys, label):
    body = message("flood_warning.xml", label)
    assert post(client, body, None).status_code == 401
    assert post(client, body, keys["viewer"]).status_code == 403
    refused = post(client, body, keys["analyst"], "text/plain")
    assert refused.status_code == 415
    assert "application/cap+xml" in refused.get_json()["description"]


def test_api_creates_the_zones_of_a_circle(client, conn, keys, label):
    answer = post(client, message("chemical_circle.xml", label), keys["analyst"])
    assert answer.status_code == 201, answer.get_data(as_text=True)
    document = answer.get_json()
    [outcome] = document["messages"]
    [created] = outcome["created"]
    assert created["url"].endswith(f"/ogc/collections/hazard_zones/items/{created['id']}")
    [zone] = zones(conn, label)
    assert zone["id"] == created["id"]
    assert (zone["hazard_type"], zone["severity"]) == ("chemical", "extreme")
    assert zone["valid_from"] == dt.datetime(2026, 12, 3, 10, 15, tzinfo=EST)  # sent
    lons, lats = zip(*zone["geom"].geoms[0].exterior.coords, strict=True)
    _, _, distances = GEOD.inv([-71.0870] * len(lons), [42.3625] * len(lats), lons, lats)
    assert all(abs(d - 1500) < 0.5 for d in distances)
    actor = conn.execute(
        "SELECT actor, actor_role FROM audit_log WHERE layer = 'hazard_zones' AND feature_id = %s",
        (zone["id"],),
    ).fetchone()
    assert actor == (keys["analyst"].name, "analyst")
    # like any change, it is in the change feed the alert rules read
    events = conn.execute(
        "SELECT count(*) FROM events WHERE layer = 'hazard_zones' AND feature_id = %s",
        (zone["id"],),
    ).fetchone()
    assert events == (1,)
    conn.commit()


def test_api_two_areas_update_and_cancel(client, conn, keys, label):
    assert post(client, message("wind_two_areas.xml", label), keys["analyst"]).status_code == 201
    [zone] = zones(conn, label)
    assert len(zone["geom"].geoms) == 2 and in_cambridge(zone["geom"])
    # an Update and a Cancel of the flood, in xml as well as cap+xml
    assert post(client, message("flood_warning.xml", label), keys["admin"]).status_code == 201
    update = post(client, message("flood_update.xml", label), keys["analyst"], "application/xml")
    assert update.status_code == 200
    assert len(update.get_json()["messages"][0]["updated"]) == 1
    cancel = post(client, message("flood_cancel.xml", label), keys["analyst"])
    assert cancel.status_code == 200
    assert cancel.get_json()["ended"] == 1
    flood = [z for z in zones(conn, label) if z["hazard_type"] == "flood"]
    assert flood[0]["valid_to"] == dt.datetime(2026, 12, 4, 8, 30, tzinfo=EST)


def test_api_test_status_loads_nothing(client, conn, keys, label):
    answer = post(client, message("test_status.xml", label), keys["analyst"])
    assert answer.status_code == 200
    [outcome] = answer.get_json()["messages"]
    assert outcome["loaded"] is False and "never a live hazard zone" in outcome["note"]
    assert zones(conn, label) == []


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("malformed.xml", 400),
        ("schema_invalid.xml", 422),
        ("xxe.xml", 400),
        ("open_polygon.xml", 422),
    ],
)
def test_api_rejects_a_bad_message_whole(client, conn, keys, label, name, status):
    answer = post(client, message(name, label), keys["analyst"])
    assert answer.status_code == status
    assert answer.get_json()["description"].startswith("body")
    assert zones(conn, label) == []


def test_api_a_feed_with_a_bad_entry_writes_nothing(client, conn, keys, label):
    feed = message("feed.atom", label).decode()
    bad = feed.replace("<severity>Severe</severity>", "<severity>Dire</severity>")
    answer = post(client, bad.encode(), keys["analyst"], "application/atom+xml")
    assert answer.status_code == 422
    assert "entry 1" in answer.get_json()["description"]
    # with both entries embedded, an Update of an unknown message in it rolls everything back
    embedded = feed.replace(
        "</feed>",
        "<entry><id>u</id><title>u</title><updated>2026-12-03T15:20:00+00:00</updated>"
        "<content type='application/cap+xml'>"
        + message("flood_update.xml", label).decode().split("?>", 1)[1]
        + "</content></entry></feed>",
    )
    without_link = embedded.replace(
        '<link rel="alternate" type="application/cap+xml" '
        'href="https://alerts.example.org/cap/chemical_circle.xml"/>',
        "<content type='application/cap+xml'>"
        + message("chemical_circle.xml", label).decode().split("?>", 1)[1]
        + "</content>",
    )
    answer = post(client, without_link.encode(), keys["analyst"], "application/atom+xml")
    assert answer.status_code == 409, answer.get_data(as_text=True)
    assert zones(conn, label) == []


def test_api_an_update_with_geocodes_only_keeps_the_area(client, conn, keys, label):
    assert post(client, message("flood_warning.xml", label), keys["analyst"]).status_code == 201
    [zone] = zones(conn, label)
    text = message("flood_update.xml", label).decode()
    start, end = text.index("<polygon>"), text.index("</polygon>") + len("</polygon>")
    geocoded = (
        text[:start] + "<geocode><valueName>SAME</valueName><value>025017</value></geocode>"
    ) + text[end:]
    answer = post(client, geocoded.encode(), keys["analyst"])
    assert answer.status_code == 200, answer.get_data(as_text=True)
    [outcome] = answer.get_json()["messages"]
    assert [z["id"] for z in outcome["unchanged"]] == [zone["id"]]
    assert outcome["ended"] == [] and "geocodes" in outcome["skipped"][0]
    [kept] = zones(conn, label)
    assert kept["geom"].equals(zone["geom"]) and kept["valid_to"] == zone["valid_to"]
    assert kept["severity"] == zone["severity"]
    assert len(kept["properties"]["cap_messages"]) == 2


def test_api_the_same_message_twice_at_once_makes_one_zone(app, conn, keys, label):
    body = message("flood_warning.xml", label)
    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda _: post(app.test_client(), body, keys["analyst"]), range(2)))
    assert sorted(a.status_code for a in answers) == [200, 201]
    notes = [a.get_json()["messages"][0]["note"] for a in answers]
    assert "already loaded: nothing changed" in notes
    assert len(zones(conn, label)) == 1


def test_cli_dry_run_counts_and_changes_nothing(env, conn, label, tmp_path):
    result = load(env, written(tmp_path, "wind_two_areas.xml", label), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "dry_run" in result.output and "zones created 1" in result.output
    assert zones(conn, label) == []
