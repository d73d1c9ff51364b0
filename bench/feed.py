"""Scenario "feed": the change feed under load (issue 15).

CLIENTS Server-Sent-Events clients hold ``GET /api/events?layers=incidents`` open on our server
(gunicorn, the bench's worker count) while a writer commits RATE incidents per second for
SECONDS seconds (one INSERT per transaction through psycopg: the triggers write the audit row and
the event). Measured:

- every client got every event of the run, in id order (checked against the events table);
- commit-to-client latency: the writer notes the time each commit returned, each client the time
  each ``id:`` line arrived (same clock, same machine); p50/p95/max over every (client, event);
- the server's memory (the RSS of its processes) when the clients are connected and at the end.

The alternative is the floor: one psycopg connection ``LISTEN``ing on the same channel (what a
client that talks to PostgreSQL directly would get), its NOTIFY-to-receive latency for the same
commits. The clients run in CLIENT_PROCESSES processes (asyncio, raw HTTP/1.0: one parser per
read, not per line), which share the machine's cores with the server and PostgreSQL.
"""

from __future__ import annotations

import asyncio
import multiprocessing as mp
import os
import re
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any

import numpy as np
import psycopg

from bench.environment import BenchRun
from bench.results import Comparison, Figure, Target

SCENARIO = "feed"
SOURCE = "bench-feed"
RATE = 100  # changes per second
SIZES = {"full": (200, 60), "quick": (50, 15), "tiny": (5, 3)}  # (clients, seconds); tiny: tests
CLIENT_PROCESSES = 2
LATENCY_P95_MAX_MS = 250.0
INSERT = (
    "INSERT INTO incidents (source, source_id, incident_type, severity, reported_at, geom) "
    "VALUES (%s, %s, 'fire', 'high', now(), ST_SetSRID(ST_MakePoint(%s, %s), 4326)) "
    "RETURNING id"
)
_ID_LINE = re.compile(rb"(?m)^id: (\d+)\n")


async def _client(port: int, started: Any, stop_at: float, got: list[tuple[int, float]]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=1 << 20)
    writer.write(
        b"GET /api/events?layers=incidents HTTP/1.0\r\nHost: bench\r\n"
        b"Accept: text/event-stream\r\n\r\n"
    )
    await writer.drain()
    header = await reader.readuntil(b"\r\n\r\n")
    if not header.startswith(b"HTTP/1.1 200") and not header.startswith(b"HTTP/1.0 200"):
        raise RuntimeError(f"the stream answered {header.splitlines()[0]!r}")
    buffer = b""
    connected = False
    while time.time() < stop_at:
        try:
            chunk = await asyncio.wait_for(
                reader.read(65536), timeout=max(0.1, stop_at - time.time())
            )
        except TimeoutError:
            break
        if not chunk:
            break
        now = time.time()
        buffer += chunk
        if not connected and b"following the change feed" in buffer:
            connected = True
            started.release()
        cut = buffer.rfind(b"\n\n")
        if cut < 0:
            continue
        done, buffer = buffer[: cut + 2], buffer[cut + 2 :]
        got.extend((int(match), now) for match in _ID_LINE.findall(done))
    writer.close()


def _clients(port: int, count: int, started: Any, stop_at: float, out: Any) -> None:
    async def main() -> list[list[tuple[int, float]]]:
        lists: list[list[tuple[int, float]]] = [[] for _ in range(count)]
        await asyncio.gather(*(_client(port, started, stop_at, got) for got in lists))
        return lists

    out.put(asyncio.run(main()))


def _listen_floor(database_url: str, stop_at: float, got: list[tuple[int, float]]) -> None:
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("LISTEN gisserver_events")
        seen = conn.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0]  # type: ignore[index]
        while time.time() < stop_at:
            woken = False
            for _ in conn.notifies(timeout=0.5, stop_after=1):  # holds the connection
                woken = True
            if not woken:
                continue
            now = time.time()
            rows = conn.execute(
                "SELECT id FROM events WHERE id > %s ORDER BY id", (seen,)
            ).fetchall()
            got.extend((row[0], now) for row in rows)
            if rows:
                seen = rows[-1][0]


def _rss_mb(pid: int) -> float:
    """The resident memory of a process group (the server's arbiter and workers), in MB."""
    total = 0
    pgid = os.getpgid(pid)
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if os.getpgid(int(entry)) != pgid:
                continue
            with open(f"/proc/{entry}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except (OSError, ProcessLookupError):
            continue
    return total / 1024


@dataclass
class Found:
    clients: int
    events: int
    complete: int
    latencies_ms: np.ndarray
    floor_ms: np.ndarray
    rss_start_mb: float
    rss_end_mb: float


def _measure(run: BenchRun, clients: int, seconds: int) -> Found:
    server = run.server("gisserver")
    assert server.process is not None
    port = server.port
    lead = 10.0  # seconds for the clients to connect
    stop_at = time.time() + lead + seconds + 5
    started = mp.Semaphore(0)
    queue: Any = mp.Queue()
    per_process = [
        clients // CLIENT_PROCESSES + (i < clients % CLIENT_PROCESSES)
        for i in range(CLIENT_PROCESSES)
    ]
    processes = [
        mp.Process(target=_clients, args=(port, n, started, stop_at, queue), daemon=True)
        for n in per_process
    ]
    for process in processes:
        process.start()
    deadline = time.time() + lead
    for _ in range(clients):
        if not started.acquire(timeout=max(0.1, deadline - time.time())):
            raise RuntimeError("not every SSE client connected in time")
    rss_start = _rss_mb(server.process.pid)
    floor: list[tuple[int, float]] = []
    listener = threading.Thread(target=_listen_floor, args=(run.database_url, stop_at, floor))
    listener.start()
    time.sleep(0.5)
    committed: dict[int, float] = {}
    rng = np.random.default_rng(run.size.seed + 15)
    with run.connect() as conn:
        first_event = conn.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0]  # type: ignore[index]
        conn.commit()
        begin = time.perf_counter()
        for n in range(RATE * seconds):
            wait = begin + n / RATE - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            lon, lat = -71.16 + rng.random() * 0.1, 42.35 + rng.random() * 0.05
            feature = conn.execute(INSERT, (SOURCE, uuid.uuid4().hex, lon, lat)).fetchone()[0]  # type: ignore[index]
            conn.commit()
            committed[feature] = time.time()
        ids = dict(
            conn.execute(
                "SELECT id, feature_id FROM events WHERE id > %s AND layer = 'incidents'"
                " ORDER BY id",
                (first_event,),
            ).fetchall()
        )
    lists: list[list[tuple[int, float]]] = []
    for _ in processes:
        lists.extend(queue.get(timeout=lead + seconds + 60))
    for process in processes:
        process.join(30)
    listener.join(30)
    rss_end = _rss_mb(server.process.pid)
    expected = list(ids)
    complete = sum(1 for got in lists if [event for event, _ in got] == expected)
    latencies = [
        (at - committed[ids[event]]) * 1000
        for got in lists
        for event, at in got
        if event in ids and ids[event] in committed
    ]
    floor_ms = [(at - committed[ids[e]]) * 1000 for e, at in floor if e in ids]
    return Found(
        clients,
        len(expected),
        complete,
        np.array(latencies),
        np.array(floor_ms),
        rss_start,
        rss_end,
    )


def _clean_up(run: BenchRun) -> int:
    with run.connect(autocommit=True) as conn:
        deleted = conn.execute("DELETE FROM incidents WHERE source = %s", (SOURCE,)).rowcount
        conn.execute("VACUUM ANALYZE incidents")
    return deleted


def scenario(run: BenchRun) -> list[Comparison]:
    clients, seconds = SIZES.get(run.size.name, SIZES["quick"])
    try:
        found = _measure(run, clients, seconds)
    finally:
        deleted = _clean_up(run)
    run.notes.append(
        f"feed: {deleted:,} incidents were written at {RATE}/s and deleted afterwards (source "
        f"'{SOURCE}'); their audit rows and events stay (append-only)."
    )
    lat, floor = found.latencies_ms, found.floor_ms
    detail = (
        f"p50 {np.percentile(lat, 50):.1f} ms, max {lat.max():.0f} ms; {found.complete}/"
        f"{found.clients} clients got all {found.events:,} events in order; server RSS "
        f"{found.rss_start_mb:.0f} -> {found.rss_end_mb:.0f} MB"
    )
    everyone = found.complete == found.clients
    return [
        Comparison(
            SCENARIO,
            f"SSE commit-to-client p95, {found.clients} clients, {RATE} changes/s for {seconds} s",
            "one psycopg LISTEN connection (the floor)",
            ours=Figure(float(np.percentile(lat, 95)), "ms", detail),
            theirs=Figure(
                float(np.percentile(floor, 95)), "ms", f"p50 {np.percentile(floor, 50):.1f} ms"
            ),
            # a client that missed an event fails the row, whatever the latency
            target=Target(
                "at_most",
                float("inf"),
                absolute_max=LATENCY_P95_MAX_MS if everyone else 0.0,
                text=f"p95 <= {LATENCY_P95_MAX_MS:.0f} ms, every client every event",
            ),
            extra={
                "complete_clients": found.complete,
                "clients": found.clients,
                "events": found.events,
                "rss_start_mb": found.rss_start_mb,
                "rss_end_mb": found.rss_end_mb,
            },
        )
    ]
