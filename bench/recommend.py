"""Scenario "recommend": the 3 nearest available ambulances for an incident among 1,000 units,
over HTTP (``GET /api/incidents/{id}/recommend?capability=ambulance&k=3``).

1,000 units are placed over the city (a third of them ambulances, a tenth busy) and three
hazard zones in force are drawn around some of them; the answer is measured with wrk on one
connection beside the very statement it runs (sql/analyses/recommend_units.sql) through psycopg,
at 50 incidents of its own, the two taking turns. The units, zones and incidents are removed
afterwards.
"""

from __future__ import annotations

import datetime as dt
import json
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
from gisserver.db import load_sql

SCENARIO = "recommend"
UNITS = 1_000
K = 3
SOURCE = "bench-recommend"
INCIDENTS = 50
TYPES = ("ambulance", "fire_engine", "police_car")
CAPABILITIES = {
    "ambulance": ["ambulance", "ems", "als"],
    "fire_engine": ["fire", "rescue", "ems"],
    "police_car": ["police"],
}


# The two cases: the dataset's city, under its 100,000 hazard zones (a worst case: nearly every
# unit is inside one, so every unit is checked), and the same city moved east of the dataset,
# where only the scenario's own 3 zones are in force (a city's day: a few zones).
CASES = {"under the dataset's 100,000 zones": 0.0, "with 3 zones in force": 2.0}


def _seed(run: BenchRun, shift: float = 0.0) -> list[int]:
    """The units and zones of the scenario (moved ``shift`` degrees east); the ids of the
    incidents asked about."""
    places = [(lon + shift, lat) for lon, lat in sample_locations(UNITS, seed=run.size.seed + 16)]
    with run.connect() as conn:
        conn.execute("DELETE FROM units WHERE source = %s", (SOURCE,))
        conn.execute("DELETE FROM hazard_zones WHERE source = %s", (SOURCE,))
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO units (source, source_id, name, unit_type, capabilities, status,"
                " geom) VALUES (%s, %s, %s, %s, %s, %s, ST_SetSRID(ST_MakePoint(%s, %s), 4326))",
                [
                    (
                        SOURCE,
                        f"u{i}",
                        f"Unit {i}",
                        TYPES[i % 3],
                        CAPABILITIES[TYPES[i % 3]],
                        "assigned" if i % 10 == 0 else "available",
                        lon,
                        lat,
                    )
                    for i, (lon, lat) in enumerate(places)
                ],
            )
        for i, (lon, lat) in enumerate(places[:3]):
            conn.execute(
                "INSERT INTO hazard_zones (source, source_id, hazard_type, severity, geom)"
                " VALUES (%s, %s, 'fire', 'high', ST_Multi(ST_Buffer("
                " ST_SetSRID(ST_MakePoint(%s, %s), 4326), 0.01)))",
                (SOURCE, f"z{i}", lon, lat),
            )
        conn.execute("DELETE FROM incidents WHERE source = %s", (SOURCE,))
        ids = []
        incidents = sample_locations(INCIDENTS, seed=run.size.seed + 17)
        for i, (lon, lat) in enumerate((lon + shift, lat) for lon, lat in incidents):
            row = conn.execute(
                "INSERT INTO incidents (source, source_id, incident_type, reported_at, geom)"
                " VALUES (%s, %s, 'medical', now(), ST_SetSRID(ST_MakePoint(%s, %s), 4326))"
                " RETURNING id",
                (SOURCE, f"i{i}", lon, lat),
            ).fetchone()
            assert row is not None
            ids.append(int(row[0]))
    return ids


def _clean(run: BenchRun) -> None:
    with run.connect() as conn:
        conn.execute("DELETE FROM units WHERE source = %s", (SOURCE,))
        conn.execute("DELETE FROM hazard_zones WHERE source = %s", (SOURCE,))
        conn.execute("DELETE FROM incidents WHERE source = %s", (SOURCE,))


def scenario(run: BenchRun) -> list[Comparison]:
    return [row for case, shift in CASES.items() for row in _measure(run, case, shift)]


def _measure(run: BenchRun, case: str, shift: float) -> list[Comparison]:
    name = f"recommend k={K} ambulances among {UNITS:,} units {case}, p50 latency (1 connection)"
    alternative = "the same SQL through psycopg"
    incidents = _seed(run, shift)
    try:
        query = {"capability": "ambulance", "k": str(K)}
        paths = [f"/api/incidents/{i}/recommend?{urlencode(query)}" for i in incidents]
        try:
            server = run.server("gisserver")
            body = check_status(server.base_url, paths[0])
            returned = len(json.loads(body).get("features", []))
            if not 1 <= returned <= K:  # fewer where the dataset's hazard zones cover the units
                raise LoadFailed(f"GET {paths[0]} returned {returned} units, not 1 to {K}")
        except (ServerFailed, LoadFailed) as exc:
            return [not_available(SCENARIO, name, alternative, str(exc))]
        statement = load_sql("analyses/recommend_units.sql")
        params = [
            {
                "incident": i,
                "capability": "ambulance",
                "unit_type": None,
                "at": dt.datetime.now(dt.UTC),
                "k": K,
            }
            for i in incidents
        ]
        with run.connect(autocommit=True) as conn:
            counted = conn.execute(
                "SELECT count(*) FROM units AS u WHERE u.source = %s AND EXISTS (SELECT 1 FROM"
                " hazard_zones AS z WHERE ST_Intersects(z.geom, u.geom) AND (z.valid_from IS NULL"
                " OR z.valid_from <= now()) AND (z.valid_to IS NULL OR z.valid_to > now()))",
                (SOURCE,),
            ).fetchone()
            inside = counted[0] if counted else 0

            def execute(values: dict[str, object]) -> None:
                conn.execute(statement, values).fetchall()

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
                    execute, params, calls=1_000_000, warmup=20 if first else 0, max_seconds=seconds
                )

            found = round_robin({"http": over_http, "sql": raw_sql}, seconds=run.duration_s)
    finally:
        _clean(run)
    http_runs, sql_runs = found["http"], found["sql"]
    if isinstance(http_runs, RuntimeError):
        return [not_available(SCENARIO, name, alternative, str(http_runs))]
    if isinstance(sql_runs, RuntimeError):
        raise sql_runs
    http = LoadResult.merge([r for r in http_runs if isinstance(r, LoadResult)])
    raw = Timing.merge([r for r in sql_runs if isinstance(r, Timing)])
    return [
        Comparison(
            SCENARIO,
            name,
            alternative,
            ours=Figure(http.p50_ms, "ms", http.summary()),
            theirs=Figure(raw.p50_ms, "ms", raw.summary()),
            target=Target(
                "at_most", 4.0, absolute_max=10.0, text="p50 ≤ 10 ms (issue 16), ≤ 4× its SQL"
            ),
            note=f"{UNITS:,} units, of which {inside} inside the dataset's hazard zones in force "
            "(not recommended)",
        )
    ]
