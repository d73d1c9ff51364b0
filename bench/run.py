"""``python -m bench.run --size full|quick [--only SCENARIO ...]``: run the benchmark scenarios.

Generates (or reuses) the data, starts a throwaway PostGIS under bench/cache/, loads the data
through our ETL, runs each scenario against its alternative, stops everything it started (also on
error or Ctrl-C) and writes bench/results.md and bench/results.json. With ``--only`` the results
go to bench/cache/results-only.{md,json} so that the committed full table is not cut down.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from types import FrameType

from bench import (
    as_of,
    drive_time,
    etl,
    features,
    feed,
    hardening,
    nearest,
    population,
    positions,
    recommend,
    replicas,
    tiles,
    webhooks,
    webmap,
    writes,
)
from bench.data import SIZES, ensure_dataset
from bench.environment import BENCH_DIR, DEFAULT_CACHE, BenchRun, machine_description, open_run
from bench.results import Comparison, Report, write_report
from bench.servers import WORKERS, create_alternative_views

Scenario = Callable[[BenchRun], list[Comparison]]

# The registry: scenario name -> the function measuring it (each in its own module).
SCENARIOS: dict[str, Scenario] = {
    "as_of": as_of.scenario,
    "drive_time": drive_time.scenario,
    "etl": etl.scenario,
    "features": features.scenario,
    "feed": feed.scenario,
    "hardening": hardening.scenario,
    "nearest": nearest.scenario,
    "population": population.scenario,
    "recommend": recommend.scenario,
    "positions": positions.scenario,
    "replicas": replicas.scenario,
    "tiles": tiles.scenario,
    "webhooks": webhooks.scenario,
    "webmap": webmap.scenario,
    "writes": writes.scenario,
}
# Seconds of measured load per wrk run (a warm-up of WARMUP_S precedes each, excluded).
DURATIONS = {"full": 20, "quick": 10}

CAVEATS = [
    "The machine is shared with other engineers running tests and builds while the benchmark "
    "runs: absolute figures are noisy; the ratios compare two tools measured minutes apart on "
    "the same machine and database.",
    "The load generator (wrk), the servers and PostgreSQL share the same cores.",
]


def failed_row(name: str, exc: BaseException) -> Comparison:
    detail = str(exc).strip().splitlines()
    reason = f"{type(exc).__name__}: {detail[-1] if detail else ''}"[:400]
    return Comparison(name, "(scenario)", "", note=f"not available: the scenario failed: {reason}")


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--size", choices=sorted(SIZES), default="quick")
    parser.add_argument(
        "--only", action="append", choices=sorted(SCENARIOS), help="run only this (repeatable)"
    )
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--duration", type=int, help="seconds per wrk run [default: by size]")
    args = parser.parse_args(argv)
    size = SIZES[args.size]
    selected = [name for name in SCENARIOS if args.only is None or name in args.only]
    duration = args.duration or DURATIONS[size.name]
    # SIGTERM as Ctrl-C, so that the finally below stops the servers and the cluster.
    signal.signal(signal.SIGTERM, _raise_interrupt)

    started = time.monotonic()
    load_at_start = os.getloadavg()
    print(f"bench: generating or reusing the {size.name} data in {args.cache_dir}", flush=True)
    dataset = ensure_dataset(size, args.cache_dir)
    print("bench: starting a throwaway PostGIS", flush=True)
    run = open_run(size, dataset, args.cache_dir, duration)
    rows: list[Comparison] = []
    try:
        print("bench: loading the data through the ETL", flush=True)
        try:
            etl.load_benchmark_data(run)
            with run.connect(autocommit=True) as conn:
                create_alternative_views(conn, ("shelters", "hazard_zones"))
        except Exception as exc:
            traceback.print_exc()
            rows = [failed_row(name, exc) for name in selected]
        else:
            for name in selected:
                print(f"bench: scenario {name}", flush=True)
                try:
                    found = SCENARIOS[name](run)
                except Exception as exc:
                    traceback.print_exc()
                    found = [failed_row(name, exc)]
                for row in found:
                    ours = row.ours.text() if row.ours else row.note
                    theirs = row.theirs.text() if row.theirs else "-"
                    print(f"  {row.name}: {ours} | {row.alternative}: {theirs}", flush=True)
                rows.extend(found)
        machine = machine_description(run)
    finally:
        run.close()
    report = Report(
        machine=machine,
        size={
            "size": size.name,
            "points (shelters)": f"{size.points:,}",
            "polygons (hazard zones)": f"{size.polygons:,}",
            "population raster": f"{size.raster:,} x {size.raster:,} cells "
            f"({size.raster_cell_m:g} m, EPSG:32619)",
            "server workers (every server)": str(WORKERS),
            "wrk": f"{duration} s measured after a warm-up, loopback, -t 2 -c 8 for throughput, "
            "-t 1 -c 1 for latency",
            "wall time of this run": f"{(time.monotonic() - started) / 60:.1f} min",
            "machine load (1-min load average, start / end of the run)": (
                f"{load_at_start[0]:.1f} / {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
            ),
        },
        rows=rows,
        caveats=CAVEATS + run.notes,
    )
    out_dir = BENCH_DIR if args.only is None else args.cache_dir
    if args.only is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
    md, js = write_report(report, out_dir, stem="results" if args.only is None else "results-only")
    print(f"bench: wrote {md} and {js}", flush=True)
    print(md.read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
