"""Scenario "nearest": the 5 open shelters with >= 10 free places nearest to a point, over HTTP.

``GET /api/nearest`` measured with wrk on one connection (latency without queueing) beside the
very statement it runs (``gisserver.analyses.nearest.nearest_statement``, from
sql/analyses/nearest.sql) executed through psycopg on one connection, same parameters, same
points, the two taking turns (two rounds each). The plan is checked for the KNN index scan.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from bench.data import sample_locations
from bench.environment import BenchRun
from bench.measure import (
    LoadFailed,
    LoadResult,
    Timing,
    check_status,
    round_robin,
    run_wrk,
    time_calls,
)
from bench.results import Comparison, Figure, Target, not_available
from bench.servers import ServerFailed
from gisserver.layers import load_layers as _load_layers
from gisserver.settings import PROJECT_ROOT as _ROOT

LAYERS = _load_layers(_ROOT / "layers")

SCENARIO = "nearest"
K = 5
FILTERS = {"status": "open", "min_free_capacity": "10"}
LOCATIONS = 200


def _params(lon: float, lat: float) -> dict[str, str]:
    return {"layer": "shelters", "lon": str(lon), "lat": str(lat), "k": str(K), **FILTERS}


def scenario(run: BenchRun) -> list[Comparison]:
    name = f"nearest k={K} open shelters with free places, p50 latency (1 connection)"
    alternative = "the same SQL through psycopg"
    try:
        from gisserver.analyses.nearest import NearestQuery, nearest_statement
    except ImportError as exc:
        return [not_available(SCENARIO, name, alternative, f"no nearest analysis yet ({exc})")]
    locations = sample_locations(LOCATIONS, seed=run.size.seed + 7)
    paths = [f"/api/nearest?{urlencode(_params(lon, lat))}" for lon, lat in locations]
    try:
        server = run.server("gisserver")
        body = check_status(server.base_url, paths[0])
        returned = len(json.loads(body).get("features", []))
        if returned != K:
            raise LoadFailed(f"GET {paths[0]} returned {returned} features, not {K}")
    except (ServerFailed, LoadFailed) as exc:
        return [not_available(SCENARIO, name, alternative, str(exc))]

    statements = [
        nearest_statement(NearestQuery.from_params(_params(lon, lat), layers=LAYERS), layers=LAYERS)
        for lon, lat in locations
    ]
    with run.connect(autocommit=True) as conn:

        def execute(statement: tuple[Any, dict[str, Any]]) -> None:
            conn.execute(statement[0], statement[1]).fetchall()

        def over_http(seconds: int, first: bool) -> LoadResult:
            return run_wrk(
                server.base_url,
                paths,
                duration_s=seconds,
                connections=1,
                threads=1,
                warmup_s=2 if first else 0,
            )

        def raw_sql(seconds: int, first: bool) -> Timing:
            return time_calls(
                execute, statements, calls=1_000_000, warmup=20 if first else 0, max_seconds=seconds
            )

        found = round_robin({"http": over_http, "sql": raw_sql}, seconds=run.duration_s)
        statement, params = statements[0]
        text = statement if isinstance(statement, str) else statement.as_string(conn)
        plan_rows = conn.execute(("EXPLAIN " + text).encode(), params).fetchall()
    http_runs, sql_runs = found["http"], found["sql"]
    if isinstance(http_runs, RuntimeError):
        return [not_available(SCENARIO, name, alternative, str(http_runs))]
    if isinstance(sql_runs, RuntimeError):
        raise sql_runs
    http = LoadResult.merge([r for r in http_runs if isinstance(r, LoadResult)])
    raw = Timing.merge([r for r in sql_runs if isinstance(r, Timing)])
    try:
        # The stack's own floor: a trivial JSON answer through the same server.
        floor = run_wrk(
            server.base_url, ["/healthz"], duration_s=run.duration_s, connections=1, threads=1
        )
    except LoadFailed as exc:
        return [not_available(SCENARIO, name, alternative, str(exc))]
    plan = "\n".join(str(r[0]) for r in plan_rows)
    uses_index = "shelters_geom_idx" in plan
    note = "" if uses_index else "the plan does not use shelters_geom_idx"
    return [
        Comparison(
            SCENARIO,
            name,
            alternative,
            ours=Figure(http.p50_ms, "ms", http.summary()),
            theirs=Figure(raw.p50_ms, "ms", raw.summary()),
            target=Target("at_most", 1.5, absolute_max=10.0, text="≤ 1.5× raw SQL and p50 < 10 ms"),
            note=note,
            extra={"plan_uses_gist_index": uses_index},
        ),
        Comparison(
            SCENARIO,
            f"nearest k={K} with filters, p99 latency (1 connection)",
            alternative,
            ours=Figure(http.p99_ms, "ms"),
            theirs=Figure(raw.p99_ms, "ms"),
            note="informational: no target",
        ),
        Comparison(
            SCENARIO,
            "HTTP floor of our server: GET /healthz, p50 latency (1 connection)",
            "",
            ours=Figure(floor.p50_ms, "ms", floor.summary()),
            note="informational: what any request costs in this stack (gunicorn + Flask)",
        ),
    ]
