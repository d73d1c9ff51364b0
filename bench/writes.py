"""Scenario "writes": creating one incident, its audit trail included, three ways (issue 14).

- ours: ``POST /ogc/collections/incidents/items`` (``application/geo+json``, an operator's API key
  as ``Authorization: Bearer``), OGC API - Features Part 4 over ``gisserver.edits``; 201 with
  Location, ETag and the feature;
- the INSERT that ``gisserver.edits`` runs, through psycopg: one row per transaction
  (``INSERT ... RETURNING id, version``, then COMMIT), one connection per client;
- pygeoapi 0.21's stock ``PostgreSQL`` provider (``editable: true``) on the same table, served by
  pygeoapi's own Flask app under gunicorn with the same worker count; 201 with Location.

The same 64 incidents (values and points) on every side, one feature per request; every INSERT
fires the same triggers (the audit trail's 'create' row, the layer's change version). Latency on
one client (p50, p95), creates/s with eight; the sides take turns (two rounds each), and each
HTTP side's first answer is checked (201, Location) before it is timed.

What the stock provider needs for this table: it sends NULL for every column it is not given
unless the column has a default, and takes the id back only from an identity column (not from a
view's). So it writes into ``public.incidents`` itself, whose ``source`` and ``source_id`` get
defaults for the scenario's time (``bench-writes``, a random UUID, as our server sets ``api`` and
a UUID), dropped afterwards; its ``storage_crs`` is EPSG:4326 (see bench.servers).

Every row written is deleted afterwards: the stock's and the direct INSERT's have the source
``bench-writes``, ours (whose source is always ``api``) the description ``bench-writes``. Their
audit rows stay: the trail is append-only, and the deletes add a 'delete' row each.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import secrets
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely

from bench.data import SEVERITIES, sample_locations
from bench.environment import BenchRun
from bench.measure import LoadFailed, LoadResult, Timing, round_robin, run_wrk, time_calls
from bench.results import Comparison, Figure, Target
from bench.servers import ServerFailed

SCENARIO = "writes"
SOURCE = "bench-writes"  # the rows of the direct INSERT and of the stock provider
MARKER = "bench-writes"  # the description of every incident written (ours are source 'api')
INCIDENTS = 64
CLIENTS = 8
INCIDENT_TYPES = ("fire", "flood", "chemical", "collision", "medical", "gas_leak")
OURS_PATH = "/ogc/collections/incidents/items"
STOCK_PATH = "/collections/incidents/items"
GEOJSON = {"Content-Type": "application/geo+json"}
# As gisserver.edits inserts a feature (its _insert), for the incidents layer.
INSERT = (
    "INSERT INTO incidents (source, source_id, incident_type, severity, reported_at, "
    "description, geom) VALUES (%s, %s, %s, %s, %s, %s, ST_GeomFromWKB(%s, 4326)) "
    "RETURNING id, version"
)
OURS, STOCK, DIRECT = "gisserver", "pygeoapi 0.21 stock PostgreSQL provider", "direct INSERT"


@dataclass(frozen=True)
class Incident:
    """One incident as every side sends it."""

    incident_type: str
    severity: str
    reported_at: dt.datetime
    lon: float
    lat: float

    def geojson(self) -> str:
        return json.dumps(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [self.lon, self.lat]},
                "properties": {
                    "incident_type": self.incident_type,
                    "severity": self.severity,
                    "reported_at": self.reported_at.isoformat().replace("+00:00", "Z"),
                    "description": MARKER,
                },
            },
            separators=(",", ":"),
        )

    def parameters(self) -> list[Any]:
        """The direct INSERT's parameters after the source and the source_id."""
        wkb = shapely.to_wkb(shapely.Point(self.lon, self.lat))
        return [self.incident_type, self.severity, self.reported_at, MARKER, wkb]


def incidents(seed: int) -> list[Incident]:
    start = dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC)
    return [
        Incident(
            INCIDENT_TYPES[i % len(INCIDENT_TYPES)],
            SEVERITIES[i % len(SEVERITIES)],
            start + dt.timedelta(minutes=i),
            lon,
            lat,
        )
        for i, (lon, lat) in enumerate(sample_locations(INCIDENTS, seed=seed))
    ]


@dataclass(frozen=True)
class Creates:
    """What one side did in one turn: latency percentiles and creates/s."""

    creates: int
    seconds: float
    p50_ms: float
    p95_ms: float
    errors: int = 0
    rounds: int = 1

    @property
    def per_second(self) -> float:
        return self.creates / self.seconds if self.seconds else 0.0

    @classmethod
    def of_load(cls, result: LoadResult) -> Creates:
        return cls(result.requests, result.duration_s, result.p50_ms, result.p95_ms, result.errors)

    @classmethod
    def of_timing(cls, timing: Timing, seconds: float) -> Creates:
        return cls(
            timing.calls,
            seconds,
            timing.p50_ms,
            float(np.percentile(timing.samples_ms, 95)),
        )

    @classmethod
    def merge(cls, turns: list[Creates]) -> Creates:
        """Turns as one: counts add up; percentiles are the create-weighted mean of the turns'."""
        weights = [t.creates for t in turns]
        total = sum(weights)

        def weighted(values: list[float]) -> float:
            return float(np.average(values, weights=weights)) if total else values[0]

        return cls(
            total,
            sum(t.seconds for t in turns),
            weighted([t.p50_ms for t in turns]),
            weighted([t.p95_ms for t in turns]),
            sum(t.errors for t in turns),
            sum(t.rounds for t in turns),
        )

    def latency_text(self) -> str:
        return (
            f"p50 {self.p50_ms:.2f} ms, p95 {self.p95_ms:.2f} ms, {self.creates} creates "
            f"in {self.seconds:.0f} s" + (f" ({self.rounds} rounds)" if self.rounds > 1 else "")
        )

    def throughput_text(self, clients: int) -> str:
        return (
            f"{self.creates} creates in {self.seconds:.0f} s"
            + (f" ({self.rounds} rounds)" if self.rounds > 1 else "")
            + f", {clients} clients, p50 {self.p50_ms:.1f} ms, p95 {self.p95_ms:.1f} ms"
            + (f", {self.errors} errors" if self.errors else "")
        )


def post(url: str, body: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    """One POST (to check a create before it is timed)."""
    request = urllib.request.Request(url, data=body.encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=60) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()
    except (urllib.error.URLError, OSError) as exc:
        raise LoadFailed(f"POST {url} failed: {exc}") from exc


def check_create(base_url: str, path: str, body: str, headers: dict[str, str]) -> None:
    """A create must answer 201 with a Location (and ours an ETag): else timing it means
    nothing."""
    status, answered, content = post(base_url + path, body, headers)
    if status != 201:
        text = content[:200].decode("utf-8", "replace").replace("\n", " ")
        raise LoadFailed(f"POST {path} answered {status}, not 201: {text}")
    present = {k.lower() for k in answered}
    missing = [
        h for h in ("Location", "ETag")[: 2 if path == OURS_PATH else 1] if h.lower() not in present
    ]
    if missing:
        raise LoadFailed(f"POST {path} answered 201 without {' or '.join(missing)}")


def direct_inserts(
    url: str, rows: list[Incident], *, seconds: float, clients: int, warmup_s: float = 0.0
) -> Creates:
    """``clients`` connections inserting ``rows`` in turn, one row per transaction, each for
    ``seconds`` after an untimed warm-up; creates/s of them all and percentiles of one create."""
    import psycopg

    params = [row.parameters() for row in rows]
    connections = [psycopg.connect(url) for _ in range(clients)]
    start = threading.Barrier(clients + 1)
    samples: list[list[float]] = [[] for _ in range(clients)]
    failures: list[BaseException] = []

    def client(index: int) -> None:
        conn = connections[index]
        i = index * 7
        try:
            start.wait()
            timed_from = time.perf_counter() + warmup_s
            stop = timed_from + seconds
            while True:
                began = time.perf_counter()
                if began >= stop:
                    break
                conn.execute(INSERT, [SOURCE, uuid.uuid4().hex, *params[i % len(params)]])
                conn.commit()
                if began >= timed_from:
                    samples[index].append((time.perf_counter() - began) * 1000)
                i += 1
        except BaseException as exc:  # raised again in the caller's thread
            failures.append(exc)
            start.abort()

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    try:
        for thread in threads:
            thread.start()
        with contextlib.suppress(threading.BrokenBarrierError):  # a client failed: see below
            start.wait()
        for thread in threads:
            thread.join(seconds + warmup_s + 60)
    finally:
        for conn in connections:
            conn.close()
    if failures:
        raise failures[0]
    merged = [s for client_samples in samples for s in client_samples]
    return Creates.of_timing(Timing.of(merged), seconds)


@contextlib.contextmanager
def stock_defaults(run: BenchRun) -> Iterator[None]:
    """``source`` and ``source_id`` defaults on the incidents table while the stock provider
    writes into it (it sends NULL for any column without a default that it was not given)."""
    with run.connect(autocommit=True) as conn:
        conn.execute(
            "ALTER TABLE incidents ALTER COLUMN source SET DEFAULT 'bench-writes', "
            "ALTER COLUMN source_id SET DEFAULT gen_random_uuid()::text"
        )
    try:
        yield
    finally:
        with run.connect(autocommit=True) as conn:
            conn.execute(
                "ALTER TABLE incidents ALTER COLUMN source DROP DEFAULT, "
                "ALTER COLUMN source_id DROP DEFAULT"
            )


@contextlib.contextmanager
def operator_key(run: BenchRun) -> Iterator[str]:
    """The secret of an API key with the role ``operator`` (deleted afterwards)."""
    from gisserver.keys import create_key

    name = f"bench-writes-{secrets.token_hex(4)}"
    with run.connect(autocommit=True) as conn:
        secret = create_key(conn, name, "operator")
    try:
        yield secret
    finally:
        with run.connect(autocommit=True) as conn:
            conn.execute("DELETE FROM api_keys WHERE name = %s", (name,))


@dataclass(frozen=True)
class Written:
    """Where the incidents table and the audit trail stood before the scenario wrote."""

    max_id: int
    max_audit_id: int

    @classmethod
    def now(cls, run: BenchRun) -> Written:
        with run.connect() as conn:
            row = conn.execute(
                "SELECT (SELECT coalesce(max(id), 0) FROM incidents), "
                "(SELECT coalesce(max(id), 0) FROM audit_log)"
            ).fetchone()
        assert row is not None
        return cls(int(row[0]), int(row[1]))

    def clean_up(self, run: BenchRun) -> tuple[int, int]:
        """Delete the rows the scenario wrote: (rows deleted, 'create' audit rows they left)."""
        with run.connect(autocommit=True) as conn:
            audited = conn.execute(
                "SELECT count(*) FROM audit_log WHERE id > %s AND layer = 'incidents' "
                "AND operation = 'create' AND after -> 'properties' ->> 'description' = %s",
                (self.max_audit_id, MARKER),
            ).fetchone()
            deleted = conn.execute(
                "DELETE FROM incidents WHERE id > %s AND description = %s "
                "AND source IN (%s, 'api')",
                (self.max_id, MARKER, SOURCE),
            ).rowcount
            conn.execute("VACUUM ANALYZE incidents")
        return deleted, int(audited[0]) if audited else 0


def scenario(run: BenchRun) -> list[Comparison]:
    rows = incidents(run.size.seed + 14)
    bodies = [row.geojson() for row in rows]
    warmup = min(2, run.duration_s)
    before = Written.now(run)
    try:
        with operator_key(run) as secret, stock_defaults(run):
            found = _measure(run, rows, bodies, secret, warmup)
    finally:
        deleted, audited = before.clean_up(run)
    run.notes.append(
        f"writes: {deleted:,} incidents were created ({audited:,} audit 'create' rows written by "
        "the triggers with them) and deleted afterwards (source 'bench-writes' for the direct "
        "INSERT and the stock provider, description 'bench-writes' for ours, whose source is "
        "'api'); their audit rows stay, as the trail is append-only, and each delete added one."
    )
    return _rows(found)


Measure = Callable[[int, bool], Creates]


Found = dict[str, list[Creates] | RuntimeError]  # side -> its turns, or why it is missing


def _measure(
    run: BenchRun, rows: list[Incident], bodies: list[str], secret: str, warmup: int
) -> dict[int, Found]:
    """Each side on one client, then on CLIENTS: {clients: {side: turns}}."""
    ours_headers = GEOJSON | {"Authorization": f"Bearer {secret}"}
    ours_missing: RuntimeError | None = None
    try:
        server = run.server("gisserver")
        check_create(server.base_url, OURS_PATH, bodies[0], ours_headers)
    except (ServerFailed, LoadFailed) as exc:
        ours_missing = exc

    def over_http(
        name: str, path: str, headers: dict[str, str], clients: int
    ) -> Callable[[int, bool], Creates]:
        def measure(seconds: int, first: bool) -> Creates:
            base_url = run.server(name).base_url
            if first and name != "gisserver":
                check_create(base_url, path, bodies[0], headers)
            result = run_wrk(
                base_url,
                [path] * len(bodies),
                method="POST",
                headers=headers,
                bodies=bodies,
                duration_s=seconds,
                connections=clients,
                threads=min(2, clients),
                warmup_s=warmup if first else 0,
            )
            return Creates.of_load(result)

        return measure

    def direct(clients: int) -> Measure:
        def measure(seconds: int, first: bool) -> Creates:
            if clients == 1:
                with run.connect() as conn:
                    params = [row.parameters() for row in rows]

                    def insert(values: list[Any]) -> None:
                        conn.execute(INSERT, [SOURCE, uuid.uuid4().hex, *values]).fetchone()
                        conn.commit()

                    timing = time_calls(
                        insert,
                        params,
                        calls=10_000_000,
                        warmup=20 if first else 0,
                        max_seconds=seconds,
                    )
                    return Creates.of_timing(timing, sum(timing.samples_ms) / 1000)
            return direct_inserts(
                run.database_url,
                rows,
                seconds=seconds,
                clients=clients,
                warmup_s=warmup if first else 0,
            )

        return measure

    found: dict[int, Found] = {}
    for clients in (1, CLIENTS):
        contenders: dict[str, Measure] = {}
        if ours_missing is None:
            contenders[OURS] = over_http("gisserver", OURS_PATH, ours_headers, clients)
        contenders[STOCK] = over_http("pygeoapi-stock-writes", STOCK_PATH, GEOJSON, clients)
        contenders[DIRECT] = direct(clients)
        measured = round_robin(contenders, seconds=run.duration_s)
        if ours_missing is not None:
            measured[OURS] = ours_missing
        found[clients] = measured
    return found


def _merged(turns: list[Creates] | RuntimeError) -> Creates | RuntimeError:
    if isinstance(turns, RuntimeError):
        return turns
    return Creates.merge(turns)


def _rows(found: dict[int, Found]) -> list[Comparison]:
    latency, throughput = found[1], found[CLIENTS]
    rows: list[Comparison] = []
    labels = {STOCK: STOCK, DIRECT: "the same INSERT through psycopg, one row per transaction"}

    def row(
        name: str,
        theirs_label: str,
        measured: Found,
        figure: Callable[[Creates], Figure],
        target: Target | None,
    ) -> Comparison:
        out = Comparison(SCENARIO, name, labels[theirs_label], target=target)
        if target is None:
            out.note = "informational: no target"
        ours, theirs = _merged(measured[OURS]), _merged(measured[theirs_label])
        if isinstance(ours, Creates):
            out.ours = figure(ours)
        else:
            out.note = f"not available: {ours}"
        if isinstance(theirs, Creates):
            out.theirs = figure(theirs)
        else:
            out.note = (
                out.note + "; " if out.note else ""
            ) + f"{theirs_label} not measured: {theirs}"
        return out

    def p50(result: Creates) -> Figure:
        return Figure(result.p50_ms, "ms", result.latency_text())

    def rate(result: Creates) -> Figure:
        return Figure(result.per_second, "creates/s", result.throughput_text(CLIENTS))

    rows.append(
        row(
            "create one incident (audit included), p50 latency (1 client)",
            DIRECT,
            latency,
            p50,
            Target("at_most", 2.0, text="≤ 2× the direct INSERT"),
        )
    )
    rows.append(
        row(
            "create one incident (audit included), p50 latency (1 client)",
            STOCK,
            latency,
            p50,
            None,
        )
    )
    rows.append(
        row(
            f"creates/s with {CLIENTS} clients",
            STOCK,
            throughput,
            rate,
            Target("at_least", 3.0, absolute_min=300.0, text="≥ 3× stock and ≥ 300 creates/s"),
        )
    )
    rows.append(row(f"creates/s with {CLIENTS} clients", DIRECT, throughput, rate, None))
    return rows
