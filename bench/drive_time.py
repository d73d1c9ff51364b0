"""Scenario "drive_time": routes, drive-time nearest and isochrones on a road network
(issue 17), over HTTP beside the same SQL run directly.

Two networks in turn, each loaded through the roads loader under a source of the scenario's own
and removed afterwards (with roads present other scenarios would route: recommend's ETAs):

- Cambridge's street centrelines (etl/data/cambridge, 2,644 segments), under the dataset's
  hazard zones in force (the endpoints' default, ``avoid_hazards=true``: the roads they touch
  are closed or slowed as the routing profile says);
- a generated city-size grid (bench/road_grid.py, >= 100,000 segments at quick and full size)
  north-east of the dataset, where no hazard zone lies.

On each: ``GET /api/route`` between seeded random pairs of points (pairs answered with a 422 or
no route are skipped when choosing them), ``GET /api/nearest?layer=stockpiles&k=5&by=drive_time``
among 1,000 depots of the scenario's own placed along the network's streets (the bench data
holds no stockpiles: the candidates are exactly these), and ``GET /api/isochrone?minutes=10``.
Each is measured with wrk on one connection beside its SQL: every statement the endpoint sends
to PostgreSQL for that request, captured from the package's own functions (``route``,
``isochrone``, ``drive_nearest.answer_text`` on a recording Database, caches warm as a server
worker's are) and replayed as text through psycopg on one connection, the two taking turns.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlencode

import numpy as np
import psycopg
from psycopg import sql
from psycopg.rows import dict_row

from bench.drive_time_probe import Probe, probe
from bench.environment import BenchRun
from bench.measure import LoadFailed, LoadResult, Timing, fetch, round_robin, run_wrk, time_calls
from bench.results import Comparison, Figure, Target, not_available
from bench.road_grid import GRID_MAPPING, Grid, write_grid
from bench.servers import ServerFailed
from gisserver.analyses import drive, drive_nearest
from gisserver.db import Database
from gisserver.etl.roads import delete_road_sources, load_roads
from gisserver.layers import load_layers
from gisserver.settings import PROJECT_ROOT, Settings

SCENARIO = "drive_time"
SOURCE = "bench-drive-time"
FACILITIES = 1_000
K = 5
MINUTES = 10
CAMBRIDGE = PROJECT_ROOT / "etl" / "data" / "cambridge" / "TRANS_Centerlines.geojson"
CAMBRIDGE_MAPPING = PROJECT_ROOT / "etl" / "mappings" / "cambridge_centerlines.yaml"
CAMBRIDGE_BOX = (-71.16, 42.355, -71.07, 42.40)
# 225 x 225 junctions: 100,800 segments, 22.4 km square, north-east of the dataset's region
GRID_NODES = {"full": 225, "quick": 225}
GRID_CORNER = (-68.98731, 43.01257)
# The dataset's hazard zones (10,000 at quick size, 100,000 at full, 50-400 m across, densest
# in Cambridge) touch 97% of Cambridge's segments: under them hardly any route exists. The
# questions are asked of the open network.
OPEN_ROADS = {"avoid_hazards": "false"}
LAYERS = load_layers(PROJECT_ROOT / "layers")
TARGETS = {  # p50 ms on Cambridge (issue 17)
    "route": 20.0,
    "nearest": 50.0,
    "isochrone": 100.0,
}


@dataclass
class Network:
    """One network as measured: its name, the box its query points are drawn in, and what each
    query kind gave (the HTTP and SQL figures)."""

    name: str
    box: tuple[float, float, float, float]
    segments: int = 0
    notes: list[str] = field(default_factory=list)
    http: dict[str, LoadResult] = field(default_factory=dict)
    sql: dict[str, Timing] = field(default_factory=dict)
    pgrouting: dict[str, Timing] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)
    probes: list[Probe] = field(default_factory=list)


# -- capturing the SQL an endpoint sends ---------------------------------------------------------


class _Recorder:
    """A cursor that notes every statement (as text) and its parameters before running it."""

    def __init__(self, cursor: psycopg.Cursor[Any], log: list[tuple[str, Any]]) -> None:
        self._cursor = cursor
        self._log = log

    def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
        text = query.as_string(self._cursor) if isinstance(query, sql.Composable) else str(query)
        self._log.append((text, params))
        return self._cursor.execute(query, params, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cursor, name)


class RecordingDatabase(Database):
    """The app's Database whose read cursors note what they run while ``log`` is a list."""

    log: list[tuple[str, Any]] | None = None

    @contextmanager
    def read_cursor(self) -> Iterator[psycopg.Cursor[dict[str, Any]]]:
        with super().read_cursor() as cur:
            if self.log is None:
                yield cur
            else:
                yield cast(psycopg.Cursor[dict[str, Any]], _Recorder(cur, self.log))


Answer = Callable[[Database, dict[str, str]], Any]

ANSWERS: dict[str, tuple[str, Answer]] = {
    "route": ("/api/route", lambda db, p: drive.route(db, p, settings=Settings())),
    "nearest": (
        "/api/nearest",
        lambda db, p: drive_nearest.answer_text(db, p, layers=LAYERS, settings=Settings()),
    ),
    "isochrone": ("/api/isochrone", lambda db, p: drive.isochrone(db, p, settings=Settings())),
}


def captured(db: RecordingDatabase, kind: str, params: dict[str, str]) -> list[tuple[str, Any]]:
    """The statements the endpoint of ``kind`` sends for ``params``, caches warm."""
    answer = ANSWERS[kind][1]
    db.log = None
    answer(db, params)  # warms what a server worker keeps (network, closures, place snaps)
    db.log = []
    try:
        answer(db, params)
        return db.log
    finally:
        db.log = None


# -- the data of one network ---------------------------------------------------------------------


def _load(run: BenchRun, path: Path, mapping: Any) -> tuple[int, float]:
    started = time.perf_counter()
    with run.connect() as conn:
        load_roads(conn, path, source=SOURCE, mapping=mapping, settings=Settings(), job="bench")
    seconds = time.perf_counter() - started
    with run.connect(autocommit=True) as conn:
        conn.execute("ANALYZE roads")
        row = conn.execute("SELECT count(*) FROM roads WHERE source = %s", (SOURCE,)).fetchone()
    return (int(row[0]) if row else 0), seconds


def _place_facilities(run: BenchRun, seed: int) -> None:
    """FACILITIES depots at random points of random segments of the network."""
    rng = np.random.default_rng(seed)
    with run.connect() as conn:
        conn.execute("DELETE FROM stockpiles WHERE source = %s", (SOURCE,))
        ids = [
            r[0]
            for r in conn.execute(
                "SELECT id FROM roads WHERE source = %s ORDER BY id", (SOURCE,)
            ).fetchall()
        ]
        chosen = [int(ids[i]) for i in rng.integers(0, len(ids), FACILITIES)]
        conn.execute(
            "INSERT INTO stockpiles (source, source_id, name, geom)"
            " SELECT %s, 'd' || f.n, 'Depot ' || f.n, ST_LineInterpolatePoint(r.geom, f.fraction)"
            " FROM unnest(%s::bigint[], %s::float8[]) WITH ORDINALITY AS f(road, fraction, n)"
            " JOIN roads AS r ON r.id = f.road",
            (SOURCE, chosen, [float(x) for x in rng.uniform(0, 1, FACILITIES)]),
        )
        conn.execute("ANALYZE stockpiles")


def _facilities(run: BenchRun) -> list[tuple[float, float]]:
    with run.connect() as conn:
        rows = conn.execute(
            "SELECT ST_X(geom), ST_Y(geom) FROM stockpiles WHERE source = %s ORDER BY id",
            (SOURCE,),
        ).fetchall()
    return [(float(x), float(y)) for x, y in rows]


def _clean(run: BenchRun) -> None:
    with run.connect() as conn:
        conn.execute("DELETE FROM stockpiles WHERE source = %s", (SOURCE,))
        delete_road_sources(conn, [SOURCE], settings=Settings())


# -- choosing the requests ----------------------------------------------------------------------


def _points(box: tuple[float, float, float, float], rng: np.random.Generator) -> Iterator[str]:
    west, south, east, north = box
    while True:
        yield f"{rng.uniform(west, east):.6f},{rng.uniform(south, north):.6f}"


def _answers(base_url: str, path: str, kind: str) -> bool:
    status, _, body = fetch(base_url + path)
    if status != 200:
        return False
    data = json.loads(body)
    if kind == "route":
        return bool(data["properties"]["found"])
    if kind == "nearest":
        return int(data["numberReturned"]) == K
    return bool(data["features"]) and data["features"][0]["geometry"] is not None


def choose_requests(
    base_url: str, box: tuple[float, float, float, float], kind: str, n: int, seed: int
) -> list[dict[str, str]]:
    """``n`` requests of ``kind`` at seeded random points of ``box`` that the server answers
    (a 422, no route, or fewer than K reached is skipped), trying at most 10 n."""
    rng = np.random.default_rng(seed)
    points = _points(box, rng)
    chosen: list[dict[str, str]] = []
    for _ in range(10 * n):
        if len(chosen) == n:
            break
        here = next(points)
        lon, lat = here.split(",")
        if kind == "route":
            params = {"from": here, "to": next(points), **OPEN_ROADS}
        elif kind == "nearest":
            params = {"layer": "stockpiles", "lon": lon, "lat": lat, "k": str(K)}
            params.update(by="drive_time", **OPEN_ROADS)
        else:
            params = {"lon": lon, "lat": lat, "minutes": str(MINUTES), **OPEN_ROADS}
        if _answers(base_url, f"{ANSWERS[kind][0]}?{urlencode(params)}", kind):
            chosen.append(params)
    if len(chosen) < n:
        raise LoadFailed(f"only {len(chosen)} of {10 * n} {kind} requests were answered")
    return chosen


# -- measuring ----------------------------------------------------------------------------------


def _replayer(conn: psycopg.Connection[Any], pgrouting: list[float]) -> Callable[[Any], None]:
    """Runs one request's statements; notes the milliseconds of its pgRouting statements."""

    def replay(statements: list[tuple[str, Any]]) -> None:
        spent = 0.0
        for text, params in statements:
            started = time.perf_counter()
            conn.execute(text, params).fetchall()
            if "pgr_" in text:
                spent += time.perf_counter() - started
        pgrouting.append(spent * 1000)

    return replay


def measure_kind(
    run: BenchRun,
    base_url: str,
    db: RecordingDatabase,
    network: Network,
    kind: str,
    requests: list[dict[str, str]],
) -> None:
    """``kind`` over HTTP (wrk, one connection, the requests in turn) beside the statements it
    sends replayed through psycopg, taking turns; the figures go into ``network``."""
    paths = [f"{ANSWERS[kind][0]}?{urlencode(p)}" for p in requests]
    statements = [captured(db, kind, p) for p in requests]
    pgrouting: list[float] = []
    with psycopg.connect(run.database_url, autocommit=True, row_factory=dict_row) as conn:
        conn.execute("SET jit = off")  # as the app's pool sets it (gisserver.db)
        replay = _replayer(conn, pgrouting)

        def over_http(seconds: int, first: bool) -> LoadResult:
            return run_wrk(
                base_url,
                paths,
                duration_s=seconds,
                connections=1,
                threads=1,
                # (none at the tests' 1 s: nothing is timed there)
                warmup_s=2 if first and run.duration_s > 2 else 0,
            )

        def raw_sql(seconds: int, first: bool) -> Timing:
            if first:
                for one in statements[:20]:
                    replay(one)
                pgrouting.clear()
            return time_calls(replay, statements, calls=1_000_000, warmup=0, max_seconds=seconds)

        found = round_robin({"http": over_http, "sql": raw_sql}, seconds=run.duration_s)
    http_runs, sql_runs = found["http"], found["sql"]
    if isinstance(http_runs, RuntimeError):
        network.failed[kind] = str(http_runs)
        return
    if isinstance(sql_runs, RuntimeError):
        raise sql_runs
    network.http[kind] = LoadResult.merge([r for r in http_runs if isinstance(r, LoadResult)])
    network.sql[kind] = Timing.merge([r for r in sql_runs if isinstance(r, Timing)])
    network.pgrouting[kind] = Timing.of(pgrouting)
    counts = sorted({len(s) for s in statements})
    network.notes.append(f"{kind}: {'-'.join(str(c) for c in counts)} statements a request")


def samples(run: BenchRun) -> int:
    return 40 if run.size.name in GRID_NODES else 4


def measure_network(
    run: BenchRun, network: Network, path: Path, mapping: Any, seed: int, *, probed: bool = False
) -> Network:
    """Load the network, place the depots, measure the three queries (``probed``: and their
    pgRouting statements on a smaller graph, bench/drive_time_probe.py), remove it all."""
    try:
        network.segments, seconds = _load(run, path, mapping)
        network.notes.append(f"{network.segments:,} segments loaded in {seconds:.1f} s")
        _place_facilities(run, seed)
        try:
            server = run.server("gisserver")
        except ServerFailed as exc:
            network.failed = dict.fromkeys(ANSWERS, str(exc))
            return network
        db = RecordingDatabase(run.database_url, min_size=1, max_size=1)
        try:
            for offset, kind in enumerate(ANSWERS):
                try:
                    requests = choose_requests(
                        server.base_url, network.box, kind, samples(run), seed + offset
                    )
                except LoadFailed as exc:
                    network.failed[kind] = str(exc)
                    continue
                measure_kind(run, server.base_url, db, network, kind, requests)
                if probed:
                    network.probes.append(
                        probe(
                            run.database_url,
                            kind,
                            requests[:10],
                            _facilities(run),
                            k=K,
                            seconds=run.duration_s,
                        )
                    )
            with db.read_cursor() as cur:
                row = cur.execute(
                    "SELECT (SELECT count(*) FROM hazard_zones) AS zones, count(*) AS roads"
                    " FROM roads AS r WHERE r.source = %s AND EXISTS (SELECT 1 FROM hazard_zones"
                    " AS z WHERE z.geom && r.geom AND ST_Intersects(z.geom, r.geom))",
                    (SOURCE,),
                ).fetchone()
                if row and row["roads"]:
                    network.notes.append(f"{row['roads']:,} segments touch a hazard zone")
        finally:
            db.close()
    finally:
        _clean(run)
    return network


# -- the rows -----------------------------------------------------------------------------------

QUESTIONS = {
    "route": "route between two points",
    "nearest": f"nearest {K} of {FACILITIES:,} depots by drive time",
    "isochrone": f"{MINUTES}-minute isochrone",
}


def _ms(value: float) -> str:
    return f"{value:.3g} ms"


def rows_of(cambridge: Network, city: Network) -> list[Comparison]:
    rows: list[Comparison] = []
    for kind, question in QUESTIONS.items():
        name = f"{question} on Cambridge ({cambridge.segments:,} segments), p50 (1 connection)"
        alternative = "the same SQL through psycopg"
        http, raw = cambridge.http.get(kind), cambridge.sql.get(kind)
        if http is None or raw is None:
            why = cambridge.failed.get(kind, "not measured")
            rows.append(not_available(SCENARIO, name, alternative, why))
        else:
            pgr = cambridge.pgrouting[kind]
            rows.append(
                Comparison(
                    SCENARIO,
                    name,
                    alternative,
                    ours=Figure(http.p50_ms, "ms", http.summary()),
                    theirs=Figure(raw.p50_ms, "ms", raw.summary()),
                    target=Target(
                        "at_most",
                        1.5,
                        absolute_max=TARGETS[kind],
                        text=f"p50 ≤ {TARGETS[kind]:g} ms, ≤ 1.5× its SQL (issue 17)",
                    ),
                    note=f"of the SQL, pgRouting's statements: p50 {_ms(pgr.p50_ms)}",
                )
            )
        name = f"{question} on a city-size grid ({city.segments:,} segments), p50 (1 connection)"
        alternative = "the same on Cambridge"
        grid = city.http.get(kind)
        if grid is None or http is None:
            why = city.failed.get(kind) or cambridge.failed.get(kind, "not measured")
            rows.append(not_available(SCENARIO, name, alternative, why))
            continue
        raw, pgr = city.sql[kind], city.pgrouting[kind]
        rows.append(
            Comparison(
                SCENARIO,
                name,
                alternative,
                ours=Figure(grid.p50_ms, "ms", grid.summary()),
                theirs=Figure(http.p50_ms, "ms", "over HTTP, as above"),
                target=Target("at_most", 5.0, text="≤ 5× the Cambridge figure (issue 17)"),
                note=f"its SQL through psycopg: p50 {_ms(raw.p50_ms)} "
                f"(pgRouting's statements {_ms(pgr.p50_ms)})",
            )
        )
    return rows


def scenario(run: BenchRun) -> list[Comparison]:
    cambridge = measure_network(
        run,
        Network("Cambridge", CAMBRIDGE_BOX),
        CAMBRIDGE,
        CAMBRIDGE_MAPPING,
        seed=run.size.seed + 170,
    )
    grid = Grid(*GRID_CORNER, nodes=GRID_NODES.get(run.size.name, 12))
    with tempfile.TemporaryDirectory(prefix="bench-grid-") as tmp:
        path = Path(tmp) / "grid.gpkg"
        write_grid(path, grid)
        west, south, east, north = grid.bbox
        inner = (west + 0.01 * (east - west), south + 0.01 * (north - south), east, north)
        city = measure_network(
            run, Network("grid", inner), path, GRID_MAPPING, run.size.seed + 180, probed=True
        )
    for network in (cambridge, city):
        run.notes.append(f"drive_time, {network.name}: " + "; ".join(network.notes))
    return rows_of(cambridge, city) + probe_rows(city)


def probe_rows(city: Network) -> list[Comparison]:
    rows = []
    for found in city.probes:
        question = QUESTIONS[found.kind]
        rows.append(
            Comparison(
                SCENARIO,
                f"{question} on the grid: its pgRouting statement with the graph restricted "
                "to a box (a proposal, bench/drive_time_probe.py), p50",
                "the same statement on the whole network",
                ours=Figure(found.boxed.p50_ms, "ms", found.boxed.summary()),
                theirs=Figure(found.whole.p50_ms, "ms", found.whole.summary()),
                note=f"the same answer for {found.same} of {found.compared} requests; "
                f"whole network: {found.split}",
                extra={"same": found.same, "compared": found.compared},
            )
        )
    return rows
