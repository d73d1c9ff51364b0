"""Load generation and timing: wrk on loopback for HTTP, time.perf_counter for in-process calls.

wrk runs for a bounded duration after an excluded warm-up; a Lua script cycles through a list of
request paths (so that every request is not the same one), each with its body for a write, and
prints its summary and latency percentiles as one JSON line from wrk's ``done`` hook, which is
what :func:`parse_wrk` reads.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import numpy as np

MARKER = "BENCH_JSON "
R = TypeVar("R")

LUA_TEMPLATE = """
local paths = {%(paths)s}
local bodies = {%(bodies)s}
local method = %(method)s
local headers = {%(headers)s}
local i = 0
local offset = 0
setup = function(thread)
  -- each wrk thread starts at another place in the list
  thread:set("start", offset)
  offset = offset + 7
end
init = function(args)
  i = (start or 0) %% #paths
end
request = function()
  i = i %% #paths + 1
  return wrk.format(method, paths[i], headers, bodies[i])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '%(marker)s{"requests": %%d, "duration_us": %%d, "bytes": %%d, "connect_errors": %%d, '
    .. '"read_errors": %%d, "write_errors": %%d, "status_errors": %%d, "timeouts": %%d, '
    .. '"p50_us": %%d, "p90_us": %%d, "p95_us": %%d, "p99_us": %%d, "mean_us": %%.1f, '
    .. '"max_us": %%d}\\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.mean, latency.max))
end
"""


@dataclass(frozen=True)
class LoadResult:
    """What one wrk run measured."""

    requests: int
    duration_s: float
    errors: int
    p50_ms: float
    p90_ms: float
    p99_ms: float
    mean_ms: float
    max_ms: float
    bytes: int
    connections: int
    rounds: int = 1
    p95_ms: float = float("nan")  # nan: from a wrk output without it

    @property
    def requests_per_s(self) -> float:
        return self.requests / self.duration_s if self.duration_s else 0.0

    def summary(self) -> str:
        text = (
            f"p50 {self.p50_ms:.1f} ms, p99 {self.p99_ms:.1f} ms, {self.requests} req "
            f"in {self.duration_s:.0f} s"
            + (f" ({self.rounds} rounds)" if self.rounds > 1 else "")
            + f", -c {self.connections}, "
            f"{self.bytes / max(self.requests, 1) / 1024:.1f} KiB/response"
        )
        return text + (f", {self.errors} errors" if self.errors else "")

    @classmethod
    def merge(cls, results: Sequence[LoadResult]) -> LoadResult:
        """Rounds of the same load as one: counts add up; p50/p90/p95 are the request-weighted
        mean of the rounds' (wrk gives no histogram to merge), p99 and max the worst round's."""
        requests = sum(r.requests for r in results)

        def weighted(values: list[float]) -> float:
            weights = [r.requests for r in results]
            return float(np.average(values, weights=weights)) if requests else values[0]

        return cls(
            requests=requests,
            duration_s=sum(r.duration_s for r in results),
            errors=sum(r.errors for r in results),
            p50_ms=weighted([r.p50_ms for r in results]),
            p90_ms=weighted([r.p90_ms for r in results]),
            p99_ms=max(r.p99_ms for r in results),
            mean_ms=weighted([r.mean_ms for r in results]),
            max_ms=max(r.max_ms for r in results),
            bytes=sum(r.bytes for r in results),
            connections=results[0].connections,
            rounds=sum(r.rounds for r in results),
            p95_ms=weighted([r.p95_ms for r in results]),
        )


@dataclass(frozen=True)
class Timing:
    """Repeated in-process calls: percentiles of the wall time of one call."""

    calls: int
    p50_ms: float
    p99_ms: float
    mean_ms: float
    samples_ms: tuple[float, ...] = field(default=(), repr=False)
    rounds: int = 1

    def summary(self) -> str:
        rounds = f" ({self.rounds} rounds)" if self.rounds > 1 else ""
        return f"p50 {self.p50_ms:.2f} ms, p99 {self.p99_ms:.2f} ms, {self.calls} calls{rounds}"

    @classmethod
    def of(cls, samples_ms: Sequence[float], rounds: int = 1) -> Timing:
        return cls(
            calls=len(samples_ms),
            p50_ms=float(np.percentile(samples_ms, 50)),
            p99_ms=float(np.percentile(samples_ms, 99)),
            mean_ms=float(np.mean(samples_ms)),
            samples_ms=tuple(samples_ms),
            rounds=rounds,
        )

    @classmethod
    def merge(cls, timings: Sequence[Timing]) -> Timing:
        samples = [s for t in timings for s in t.samples_ms]
        return cls.of(samples, rounds=sum(t.rounds for t in timings))


class LoadFailed(RuntimeError):
    """wrk could not measure (missing, crashed, or most requests failed)."""


def parse_wrk(output: str, *, connections: int) -> LoadResult:
    """The :class:`LoadResult` in the output of wrk run with this module's Lua script."""
    for line in output.splitlines():
        if line.startswith(MARKER):
            data = json.loads(line[len(MARKER) :])
            errors = sum(
                data[k]
                for k in (
                    "connect_errors",
                    "read_errors",
                    "write_errors",
                    "status_errors",
                    "timeouts",
                )
            )
            return LoadResult(
                requests=int(data["requests"]),
                duration_s=data["duration_us"] / 1e6,
                errors=int(errors),
                p50_ms=data["p50_us"] / 1000,
                p90_ms=data["p90_us"] / 1000,
                p99_ms=data["p99_us"] / 1000,
                mean_ms=data["mean_us"] / 1000,
                max_ms=data["max_us"] / 1000,
                bytes=int(data["bytes"]),
                connections=connections,
                p95_ms=data["p95_us"] / 1000 if "p95_us" in data else float("nan"),
            )
    raise LoadFailed(f"no summary line in wrk's output: {output.strip()[-300:]!r}")


def _lua_string(text: str) -> str:
    # A JSON string literal of ASCII text is a valid Lua string literal (Lua has no \\uXXXX).
    if not text.isascii():
        raise ValueError(f"wrk's Lua script takes ASCII text only: {text[:60]!r}")
    return json.dumps(text)


def lua_script(
    paths: Sequence[str],
    *,
    method: str = "GET",
    headers: Mapping[str, str] | None = None,
    bodies: Sequence[str] | None = None,
) -> str:
    """The Lua script that sends ``method`` to ``paths[i]`` with ``bodies[i]`` (if any) in turn."""
    sent = {"Accept-Encoding": "identity", **(headers or {})}
    return LUA_TEMPLATE % {
        "paths": ", ".join(_lua_string(p) for p in paths),
        "bodies": ", ".join(_lua_string(b) for b in bodies or ()),
        "method": _lua_string(method),
        "headers": ", ".join(f"[{_lua_string(k)}] = {_lua_string(v)}" for k, v in sent.items()),
        "marker": MARKER,
    }


def ensure_wrk() -> str:
    """The wrk executable, installed from Debian's packages when missing."""
    found = shutil.which("wrk")
    if found:
        return found
    install = ["apt-get", "install", "-y", "-q", "wrk"]
    if subprocess.run(install, capture_output=True, check=False).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], capture_output=True, check=False)
        subprocess.run(install, capture_output=True, check=False)
    found = shutil.which("wrk")
    if not found:
        raise LoadFailed("wrk is not installed and 'apt-get install wrk' did not provide it")
    return found


def run_wrk(
    base_url: str,
    paths: Sequence[str],
    *,
    duration_s: int,
    connections: int = 8,
    threads: int = 2,
    warmup_s: int = 2,
    method: str = "GET",
    headers: Mapping[str, str] | None = None,
    bodies: Sequence[str] | None = None,
) -> LoadResult:
    """Warm up (excluded), then load ``base_url`` + ``paths`` for ``duration_s`` seconds.

    A write sends ``bodies[i]`` to ``paths[i]`` (as many bodies as paths) with ``headers``.
    A response with a status of 400 or more counts as an error (wrk's own rule).
    """
    host = urlsplit(base_url).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise ValueError(
            f"base_url: {base_url!r} is not on loopback; the harness loads loopback only"
        )
    if not paths:
        raise ValueError("paths: at least one request path is needed")
    if bodies is not None and len(bodies) != len(paths):
        raise ValueError(f"bodies: {len(bodies)} for {len(paths)} paths; one body per path")
    threads = min(threads, connections)
    script_text = lua_script(paths, method=method, headers=headers, bodies=bodies)
    wrk = ensure_wrk()
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(script_text)
        script = Path(fh.name)
    try:

        def once(seconds: int) -> LoadResult:
            proc = subprocess.run(
                [
                    wrk,
                    f"-t{threads}",
                    f"-c{connections}",
                    f"-d{seconds}s",
                    "--timeout",
                    "30s",
                    "-s",
                    str(script),
                    base_url,
                ],
                capture_output=True,
                text=True,
                timeout=seconds + 60,
                check=False,
            )
            if proc.returncode != 0:
                raise LoadFailed(f"wrk exited with {proc.returncode}: {proc.stderr.strip()[-300:]}")
            return parse_wrk(proc.stdout, connections=connections)

        if warmup_s > 0:
            once(warmup_s)
        result = once(duration_s)
    finally:
        script.unlink(missing_ok=True)
    if result.requests == 0 or result.errors > result.requests * 0.01:
        raise LoadFailed(
            f"{result.errors} of {result.requests} requests to {base_url} failed "
            f"(first path {paths[0]})"
        )
    return result


def fetch(url: str, *, timeout: float = 60.0) -> tuple[int, dict[str, str], bytes]:
    """One GET (used to check an answer is right before it is timed)."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "identity"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()
    except (urllib.error.URLError, OSError) as exc:
        raise LoadFailed(f"GET {url.split('?')[0]} failed: {exc}") from exc


def check_status(base_url: str, path: str, accepted: tuple[int, ...] = (200,)) -> bytes:
    """GET one path; LoadFailed (with a short reason) unless the status is accepted."""
    status, _, body = fetch(base_url + path)
    if status not in accepted:
        text = body[:160].decode("utf-8", "replace").replace("\n", " ")
        raise LoadFailed(f"GET {path.split('?')[0]} answered {status}: {text}")
    return body


def time_calls(
    call: Callable[[Any], object],
    arguments: Sequence[Any],
    *,
    calls: int,
    warmup: int = 3,
    max_seconds: float | None = None,
) -> Timing:
    """Call ``call(arguments[i % len])`` ``calls`` times after ``warmup`` untimed calls.

    With ``max_seconds``, stops early once that much time was spent (after at least 20 calls).
    """
    for i in range(warmup):
        call(arguments[i % len(arguments)])
    samples: list[float] = []
    deadline = None if max_seconds is None else time.perf_counter() + max_seconds
    for i in range(calls):
        start = time.perf_counter()
        call(arguments[i % len(arguments)])
        end = time.perf_counter()
        samples.append(end - start)
        if deadline is not None and end > deadline and len(samples) >= 20:
            break
    return Timing.of([s * 1000 for s in samples])


def round_robin(
    contenders: Mapping[str, Callable[[int, bool], R]], *, seconds: int, rounds: int = 2
) -> dict[str, list[R] | RuntimeError]:
    """Measure each contender in turn, ``rounds`` times for ``seconds / rounds`` each.

    The machine's load changes during a run (it is shared); taking turns spreads a change over
    every contender alike, where measuring one after the other would hand it all to one side.
    Each callable gets its share of seconds and whether this is its first turn (to warm up).
    A contender that fails (RuntimeError: LoadFailed, ServerFailed) keeps its error and drops
    out of later rounds.
    """
    share = max(1, round(seconds / rounds))
    results: dict[str, list[R] | RuntimeError] = {name: [] for name in contenders}
    for turn in range(rounds):
        for name, measure in contenders.items():
            done = results[name]
            if isinstance(done, RuntimeError):
                continue
            try:
                done.append(measure(share, turn == 0))
            except RuntimeError as exc:
                results[name] = exc
    return results
