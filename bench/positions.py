"""Scenario "positions": AVL ingestion and a year of tracks (issue 16: >= 5,000 positions/s).

**Ingestion.** UNITS units exist; CLIENTS clients (wrk) POST batches of BATCH positions to
``/api/units/positions`` of a real ``gisserver serve`` with an operator's key, for the run's
duration: positions/s ingested (requests/s x BATCH), p50/p95 per batch. Every batch is whole
work: checked, its units moved (or found stale), one audit row and one feed event, every
position copied into the track. The bodies are made before the run (BODIES of them, each unit's
times going forward within the last hour), and wrk sends them round and round: after the first
round most positions are stale (older than their unit's), which is the same work but for the
units' update. Beside it, what a user would otherwise do: the same batches ``COPY``'d straight
into a plain table of the same columns, one transaction per batch from CLIENTS connections (no
checks, no units, no audit, no feed).

**A year of tracks.** YEAR_ROWS positions of YEAR_UNITS units over the 12 months of YEAR
(loaded in SQL by the migrating role, as a history import would be), then one unit's track for
one hour (the SQL of ``GET /api/units/{id}/track``) for random units and hours: p50/p95, and
whether the plan reads one partition only (EXPLAIN). The 12 months are dropped afterwards, as
retention drops a month (``DROP TABLE unit_positions_yYYYYmMM``).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

from bench.data import REGION
from bench.environment import BenchRun
from bench.results import Comparison, Figure, Target
from bench.writes import operator_key

SCENARIO = "positions"
SOURCE = "bench-positions"
PATH = "/api/units/positions"
CLIENTS = 4
BATCH = 500
BODIES = 24
TARGET = 5_000
# A year of tracks: the months of YEAR, far from the ingestion's (the current months).
YEAR = 2001
YEAR_SIZES = {"full": (100, 10_000_000), "quick": (100, 1_000_000)}
YEAR_QUERIES = 200
PLAIN_TABLE = "bench_positions_plain"


def _units(run: BenchRun, count: int) -> list[int]:
    west, south, east, north = REGION
    with run.connect() as conn:
        conn.execute("DELETE FROM units WHERE source = %s", (SOURCE,))
        rows = conn.execute(
            "INSERT INTO units (source, source_id, name, unit_type, geom)"
            " SELECT %s, n::text, 'Unit ' || n, 'ambulance',"
            " ST_SetSRID(ST_MakePoint(%s + random() * %s, %s + random() * %s), 4326)"
            " FROM generate_series(1, %s) AS n RETURNING id",
            (SOURCE, west, east - west, south, north - south, count),
        ).fetchall()
    return sorted(row[0] for row in rows)


def _bodies(units: list[int], now: dt.datetime, seed: int) -> list[list[dict[str, Any]]]:
    """BODIES batches of BATCH positions; each unit's times go forward from an hour ago."""
    rng = random.Random(seed)
    west, south, east, north = REGION
    total = BODIES * BATCH
    start = now - dt.timedelta(hours=1)
    step = dt.timedelta(seconds=3000 / total)
    batches = []
    for b in range(BODIES):
        batch = []
        for i in range(BATCH):
            n = b * BATCH + i
            batch.append(
                {
                    "unit_id": units[rng.randrange(len(units))],
                    "lon": round(west + rng.random() * (east - west), 6),
                    "lat": round(south + rng.random() * (north - south), 6),
                    "time": (start + n * step).isoformat().replace("+00:00", "Z"),
                    "speed": round(rng.random() * 30, 2),
                    "heading": round(rng.random() * 359.9, 1),
                }
            )
        batches.append(batch)
    return batches


def _ingest(run: BenchRun, units: list[int], batches: list[list[dict[str, Any]]]) -> Comparison:
    from bench.measure import run_wrk

    bodies = [json.dumps({"positions": batch}, separators=(",", ":")) for batch in batches]
    with operator_key(run) as secret, run.connect() as conn:
        before = conn.execute("SELECT count(*) FROM unit_positions").fetchone()[0]  # type: ignore[index]
        conn.commit()
        base_url = run.server("gisserver").base_url
        result = run_wrk(
            base_url,
            [PATH] * len(bodies),
            method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {secret}"},
            bodies=bodies,
            duration_s=run.duration_s,
            connections=CLIENTS,
            threads=2,
            warmup_s=2,
        )
        stored = conn.execute("SELECT count(*) FROM unit_positions").fetchone()[0] - before  # type: ignore[index]
        events = conn.execute("SELECT count(*) FROM events WHERE type = 'positions'").fetchone()[0]  # type: ignore[index]
    plain = _plain_copy(run, batches, run.duration_s)
    ours = result.requests_per_s * BATCH
    return Comparison(
        SCENARIO,
        f"positions/s ingested, {BATCH} per POST, {CLIENTS} clients, {len(units):,} units",
        f"COPY of the same batches into a plain table, a transaction per batch, {CLIENTS} "
        "connections (no checks, units, audit or feed)",
        ours=Figure(
            ours,
            "positions/s",
            f"per batch p50 {result.p50_ms:.1f} ms, p95 {result.p95_ms:.1f} ms, "
            f"{result.requests} batches in {result.duration_s:.0f} s; {stored:,} positions "
            f"stored (warm-up included), {events:,} positions events",
        ),
        theirs=Figure(plain, "positions/s"),
        target=Target("at_least", 0.0, text=f">= {TARGET:,} positions/s", absolute_min=TARGET),
        extra={"stored": stored, "batches": result.requests, "errors": result.errors},
    )


def _plain_copy(run: BenchRun, batches: list[list[dict[str, Any]]], seconds: float) -> float:
    """Positions/s COPY'd into a plain table, a transaction per batch, CLIENTS connections."""
    texts = [
        "".join(
            f"{p['unit_id']}\t{p['time']}\t0\t{p['speed']}\t{p['heading']}\t"
            f"SRID=4326;POINT({p['lon']} {p['lat']})\n"
            for p in batch
        )
        for batch in batches
    ]
    with run.connect(autocommit=True) as conn:
        conn.execute(f"DROP TABLE IF EXISTS {PLAIN_TABLE}")
        conn.execute(
            f"CREATE TABLE {PLAIN_TABLE} (unit_id bigint NOT NULL, at timestamptz NOT NULL,"
            " received_at timestamptz NOT NULL DEFAULT now(), audit_id bigint NOT NULL,"
            " speed double precision, heading double precision,"
            " geom geometry(Point, 4326) NOT NULL)"
        )
        conn.execute(f"CREATE INDEX ON {PLAIN_TABLE} (unit_id, at)")
    done = [0] * CLIENTS
    deadline = time.monotonic() + seconds

    def client(n: int) -> None:
        with run.connect() as conn:
            i = n
            while time.monotonic() < deadline:
                with conn.cursor().copy(
                    f"COPY {PLAIN_TABLE} (unit_id, at, audit_id, speed, heading, geom) FROM STDIN"
                ) as copy:
                    copy.write(texts[i % len(texts)])
                conn.commit()
                done[n] += BATCH
                i += CLIENTS

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    with run.connect(autocommit=True) as conn:
        conn.execute(f"DROP TABLE {PLAIN_TABLE}")
    return sum(done) / elapsed


# ---------------------------------------------------------------------------------------------
# A year of tracks


@contextmanager
def _year_of_tracks(run: BenchRun, units: list[int], rows: int) -> Iterator[float]:
    """YEAR's 12 months filled with ``rows`` positions of ``units`` (seconds it took); the
    months are dropped afterwards."""
    months = [dt.date(YEAR, m, 1) for m in range(1, 13)]
    names = [f"unit_positions_y{YEAR}m{m:02d}" for m in range(1, 13)]
    _drop(run, names)
    started = time.monotonic()
    try:
        with run.connect() as conn:
            conn.execute("SET TimeZone = 'UTC'")
            for month in months:
                conn.execute("SELECT unit_positions_partition(%s)", (month,))
            step = 365 * 86400 / (rows / len(units))
            conn.execute(
                "INSERT INTO unit_positions (unit_id, at, audit_id, speed, heading, geom)"
                " SELECT u, %s::timestamptz + (n * %s + random() * %s) * interval '1 second',"
                " 0, random() * 30, random() * 359,"
                " ST_SetSRID(ST_MakePoint(-71.1 + random() / 10, 42.35 + random() / 10), 4326)"
                " FROM generate_series(0, %s) AS n, unnest(%s::bigint[]) AS u",
                (
                    dt.datetime(YEAR, 1, 1, tzinfo=dt.UTC),
                    step,
                    step / 2,
                    rows // len(units) - 1,
                    units,
                ),
            )
            conn.commit()
            for name in names:
                conn.execute(f"ANALYZE {name}")
            conn.commit()
        yield time.monotonic() - started
    finally:
        _drop(run, names)


def _drop(run: BenchRun, names: list[str]) -> None:
    with run.connect(autocommit=True) as conn:
        for name in names:
            conn.execute(f"DROP TABLE IF EXISTS {name}")


def _year(run: BenchRun, units: list[int]) -> Comparison:
    from gisserver.db import load_sql

    unit_count, rows = YEAR_SIZES.get(run.size.name, (10, 20_000))
    chosen = units[:unit_count]
    rng = random.Random(run.size.seed + 16)
    with _year_of_tracks(run, chosen, rows) as load_s, run.connect() as conn:
        stored = conn.execute(
            "SELECT count(*) FROM unit_positions WHERE at >= %s AND at < %s",
            (dt.datetime(YEAR, 1, 1, tzinfo=dt.UTC), dt.datetime(YEAR + 1, 1, 1, tzinfo=dt.UTC)),
        ).fetchone()[0]  # type: ignore[index]
        track = load_sql("units/track.sql")
        samples, returned, partitions = [], 0, set()
        for n in range(YEAR_QUERIES):
            start = dt.datetime(YEAR, 1, 1, tzinfo=dt.UTC) + dt.timedelta(
                hours=rng.randrange(365 * 24 - 1)
            )
            params = {
                "unit_id": rng.choice(chosen),
                "from": start,
                "to": start + dt.timedelta(hours=1),
                "limit": 10_001,
            }
            if n < 5:  # the plan of the query as the endpoint sends it
                plan = conn.execute("EXPLAIN (FORMAT JSON) " + track, params).fetchone()[0]  # type: ignore[index]
                partitions.add(tuple(sorted(_relations(plan))))
            began = time.perf_counter()
            returned += len(conn.execute(track, params).fetchall())
            samples.append((time.perf_counter() - began) * 1000)
    one_partition = all(len(p) == 1 for p in partitions)
    scanned = "; ".join(", ".join(p) for p in sorted(partitions))
    return Comparison(
        SCENARIO,
        f"one unit's track for one hour, {stored:,} positions over the 12 months of a year",
        "",
        ours=Figure(
            float(np.percentile(samples, 50)),
            "ms",
            f"p95 {np.percentile(samples, 95):.2f} ms, {YEAR_QUERIES} queries, "
            f"{returned / YEAR_QUERIES:.1f} positions each; the plan reads "
            f"{'one partition' if one_partition else 'several partitions'} ({scanned}); "
            f"loaded in {load_s:.0f} s",
        ),
        note="the plan's partitions are counted from EXPLAIN; no alternative measured",
        extra={"one_partition": one_partition, "stored": stored},
    )


def _relations(plan: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(plan, dict):
        if "Relation Name" in plan:
            found.add(str(plan["Relation Name"]))
        for value in plan.values():
            found |= _relations(value)
    elif isinstance(plan, list):
        for value in plan:
            found |= _relations(value)
    return found


def scenario(run: BenchRun) -> list[Comparison]:
    count = 1_000 if run.size.name in ("full", "quick") else 100
    units = _units(run, count)
    try:
        with run.connect() as conn:
            now = conn.execute("SELECT now()").fetchone()[0]  # type: ignore[index]
        rows = [_ingest(run, units, _bodies(units, now, run.size.seed + 16))]
        rows.append(_year(run, units))
    finally:
        with run.connect(autocommit=True) as conn:
            conn.execute("DELETE FROM units WHERE source = %s", (SOURCE,))
        run.notes.append(
            f"positions: {count:,} units (source '{SOURCE}') were made and deleted afterwards; "
            "the positions they got stay in the track (append-only); the year of tracks' "
            f"12 months ({YEAR}) were dropped."
        )
    return rows
