"""Drive time on Cambridge's streets over real HTTP, proven against an independent model
(tests/roadgraph.py: NetworkX Dijkstra on the ``roads`` rows, costs from pyproj lengths and the
profile's YAML, points snapped with shapely in metres): route times and lengths, one-way
streets, snapping, isochrone membership of junctions, drive-time nearest, the affected
population within an isochrone, and the same route from the CLI and the OGC process.
Hazard zones: tests/test_routing_hazards.py."""

from __future__ import annotations

import json
import random
from typing import Any

import psycopg
import pytest
import shapely
from click.testing import CliRunner
from flask.testing import FlaskClient
from roadgraph import GEOD, RoadGraph, Snapped, geodesic_m
from shapely.geometry import Point, shape

from gisserver.cli import main

BOX = (-71.16, 42.355, -71.07, 42.40)  # Cambridge
NO_ZONES = "avoid_hazards=false"
# Segments given a posted speed (maxspeed_kmh) by this module, so that it is proven too:
# every 7th segment at 20 km/h, every 11th at 55 km/h.
POSTED = ((7, 20.0), (11, 55.0))


@pytest.fixture(scope="module")
def graph(road_network: str, database_url: str) -> RoadGraph:
    with psycopg.connect(database_url, autocommit=True) as conn:
        for every, kmh in POSTED:
            conn.execute(
                "UPDATE roads SET maxspeed_kmh = %s WHERE source = %s AND id %% %s = 0",
                (kmh, road_network, every),
            )
    return RoadGraph.load(database_url)


@pytest.fixture(scope="module")
def routable(graph: RoadGraph) -> set[int]:
    return graph.routable()


def random_points(
    graph: RoadGraph, routable: set[int], seed: int, count: int, *, max_snap_m: float = 400
) -> list[tuple[tuple[float, float], Snapped]]:
    """Seeded random points in Cambridge within ``max_snap_m`` of a routable road (the server
    refuses beyond 500 m: kept clear of that edge)."""
    rng = random.Random(seed)
    found = []
    while len(found) < count:
        point = (rng.uniform(BOX[0], BOX[2]), rng.uniform(BOX[1], BOX[3]))
        snapped = graph.snap(*point, among=routable)
        if snapped.distance_m <= max_snap_m:
            found.append((point, snapped))
    return found


def get_route(client: FlaskClient, a: tuple[float, float], b: tuple[float, float], extra: str):
    response = client.get(f"/api/route?from={a[0]},{a[1]}&to={b[0]},{b[1]}&{extra}")
    assert response.status_code == 200, response.json
    return response.json


def route_segments(answer: dict[str, Any]) -> list[int]:
    return [s for road in answer["properties"]["roads"] for s in road["segments"]]


def assert_on_roads_and_one_ways(graph: RoadGraph, coordinates: list[list[float]]) -> int:
    """Every piece of the line lies on a segment that may be driven that way: returns how many
    pieces lay on a one-way segment (driven its way)."""
    lines = {rid: s.line for rid, s in graph.segments.items()}
    tree = shapely.STRtree(list(lines.values()))
    ids = list(lines)
    one_way_pieces = 0
    for a, b in zip(coordinates, coordinates[1:], strict=False):
        if a == b:
            continue
        middle = Point((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
        on = [ids[i] for i in tree.query(middle.buffer(1e-6))]
        on = [rid for rid in on if lines[rid].distance(middle) < 2e-7]
        assert on, f"the piece {a} -> {b} lies on no road"
        allowed = []
        for rid in on:
            s = graph.segments[rid]
            forward = s.line.project(Point(b)) > s.line.project(Point(a))
            if s.one_way == 0 or (s.one_way == 1) == forward:
                allowed.append(rid)
                one_way_pieces += s.one_way != 0
        assert allowed, f"the piece {a} -> {b} drives one-way segment(s) {on} against them"
    return one_way_pieces


# --- 1. route times against NetworkX, 2. one-way streets on every route -----------------------


def test_random_routes_match_networkx_dijkstra(
    client: FlaskClient, graph: RoadGraph, routable: set[int]
):
    points = random_points(graph, routable, seed=17, count=44)
    checked = one_way_pieces = 0
    for (a, snap_a), (b, snap_b) in zip(points[::2], points[1::2], strict=True):
        answer = get_route(client, a, b, NO_ZONES)
        props = answer["properties"]
        # snapping: the same segment, the same distance, the same point (metres)
        chosen = []
        for requested, mine, given in ((a, snap_a, props["from"]), (b, snap_b, props["to"])):
            # the nearest routable segment (or one as near: a point nearest a junction)
            assert given["segment"] in routable
            other = graph.snap(*requested, among={given["segment"]})
            assert other.distance_m == pytest.approx(mine.distance_m, abs=0.5), (requested, given)
            assert given["snap_m"] == pytest.approx(mine.distance_m, abs=0.5)
            assert geodesic_m(tuple(given["point"]), (mine.lon, mine.lat)) < 0.5
            # the route is checked from where the server placed the point: at a junction,
            # on the segment it chose of those meeting there (the tie is the server's to break)
            chosen.append(other)
        snap_a, snap_b = chosen
        expected = graph.route(snap_a, snap_b)
        if expected is None:  # e.g. a street not connected to the rest (Elmwood St's piece)
            assert props["found"] is False and answer["geometry"] is None
            assert "do not connect" in props["reason"]
            continue
        seconds, metres = expected
        assert props["found"] is True
        assert props["travel_time_s"] == pytest.approx(seconds, rel=0.005, abs=0.5), (a, b)
        assert props["length_m"] == pytest.approx(metres, rel=0.01), (a, b)
        coordinates = answer["geometry"]["coordinates"]
        assert answer["geometry"]["type"] == "LineString"
        assert geodesic_m(tuple(coordinates[0]), (snap_a.lon, snap_a.lat)) < 0.5
        assert geodesic_m(tuple(coordinates[-1]), (snap_b.lon, snap_b.lat)) < 0.5
        lons, lats = zip(*coordinates, strict=True)
        assert GEOD.line_length(lons, lats) == pytest.approx(props["length_m"], rel=0.001)
        # the roads' times and lengths add up to the route's
        roads = props["roads"]
        assert sum(r["travel_time_s"] for r in roads) == pytest.approx(
            seconds, abs=0.1 * len(roads) + 0.5
        )
        one_way_pieces += assert_on_roads_and_one_ways(graph, coordinates)
        checked += 1
    assert checked >= 18  # the comparisons were made, not skipped
    assert one_way_pieces > 0  # one-way streets were driven (their way)


def test_one_way_street_is_driven_only_its_way(
    client: FlaskClient, graph: RoadGraph, routable: set[int]
):
    # a straight-ish one-way segment of at least 120 m whose points snap to itself
    candidates = sorted(
        (s for s in graph.segments.values() if s.one_way == 1 and s.id in routable),
        key=lambda s: -s.length_m,
    )
    segment = next(
        s
        for s in candidates
        if s.length_m >= 120
        and all(
            graph.snap(*s.line.interpolate(f, normalized=True).coords[0], among=routable).segment
            == s.id
            for f in (0.3, 0.7)
        )
    )
    near = segment.line.interpolate(0.3, normalized=True).coords[0]
    far = segment.line.interpolate(0.7, normalized=True).coords[0]
    along = get_route(client, near, far, NO_ZONES)
    against = get_route(client, far, near, NO_ZONES)
    assert route_segments(along) == [segment.id]
    # 0.4 of the segment (fractions in degrees and in metres differ a little on a bent line)
    assert along["properties"]["length_m"] == pytest.approx(0.4 * segment.length_m, rel=0.02)
    mine = graph.route(graph.snap(*far, among=routable), graph.snap(*near, among=routable))
    assert mine is not None
    assert against["properties"]["travel_time_s"] == pytest.approx(mine[0], rel=0.005, abs=0.5)
    assert against["properties"]["length_m"] > 2 * along["properties"]["length_m"]
    segments = route_segments(against)
    # leaves along the segment's way and comes back to it from its start: never against it
    assert segments[0] == segments[-1] == segment.id and len(segments) > 2
    assert_on_roads_and_one_ways(graph, against["geometry"]["coordinates"])
    first, last = against["geometry"]["coordinates"][:2], against["geometry"]["coordinates"][-2:]
    for a, b in (first, last):
        assert segment.line.project(Point(b)) > segment.line.project(Point(a))


def test_pieces_of_no_length_still_make_a_line(
    client: FlaskClient, graph: RoadGraph, routable: set[int]
):
    # from a point to itself, and from a junction (the end of a segment: a first piece of no
    # length) to a point: GeoJSON LineStrings of positions, never a bare [lon, lat]
    junction = graph.segments[min(routable)].line.coords[-1]
    for a, b in (((-71.119, 42.3736), (-71.119, 42.3736)), (junction, (-71.119, 42.3736))):
        answer = get_route(client, a, b, NO_ZONES)
        coordinates = answer["geometry"]["coordinates"]
        assert answer["geometry"]["type"] == "LineString" and len(coordinates) >= 2
        assert all(isinstance(c, list) and len(c) == 2 for c in coordinates), coordinates
        assert geodesic_m(tuple(coordinates[0]), tuple(answer["properties"]["from"]["point"])) < 0.5
        assert geodesic_m(tuple(coordinates[-1]), tuple(answer["properties"]["to"]["point"])) < 0.5
    same = get_route(client, (-71.119, 42.3736), (-71.119, 42.3736), NO_ZONES)["properties"]
    assert same["travel_time_s"] == 0 and same["length_m"] == 0


# --- 3. snapping and refusals ---------------------------------------------------------------


def test_points_off_the_network_are_422_naming_them(client: FlaskClient, road_network: str):
    inside, waltham = "-71.11,42.37", "-71.25,42.38"  # Waltham: 6 km west of Cambridge's roads
    for query, name in (
        (f"from={waltham}&to={inside}", "from"),
        (f"from={inside}&to={waltham}", "to"),
    ):
        response = client.get(f"/api/route?{query}")
        assert response.status_code == 422, response.json
        assert response.json["description"].startswith(f"{name}: -71.25,42.38 is more than 500 m")


@pytest.mark.parametrize(
    ("query", "name", "says"),
    [
        ("from=abc&to=-71.11,42.37", "from", "is not a point"),
        ("from=1,2,3&to=-71.11,42.37", "from", "is not a point"),
        ("from=-71.11,95&to=-71.11,42.37", "from", "outside WGS84"),
        ("from=-71.11,42.37&to=-71.11", "to", "is not a point"),
        ("to=-71.11,42.37", "from", "is required"),
        ("from=-71.11,42.37", "to", "is required"),
        ("from=-71.11,42.37&to=-71.12,42.37&avoid_hazards=maybe", "avoid_hazards", ""),
        ("from=-71.11,42.37&to=-71.12,42.37&at=yesterday", "at", ""),
        ("from=-71.11,42.37&to=-71.12,42.37&speed=50", "speed", ""),
    ],
)
def test_bad_route_parameters_are_400_naming_them(
    client: FlaskClient, road_network: str, query: str, name: str, says: str
):
    response = client.get(f"/api/route?{query}")
    assert response.status_code == 400, response.json
    assert response.json["description"].startswith(f"{name}:")
    assert says in response.json["description"]


# --- the CLI and the OGC process give the HTTP answer -------------------------------------------


def test_cli_and_ogc_process_give_the_same_route(
    client: FlaskClient, graph: RoadGraph, routable: set[int], database_url: str, monkeypatch
):
    (a, _), (b, _) = random_points(graph, routable, seed=3, count=2)
    http = get_route(client, a, b, NO_ZONES)
    monkeypatch.setenv("DATABASE_URL", database_url)
    result = CliRunner().invoke(
        main,
        [
            "analyse",
            "route",
            "--from",
            f"{a[0]},{a[1]}",
            "--to",
            f"{b[0]},{b[1]}",
            "--no-avoid-hazards",
        ],
    )
    assert result.exit_code == 0, result.output
    cli = json.loads(result.stdout)
    ogc = client.post(
        "/ogc/processes/route/execution",
        data=json.dumps({"inputs": {"from": list(a), "to": list(b), "avoid_hazards": False}}),
        content_type="application/json",
    )
    assert ogc.status_code == 200, ogc.data
    process = json.loads(ogc.data)
    for other in (cli, process):
        assert other["geometry"] == http["geometry"]
        for key in ("travel_time_s", "length_m", "roads", "from", "to"):
            assert other["properties"][key] == http["properties"][key]


# --- 5. isochrones ------------------------------------------------------------------------------


def junctions(database_url: str) -> dict[int, Point]:
    with psycopg.connect(database_url) as conn:
        rows = conn.execute("SELECT id, ST_X(geom), ST_Y(geom) FROM road_nodes").fetchall()
    return {rid: Point(lon, lat) for rid, lon, lat in rows}


@pytest.mark.parametrize("direction", ["from", "to"])
def test_isochrone_holds_the_junctions_networkx_reaches(
    client: FlaskClient, graph: RoadGraph, routable: set[int], database_url: str, direction: str
):
    lon, lat, minutes = -71.1400, 42.3820, 3  # west Cambridge: much of the city is farther
    seconds = minutes * 60.0
    response = client.get(
        f"/api/isochrone?lon={lon}&lat={lat}&minutes={minutes}&direction={direction}&{NO_ZONES}"
    )
    assert response.status_code == 200, response.json
    answer = response.json
    assert answer["direction"] == direction
    polygon = shape(answer["features"][0]["geometry"])
    origin = graph.snap(lon, lat, among=routable)
    assert answer["origin"]["segment"] == origin.segment
    times = graph.times_from(origin, reverse=direction == "to")
    nodes = junctions(database_url)
    within = [n for n, t in times.items() if n in nodes and t <= seconds - 0.5]
    beyond = [n for n in nodes if times.get(n, float("inf")) > 1.5 * seconds]
    assert len(within) > 50 and len(beyond) > 200  # the test is about something
    one_metre = 1.0 / 111_000
    outside = [n for n in within if polygon.distance(nodes[n]) > one_metre]
    assert not outside, f"junctions reached within {seconds} s outside the polygon: {outside}"
    # The polygon is a concave hull of the roads driven: it bridges some gaps between them, so
    # a few junctions far beyond the time (across a hull's chord) could fall inside it. Here
    # none does; 5 % leaves the hull that room, while a wrong search (times off by half, or
    # one-way streets ignored) puts far more than that inside.
    inside_beyond = sum(1 for n in beyond if polygon.covers(nodes[n]))
    assert inside_beyond <= 0.05 * len(beyond), (inside_beyond, len(beyond))
    # the count of junctions reached is NetworkX's (up to the ones a hair from the limit)
    reached = sum(1 for n, t in times.items() if n in nodes and t <= seconds)
    close = sum(1 for n, t in times.items() if n in nodes and abs(t - seconds) < 0.05)
    assert abs(answer["features"][0]["properties"]["junctions"] - reached) <= close


def test_isochrone_bands_grow_and_refuse_bad_minutes(client: FlaskClient, road_network: str):
    answer = client.get(f"/api/isochrone?lon=-71.14&lat=42.382&minutes=6,2,4&{NO_ZONES}").json
    bands = [shape(f["geometry"]) for f in answer["features"]]
    assert [f["properties"]["minutes"] for f in answer["features"]] == [2, 4, 6]
    assert bands[0].area < bands[1].area < bands[2].area
    for value in ("0", "121", ",".join(str(i) for i in range(1, 14)), "x", "-5", "nan"):
        response = client.get(f"/api/isochrone?lon=-71.14&lat=42.382&minutes={value}")
        assert response.status_code == 400, (value, response.json)
        assert response.json["description"].startswith("minutes:")
    response = client.get("/api/isochrone?lon=-71.14&lat=42.382&minutes=5&direction=up")
    assert response.status_code == 400 and response.json["description"].startswith("direction:")
    response = client.get("/api/isochrone?lon=-71.25&lat=42.38&minutes=5")
    assert response.status_code == 422, response.json


# --- 6. drive-time nearest --------------------------------------------------------------------


@pytest.fixture()
def shelters(rows, graph: RoadGraph, routable: set[int]) -> dict[int, dict[str, Any]]:
    """30 shelters scattered over Cambridge, within 300 m of a road, free capacity 0..200."""
    rng = random.Random(30)
    made: dict[int, dict[str, Any]] = {}
    with rows.transaction():
        for (lon, lat), _ in random_points(graph, routable, seed=31, count=30, max_snap_m=300):
            capacity = rng.randint(50, 250)
            occupancy = rng.randint(0, capacity)
            sid = rows.shelter(lon, lat, capacity=capacity, occupancy=occupancy, status="open")
            made[sid] = {"lon": lon, "lat": lat, "free": capacity - occupancy}
    return made


def test_nearest_by_drive_time_matches_networkx(
    client: FlaskClient, graph: RoadGraph, routable: set[int], shelters: dict[int, dict[str, Any]]
):
    lon, lat = -71.1190, 42.3736  # Harvard Square
    origin = graph.snap(lon, lat, among=routable)
    times = graph.times_from(origin)

    # each place reached through its nearest segment (any: one on a street cut off from the
    # rest is not reached)
    mine: dict[int, float | None] = {}
    for sid, shelter in shelters.items():
        place = graph.snap(shelter["lon"], shelter["lat"])
        mine[sid] = graph.time_to_place(times, origin, place)

    base = f"/api/nearest?layer=shelters&lon={lon}&lat={lat}&by=drive_time&k=5&{NO_ZONES}"
    for query, eligible in (
        ("", list(shelters)),
        ("&min_free_capacity=60", [s for s in shelters if shelters[s]["free"] >= 60]),
    ):
        response = client.get(base + query + "&route=true")
        assert response.status_code == 200, response.json
        features = response.json["features"]
        reached = [s for s in eligible if mine[s] is not None]
        assert response.json["not_reached"] == len(eligible) - len(reached)
        soonest = sorted(mine[s] for s in reached)[:5]
        assert len(features) == 5
        for feature, seconds in zip(features, soonest, strict=True):
            assert feature["id"] in reached
            # in NetworkX's order: the n-th feature's time is the n-th smallest (ties allowed)
            assert mine[feature["id"]] == pytest.approx(seconds, rel=0.005)
            assert feature["properties"]["travel_time_s"] == pytest.approx(
                seconds, rel=0.005, abs=0.1
            )
            route = feature["properties"]["route"]
            assert route["type"] == "LineString"
            assert geodesic_m(tuple(route["coordinates"][0]), (origin.lon, origin.lat)) < 0.5
            place = graph.snap(shelters[feature["id"]]["lon"], shelters[feature["id"]]["lat"])
            assert geodesic_m(tuple(route["coordinates"][-1]), (place.lon, place.lat)) < 0.5
            lons, lats = zip(*route["coordinates"], strict=True)
            assert GEOD.line_length(lons, lats) == pytest.approx(
                feature["properties"]["length_m"], rel=0.001
            )


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("route=true", "route"),
        ("avoid_hazards=false", "avoid_hazards"),
        ("by=drive_time&as_of=2024-01-01T00:00:00Z", "as_of"),
        ("by=walking", "by"),
        ("by=drive_time&route=perhaps", "route"),
    ],
)
def test_drive_time_parameters_are_checked(
    client: FlaskClient, road_network: str, query: str, name: str
):
    response = client.get(f"/api/nearest?layer=shelters&lon=-71.11&lat=42.37&{query}")
    assert response.status_code == 400, response.json
    assert response.json["description"].startswith(f"{name}:")


# --- 8. the people within an isochrone --------------------------------------------------------


def test_population_within_an_isochrone_is_its_polygons(client: FlaskClient, rows, road_network):
    # a census grid of 0.01-degree squares over Cambridge, 1,000 people each
    squares = [
        (f"sq-{i}-{j}", 1000.0, (x, y, x + 0.01, y + 0.01))
        for i, x in enumerate([-71.17 + 0.01 * k for k in range(11)])
        for j, y in enumerate([42.35 + 0.01 * k for k in range(6)])
    ]
    rows.census((-71.17, 42.35, -71.06, 42.41), squares)
    isochrone = {"lon": -71.1190, "lat": 42.3736, "minutes": 4, "avoid_hazards": False}
    drawn = client.get("/api/isochrone?lon=-71.1190&lat=42.3736&minutes=4&avoid_hazards=false").json
    polygon = drawn["features"][0]["geometry"]
    by_isochrone = client.post(
        "/api/affected-population", json={"isochrone": isochrone, "source": rows.source}
    )
    assert by_isochrone.status_code == 200, by_isochrone.json
    by_geometry = client.post(
        "/api/affected-population", json={"geometry": polygon, "source": rows.source}
    )
    assert by_geometry.status_code == 200, by_geometry.json
    assert by_isochrone.json["population"] == by_geometry.json["population"]
    assert by_isochrone.json["population"] > 1000
    # the areal weighting over the squares, with shapely and pyproj
    area = shape(polygon)
    expected = 0.0
    for _, people, box in squares:
        square = shapely.box(*box)
        part = square.intersection(area)
        if not part.is_empty:
            expected += (
                people
                * abs(GEOD.geometry_area_perimeter(part)[0])
                / abs(GEOD.geometry_area_perimeter(square)[0])
            )
    assert by_isochrone.json["population"] == pytest.approx(expected, rel=0.005)
    assert by_isochrone.json["area"]["isochrone"]["minutes"] == 4
    both = client.post(
        "/api/affected-population", json={"isochrone": isochrone, "geometry": polygon}
    )
    assert both.status_code == 400, both.json
    assert both.json["description"].startswith("isochrone:")
