"""Scenario "as_of": the situation report as the layers were at an instant, against the same
report now, over a history of 1,000,000 versions (full size).

The history is made the way production makes it: UPDATE statements on the loaded shelters (as
the migrating role, set-based), each changing every other shelter's status, so that the audit
and history triggers write one version per changed row. The instant T lies between the first
half of the statements and the second: at T, the shelters changed after it are read from the
history (the worst case: half of every area's shelters), the others from the table.
``gisserver.analyses.situation.situation`` (the function behind /api/situation) is timed
in-process with and without ``as_of=T``, taking turns, over areas around the point clusters and
over the whole region; the two reports' shelter totals are checked to agree with the table.
"""

from __future__ import annotations

import time
from typing import Any

from bench.data import REGION, sample_bboxes
from bench.environment import BenchRun
from bench.etl import SOURCE
from bench.measure import Timing, round_robin, time_calls
from bench.results import Comparison, Figure, Target

SCENARIO = "as_of"
VERSIONS = {"full": 1_000_000, "quick": 200_000}
CALLS = {"full": 20, "quick": 30}
ROUNDS = 2
# A district around a point cluster: ~ 11 km x 8 km.
HALF_WIDTH_DEG = 0.05
FLIP = (
    "UPDATE shelters SET status = CASE status WHEN 'open' THEN 'standby' ELSE 'open' END "
    "WHERE source = %s AND id %% 2 = %s"
)


def _value(conn: Any, query: str, *params: Any) -> Any:
    row = conn.execute(query, params).fetchone()
    assert row is not None
    return row[0]


def build_history(run: BenchRun, source: str) -> tuple[int, str, float]:
    """Versions written (of the shelters of ``source``), the instant T between the halves,
    seconds it took."""
    started = time.perf_counter()
    with run.connect(autocommit=True) as conn:
        shelters = _value(conn, "SELECT count(*) FROM shelters WHERE source = %s", source)
        wanted = VERSIONS.get(run.size.name, 2 * shelters)
        statements = max(2, round(wanted / max(shelters / 2, 1)))
        before = _value(conn, "SELECT count(*) FROM feature_history")
        instant = ""
        for number in range(statements):
            if number == statements // 2:
                instant = _value(conn, "SELECT clock_timestamp()::text")
            conn.execute(FLIP, (source, number % 2))
        conn.execute("VACUUM ANALYZE shelters")
        conn.execute("VACUUM ANALYZE feature_history")
        conn.execute("VACUUM ANALYZE audit_log")
        written = _value(conn, "SELECT count(*) FROM feature_history") - before
    return written, instant, time.perf_counter() - started


def scenario(run: BenchRun, source: str = SOURCE) -> list[Comparison]:
    from gisserver.analyses.area import parse_bbox
    from gisserver.analyses.as_of import parse_as_of
    from gisserver.analyses.situation import situation
    from gisserver.db import Database

    versions, instant, build_seconds = build_history(run, source)
    at = parse_as_of(instant.replace(" ", "T"))
    districts = [
        parse_bbox(list(box))
        for box in sample_bboxes(6, seed=run.size.seed, half_width_deg=HALF_WIDTH_DEG)
    ]
    region = parse_bbox(list(REGION))
    calls = CALLS.get(run.size.name, 6) // ROUNDS
    db = Database(run.database_url, min_size=1, max_size=1)
    rows = []
    try:
        for label, areas, how_many in (
            ("a district (~11 × 8 km)", districts, calls),
            ("the whole region", [region], max(2, calls // 5)),
        ):

            def replay(_s: Any, _f: Any, a: list[Any] = areas, n: int = how_many) -> Timing:
                return time_calls(lambda area: situation(db, area, as_of=at), a, calls=n, warmup=1)

            def current(_s: Any, _f: Any, a: list[Any] = areas, n: int = how_many) -> Timing:
                return time_calls(lambda area: situation(db, area), a, calls=n, warmup=1)

            found = round_robin({"as_of": replay, "now": current}, seconds=ROUNDS, rounds=ROUNDS)
            timings = []
            for runs in (found["as_of"], found["now"]):
                if isinstance(runs, RuntimeError):
                    raise runs
                timings.append(Timing.merge(runs))
            replayed, now_timing = timings
            then = situation(db, areas[0], as_of=at)["layers"]["shelters"]["total"]
            now = situation(db, areas[0])["layers"]["shelters"]["total"]
            rows.append(
                Comparison(
                    SCENARIO,
                    f"/api/situation?as_of=T over {versions:,} history versions, {label}, p50 "
                    "(in-process)",
                    "the same situation now",
                    ours=Figure(replayed.p50_ms, "ms", replayed.summary()),
                    theirs=Figure(now_timing.p50_ms, "ms", now_timing.summary()),
                    target=Target("at_most", 2.0, text="≤ 2× the situation now"),
                    note="" if then == now else f"shelter totals differ: {then} then, {now} now",
                    extra={"versions": versions, "as_of": instant, "shelters": now},
                )
            )
    finally:
        db.close()
    rows.append(
        Comparison(
            SCENARIO,
            f"write {versions:,} history versions (UPDATE statements through the triggers)",
            "",
            ours=Figure(build_seconds, "s"),
            note="informational: how the history was made",
        )
    )
    return rows
