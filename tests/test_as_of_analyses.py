"""``as_of=`` on the analyses that read layers (nearest resources, risk areas, zones at a point,
affected population, recommend units) and the units as of an instant at their track positions,
over real HTTP, against history this module writes itself; distances and areas are computed
independently (pyproj.Geod) from the coordinates the test wrote."""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from flask import Flask
from live import serving
from pyproj import Geod

from gisserver.audit import Actor, act_as
from gisserver.settings import Settings

GEOD = Geod(ellps="WGS84")
ACTOR = Actor(name="as-of-analyses-test", role="operator")
# Nobody else's features are here.
WEST, SOUTH, EAST, NORTH = 153.0, -61.0, 153.2, -60.8
S1, S2 = (153.05, -60.9), (153.10, -60.9)
INCIDENT = (153.06, -60.9)
HOME_1, HOME_2 = (153.02, -60.9), (153.15, -60.9)
TRACK_A, TRACK_B = (153.03, -60.9), (153.035, -60.9)  # outside SQUARE_1
SQUARE_1 = (153.04, -60.91, 153.06, -60.89)  # around S1
SQUARE_2 = (153.09, -60.91, 153.11, -60.89)  # around S2


def _square(box: tuple[float, float, float, float]) -> str:
    w, s, e, n = box
    return f"MULTIPOLYGON((({w} {s},{e} {s},{e} {n},{w} {n},{w} {s})))"


def _area_m2(box: tuple[float, float, float, float]) -> float:
    w, s, e, n = box
    area, _ = GEOD.polygon_area_perimeter([w, e, e, w], [s, s, n, n])
    return abs(area)


def _distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    return float(GEOD.inv(a[0], a[1], b[0], b[1])[2])


@pytest.fixture(scope="module")
def app(settings: Settings) -> Iterator[Flask]:
    from gisserver.app import create_app

    application = create_app(settings)
    yield application
    application.extensions["gisserver"].db.close()


@pytest.fixture(scope="module")
def server(app: Flask) -> Iterator[str]:
    with serving(app) as base:
        yield base


class Story:
    """Ids by name, the database clock between the steps, the track positions' times."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.at: dict[str, str] = {}
        self.track: dict[str, str] = {}


@pytest.fixture(scope="module")
def story(database_url: str) -> Iterator[Story]:
    source = f"as-of-analyses-{uuid.uuid4().hex[:8]}"
    told = Story()
    with psycopg.connect(database_url, autocommit=True) as conn:

        def step(statement: str, *params: Any) -> Any:
            with conn.transaction():
                act_as(conn, ACTOR)
                cursor = conn.execute(statement, params)
                return cursor.fetchone() if cursor.description else None

        def clock(name: str) -> str:
            told.at[name] = conn.execute(
                "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', "
                '\'YYYY-MM-DD"T"HH24:MI:SS.US"Z"\')'
            ).fetchone()[0]
            return told.at[name]

        def point(lon_lat: tuple[float, float]) -> str:
            return f"SRID=4326;POINT({lon_lat[0]} {lon_lat[1]})"

        def shelter(name: str, where: tuple[float, float], capacity: int) -> None:
            told.ids[name] = step(
                "INSERT INTO shelters (source, source_id, name, capacity, status, geom)"
                " VALUES (%s, %s, %s, %s, 'open', %s::geometry) RETURNING id",
                source,
                name,
                name,
                capacity,
                point(where),
            )[0]

        def unit(name: str, where: tuple[float, float]) -> None:
            told.ids[name] = step(
                "INSERT INTO units (source, source_id, name, unit_type, capabilities, geom)"
                " VALUES (%s, %s, %s, 'ambulance', ARRAY['ambulance'], %s::geometry)"
                " RETURNING id",
                source,
                name,
                name,
                point(where),
            )[0]

        def position(name: str, where: tuple[float, float], label: str) -> None:
            """A track position at the database clock, and the unit moved to it (a
            position-only update: no version), as the positions endpoint does."""
            at = conn.execute("SELECT clock_timestamp()").fetchone()[0]
            conn.execute("SELECT unit_positions_partition(%s::date)", (at.date(),))
            audit_id = conn.execute(
                "SELECT max(id) FROM audit_log WHERE layer = 'units' AND feature_id = %s",
                (told.ids[name],),
            ).fetchone()[0]
            conn.execute(
                "INSERT INTO unit_positions (unit_id, at, audit_id, speed, heading, geom)"
                " VALUES (%s, %s, %s, 12.5, 90, %s::geometry)",
                (told.ids[name], at, audit_id, point(where)),
            )
            step(
                "UPDATE units SET geom = %s::geometry, position_at = %s, speed = 12.5,"
                " heading = 90 WHERE id = %s",
                point(where),
                at,
                told.ids[name],
            )
            told.track[label] = at.astimezone(dt.UTC).isoformat()

        clock("before")
        shelter("s1", S1, 100)
        shelter("s2", S2, 50)
        told.ids["zone"] = step(
            "INSERT INTO hazard_zones (source, source_id, hazard_type, severity, geom)"
            " VALUES (%s, 'zone', 'flood', 'high', ST_GeomFromText(%s, 4326)) RETURNING id",
            source,
            _square(SQUARE_1),
        )[0]
        told.ids["incident"] = step(
            "INSERT INTO incidents (source, source_id, incident_type, reported_at, geom)"
            " VALUES (%s, 'incident', 'medical', now(), %s::geometry) RETURNING id",
            source,
            point(INCIDENT),
        )[0]
        unit("u1", HOME_1)
        unit("u2", HOME_2)
        clock("created")
        position("u1", TRACK_A, "a")
        clock("t1")
        position("u1", TRACK_B, "b")
        clock("t2")
        # After t2: the zone moves to s2, s1 closes, s2 is deleted, u1 goes out of service.
        step(
            "UPDATE hazard_zones SET geom = ST_GeomFromText(%s, 4326) WHERE id = %s",
            _square(SQUARE_2),
            told.ids["zone"],
        )
        step("UPDATE shelters SET status = 'closed' WHERE id = %s", told.ids["s1"])
        step("DELETE FROM shelters WHERE id = %s", told.ids["s2"])
        step("UPDATE units SET status = 'out_of_service' WHERE id = %s", told.ids["u1"])
        clock("t3")
        yield told
        conn.execute(
            "DELETE FROM assignments WHERE unit_id IN (%s, %s)", (told.ids["u1"], told.ids["u2"])
        )
        for table in ("units", "incidents", "hazard_zones", "shelters"):
            conn.execute(f"DELETE FROM {table} WHERE source = %s", (source,))


def _call(url: str, body: Any = None) -> tuple[int, Any]:
    request = urllib.request.Request(
        url,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def _get(server: str, path: str, **params: Any) -> tuple[int, Any]:
    return _call(f"{server}{path}?{urllib.parse.urlencode(params)}")


def _ok(answer: tuple[int, Any]) -> Any:
    status, body = answer
    assert status == 200, body
    return body


def test_nearest_as_of_finds_what_was_there_with_its_state_then(server: str, story: Story) -> None:
    origin = (153.0, -60.9)
    query = {"layer": "shelters", "lon": origin[0], "lat": origin[1], "k": 5}
    then = _ok(_get(server, "/api/nearest", **query, as_of=story.at["t2"]))
    mine = [f for f in then["features"] if f["id"] in (story.ids["s1"], story.ids["s2"])]
    assert [f["id"] for f in mine] == [story.ids["s1"], story.ids["s2"]]
    assert [f["properties"]["status"] for f in mine] == ["open", "open"]
    assert mine[0]["properties"]["distance_m"] == pytest.approx(_distance(origin, S1), abs=0.01)
    assert mine[1]["properties"]["distance_m"] == pytest.approx(_distance(origin, S2), abs=0.01)

    now = _ok(_get(server, "/api/nearest", **query))
    mine_now = [f for f in now["features"] if f["id"] in (story.ids["s1"], story.ids["s2"])]
    assert [(f["id"], f["properties"]["status"]) for f in mine_now] == [(story.ids["s1"], "closed")]
    # before anything was written, neither was there
    before = _ok(_get(server, "/api/nearest", **query, as_of=story.at["before"]))
    assert not {f["id"] for f in before["features"]} & {story.ids["s1"], story.ids["s2"]}


def test_nearest_exclude_hazard_judges_the_zones_as_they_were(server: str, story: Story) -> None:
    query = {"layer": "shelters", "lon": 153.0, "lat": -60.9, "k": 5, "exclude_hazard": "true"}
    then = {
        f["id"]
        for f in _ok(_get(server, "/api/nearest", **query, as_of=story.at["t2"]))["features"]
    }
    assert story.ids["s1"] not in then and story.ids["s2"] in then  # the zone was around s1
    now = {f["id"] for f in _ok(_get(server, "/api/nearest", **query))["features"]}
    assert story.ids["s1"] in now  # the zone moved to s2 (deleted)


def test_zones_at_point_and_risk_areas_as_of(server: str, story: Story) -> None:
    zone = story.ids["zone"]
    at_s1 = {"lon": S1[0], "lat": S1[1]}
    assert [
        f["id"]
        for f in _ok(_get(server, "/api/risk-areas", **at_s1, as_of=story.at["t2"]))["features"]
    ] == [zone]
    assert _ok(_get(server, "/api/risk-areas", **at_s1))["features"] == []

    body = {"bbox": [WEST, SOUTH, EAST, NORTH]}
    then = _ok(_call(f"{server}/api/risk-areas", {**body, "as_of": story.at["t2"]}))
    found = {f["id"]: f for f in then["features"]}
    shelters = found[zone]["properties"]["assets"]["shelters"]
    assert [s["id"] for s in shelters["items"]] == [story.ids["s1"]]
    assert shelters["capacity"] == 100
    assert found[zone]["properties"]["zone_area_m2"] == pytest.approx(_area_m2(SQUARE_1), rel=1e-6)
    assert then["as_of"] is not None

    now = _ok(_call(f"{server}/api/risk-areas", body))
    zone_now = {f["id"]: f for f in now["features"]}[zone]
    assert zone_now["properties"]["assets"]["shelters"]["count"] == 0  # s2 was deleted
    assert zone_now["properties"]["zone_area_m2"] == pytest.approx(_area_m2(SQUARE_2), rel=1e-6)


def test_affected_population_reads_the_zone_as_it_was(server: str, story: Story) -> None:
    url = f"{server}/api/affected-population"
    zone = story.ids["zone"]
    then = _ok(_call(url, {"hazard_zone_id": zone, "as_of": story.at["t2"]}))
    now = _ok(_call(url, {"hazard_zone_id": zone}))
    # the two squares have different latitudes' widths: same size in degrees, other m²
    assert then["area_m2"] == pytest.approx(_area_m2(SQUARE_1), rel=1e-6)
    assert now["area_m2"] == pytest.approx(_area_m2(SQUARE_2), rel=1e-6)
    assert then["area"]["as_of"] is not None

    status, body = _call(url, {"hazard_zone_id": zone, "as_of": story.at["before"]})
    assert status == 404 and "hazard_zone_id" in body["description"]
    status, body = _call(
        url,
        {
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[153, -61], [153.1, -61], [153.1, -60.9], [153, -61]]],
            },
            "as_of": story.at["t2"],
        },
    )
    assert status == 400 and "as_of" in body["description"]


def _unit_item(server: str, story: Story, name: str, **params: Any) -> dict[str, Any]:
    return _ok(_get(server, f"/ogc/collections/units/items/{story.ids[name]}", f="json", **params))


def test_a_unit_as_of_stands_at_its_newest_track_position_by_then(
    server: str, story: Story
) -> None:
    created = _unit_item(server, story, "u1", as_of=story.at["created"])
    assert created["geometry"]["coordinates"] == list(HOME_1)
    assert created["properties"]["position_at"] is None

    at_t1 = _unit_item(server, story, "u1", as_of=story.at["t1"])
    assert at_t1["geometry"]["coordinates"] == list(TRACK_A)
    assert dt.datetime.fromisoformat(
        at_t1["properties"]["position_at"]
    ) == dt.datetime.fromisoformat(story.track["a"])
    assert at_t1["properties"]["speed"] == 12.5 and at_t1["properties"]["status"] == "available"

    at_t2 = _unit_item(server, story, "u1", as_of=story.at["t2"])
    assert at_t2["geometry"]["coordinates"] == list(TRACK_B)
    # after its new version (out of service) it stands where the version left it
    now = _unit_item(server, story, "u1")
    assert now["geometry"]["coordinates"] == list(TRACK_B)
    assert now["properties"]["status"] == "out_of_service"
    # a unit without a track stands where its version put it
    assert _unit_item(server, story, "u2", as_of=story.at["t1"])["geometry"]["coordinates"] == list(
        HOME_2
    )


def test_recommend_as_of_sends_the_units_available_then_from_where_they_were(
    server: str, story: Story
) -> None:
    path = f"/api/incidents/{story.ids['incident']}/recommend"
    query = {"capability": "ambulance", "k": 50}

    def mine(answer: dict[str, Any]) -> list[tuple[int, float]]:
        ours = (story.ids["u1"], story.ids["u2"])
        return [
            (f["id"], f["properties"]["distance_m"]) for f in answer["features"] if f["id"] in ours
        ]

    at_t1 = mine(_ok(_get(server, path, **query, as_of=story.at["t1"])))
    assert at_t1 == [
        (story.ids["u1"], pytest.approx(_distance(INCIDENT, TRACK_A), abs=0.1)),
        (story.ids["u2"], pytest.approx(_distance(INCIDENT, HOME_2), abs=0.1)),
    ]
    at_t2 = mine(_ok(_get(server, path, **query, as_of=story.at["t2"])))
    assert at_t2[0] == (story.ids["u1"], pytest.approx(_distance(INCIDENT, TRACK_B), abs=0.1))
    now = mine(_ok(_get(server, path, **query)))
    assert now == [(story.ids["u2"], pytest.approx(_distance(INCIDENT, HOME_2), abs=0.1))]

    status, body = _get(server, path, **query, as_of=story.at["before"])
    assert status == 404 and "not found" in body["description"]


def test_the_process_and_the_command_take_as_of_on_the_analyses(
    server: str, story: Story, database_url: str
) -> None:
    from click.testing import CliRunner

    from gisserver.cli import main

    inputs = {"lon": S1[0], "lat": S1[1], "as_of": story.at["t2"]}
    answer = _ok(_call(f"{server}/ogc/processes/zones-at-point/execution", {"inputs": inputs}))
    assert [f["id"] for f in answer["features"]] == [story.ids["zone"]]

    result = CliRunner(env={"DATABASE_URL": database_url}).invoke(
        main,
        [
            "analyse",
            "zones-at-point",
            "--lon",
            str(S1[0]),
            "--lat",
            str(S1[1]),
            "--as-of",
            story.at["t2"],
        ],
    )
    assert result.exit_code == 0, result.output
    assert [f["id"] for f in json.loads(result.stdout)["features"]] == [story.ids["zone"]]


@pytest.mark.parametrize(
    "path",
    ["/api/nearest?layer=shelters&lon=153&lat=-60.9", "/api/risk-areas?lon=153&lat=-60.9"],
)
def test_a_bad_as_of_on_an_analysis_is_a_400_naming_it(server: str, path: str) -> None:
    status, body = _call(f"{server}{path}&as_of=2999-01-01T00:00:00Z")
    assert status == 400 and "as_of" in body["description"] and "future" in body["description"]
