"""Scenario "hardening": what the safety checks of every request cost a read.

Two apps in this process on the bench database: ours as it runs, and the same app with the
hardening taken out (the caller's identification, the browser-safety, 405 Allow and Retry-After
hooks, and the pool's check of a connection as it is handed out). Each read is timed in paired
rounds, the two apps taking turns; the figure is the median of the rounds' p50s, and the ratio
full ÷ stripped is the cost. In-process (Flask's test client): without the HTTP server's own
~0.3 ms a request, the share is larger than over HTTP, so this is the pessimistic view.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from bench.environment import BenchRun
from bench.results import Comparison, Figure, Target

SCENARIO = "hardening"
ROUNDS = 16
CALLS = 150
READS = {
    "nearest k=5 with a filter": "/api/nearest?layer=shelters&lon=-71.06&lat=42.36&k=5"
    "&min_free_capacity=10",
    "10-feature bbox page": "/ogc/collections/shelters/items?f=json&limit=10"
    "&bbox=-71.07,42.35,-71.05,42.37",
}
# The hooks the hardening added (by qualified name, see gisserver/web/http.py and web/auth.py).
HARDENING = (
    "_browser_safety.<locals>._headers",
    "_allow_on_405.<locals>._allow",
    "_retry_after.<locals>._hint",
    "init_app.<locals>._identify",
)


def _stripped(app: Any) -> Any:
    for hooks in (app.before_request_funcs, app.after_request_funcs):
        hooks[None] = [f for f in hooks.get(None, []) if f.__qualname__ not in HARDENING]
    app.extensions["gisserver"].db.pool._check = None  # psycopg_pool's check callback
    return app


def _p50(client: Any, url: str, calls: int) -> float:
    times = []
    for _ in range(calls):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} answered {response.status_code}")
    return statistics.median(times) * 1000


def scenario(run: BenchRun) -> list[Comparison]:
    from gisserver.app import create_app
    from gisserver.settings import Settings

    settings = Settings(database_url=run.database_url, data_dir=run.cache_dir / "hardening")
    full, stripped = create_app(settings), _stripped(create_app(settings))
    rows = []
    try:
        for name, url in READS.items():
            clients = {"full": full.test_client(), "stripped": stripped.test_client()}
            for client in clients.values():
                _p50(client, url, 50)  # warm-up
            rounds: dict[str, list[float]] = {"full": [], "stripped": []}
            for _ in range(ROUNDS):
                for side, client in clients.items():
                    rounds[side].append(_p50(client, url, CALLS))
            ours, theirs = statistics.median(rounds["full"]), statistics.median(rounds["stripped"])
            detail = f"median of {ROUNDS} rounds' p50, {CALLS} calls each, in-process"
            rows.append(
                Comparison(
                    SCENARIO,
                    f"{name}: the safety checks' cost (p50, in-process)",
                    "the same app without them",
                    ours=Figure(ours, "ms", detail),
                    theirs=Figure(theirs, "ms", detail),
                    target=Target("at_most", 1.05, text="≤ 1.05× (the checks cost ≤ 5%)"),
                )
            )
    finally:
        for app in (full, stripped):
            app.extensions["gisserver"].db.close()
    return rows
