"""Scenario "etl": bulk-load the generated points and polygons, beside ``ogr2ogr -f PostgreSQL``.

Loading the benchmark data through our ETL *is* this scenario: :func:`load_benchmark_data` runs
first in every run (the other scenarios read what it loaded) and keeps its measurements; the
scenario then loads the same files with ogr2ogr (PG_USE_COPY) into the schema ``bench_ogr`` of the
same database. Wall time is measured around the whole command (start-up included, for both);
peak memory is the command's maximum resident set size from ``/usr/bin/time -v``.

Both of those loads go into an empty table. The append row measures the other common case: the
tenth-size file added to a table that already holds the full file, by our ETL into the shelters
layer (the rows are deleted again afterwards, so that the later scenarios see the data they
always saw) and by ``ogr2ogr -append`` into ogr2ogr's own table, given the layer's secondary
indexes first so that both sides maintain the same indexes row by row.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pyogrio
from psycopg import sql

from bench.environment import BenchRun
from bench.results import Comparison, Figure, Target, not_available

SCENARIO = "etl"
SOURCE = "bench"
SMALL_SOURCE = "bench-tenth"
APPEND_SOURCE = "bench-append"
OGR_SCHEMA = "bench_ogr"
# What follows the table name in pg_get_indexdef: method, key and any predicate.
INDEX_BODY = re.compile(r" ON (?:ONLY )?\S+ (USING .+)$")


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
        # GNU time's report follows the command's own stderr: keep only the command's words.
        own = proc.stderr.split("Command exited with non-zero status")[0]
        own = own.split("\tCommand being timed:")[0]
        tail = (own.strip() or proc.stdout).strip().splitlines()
        message = " / ".join(tail)
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
    run: BenchRun, layer: str, path: Path, *, into: str | None = None, source: str | None = None
) -> LoadMeasurement:
    """ogr2ogr with COPY into a new table ``bench_ogr.<layer>``, or appended into the existing
    table ``into`` (``table`` or ``schema.table``); ``rows`` counts the rows it added.

    With ``source``, every row gets it in a ``source`` field, added by SQL over the file.
    """
    command = ["ogr2ogr", "-f", "PostgreSQL", "PG:", str(path), "--config", "PG_USE_COPY", "YES"]
    if source is not None:
        # SQLite SQL that ogr2ogr runs over the file (not PostgreSQL's), quoted by hand.
        file_layer = str(pyogrio.list_layers(path)[0][0]).replace('"', '""')
        literal = source.replace("'", "''")
        select = f"SELECT *, '{literal}' AS source FROM \"{file_layer}\""  # noqa: S608
        command += ["-sql", select]
    if into is None:
        command += ["-nln", f"{OGR_SCHEMA}.{layer}", "-lco", "GEOMETRY_NAME=geom", "-lco", "FID=id"]
        command += ["-overwrite"]
        table = sql.Identifier(OGR_SCHEMA, layer)
        before = 0
    else:
        # The file's own FIDs would collide with the ids already in the table: let its identity
        # or serial column number the new rows.
        command += ["-append", "-unsetFid", "-nln", into]
        table = sql.Identifier(*into.split("."))
        before = count_rows(run, table)
    if "Polygon" in layer or layer == "hazard_zones":
        command += ["-nlt", "PROMOTE_TO_MULTI"]
    seconds, peak, _ = timed_command(command, run.pg_env())
    added = count_rows(run, table) - before
    return LoadMeasurement("ogr2ogr (PG_USE_COPY)", added, seconds, peak)


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
                # The fallback when our ETL is missing: append into the layer's own table.
                load_with_ogr2ogr(run, layer, path, into=layer)
            finally:
                with run.connect(autocommit=True) as conn:
                    conn.execute(default.format(sql.Identifier(layer), sql.SQL("DROP DEFAULT")))
    with run.connect(autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE shelters")
        conn.execute("VACUUM ANALYZE hazard_zones")


def _index_shape(definition: str) -> tuple[bool, str]:
    """(unique?, ``USING ...``) of a pg_get_indexdef text: the index without its name and table."""
    body = INDEX_BODY.search(definition)
    if body is None:
        raise RuntimeError(f"unexpected index definition: {definition}")
    return definition.startswith("CREATE UNIQUE "), body.group(1)


def copy_layer_indexes(run: BenchRun, layer: str) -> tuple[list[str], list[str]]:
    """Give ogr2ogr's table ``bench_ogr.<layer>`` the layer table's indexes that it lacks (same
    name, method, key and predicate); the names created, and those it cannot have.

    It first gets a ``source`` column (``bench`` for the rows it holds), so that the
    (source, source_id) upsert key has its twin.
    """
    target = sql.Identifier(OGR_SCHEMA, layer)
    query = (
        "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i"
        " JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = %s::regclass ORDER BY 1"
    )
    created: list[str] = []
    unmatched: list[str] = []
    with run.connect(autocommit=True) as conn:
        conn.execute(
            sql.SQL("ALTER TABLE {} ADD COLUMN source text NOT NULL DEFAULT {}").format(
                target, sql.Literal(SOURCE)
            )
        )
        # No default for new rows: ogr2ogr leaves COPY for a row-by-row INSERT whenever a row
        # has no value for a column with a default, so the append gives the source itself.
        conn.execute(sql.SQL("ALTER TABLE {} ALTER COLUMN source DROP DEFAULT").format(target))
        # ogr2ogr made the primary key on id and the GIST on geom: those are not made twice.
        present = {
            _index_shape(definition)
            for _, definition in conn.execute(query, (f"{OGR_SCHEMA}.{layer}",)).fetchall()
        }
        for name, definition in conn.execute(query, (f"public.{layer}",)).fetchall():
            unique, body = _index_shape(definition)
            if (unique, body) in present:
                continue
            # ``body`` is PostgreSQL's own rendering of our layer's index, not outside input.
            create = sql.SQL("CREATE {}INDEX {} ON {} {}").format(
                sql.SQL("UNIQUE " if unique else ""), sql.Identifier(name), target, sql.SQL(body)
            )
            try:
                conn.execute(create)
            except psycopg.errors.UndefinedColumn:
                unmatched.append(name)
            else:
                created.append(name)
        # As the layer table after its load: vacuumed and analysed.
        conn.execute(sql.SQL("VACUUM ANALYZE {}").format(target))
    return created, unmatched


def append_comparison(run: BenchRun, name: str, alternative: str) -> Comparison:
    """The tenth-size points appended by our ETL into the shelters layer and by ogr2ogr into its
    table ``bench_ogr.shelters``, each already holding the full file, with the same indexes."""
    path = run.dataset.points_small
    expected = int(pyogrio.read_info(path)["features"])
    layer_table = sql.Identifier("shelters")
    ogr_table = sql.Identifier(OGR_SCHEMA, "shelters")
    created, unmatched = copy_layer_indexes(run, "shelters")
    held = count_rows(run, layer_table)
    try:
        ours = load_with_gisserver(run, "shelters", path, APPEND_SOURCE)
    finally:
        # The scenarios after this one must see exactly the rows they always saw.
        with run.connect(autocommit=True) as conn:
            conn.execute("DELETE FROM shelters WHERE source = %s", (APPEND_SOURCE,))
            conn.execute("VACUUM ANALYZE shelters")
    left = count_rows(run, layer_table)
    if left != held:
        raise RuntimeError(
            f"shelters holds {left:,} rows after the append was removed, not {held:,}"
        )
    ogr_held = count_rows(run, ogr_table)
    theirs = load_with_ogr2ogr(
        run, "shelters", path, into=f"{OGR_SCHEMA}.shelters", source=APPEND_SOURCE
    )
    for measured in (ours, theirs):
        if measured.rows != expected:
            raise RuntimeError(
                f"{measured.tool} appended {measured.rows:,} rows; {path.name} has {expected:,}"
            )
    run.notes.append(
        "ETL append: our ETL adds the tenth-size file to the shelters layer holding the full file "
        "(those rows are deleted and the table vacuumed again before the next scenario); "
        "ogr2ogr -append (PG_USE_COPY, -unsetFid, the source set by -sql over the file) adds the "
        "same file to its own table holding the same full file, after that table got a source "
        "column (no default, which would turn ogr2ogr's COPY into row-by-row INSERTs) and the "
        "layer's secondary indexes. Our side also stages, validates and upserts every row, "
        "fills properties and the load times, checks the layer's constraints and fires its "
        "version trigger."
    )
    note = f"ogr2ogr's table given our {', '.join(created) or 'no'} indexes"
    if unmatched:
        note += f"; not given (a column it lacks): {', '.join(unmatched)}"
    return Comparison(
        SCENARIO,
        name,
        alternative,
        ours=Figure(
            ours.rows_per_s, "rows/s", f"{ours.rows:,} rows onto {held:,} in {ours.seconds:.1f} s"
        ),
        theirs=Figure(
            theirs.rows_per_s,
            "rows/s",
            f"{theirs.rows:,} rows onto {ogr_held:,} in {theirs.seconds:.1f} s",
        ),
        target=Target("at_least", 1.0, text="≥ 1× ogr2ogr's rate, validating"),
        note=note,
        extra={
            "ours": ours.__dict__,
            "theirs": theirs.__dict__,
            "indexes_given_to_ogr2ogr_table": created,
            "indexes_not_matched": unmatched,
        },
    )


def scenario(run: BenchRun) -> list[Comparison]:
    size = run.size
    names = {
        "shelters": f"load {size.points:,} points (GeoPackage), rows/s",
        "hazard_zones": f"load {size.polygons:,} polygons (GeoPackage), rows/s",
    }
    alternative = "ogr2ogr -f PostgreSQL, PG_USE_COPY"
    append_name = (
        f"append {max(size.points // 10, 1):,} points into a layer holding {size.points:,}, rows/s"
    )
    append_alternative = "ogr2ogr -append, PG_USE_COPY, same indexes"
    missing = run.loads.get("etl_missing")
    if missing:
        return [
            *(not_available(SCENARIO, name, alternative, missing) for name in names.values()),
            not_available(SCENARIO, append_name, append_alternative, missing),
        ]
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
        try:
            rows.append(append_comparison(run, append_name, append_alternative))
        except Exception as exc:
            # The load rows above stay measured when only the append fails.
            traceback.print_exc()
            why = f"the append failed: {type(exc).__name__}: {exc}"[:400]
            rows.append(not_available(SCENARIO, append_name, append_alternative, why))
    finally:
        with run.connect(autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(OGR_SCHEMA))
            )
    run.notes.append(
        "ETL: ogr2ogr creates a new table and builds its GIST index after the COPY; our ETL "
        "validates every row and COPYs it into the layer table; loading into the empty layer it "
        "builds the layer's five indexes (GIST, primary key, unique (source, source_id), status "
        "or validity, tile priority) after the COPY, appending it maintains them row by row. "
        "Both wall times include process start-up."
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
