"""Hazard zones acting on routes over real HTTP, and dispatch ETAs by road, proven against the
independent model of tests/roadgraph.py (NetworkX with the closures and slowdowns worked out
here with shapely from the zones and the profile's YAML): a route around a closed zone is
longer than through it and no part of it touches the zone; a slowed zone doubles the time of
its roads; a zone that cuts every route gives no route; changes act on the next query."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import psycopg
import pytest
import shapely
from flask.testing import FlaskClient
from roadgraph import RoadGraph, disc, geodesic_m, hazard_factor
from shapely.geometry import LineString, Point

HARVARD = (-71.1190, 42.3736)
CENTRAL = (-71.1035, 42.3655)
PORTER = (-71.1190, 42.3884)
WALTHAM = (-71.25, 42.38)  # 6 km west of Cambridge's roads
NO_ZONES = "avoid_hazards=false"
NOW = dt.datetime.now(dt.UTC)


@pytest.fixture(scope="module")
def graph(road_network: str, database_url: str) -> RoadGraph:
    return RoadGraph.load(database_url)


@pytest.fixture(scope="module")
def routable(graph: RoadGraph) -> set[int]:
    return graph.routable()


@pytest.fixture()
def db(database_url: str) -> Any:
    with psycopg.connect(database_url, autocommit=True) as conn:
        yield conn


def route(client: FlaskClient, a: tuple[float, float], b: tuple[float, float], extra: str = ""):
    response = client.get(f"/api/route?from={a[0]},{a[1]}&to={b[0]},{b[1]}&{extra}")
    assert response.status_code == 200, response.json
    return response.json


def segments_of(answer: dict[str, Any]) -> list[int]:
    return [s for road in answer["properties"]["roads"] for s in road["segments"]]


def touched(graph: RoadGraph, zone: shapely.Geometry) -> set[int]:
    """The segments a zone touches (its boundary included), by shapely."""
    return {rid for rid, s in graph.segments.items() if s.line.intersects(zone)}


def zone_across(graph: RoadGraph, answer: dict[str, Any], radius_m: float) -> shapely.Polygon:
    """A disc on the middle of a route, clear of its first and last segments."""
    line = LineString(answer["geometry"]["coordinates"])
    middle = line.interpolate(0.5, normalized=True)
    zone = disc(middle.x, middle.y, radius_m)
    ends = {segments_of(answer)[0], segments_of(answer)[-1]}
    assert not ends & touched(graph, zone), "the zone must leave the route's ends open"
    return zone


def same_route(one: dict[str, Any], other: dict[str, Any]) -> bool:
    return (
        one["geometry"] == other["geometry"]
        and one["properties"]["travel_time_s"] == other["properties"]["travel_time_s"]
    )


# --- closed roads -------------------------------------------------------------------------------


def test_a_closed_zone_is_driven_around_and_acts_on_the_next_query(
    client: FlaskClient, graph: RoadGraph, routable: set[int], rows, db
):
    through = route(client, HARVARD, CENTRAL)
    assert through["properties"]["hazard_zones"] == [] and through["properties"]["found"]
    zone = zone_across(graph, through, 70)
    closed = touched(graph, zone)
    assert set(segments_of(through)) & closed  # the zone lies across the fastest route
    zid = rows.zone(
        zone, hazard_type="flood", severity="extreme", valid_from=NOW - dt.timedelta(hours=1)
    )

    around = route(client, HARVARD, CENTRAL)  # the very next query, no restart
    props = around["properties"]
    assert props["found"] is True
    assert props["hazard_zones"] == [{"id": zid, "effect": "closed"}]
    assert props["roads_closed"] == len(closed) and props["roads_slowed"] == 0
    assert props["travel_time_s"] > through["properties"]["travel_time_s"]
    assert not set(segments_of(around)) & closed
    assert not LineString(around["geometry"]["coordinates"]).intersects(zone)
    # NetworkX with the roads the zone touches taken out agrees
    start = graph.snap(*HARVARD, among=routable - closed)
    end = graph.snap(*CENTRAL, among=routable - closed)
    mine = graph.with_factors(dict.fromkeys(closed, 0.0)).route(start, end)
    assert mine is not None
    assert props["travel_time_s"] == pytest.approx(mine[0], rel=0.005, abs=0.5)
    assert props["length_m"] == pytest.approx(mine[1], rel=0.01)

    # avoid_hazards=false, or an instant before the zone: the route through
    assert same_route(route(client, HARVARD, CENTRAL, NO_ZONES), through)
    assert same_route(route(client, HARVARD, CENTRAL, "at=2000-01-01T00:00:00Z"), through)
    # the zone ended (psql-style update), in force again, deleted: each on the next query
    db.execute(
        "UPDATE hazard_zones SET valid_to = now() - interval '1 minute' WHERE id = %s", (zid,)
    )
    assert same_route(route(client, HARVARD, CENTRAL), through)
    db.execute("UPDATE hazard_zones SET valid_to = NULL WHERE id = %s", (zid,))
    assert same_route(route(client, HARVARD, CENTRAL), around)
    db.execute("DELETE FROM hazard_zones WHERE id = %s", (zid,))
    assert same_route(route(client, HARVARD, CENTRAL), through)


def test_a_point_inside_a_closed_zone_starts_at_the_nearest_open_road(
    client: FlaskClient, graph: RoadGraph, routable: set[int], rows
):
    zone = disc(*HARVARD, 120)
    closed = touched(graph, zone)
    rows.zone(zone, hazard_type="flood", severity="extreme")
    answer = route(client, HARVARD, PORTER)
    start = answer["properties"]["from"]
    assert start["segment"] not in closed
    mine = graph.snap(*HARVARD, among=routable - closed)
    assert start["snap_m"] == pytest.approx(mine.distance_m, abs=0.5)
    assert start["snap_m"] > 100  # out of the zone, not on the closed street beside the point
    assert not LineString(answer["geometry"]["coordinates"]).intersects(zone)


def test_a_zone_that_cuts_every_route_gives_none(
    client: FlaskClient, graph: RoadGraph, routable: set[int], rows
):
    # a ring around Harvard Square: its streets are open, every way out is closed
    ring = disc(*HARVARD, 450, inner_m=250)
    closed = touched(graph, ring)
    rows.zone(ring, hazard_type="flood", severity="extreme")
    answer = route(client, HARVARD, CENTRAL)
    props = answer["properties"]
    assert props["found"] is False and answer["geometry"] is None
    assert "closed by a hazard zone" in props["reason"] and "would take" in props["reason"]
    assert "travel_time_s" not in props
    # NetworkX agrees there is none, and that the start is on an open street inside the ring
    start = graph.snap(*HARVARD, among=routable - closed)
    end = graph.snap(*CENTRAL, among=routable - closed)
    assert props["from"]["segment"] not in closed and start.distance_m < 50
    assert graph.with_factors(dict.fromkeys(closed, 0.0)).route(start, end) is None
    assert route(client, HARVARD, CENTRAL, NO_ZONES)["properties"]["found"] is True


# --- slowed roads, and the effects by hazard type and severity --------------------------------


def test_a_high_flood_halves_the_speed_of_its_roads(
    client: FlaskClient, graph: RoadGraph, routable: set[int], rows
):
    through = route(client, HARVARD, CENTRAL)
    zone = zone_across(graph, through, 40)
    slowed = touched(graph, zone)
    rows.zone(zone, hazard_type="flood", severity="high")
    slow = route(client, HARVARD, CENTRAL)
    props = slow["properties"]
    assert props["hazard_zones"][0]["effect"] == "speed x0.5"
    assert props["roads_slowed"] == len(slowed) and props["roads_closed"] == 0
    start = graph.snap(*HARVARD, among=routable)
    end = graph.snap(*CENTRAL, among=routable)
    mine = graph.with_factors(dict.fromkeys(slowed, 0.5)).route(start, end)
    assert mine is not None
    assert props["travel_time_s"] == pytest.approx(mine[0], rel=0.005, abs=0.5)
    assert mine[0] > through["properties"]["travel_time_s"]  # the zone costs something
    # The same streets are still the fastest (the detour costs more): each slowed segment
    # driven takes twice its time, so the trip is longer by exactly their time.
    assert segments_of(slow) == segments_of(through)
    driven = [s for s in segments_of(slow)[1:-1] if s in slowed]
    assert driven
    extra = sum(graph.segments[s].seconds() for s in driven)
    delay = props["travel_time_s"] - through["properties"]["travel_time_s"]
    assert delay == pytest.approx(extra, abs=0.2)


@pytest.mark.parametrize(
    ("hazard_type", "severity"),
    [
        ("fire", "high"),
        ("chemical", "high"),
        ("chemical", "moderate"),
        ("flood", "moderate"),
        ("fire", "low"),
    ],
)
def test_effects_by_hazard_type_follow_the_profile(
    client: FlaskClient, graph: RoadGraph, routable: set[int], rows, hazard_type, severity
):
    through = route(client, HARVARD, CENTRAL)
    zone = zone_across(graph, through, 70)
    roads = touched(graph, zone)
    zid = rows.zone(zone, hazard_type=hazard_type, severity=severity)
    factor = hazard_factor(hazard_type, severity)  # read from profile.yaml by the test
    answer = route(client, HARVARD, CENTRAL)
    props = answer["properties"]
    if factor is None:
        assert props["hazard_zones"] == [] and same_route(answer, through)
        return
    effect = "closed" if factor == 0 else f"speed x{factor:g}"
    assert props["hazard_zones"] == [{"id": zid, "effect": effect}]
    open_roads = routable - roads if factor == 0 else routable
    start = graph.snap(*HARVARD, among=open_roads)
    end = graph.snap(*CENTRAL, among=open_roads)
    mine = graph.with_factors(dict.fromkeys(roads, factor)).route(start, end)
    assert mine is not None
    assert props["travel_time_s"] == pytest.approx(mine[0], rel=0.005, abs=0.5)
    if factor == 0:
        assert not set(segments_of(answer)) & roads


# --- dispatch by road -------------------------------------------------------------------------


def test_dispatch_ranks_units_by_their_drive_time_to_the_incident(
    client: FlaskClient, graph: RoadGraph, routable: set[int], rows
):
    rng = random.Random(7)
    places = {}
    with rows.transaction():
        for _ in range(12):
            lon, lat = rng.uniform(-71.14, -71.09), rng.uniform(42.36, 42.39)
            uid = rows.unit(lon, lat, unit_type="ambulance", capabilities=["ems", "ambulance"])
            places[uid] = (lon, lat)
        far = rows.unit(*WALTHAM, unit_type="ambulance", capabilities=["ems", "ambulance"])
    incident = rows.incident(HARVARD)
    response = client.get(f"/api/incidents/{incident}/recommend?capability=ambulance&k=6")
    assert response.status_code == 200, response.json
    answer = response.json
    assert answer["travel"] == "drive_time"
    # trips *to* the incident: NetworkX over the reversed graph from the incident's snap
    target = graph.snap(*HARVARD, among=routable)
    assert answer["incident"]["road_snap_m"] == pytest.approx(target.distance_m, abs=0.1)
    times = graph.times_from(target, reverse=True)
    mine: dict[int, float] = {}
    for uid, (lon, lat) in places.items():
        place = graph.snap(lon, lat)
        seconds = graph.time_to_place(times, target, place, towards=True)
        # a unit more than GISSERVER_ROUTE_MAX_SNAP_M (500 m) from every road is off the network
        if seconds is not None and place.distance_m <= 500:
            mine[uid] = seconds
    # the unit 6 km off the roads is not reached, nor any more than 500 m from every road
    # (this seed puts one in Somerville, 620 m from Cambridge's streets, and one 460 m away)
    assert far not in [f["id"] for f in answer["features"]]
    assert answer["not_reached_by_road"] == 1 + len(places) - len(mine)
    soonest = sorted(mine.values())[:6]
    etas = [f["properties"]["eta_s"] for f in answer["features"]]
    assert etas == sorted(etas) and len(etas) == 6
    for feature, seconds in zip(answer["features"], soonest, strict=True):
        assert feature["properties"]["travel"] == "drive_time"
        assert mine[feature["id"]] == pytest.approx(seconds, rel=0.005)  # NetworkX's order
        assert feature["properties"]["eta_s"] == pytest.approx(seconds, rel=0.005, abs=0.1)
        straight = geodesic_m(places[feature["id"]], HARVARD)
        assert feature["properties"]["road_length_m"] >= straight - 500  # snap of at most 500 m


def test_dispatch_leaves_out_a_unit_whose_street_is_closed(
    client: FlaskClient, graph: RoadGraph, routable: set[int], rows
):
    # a unit beside a street, a closed zone over that street (not over the unit itself)
    street = next(
        s
        for s in sorted(graph.segments.values(), key=lambda s: -s.length_m)
        if s.id in routable
        and s.one_way == 0
        and 150 < s.length_m < 400
        and s.line.distance(Point(HARVARD)) > 0.01
        and s.line.distance(Point(-71.1100, 42.3700)) > 0.005
    )
    middle = street.line.interpolate(0.5, normalized=True)
    unit_place = graph.snap(middle.x, middle.y + 0.00005)
    assert unit_place.segment == street.id
    with rows.transaction():
        uid = rows.unit(middle.x, middle.y + 0.00005, unit_type="ambulance", capabilities=["ems"])
        other = rows.unit(-71.1100, 42.3700, unit_type="ambulance", capabilities=["ems"])
    incident = rows.incident(HARVARD)
    before = client.get(f"/api/incidents/{incident}/recommend?capability=ems&k=5").json
    assert {uid, other} <= {f["id"] for f in before["features"]}
    # the zone covers the street's ends (not the unit): the street is closed, the unit outside
    rows.zone(
        shapely.union(disc(*street.line.coords[0], 15), disc(*street.line.coords[-1], 15)),
        severity="extreme",
    )
    after = client.get(f"/api/incidents/{incident}/recommend?capability=ems&k=5").json
    assert uid not in {f["id"] for f in after["features"]}
    assert other in {f["id"] for f in after["features"]}
    assert after["not_reached_by_road"] == before["not_reached_by_road"] + 1
