"""Scenario "etl": bulk-load the generated points and polygons, beside ``ogr2ogr -f PostgreSQL``.

Loading the benchmark data through our ETL *is* this scenario: :func:`load_benchmark_data` runs
first in every run (the other scenarios read what it loaded) and keeps its measurements; the
scenario then loads the same files with ogr2ogr (PG_USE_COPY) into the schema ``bench_ogr`` of the
same database. Wall time is measured around the whole command (start-up included, for both);
peak memory is the command's maximum resident set size from ``/usr/bin/time -v``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

from bench.environment import BenchRun
from bench.results import Comparison, Figure, Target, not_available

SCENARIO = "etl"
SOURCE = "bench"
SMALL_SOURCE = "bench-tenth"
OGR_SCHEMA = "bench_ogr"


@dataclass(frozen=True)
class LoadMeasurement:
    """One command that loaded ``rows`` rows."""

    tool: str
    rows: int
    seconds: float
    peak_rss_mb: float | None

    @property
    def rows_per_s(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def gisserver_cli() -> str:
    return str(Path(sys.executable).parent / "gisserver")


def etl_command(layer: str, path: Path, source: str) -> list[str] | None:
    """The command that loads ``path`` with our ETL: ``gisserver etl load`` when the CLI has it,
    else ``gisserver.etl.load_file`` run by this module (None when neither exists yet)."""
    cli = [gisserver_cli(), "etl", "load"]
    if subprocess.run([*cli, "--help"], capture_output=True, check=False).returncode == 0:
        return [*cli, layer, str(path), "--source", source, "-q"]
    try:
        from gisserver.etl import load_file  # noqa: F401
    except ImportError:
        return None
    return [sys.executable, "-m", "bench.etl", layer, str(path), source]


def timed_command(command: list[str], env: dict[str, str]) -> tuple[float, float | None, str]:
    """Run ``command``; its wall time in seconds, peak RSS in MB (None without GNU time), output."""
    time_bin = shutil.which("time") or "/usr/bin/time"
    wrapped = [time_bin, "-v", *command] if Path(time_bin).exists() else command
    start = time.perf_counter()
    proc = subprocess.run(
        wrapped, env={**os.environ, **env}, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()
        message = " / ".join(line for line in tail if "Command exited" not in line)
        raise RuntimeError(f"{command[0]} failed ({proc.returncode}): {message[-600:]}")
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    return seconds, (int(peak.group(1)) / 1024 if peak else None), proc.stdout + proc.stderr


def count_rows(run: BenchRun, table: sql.Composable, source: str | None = None) -> int:
    query = sql.SQL("SELECT count(*) FROM {}").format(table)
    params: tuple[str, ...] = ()
    if source is not None:
        query = sql.SQL("SELECT count(*) FROM {} WHERE source = %s").format(table)
        params = (source,)
    with run.connect() as conn:
        row = conn.execute(query, params).fetchone()
    return int(row[0]) if row else 0


def load_with_gisserver(run: BenchRun, layer: str, path: Path, source: str) -> LoadMeasurement:
    command = etl_command(layer, path, source)
    if command is None:
        raise RuntimeError("our ETL is not implemented yet (issue #3)")
    env = {"DATABASE_URL": run.database_url, "GISSERVER_DATA_DIR": str(run.cache_dir / "var")}
    seconds, peak, _ = timed_command(command, env)
    rows = count_rows(run, sql.Identifier(layer), source)
    tool = "gisserver etl load" if "etl" in command else "gisserver.etl.load_file"
    return LoadMeasurement(tool, rows, seconds, peak)


def load_with_ogr2ogr(
    run: BenchRun, layer: str, path: Path, *, into: sql.Identifier | None = None
) -> LoadMeasurement:
    """ogr2ogr with COPY into a new table ``bench_ogr.<layer>`` (or appended into ``into``)."""
    command = ["ogr2ogr", "-f", "PostgreSQL", "PG:", str(path), "--config", "PG_USE_COPY", "YES"]
    if into is None:
        command += ["-nln", f"{OGR_SCHEMA}.{layer}", "-lco", "GEOMETRY_NAME=geom", "-lco", "FID=id"]
        command += ["-overwrite"]
        table: sql.Composable = sql.Identifier(OGR_SCHEMA, layer)
    else:
        # The fallback when our ETL is missing: append into the layer's own table (whose
        # ``source`` column gets a default for the duration, see load_benchmark_data).
        command += ["-append", "-unsetFid", "-nln", layer]
        table = into
    if "Polygon" in layer or layer == "hazard_zones":
        command += ["-nlt", "PROMOTE_TO_MULTI"]
    seconds, peak, _ = timed_command(command, run.pg_env())
    return LoadMeasurement("ogr2ogr (PG_USE_COPY)", count_rows(run, table), seconds, peak)


def load_benchmark_data(run: BenchRun) -> None:
    """Load shelters and hazard zones (our ETL, else ogr2ogr as a stated fallback), then ANALYZE."""
    missing = None
    if etl_command("shelters", run.dataset.points, SOURCE) is None:
        missing = "our ETL (gisserver etl load / gisserver.etl.load_file) is not implemented yet"
    run.loads["etl_missing"] = missing
    dataset = run.dataset
    if missing is None:
        # The tenth-size file first, to see whether peak memory grows with the file.
        small = load_with_gisserver(run, "shelters", dataset.points_small, SMALL_SOURCE)
        with run.connect() as conn:
            conn.execute("DELETE FROM shelters WHERE source = %s", (SMALL_SOURCE,))
        run.loads["shelters-tenth"] = small
        run.loads["shelters"] = load_with_gisserver(run, "shelters", dataset.points, SOURCE)
        run.loads["hazard_zones"] = load_with_gisserver(
            run, "hazard_zones", dataset.polygons, SOURCE
        )
    else:
        run.notes.append(
            f"Benchmark data was loaded with ogr2ogr into the layer tables because {missing}."
        )
        for layer, path in (("shelters", dataset.points), ("hazard_zones", dataset.polygons)):
            default = sql.SQL("ALTER TABLE {} ALTER COLUMN source {}")
            with run.connect(autocommit=True) as conn:
                conn.execute(
                    default.format(
                        sql.Identifier(layer), sql.SQL("SET DEFAULT {}").format(sql.Literal(SOURCE))
                    )
                )
            try:
                load_with_ogr2ogr(run, layer, path, into=sql.Identifier(layer))
            finally:
                with run.connect(autocommit=True) as conn:
                    conn.execute(default.format(sql.Identifier(layer), sql.SQL("DROP DEFAULT")))
    with run.connect(autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE shelters")
        conn.execute("VACUUM ANALYZE hazard_zones")


def scenario(run: BenchRun) -> list[Comparison]:
    size = run.size
    names = {
        "shelters": f"load {size.points:,} points (GeoPackage), rows/s",
        "hazard_zones": f"load {size.polygons:,} polygons (GeoPackage), rows/s",
    }
    alternative = "ogr2ogr -f PostgreSQL, PG_USE_COPY"
    missing = run.loads.get("etl_missing")
    if missing:
        return [not_available(SCENARIO, name, alternative, missing) for name in names.values()]
    with run.connect(autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(OGR_SCHEMA)))
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(OGR_SCHEMA)))
    rows: list[Comparison] = []
    paths = {"shelters": run.dataset.points, "hazard_zones": run.dataset.polygons}
    try:
        for layer, name in names.items():
            ours: LoadMeasurement = run.loads[layer]
            theirs = load_with_ogr2ogr(run, layer, paths[layer])
            rows.append(
                Comparison(
                    SCENARIO,
                    name,
                    alternative,
                    ours=Figure(
                        ours.rows_per_s, "rows/s", f"{ours.rows:,} rows in {ours.seconds:.1f} s"
                    ),
                    theirs=Figure(
                        theirs.rows_per_s,
                        "rows/s",
                        f"{theirs.rows:,} rows in {theirs.seconds:.1f} s",
                    ),
                    target=Target("at_least", 1.0, text="≥ 1× ogr2ogr's rate, validating"),
                    extra={"ours": ours.__dict__, "theirs": theirs.__dict__},
                )
            )
            if ours.peak_rss_mb is not None and theirs.peak_rss_mb is not None:
                rows.append(
                    Comparison(
                        SCENARIO,
                        f"peak memory loading {ours.rows:,} {layer} (RSS)",
                        "ogr2ogr",
                        ours=Figure(ours.peak_rss_mb, "MB"),
                        theirs=Figure(theirs.peak_rss_mb, "MB"),
                        note="informational: no target",
                    )
                )
    finally:
        with run.connect(autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(OGR_SCHEMA))
            )
    run.notes.append(
        "ETL: ogr2ogr creates a new table and builds its GIST index after the COPY; our ETL "
        "validates every row, stages it and upserts on (source, source_id) into the layer table, "
        "whose GIST, unique and status indexes are maintained during the load. Both wall times "
        "include process start-up."
    )
    small: LoadMeasurement = run.loads["shelters-tenth"]
    full: LoadMeasurement = run.loads["shelters"]
    if small.peak_rss_mb is not None and full.peak_rss_mb is not None:
        rows.append(
            Comparison(
                SCENARIO,
                f"flat memory: peak RSS at {full.rows:,} points vs at {small.rows:,}",
                "our ETL on a tenth of the rows",
                ours=Figure(full.peak_rss_mb, "MB"),
                theirs=Figure(small.peak_rss_mb, "MB"),
                target=Target("at_most", 1.5, text="≤ 1.5× (flat as files grow 10×)"),
            )
        )
    return rows


def _load_file_main(argv: list[str]) -> int:
    """``python -m bench.etl LAYER FILE SOURCE``: gisserver.etl.load_file, for when the CLI is
    not there yet (the same function the CLI calls)."""
    from gisserver.db import database_url
    from gisserver.etl import load_file
    from gisserver.settings import Settings

    layer, path, source = argv
    settings = Settings()
    with psycopg.connect(database_url(settings)) as conn:
        report = load_file(conn, layer, Path(path), source=source, settings=settings)
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(_load_file_main(sys.argv[1:]))
