"""Scenario "replicas": reads spread over a streaming replica (issue 19, docs/scale.md).

A real hot standby of the bench cluster is made with ``gisserver.cluster.PrivateCluster.
create_replica`` (``pg_basebackup -R``, the same code as ``gisserver db replica create``), and a
second ``gisserver serve`` is started with ``GISSERVER_READ_REPLICAS`` naming it. Then:

- **Throughput.** The same 100-feature bbox pages and nearest queries, wrk -c 8, on the server
  reading from the primary alone and on the one reading from the replica, taking turns. On this
  one machine the primary, the replica, both servers and wrk share two cores, so a replica adds
  no CPU: the ratio shows what the routing costs (≈ 1× means nothing), not the gain of a second
  machine. The share of the reads the replica served (``/readyz``) shows how much of the read
  load leaves the primary: that is the capacity a replica on its own machine gives back.
- **Lag under writes.** While AVL batches (the ``positions`` scenario's bodies, 500 positions per
  POST, 4 clients) go to the primary for the run's duration, ``/readyz`` is read every 0.25 s:
  the largest lag the monitor saw (bytes of WAL not replayed, seconds behind), and whether the
  replica stayed in rotation (it leaves it when further behind than ``replica_max_lag_s``, 5 s).

The replica and its server are stopped and deleted at the end.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any
from urllib.parse import urlencode

from bench import features, nearest, positions
from bench.data import sample_bboxes, sample_locations
from bench.environment import BenchRun
from bench.measure import LoadFailed, LoadResult, check_status, fetch, round_robin, run_wrk
from bench.results import Comparison, Figure, Target, not_available
from bench.servers import Server, ServerFailed, ours
from bench.writes import operator_key
from gisserver.cluster import ClusterError, PrivateCluster, free_port

SCENARIO = "replicas"
SERVER = "gisserver-1-replica"
CAUGHT_UP_TIMEOUT_S = 120.0


def _caught_up(run: BenchRun, replica: PrivateCluster) -> None:
    """Wait until the replica has replayed the primary's WAL as of now (the bench's loads)."""
    with run.connect(autocommit=True) as conn:
        target = conn.execute("SELECT pg_current_wal_lsn()").fetchone()[0]  # type: ignore[index]
    import psycopg

    deadline = time.monotonic() + CAUGHT_UP_TIMEOUT_S
    with psycopg.connect(replica.url(), autocommit=True) as conn:
        while True:
            row = conn.execute(
                "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", (str(target),)
            ).fetchone()
            if row is not None and row[0]:
                return
            if time.monotonic() > deadline:
                raise LoadFailed(
                    f"the replica did not replay to {target} in {CAUGHT_UP_TIMEOUT_S} s"
                )
            time.sleep(0.2)


def _replicas_report(base_url: str) -> list[dict[str, Any]]:
    status, _, body = fetch(base_url + "/readyz", timeout=10)
    if status != 200:
        raise LoadFailed(f"/readyz answered {status}")
    return list(json.loads(body).get("replicas") or [])


@contextmanager
def replica_server(run: BenchRun) -> Iterator[tuple[Server, PrivateCluster]]:
    replica = run.cluster.create_replica(free_port())
    server: Server | None = None
    try:
        _caught_up(run, replica)
        server = ours(
            run.database_url,
            run.logs,
            name=SERVER,
            env={"GISSERVER_TILES_CACHE_MB": "0", "GISSERVER_READ_REPLICAS": replica.url("read")},
        )
        server.start()
        deadline = time.monotonic() + 30
        while True:  # the monitor's first check puts the replica in rotation
            report = _replicas_report(server.base_url)
            if report and report[0].get("state") == "in rotation":
                break
            if time.monotonic() > deadline:
                raise LoadFailed(f"the replica did not enter the rotation: {report}")
            time.sleep(0.5)
        yield server, replica
    finally:
        if server is not None:
            server.stop()
        replica.destroy()


def _load(base_url: str, paths: list[str], seconds: int, first: bool) -> LoadResult:
    return run_wrk(base_url, paths, duration_s=seconds, warmup_s=2 if first else 0)


def _figure(results: list[LoadResult] | RuntimeError) -> Figure | RuntimeError:
    if isinstance(results, RuntimeError):
        return results
    merged = LoadResult.merge(results)
    return Figure(merged.requests_per_s, "req/s", merged.summary())


def _reads(server: Server) -> int:
    return sum(int(r.get("reads") or 0) for r in _replicas_report(server.base_url))


def _throughput(run: BenchRun, server: Server) -> list[Comparison]:
    primary = run.server("gisserver").base_url
    queries: dict[str, list[str]] = {
        f"{features.LIMIT}-feature bbox page, throughput": features.OURS.paths(
            sample_bboxes(features.BBOX_COUNT, seed=run.size.seed), None
        ),
        f"nearest k={nearest.K} with filters, throughput": [
            f"/api/nearest?{urlencode(nearest._params(lon, lat))}"
            for lon, lat in sample_locations(nearest.LOCATIONS, seed=run.size.seed + 7)
        ],
    }
    rows = []
    for name, paths in queries.items():
        check_status(server.base_url, paths[0])
        before = _reads(server)
        contenders: dict[str, Callable[[int, bool], LoadResult]] = {
            "replica": partial(_load, server.base_url, paths),
            "primary": partial(_load, primary, paths),
        }
        found = round_robin(contenders, seconds=run.duration_s)
        served = _reads(server) - before
        mine, theirs = _figure(found["replica"]), _figure(found["primary"])
        done = found["replica"]
        sent = sum(r.requests for r in done) if isinstance(done, list) else 0
        row = Comparison(
            SCENARIO,
            f"{name}, reads from 1 replica (-c 8)",
            "the same server reading from the primary alone",
            target=Target("at_least", 0.9, text="≥ 0.9× (routing costs little; one machine)"),
            extra={"replica_reads": served, "requests": sent},
        )
        if isinstance(mine, Figure):
            row.ours = Figure(
                mine.value,
                mine.unit,
                f"{mine.detail}; the replica served {served:,} reads for these requests"
                " (warm-ups included)",
            )
        if isinstance(theirs, Figure):
            row.theirs = theirs
        errors = [str(f) for f in (mine, theirs) if isinstance(f, RuntimeError)]
        if errors:
            row.note = "not available: " + "; ".join(errors)
        rows.append(row)
    return rows


LAG_NAME = (
    f"replica lag while AVL batches are written ({positions.BATCH} positions per POST, "
    f"{positions.CLIENTS} clients)"
)


def _lag_under_writes(run: BenchRun, server: Server) -> Comparison:
    units = positions._units(run, 200)
    import datetime as dt

    batches = positions._bodies(units, dt.datetime.now(dt.UTC), seed=run.size.seed + 19)
    bodies = [json.dumps({"positions": b}, separators=(",", ":")) for b in batches]
    samples: list[dict[str, Any]] = []
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            try:
                report = _replicas_report(server.base_url)
            except (OSError, LoadFailed):
                report = []
            if report:
                samples.append(report[0])
            stop.wait(0.25)

    watcher = threading.Thread(target=watch, daemon=True)
    with operator_key(run) as secret:
        watcher.start()
        try:
            result = run_wrk(
                server.base_url,
                [positions.PATH] * len(bodies),
                method="POST",
                headers={"Content-Type": "application/json", "Authorization": f"Bearer {secret}"},
                bodies=bodies,
                duration_s=run.duration_s,
                connections=positions.CLIENTS,
                warmup_s=0,
            )
        finally:
            stop.set()
            watcher.join(timeout=5)
    if not samples:
        raise LoadFailed("/readyz gave no replica state during the write load")
    max_bytes = max(int(s.get("lag_bytes") or 0) for s in samples)
    max_s = max(float(s.get("lag_s") or 0.0) for s in samples)
    out = sum(1 for s in samples if s.get("state") != "in rotation")
    written = result.requests_per_s * positions.BATCH
    return Comparison(
        SCENARIO,
        LAG_NAME,
        "informational: no alternative (the primary's own WAL)",
        ours=Figure(
            max_s,
            "s",
            f"largest lag seen by the monitor: {max_s:.2f} s, {max_bytes / 1024:,.0f} KiB of WAL; "
            f"{len(samples)} samples, {out} out of rotation; {written:,.0f} positions/s written",
        ),
        extra={"max_lag_bytes": max_bytes, "samples": len(samples), "out_of_rotation": out},
    )


def scenario(run: BenchRun) -> list[Comparison]:
    name = "reads from 1 replica"
    alternative = "the same server reading from the primary alone"
    try:
        with replica_server(run) as (server, _replica):
            rows = _throughput(run, server)
            try:
                rows.append(_lag_under_writes(run, server))
            except (LoadFailed, ServerFailed) as exc:
                rows.append(not_available(SCENARIO, LAG_NAME, "—", str(exc)))
            return rows
    except (ClusterError, LoadFailed, ServerFailed) as exc:
        return [not_available(SCENARIO, name, alternative, str(exc))]
