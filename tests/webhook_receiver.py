"""What the webhook tests share: a real HTTP receiver on 127.0.0.1 in a thread of the test
process, and ``gisserver worker`` as a real subprocess of it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

GISSERVER = Path(sys.executable).with_name("gisserver")
WAIT_S = 60.0


@dataclass(frozen=True)
class Received:
    """One request the receiver got, and what it answered."""

    path: str
    headers: dict[str, str]
    body: bytes
    answered: int

    @property
    def event_id(self) -> int:
        return int(self.headers["X-Gisserver-Event-Id"])


class Receiver:
    """A webhook receiver: records every request; answers ``failing_status`` to the first
    ``fail_first`` calls (and to every call while ``failing`` is set), 204 otherwise;
    ``delay_s`` before each answer (a slow receiver)."""

    def __init__(self, *, fail_first: int = 0, failing_status: int = 500, delay_s: float = 0.0):
        self.fail_first = fail_first
        self.failing_status = failing_status
        self.delay_s = delay_s
        self.failing = False
        self.answer: Callable[[BaseHTTPRequestHandler], bool] | None = None
        self.calls: list[Received] = []
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if receiver.delay_s:
                    time.sleep(receiver.delay_s)
                if receiver.answer is not None and receiver.answer(self):
                    status = 0
                else:
                    with receiver._lock:
                        failing = receiver.failing or len(receiver.calls) < receiver.fail_first
                    status = receiver.failing_status if failing else 204
                    self.send_response(status)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                with receiver._lock:
                    receiver.calls.append(Received(self.path, dict(self.headers), body, status))

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def received(self) -> list[Received]:
        with self._lock:
            return list(self.calls)

    def delivered(self) -> list[Received]:
        """The calls answered 2xx, in the order they came."""
        return [call for call in self.received() if 200 <= call.answered < 300]

    def wait_for(self, event_id: int, timeout: float = WAIT_S) -> list[Received]:
        """The delivered calls once one of them is ``event_id``."""
        return wait_until(
            lambda: (got := self.delivered()) and any(c.event_id == event_id for c in got) and got,
            f"event {event_id} delivered to {self.url}",
            timeout,
        )


def wait_until(check: Callable[[], Any], what: str, timeout: float = WAIT_S) -> Any:
    """Poll ``check`` until it is truthy (its value) or fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout:.0f} s: {what}")
        time.sleep(0.05)


@contextmanager
def receiving(**options: Any) -> Iterator[Receiver]:
    receiver = Receiver(**options)
    try:
        yield receiver
    finally:
        receiver.close()


class WorkerProcess:
    """``gisserver -v worker`` in a subprocess, its log in a file."""

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.log_path = log_path
        self._log = log_path.open("wb")
        self.proc = subprocess.Popen(
            [str(GISSERVER), "-v", "worker"], env=env, stdout=self._log, stderr=subprocess.STDOUT
        )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_log(self, text: str, timeout: float = WAIT_S) -> str:
        return wait_until(
            lambda: text in self.log() and self.log(),
            f"{text!r} in the worker's log:\n{self.log()}",
            timeout,
        )

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait(10)
        self._log.close()
        return code


def worker_env(settings: Any, database_url: str, **overrides: str) -> dict[str, str]:
    """The environment of a worker on the test database: the edit role as the app uses it,
    127.0.0.1 allowed, short delays (unless ``overrides`` say otherwise; "" unsets)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GISSERVER_WEBHOOK")}
    env |= {
        "DATABASE_URL": database_url,
        "GISSERVER_DATA_DIR": str(settings.data_dir),
        "GISSERVER_PUBLIC_URL": "http://gis.example",
        "GISSERVER_WEBHOOK_ALLOWED_NETWORKS": "127.0.0.1/32",
        "GISSERVER_WEBHOOK_BACKOFF_SECONDS": "0.1",
        "GISSERVER_WEBHOOK_BACKOFF_MAX_SECONDS": "0.4",
        "GISSERVER_WEBHOOK_TIMEOUT_SECONDS": "5",
        "GISSERVER_WORKER_TICK_SECONDS": "0.2",
    }
    if settings.edit_database_url:
        env["GISSERVER_EDIT_DATABASE_URL"] = settings.edit_database_url
    for name, value in overrides.items():
        key = f"GISSERVER_{name.upper()}"
        if value == "":
            env.pop(key, None)
        else:
            env[key] = value
    return env
