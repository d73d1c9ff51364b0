"""Scenario "webhooks": what delivering every change to SUBSCRIBERS webhooks costs the write path
(issue 15: within 10% of its speed without subscribers).

Our server takes incident creates (``POST /ogc/collections/incidents/items``, an operator's key,
CLIENTS connections, wrk) while ``gisserver worker`` runs beside it, as ``make demo`` runs it. In
turns (two rounds): with no active subscription, then with SUBSCRIBERS subscriptions to the
incidents layer, all delivered to one local receiver (a threaded ``http.server`` in its own
process answering 204, at nice 19: in production the subscribers' systems run on their own
machines, not on the server's cores). Between turns the subscriptions are suspended and
resumed at the newest event, so a turn without subscribers does not pay for the last turn's
backlog. The worker delivers in the background: creates/s and the wrk latency of the writes
are compared, and the deliveries made during the turns with subscribers are counted (they
prove the fan-out ran).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

from bench.environment import BenchRun
from bench.measure import LoadResult, run_wrk
from bench.results import Comparison, Figure, Target
from bench.writes import GEOJSON, OURS_PATH, Written, check_create, incidents, operator_key
from gisserver.cluster import free_port

SCENARIO = "webhooks"
SUBSCRIBERS = 50
CLIENTS = 8
ROUNDS = 2
FIRST_CHECK_S = 20  # the worker's first check of the existing data, at most
RECEIVER = textwrap.dedent(
    """
    import sys
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Hook(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Hook).serve_forever()
    """
)


@dataclass
class Turn:
    subscribers: int
    result: LoadResult
    deliveries: int


def _start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        return subprocess.Popen(
            command,
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(os.getpgid(process.pid), signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(os.getpgid(process.pid), signal.SIGKILL)
            process.wait(timeout=10)


def _wait_for_first_check(log: Path, timeout: float = FIRST_CHECK_S + 60) -> None:
    """Until the worker's alert rules have checked the existing data (done or given up): that
    check is start-up work, not the cost of deliveries."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace") if log.exists() else ""
        if "alert rules: first check" in text or "alert rules: checking the existing" in text:
            return
        time.sleep(0.5)
    raise RuntimeError(f"the worker did not finish its first check in {timeout:.0f} s ({log})")


def _subscribe(run: BenchRun, port: int) -> list[int]:
    from gisserver.feed.webhooks import NewSubscription, allowed_networks, create_subscription

    ids = []
    with run.connect(autocommit=True) as conn:
        for n in range(SUBSCRIBERS):
            new = NewSubscription.from_json(
                {
                    "url": f"http://127.0.0.1:{port}/hook/{n}",
                    "secret": f"bench-{n}-secret-0000",
                    "layers": ["incidents"],
                },
                layer_ids=["incidents"],
                allowed=allowed_networks("127.0.0.1/32"),
            )
            ids.append(int(create_subscription(conn, new, "bench-webhooks")["id"]))
        conn.execute("UPDATE subscriptions SET status = 'suspended' WHERE id = ANY(%s)", (ids,))
    return ids


def _switch(run: BenchRun, ids: list[int], active: bool) -> None:
    with run.connect(autocommit=True) as conn:
        conn.execute(
            "UPDATE subscriptions SET status = %s, cursor = (SELECT coalesce(max(id), 0) FROM"
            " events), next_attempt_at = NULL, attempts = 0, failing_since = NULL"
            " WHERE id = ANY(%s)",
            ("active" if active else "suspended", ids),
        )


def _deliveries(run: BenchRun, ids: list[int]) -> int:
    with run.connect() as conn:
        row = conn.execute(
            "SELECT count(*) FROM deliveries WHERE subscription_id = ANY(%s) AND delivered",
            (ids,),
        ).fetchone()
    return int(row[0]) if row else 0


def scenario(run: BenchRun) -> list[Comparison]:
    bodies = [row.geojson() for row in incidents(run.size.seed + 15)]
    before = Written.now(run)
    port = free_port()
    # The subscribers are other agencies' systems on their own machines: here the receiver
    # shares our two cores, so it runs at the lowest priority (it must not be what slows us).
    receiver = _start(
        ["nice", "-n", "19", sys.executable, "-c", RECEIVER, str(port)],
        {},
        run.logs / "receiver.log",
    )
    worker = _start(
        [str(Path(sys.executable).parent / "gisserver"), "worker"],
        {
            "DATABASE_URL": run.database_url,
            "GISSERVER_WEBHOOK_ALLOWED_NETWORKS": "127.0.0.1/32",
            "GISSERVER_ALERT_FIRST_CHECK_SECONDS": str(FIRST_CHECK_S),
        },
        run.logs / "worker.log",
    )
    ids: list[int] = []
    turns: list[Turn] = []
    try:
        _wait_for_first_check(run.logs / "worker.log")
        ids = _subscribe(run, port)
        with operator_key(run) as secret:
            headers = GEOJSON | {"Authorization": f"Bearer {secret}"}
            base_url = run.server("gisserver").base_url
            check_create(base_url, OURS_PATH, bodies[0], headers)
            for turn in range(ROUNDS * 2):
                active = turn % 2 == 1
                _switch(run, ids, active)
                delivered = _deliveries(run, ids)
                result = run_wrk(
                    base_url,
                    [OURS_PATH] * len(bodies),
                    method="POST",
                    headers=headers,
                    bodies=bodies,
                    duration_s=run.duration_s,
                    connections=CLIENTS,
                    threads=2,
                    warmup_s=2 if turn == 0 else 0,
                )
                turns.append(
                    Turn(SUBSCRIBERS if active else 0, result, _deliveries(run, ids) - delivered)
                )
                _switch(run, ids, False)
                time.sleep(2)  # the worker finishes the delivery in flight
    finally:
        _stop(worker)
        _stop(receiver)
        with run.connect(autocommit=True) as conn:
            conn.execute("DELETE FROM subscriptions WHERE id = ANY(%s)", (ids,))
        deleted, _ = before.clean_up(run)
        run.notes.append(
            f"webhooks: {deleted:,} incidents were created and deleted afterwards (description "
            f"'bench-writes'); the {SUBSCRIBERS} subscriptions and their deliveries were deleted."
        )
    without = LoadResult.merge([t.result for t in turns if t.subscribers == 0])
    with_hooks = LoadResult.merge([t.result for t in turns if t.subscribers])
    delivered = sum(t.deliveries for t in turns)
    seconds = run.duration_s * ROUNDS
    return [
        Comparison(
            SCENARIO,
            f"creates/s at {CLIENTS} clients while the worker delivers each to {SUBSCRIBERS} "
            "webhooks",
            "the same server and worker, no subscription",
            ours=Figure(
                with_hooks.requests_per_s,
                "req/s",
                f"{with_hooks.summary()}; {delivered:,} deliveries made in {seconds} s",
            ),
            theirs=Figure(without.requests_per_s, "req/s", without.summary()),
            target=Target("at_least", 0.9, text=">= 0.9x (within 10%)"),
            extra={"deliveries": delivered},
        )
    ]
