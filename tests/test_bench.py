"""The benchmark harness's pieces on tiny data. No timing is ever asserted here."""

from __future__ import annotations

import http.server
import json
import math
import shutil
import sys
import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import psycopg
import pyogrio
import pytest
import rasterio
import shapely
from pyproj import Geod, Transformer

from gisserver.settings import PROJECT_ROOT

# bench/ is a top-level package run as ``python -m bench.run`` from the checkout, not installed:
# make it importable here (pyproject's pytest ``pythonpath = ["."]`` would do the same).
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from bench import recommend, writes
from bench.data import REGION, Size, circle_polygon, ensure_dataset, sample_bboxes
from bench.environment import DEFAULT_CACHE, BenchRun
from bench.measure import (
    LoadFailed,
    LoadResult,
    Timing,
    lua_script,
    parse_wrk,
    round_robin,
    run_wrk,
)
from bench.results import Comparison, Figure, Report, Target, not_available, render_markdown
from bench.run import SCENARIOS
from bench.tiles import tile_of
from gisserver.layers import load_layers
from gisserver.settings import Settings

TINY = Size("tiny", points=500, polygons=40, raster=64, seed=7)


@pytest.fixture(scope="module")
def tiny_dataset(tmp_path_factory: pytest.TempPathFactory):
    return ensure_dataset(TINY, tmp_path_factory.mktemp("bench-data"))


def test_dataset_has_the_stated_counts_inside_the_region(tiny_dataset) -> None:
    west, south, east, north = REGION
    for path, count, geom_type in (
        (tiny_dataset.points, TINY.points, "Point"),
        (tiny_dataset.polygons, TINY.polygons, "MultiPolygon"),
        (tiny_dataset.points_small, TINY.points // 10, "Point"),
    ):
        info = pyogrio.read_info(path)
        assert info["features"] == count
        assert info["geometry_type"] == geom_type
        assert info["crs"] == "EPSG:4326"
        xmin, ymin, xmax, ymax = info["total_bounds"]
        assert west <= xmin and xmax <= east and south <= ymin and ymax <= north
    _, _, geometry, _ = pyogrio.raw.read(tiny_dataset.polygons)
    assert shapely.is_valid(shapely.from_wkb(geometry)).all()
    with rasterio.open(tiny_dataset.raster) as src:
        assert (src.width, src.height) == (TINY.raster, TINY.raster)
        values = src.read(1, masked=True)
        assert 0 < values.count() < TINY.raster**2  # people, and nodata over the sea
        assert float(values.min()) >= 0


def test_point_fields_are_the_layers_own_so_no_mapping_is_needed(tiny_dataset) -> None:
    layer = load_layers(Settings().layers_dir)["shelters"]
    meta, _, _, fields = pyogrio.raw.read(tiny_dataset.points)
    names = list(meta["fields"])
    assert set(names) - {"source_id"} <= set(layer.fields)
    status = fields[names.index("status")]
    assert set(status) <= set(layer.fields["status"].enum or ())
    capacity = fields[names.index("capacity")]
    assert len(set(fields[names.index("source_id")])) == TINY.points
    assert (capacity >= 0).all()


def test_generation_is_deterministic_and_cached(tiny_dataset, tmp_path: Path) -> None:
    again = ensure_dataset(TINY, tmp_path)
    _, _, first, _ = pyogrio.raw.read(tiny_dataset.points)
    _, _, second, _ = pyogrio.raw.read(again.points)
    assert list(first) == list(second)
    stamp = tmp_path / "data-tiny" / "stamp.json"
    mtime = again.points.stat().st_mtime_ns
    assert ensure_dataset(TINY, tmp_path).points.stat().st_mtime_ns == mtime  # reused
    stamp.write_text(json.dumps({"generator_version": -1}))
    ensure_dataset(TINY, tmp_path)  # a changed stamp rebuilds
    assert json.loads(stamp.read_text())["points"] == TINY.points


def test_circle_polygon_has_the_asked_geodesic_area() -> None:
    polygon = circle_polygon(-71.1, 42.37, 10_000_000.0)
    lons, lats = zip(*polygon["coordinates"][0], strict=True)
    area, _ = Geod(ellps="WGS84").polygon_area_perimeter(lons, lats)
    assert area == pytest.approx(10_000_000.0, rel=0.01)  # a 64-gon inside the circle
    assert area > 0  # counter-clockwise


def test_sample_bboxes_are_small_and_inside_the_region() -> None:
    for xmin, ymin, xmax, ymax in sample_bboxes(20, seed=1):
        assert xmin < xmax and ymin < ymax
        assert REGION[0] - 0.05 < xmin and xmax < REGION[2] + 0.05


def test_tile_of_matches_a_pyproj_projection() -> None:
    to_mercator = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)
    half = 20037508.342789244
    for lon, lat in ((-71.105, 42.373), (-70.95, 42.25), (0.1, -33.9)):
        x, y = to_mercator.transform(lon, lat)
        for z in (5, 10, 14):
            size = 2 * half / 2**z
            assert tile_of(lon, lat, z) == (
                math.floor((x + half) / size),
                math.floor((half - y) / size),
            )


class _Handler(http.server.BaseHTTPRequestHandler):
    hits: Counter[str] = Counter()
    posted: Counter[tuple[str, str, str]] = Counter()  # (path, content type, body)
    body = json.dumps({"type": "FeatureCollection", "features": []}).encode()

    def do_POST(self) -> None:
        sent = self.rfile.read(int(self.headers["Content-Length"])).decode()
        type(self).posted[(self.path, self.headers["Content-Type"], sent)] += 1
        self.do_GET(status=201)

    def do_GET(self, status: int = 200) -> None:
        type(self).hits[self.path] += 1
        status = 404 if self.path == "/missing" else status
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture()
def tiny_server() -> Iterator[str]:
    if shutil.which("wrk") is None:
        pytest.skip("wrk is not installed (the harness installs it: apt-get install wrk)")
    _Handler.hits = Counter()
    _Handler.posted = Counter()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def test_wrk_run_is_parsed_and_cycles_through_the_paths(tiny_server: str) -> None:
    paths = ["/a?x=1", "/b?y=%27open%27", "/c"]
    result = run_wrk(tiny_server, paths, duration_s=1, connections=2, threads=2, warmup_s=0)
    served = sum(_Handler.hits.values())
    assert result.requests > 0 and result.errors == 0
    # wrk counts completed responses; the server may have answered the last in-flight ones too.
    assert served - 2 <= result.requests <= served
    assert set(_Handler.hits) == set(paths)
    assert result.bytes >= result.requests * len(_Handler.body)
    assert 0 < result.p50_ms <= result.p99_ms <= result.max_ms
    assert result.duration_s == pytest.approx(1.0, abs=0.5)


def test_wrk_sends_each_body_to_its_path_with_the_headers(tiny_server: str) -> None:
    bodies = ['{"type":"Feature","properties":{"n":1}}', '{"type":"Feature","properties":{"n":2}}']
    result = run_wrk(
        tiny_server,
        ["/items", "/other"],
        method="POST",
        headers={"Content-Type": "application/geo+json"},
        bodies=bodies,
        duration_s=1,
        connections=2,
        threads=1,
        warmup_s=0,
    )
    assert result.requests > 0 and result.errors == 0  # 201s are not errors
    assert set(_Handler.posted) == {
        ("/items", "application/geo+json", bodies[0]),
        ("/other", "application/geo+json", bodies[1]),
    }
    assert result.p50_ms <= result.p95_ms <= result.p99_ms


def test_wrk_script_takes_one_body_per_path_and_ascii_only() -> None:
    with pytest.raises(ValueError, match="one body per path"):
        run_wrk("http://127.0.0.1:1", ["/a", "/b"], bodies=["{}"], duration_s=1)
    with pytest.raises(ValueError, match="ASCII"):
        lua_script(["/a"], bodies=['{"name": "Café"}'])
    script = lua_script(["/a"], method="POST", headers={"Authorization": "Bearer x"}, bodies=["{}"])
    assert '["Authorization"] = "Bearer x"' in script
    assert '["Accept-Encoding"] = "identity"' in script


def test_wrk_counts_error_statuses_and_refuses_to_report_them(tiny_server: str) -> None:
    with pytest.raises(LoadFailed, match="failed"):
        run_wrk(tiny_server, ["/missing"], duration_s=1, connections=1, threads=1, warmup_s=0)


def test_run_wrk_refuses_anything_but_loopback() -> None:
    with pytest.raises(ValueError, match="loopback"):
        run_wrk("http://192.0.2.1:80", ["/"], duration_s=1)


def test_parse_wrk_without_a_summary_line_fails_clearly() -> None:
    with pytest.raises(LoadFailed, match="no summary line"):
        parse_wrk("Running 1s test @ http://127.0.0.1:1\n", connections=1)


def test_ratio_and_target_directions() -> None:
    faster = Comparison(
        "features",
        "page",
        "tipg",
        Figure(150, "req/s"),
        Figure(100, "req/s"),
        Target("at_least", 1.5, text="≥ 1.5× tipg"),
    )
    assert faster.ratio == pytest.approx(1.5) and faster.met is True
    slower = Comparison(
        "tiles",
        "z14",
        "raw SQL",
        Figure(14, "ms"),
        Figure(10, "ms"),
        Target("at_most", 1.3, text="≤ 1.3×"),
    )
    assert slower.ratio == pytest.approx(1.4) and slower.met is False
    absolute = Comparison(
        "nearest",
        "p50",
        "raw SQL",
        Figure(12, "ms"),
        Figure(10, "ms"),
        Target("at_most", 1.5, absolute_max=10.0),
    )
    assert absolute.met is False  # within the ratio but over 10 ms
    floor = Target("at_least", 3.0, absolute_min=300.0)
    assert floor.met(4.0, 350.0) is True
    assert floor.met(4.0, 250.0) is False  # 4x the alternative but under 300/s
    assert floor.met(2.0, 900.0) is False
    missing = not_available("etl", "load", "ogr2ogr", "not implemented")
    assert missing.ratio is None and missing.met is None


def test_results_markdown_lists_every_registered_scenario() -> None:
    rows = [not_available(name, "everything", "alt", "reason") for name in SCENARIOS]
    rows.append(
        Comparison(
            "features",
            "bbox page",
            "tipg",
            Figure(150, "req/s"),
            Figure(100, "req/s"),
            Target("at_least", 1.5, text="≥ 1.5× tipg"),
        )
    )
    report = Report({"CPU": "test"}, {"size": "tiny"}, rows, ["shared machine"])
    text = render_markdown(report)
    table = [line for line in text.splitlines() if line.startswith("| ")][1:]
    assert {line.split("|")[1].strip() for line in table} == set(SCENARIOS)
    assert (
        "| features | bbox page | 150 req/s | tipg: 100 req/s | 1.50× | ≥ 1.5× tipg | yes |" in text
    )
    assert text.count("not available: reason") == len(SCENARIOS)
    assert "shared machine" in text
    data = report.as_json()
    assert json.loads(json.dumps(data))["results"][-1]["ratio"] == 1.5
    assert np.isclose(data["results"][-1]["ratio"], 1.5)


def _load(requests: int, p50: float, p99: float) -> LoadResult:
    return LoadResult(requests, 5.0, 0, p50, p50, p99, p50, p99, requests * 10, 8)


def test_rounds_merge_into_one_load_result() -> None:
    merged = LoadResult.merge([_load(300, 10.0, 40.0), _load(100, 30.0, 90.0)])
    assert (merged.requests, merged.duration_s, merged.bytes, merged.rounds) == (400, 10.0, 4000, 2)
    assert merged.requests_per_s == pytest.approx(40.0)
    assert merged.p50_ms == pytest.approx((300 * 10 + 100 * 30) / 400)  # request-weighted
    assert merged.p99_ms == 90.0  # the worst round
    assert "2 rounds" in merged.summary()


def test_timings_merge_from_their_samples() -> None:
    rng = np.random.default_rng(3)
    a, b = rng.uniform(1, 2, 50), rng.uniform(5, 9, 150)
    merged = Timing.merge([Timing.of(list(a)), Timing.of(list(b))])
    assert merged.calls == 200 and merged.rounds == 2
    assert merged.p50_ms == pytest.approx(float(np.percentile(np.concatenate([a, b]), 50)))


def test_round_robin_takes_turns_and_drops_a_failing_contender() -> None:
    order: list[tuple[str, int, bool]] = []

    def contender(name: str, fail: bool = False):
        def measure(seconds: int, first: bool) -> str:
            order.append((name, seconds, first))
            if fail and not first:
                raise LoadFailed(f"{name} broke")
            return name

        return measure

    found = round_robin(
        {"ours": contender("ours"), "theirs": contender("theirs", fail=True)}, seconds=10, rounds=3
    )
    assert order[:4] == [
        ("ours", 3, True),
        ("theirs", 3, True),
        ("ours", 3, False),
        ("theirs", 3, False),
    ]
    assert order[4:] == [("ours", 3, False)]  # theirs dropped out after failing
    assert found["ours"] == ["ours", "ours", "ours"]
    assert isinstance(found["theirs"], LoadFailed)


@pytest.mark.slow
def test_writes_scenario_runs_at_a_tiny_size_and_deletes_what_it_wrote(
    test_cluster, database_url: str, tiny_dataset, tmp_path: Path
) -> None:
    """The scenario's four rows, measured or "not available" with the reason (our create
    endpoint until it exists; the stock pygeoapi where its virtualenv is not installed: this
    test installs nothing); the rows it wrote are gone, their audit rows stay."""
    if test_cluster is None:
        pytest.skip("a BenchRun drives a private cluster; GISSERVER_TEST_DATABASE_URL is set")
    if shutil.which("wrk") is None:
        pytest.skip("wrk is not installed (the harness installs it: apt-get install wrk)")
    run = BenchRun(
        TINY,
        tiny_dataset,
        DEFAULT_CACHE,  # the stock pygeoapi's virtualenv, if a benchmark run installed it
        test_cluster,
        duration_s=1,
        logs=tmp_path / "logs",
        install_alternatives=False,
    )
    with psycopg.connect(database_url) as conn:
        audit_before = conn.execute("SELECT coalesce(max(id), 0) FROM audit_log").fetchone()[0]
    try:
        rows = writes.scenario(run)
    finally:
        run.stop_servers()

    assert [row.scenario for row in rows] == ["writes"] * 4
    direct = [row for row in rows if row.alternative.startswith("the same INSERT")]
    assert len(direct) == 2
    assert all(row.theirs is not None and row.theirs.value > 0 for row in direct)
    assert direct[0].theirs is not None and direct[0].theirs.unit == "ms"
    assert direct[1].theirs is not None and direct[1].theirs.unit == "creates/s"
    for row in rows:
        assert row.ours is not None or row.note.startswith("not available: ")
        assert row.theirs is not None or "not measured" in row.note
    table = render_markdown(Report({}, {}, rows, run.notes))
    assert table.count("| writes | ") == 4
    assert "≥ 3× stock and ≥ 300 creates/s" in table

    with psycopg.connect(database_url) as conn:
        left = conn.execute(
            "SELECT count(*) FROM incidents WHERE description = %s", (writes.MARKER,)
        ).fetchone()[0]
        created, deleted = conn.execute(
            "SELECT count(*) FILTER (WHERE operation = 'create'), "
            "count(*) FILTER (WHERE operation = 'delete') FROM audit_log "
            "WHERE id > %s AND layer = 'incidents'",
            (audit_before,),
        ).fetchone()
        defaults = conn.execute(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'incidents' "
            "AND column_name IN ('source', 'source_id') AND column_default IS NOT NULL"
        ).fetchone()[0]
        keys = conn.execute(
            "SELECT count(*) FROM api_keys WHERE name LIKE 'bench-writes-%'"
        ).fetchone()[0]
    assert left == 0
    assert created > 0 and created == deleted  # every row written was deleted, audited both ways
    assert f"{created:,} incidents were created" in " ".join(run.notes)
    assert defaults == 0 and keys == 0


def _tiny_run(test_cluster: Any, tiny_dataset: Any, tmp_path: Path) -> BenchRun:
    if test_cluster is None:
        pytest.skip("a BenchRun drives a private cluster; GISSERVER_TEST_DATABASE_URL is set")
    return BenchRun(
        TINY,
        tiny_dataset,
        DEFAULT_CACHE,
        test_cluster,
        duration_s=1,
        logs=tmp_path / "logs",
        install_alternatives=False,
    )


@pytest.mark.slow
def test_feed_scenario_runs_at_a_tiny_size_and_every_client_gets_every_event(
    test_cluster, database_url: str, tiny_dataset, tmp_path: Path
) -> None:
    """Five SSE clients for three seconds of 100 changes/s: the row says whether every client
    got every event in order (the harness checks it against the events table), and the
    incidents it wrote are gone."""
    from bench import feed

    run = _tiny_run(test_cluster, tiny_dataset, tmp_path)
    try:
        rows = feed.scenario(run)
    finally:
        run.stop_servers()
    assert [row.scenario for row in rows] == ["feed"]
    row = rows[0]
    assert row.ours is not None and row.theirs is not None
    assert row.extra["clients"] == 5
    assert row.extra["events"] == feed.RATE * 3
    assert row.extra["complete_clients"] == 5, row.ours.detail
    with psycopg.connect(database_url) as conn:
        left = conn.execute(
            "SELECT count(*) FROM incidents WHERE source = %s", (feed.SOURCE,)
        ).fetchone()[0]
    assert left == 0


@pytest.mark.slow
def test_webhooks_scenario_delivers_during_its_turns_and_cleans_up(
    test_cluster, database_url: str, tiny_dataset, tmp_path: Path
) -> None:
    if shutil.which("wrk") is None:
        pytest.skip("wrk is not installed (the harness installs it: apt-get install wrk)")
    from bench import webhooks

    run = _tiny_run(test_cluster, tiny_dataset, tmp_path)
    try:
        rows = webhooks.scenario(run)
    finally:
        run.stop_servers()
    assert [row.scenario for row in rows] == ["webhooks"]
    row = rows[0]
    assert row.ours is not None and row.theirs is not None
    assert row.ours.value > 0 and row.theirs.value > 0
    assert row.extra["deliveries"] > 0  # the worker delivered while the subscribers were on
    with psycopg.connect(database_url) as conn:
        subscriptions = conn.execute(
            "SELECT count(*) FROM subscriptions WHERE created_by = 'bench-webhooks'"
        ).fetchone()[0]
        left = conn.execute(
            "SELECT count(*) FROM incidents WHERE description = %s", (writes.MARKER,)
        ).fetchone()[0]
    assert subscriptions == 0 and left == 0


@pytest.mark.slow
def test_recommend_scenario_runs_at_a_tiny_size_and_removes_its_units(
    test_cluster, database_url: str, tiny_dataset, tmp_path: Path
) -> None:
    """The recommendation measured beside its SQL (or "not available" with the reason), the
    1,000 units and the zones it drew gone afterwards."""
    if shutil.which("wrk") is None:
        pytest.skip("wrk is not installed (the harness installs it: apt-get install wrk)")
    run = _tiny_run(test_cluster, tiny_dataset, tmp_path)
    try:
        rows = recommend.scenario(run)
    finally:
        run.stop_servers()
    assert [row.scenario for row in rows] == ["recommend"] * len(recommend.CASES)
    for row in rows:
        assert row.ours is not None, row.note
        assert row.ours.unit == "ms" and row.ours.value > 0
        assert row.theirs is not None and row.theirs.value > 0
    with psycopg.connect(database_url) as conn:
        left = conn.execute(
            "SELECT (SELECT count(*) FROM units WHERE source = %s)"
            " + (SELECT count(*) FROM hazard_zones WHERE source = %s)"
            " + (SELECT count(*) FROM incidents WHERE source = %s)",
            (recommend.SOURCE,) * 3,
        ).fetchone()[0]
    assert left == 0


def test_as_of_scenario_runs_at_a_tiny_size(
    test_cluster, database_url: str, tiny_dataset, tmp_path: Path
) -> None:
    """Versions written through the triggers, both situations timed; the report as of T counts
    the same shelters as now (none was created or deleted in between)."""
    from bench import as_of

    run = _tiny_run(test_cluster, tiny_dataset, tmp_path)
    source = f"bench-as-of-{uuid.uuid4().hex[:6]}"
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO shelters (name, status, source, source_id, geom) "
            "SELECT 'bench-as-of', 'open', %s, g::text, "
            "ST_SetSRID(ST_MakePoint(-71.1 + g * 1e-4, 42.37), 4326) "
            "FROM generate_series(1, 20) AS g",
            (source,),
        )
    try:
        rows = as_of.scenario(run, source)
    finally:
        run.stop_servers()
        with psycopg.connect(database_url, autocommit=True) as conn:
            conn.execute("DELETE FROM shelters WHERE source = %s", (source,))
    assert [row.scenario for row in rows] == ["as_of"] * 3
    for row in rows[:2]:
        assert row.ours is not None and row.theirs is not None, row.note
        assert row.note == "", row.note
        assert row.extra["versions"] == 40  # twice the shelters, half of them per statement


@pytest.mark.slow
def test_positions_scenario_runs_at_a_tiny_size_and_cleans_up(
    test_cluster, database_url: str, tiny_dataset, tmp_path: Path
) -> None:
    """Batches over real HTTP (every batch accepted: wrk counts a refusal as an error) beside
    the plain COPY, and a year of tracks whose hour query reads one partition; the units and
    the year's months are gone afterwards."""
    if shutil.which("wrk") is None:
        pytest.skip("wrk is not installed (the harness installs it: apt-get install wrk)")
    from bench import positions

    run = _tiny_run(test_cluster, tiny_dataset, tmp_path)
    try:
        rows = positions.scenario(run)
    finally:
        run.stop_servers()
    assert [row.scenario for row in rows] == ["positions", "positions"]
    ingest, year = rows
    assert ingest.ours is not None and ingest.theirs is not None
    assert ingest.ours.value > 0 and ingest.theirs.value > 0
    assert ingest.extra["errors"] == 0
    # every batch stored whole (the warm-up's too)
    stored = ingest.extra["stored"]
    assert stored >= ingest.extra["batches"] * positions.BATCH > 0
    assert stored % positions.BATCH == 0
    assert year.ours is not None and year.extra["one_partition"] is True
    assert year.extra["stored"] == 20_000
    with psycopg.connect(database_url) as conn:
        left = conn.execute(
            "SELECT count(*) FROM units WHERE source = %s", (positions.SOURCE,)
        ).fetchone()[0]
        months = conn.execute(
            "SELECT count(*) FROM pg_class WHERE relname LIKE %s",
            (f"unit_positions_y{positions.YEAR}m%",),
        ).fetchone()[0]
    assert left == 0 and months == 0


def test_road_grid_has_its_classes_one_ways_and_edge_count(tmp_path: Path) -> None:
    """The generated network: every street a chain of 100 m blocks, every 10th primary, the
    odd residential ones one-way alternately, read back with pyogrio (not the generator)."""
    from bench.road_grid import Grid, write_grid

    grid = Grid(-68.98731, 43.01257, nodes=12)
    path = tmp_path / "grid.gpkg"
    write_grid(path, grid)
    meta, _, geometry, fields = pyogrio.raw.read(path)
    names = list(meta["fields"])
    lines = shapely.from_wkb(geometry)
    assert len(lines) == grid.edges == 2 * 12 * 11
    lengths = [Geod(ellps="WGS84").geometry_length(line) for line in lines]
    assert min(lengths) == pytest.approx(100.0, rel=0.01)
    assert max(lengths) == pytest.approx(100.0, rel=0.01)
    by_street = dict(
        zip(fields[names.index("street")], fields[names.index("road_class")], strict=True)
    )
    assert by_street["0 Street"] == by_street["10 Avenue"] == "primary"
    assert by_street["5 Avenue"] == "secondary" and by_street["3 Street"] == "residential"
    one_way = Counter(
        zip(fields[names.index("street")], fields[names.index("one_way")], strict=True)
    )
    assert one_way[("1 Street", "1")] == one_way[("3 Avenue", "-1")] == 11
    assert one_way[("2 Street", "0")] == one_way[("5 Street", "0")] == 11


@pytest.mark.slow
def test_drive_time_scenario_runs_at_a_tiny_size_and_removes_its_network(
    test_cluster, database_url: str, tiny_dataset, tmp_path: Path
) -> None:
    """Cambridge and a small grid loaded, routes, drive-time nearest and isochrones measured
    over HTTP beside the SQL each request sends (captured from the package's functions), the
    probes of a smaller graph answering as the whole one; the roads and depots gone after."""
    if shutil.which("wrk") is None:
        pytest.skip("wrk is not installed (the harness installs it: apt-get install wrk)")
    from bench import drive_time

    run = _tiny_run(test_cluster, tiny_dataset, tmp_path)
    try:
        rows = drive_time.scenario(run)
    finally:
        run.stop_servers()
    assert [row.scenario for row in rows] == ["drive_time"] * 9
    for row in rows:
        assert row.ours is not None and row.theirs is not None, row.note
        assert row.ours.unit == "ms" and row.ours.value > 0 and row.theirs.value > 0
    cambridge = rows[0:6:2]
    assert all("2,644 segments" in row.name for row in cambridge)
    assert all("pgRouting's statements" in row.note for row in cambridge)
    assert all(f"({2 * 12 * 11:,} segments)" in row.name for row in rows[1:6:2])
    for row in rows[6:]:
        # restricting the graph to the box gave the whole network's answer
        same, compared = row.extra["same"], row.extra["compared"]
        assert compared > 0 and same == compared, row.note
    with psycopg.connect(database_url) as conn:
        left = conn.execute(
            "SELECT (SELECT count(*) FROM roads WHERE source = %s)"
            " + (SELECT count(*) FROM stockpiles WHERE source = %s)",
            (drive_time.SOURCE,) * 2,
        ).fetchone()[0]
    assert left == 0


@pytest.mark.slow
def test_webmap_scenario_runs_at_a_tiny_size_and_drops_the_demo_data(
    test_cluster, database_url: str, tiny_dataset, tmp_path: Path
) -> None:
    """/map's first meaningful paint beside MapLibre alone, and a write drawn in a connected page
    beside its event's arrival (or "not available" without chromium); the demo data lived in a
    database of its own, dropped afterwards, so the run's database never held its roads."""
    from bench import webmap

    run = _tiny_run(test_cluster, tiny_dataset, tmp_path)
    with psycopg.connect(database_url) as conn:
        roads_before = conn.execute("SELECT count(*) FROM roads").fetchone()[0]
    rows = webmap.scenario(run)
    assert [row.scenario for row in rows] == ["webmap"] * 2
    missing = webmap.chromium_missing()
    if missing is not None:
        assert all(row.note == f"not available: {missing}" for row in rows)
        return
    paint, drawn = rows
    assert paint.ours is not None and paint.theirs is not None, paint.note
    for side in ("map", "baseline"):
        runs = paint.extra[side]["runs"]
        assert len(runs) == 2
        for found in runs:
            marks = found["marks"]
            # every mark noted, in the order the page reaches them
            assert 0 < marks["map"] <= marks["features"] <= marks["drawn"] <= marks["fmp"]
            assert marks["ready"] <= marks["fmp"]
            assert found["requests"] > 0 and 0 < found["server_ms"] <= marks["fmp"]
            # the tiles MapLibre's worker fetched are counted, before the features were drawn
            assert 0 < found["ends"]["feature tiles"] <= marks["drawn"]
    # the demo's Cambridge layers are what /map drew
    drawn_layers = set(paint.extra["map"]["runs"][0]["counts"])
    assert {"shelters", "incidents", "units"} <= drawn_layers
    assert drawn.ours is not None and drawn.theirs is not None, drawn.note
    assert drawn.extra["missed"] == 0 and len(drawn.extra["drawn_ms"]) == 2
    # drawn after the write was answered, and after its event arrived
    assert all(d > 0 for d in drawn.extra["drawn_ms"])
    pairs = zip(drawn.extra["upper_ms"], drawn.extra["event_upper_ms"], strict=True)
    assert all(upper >= event > 0 for upper, event in pairs)  # every event came
    with psycopg.connect(database_url) as conn:
        left = conn.execute(
            "SELECT count(*) FROM pg_database WHERE datname = %s", (webmap.DATABASE,)
        ).fetchone()[0]
        roads_after = conn.execute("SELECT count(*) FROM roads").fetchone()[0]
    assert left == 0 and roads_after == roads_before
