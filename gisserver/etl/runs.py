"""The record of each load: the source it reads, the report, its ``etl_runs`` row, the rejects
file, the progress bar."""

from __future__ import annotations

import csv
import datetime as dt
import json
import logging
import re
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import click
import psycopg

from gisserver.db import load_sql
from gisserver.errors import DatabaseUnavailable, GisServerError, InvalidParameter
from gisserver.settings import Settings

log = logging.getLogger(__name__)

SOURCE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")


def check_source_name(source: str) -> str:
    if not SOURCE_NAME.match(source):
        raise InvalidParameter(
            "--source",
            f"{source!r} is not a usable source name",
            "letters, digits, '.', '_', '-' (up to 100 characters), e.g. cambridge-shelters",
        )
    return source


def default_source(path: Path) -> str:
    """The file name without its extension, made a valid source name."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", path.stem).strip("-.") or "file"


@dataclass(frozen=True)
class SourceInfo:
    """What one load reads and where it goes: the file, the source name its rows carry, the
    layer (or ``stockpile_items``, ``population``)."""

    layer: str
    name: str
    path: Path

    @classmethod
    def of_file(cls, layer: str, path: Path, source: str | None) -> SourceInfo:
        """``source`` checked, or the file's name made one."""
        return cls(layer, check_source_name(source or default_source(path)), path)


@dataclass
class LoadReport:
    """What a load did. ``loaded`` = inserted + updated + unchanged."""

    run_id: int
    layer: str
    source: str
    file: str
    status: str = "running"
    read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    rejected: int = 0
    skipped: int = 0
    rejects_file: Path | None = None
    seconds: float = 0.0
    error: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def loaded(self) -> int:
        return self.inserted + self.updated + self.unchanged

    @property
    def rows_per_second(self) -> float:
        return self.read / self.seconds if self.seconds > 0 else 0.0

    def summary(self) -> str:
        text = (
            f"{self.layer} <- {self.file} [source {self.source}]: {self.status}; "
            f"read {self.read}, inserted {self.inserted}, updated {self.updated}, "
            f"unchanged {self.unchanged}, retired {self.retired}, rejected {self.rejected}"
        )
        if self.skipped:
            text += f", skipped {self.skipped}"
        text += f" in {self.seconds:.2f} s ({self.rows_per_second:,.0f} rows/s)"
        for key, value in self.extra.items():
            text += f"; {key} {value}"
        if self.rejects_file:
            text += f"\n  rejected rows with reasons: {self.rejects_file}"
        if self.error:
            text += f"\n  error: {self.error}"
        return text

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["loaded"] = self.loaded
        data["rejects_file"] = str(self.rejects_file) if self.rejects_file else None
        return data


def check_rejects(
    path: Path,
    report: LoadReport,
    considered: int,
    max_reject_ratio: float,
    *,
    unit: str = "rows",
    unchanged: str = "the layer",
) -> None:
    """LoadAborted when more than ``max_reject_ratio`` of the ``considered`` rows (the report's
    ``rejected``) were rejected: ``unchanged`` names what the load left as it was."""
    if considered and report.rejected / considered > max_reject_ratio:
        report.status = "aborted"
        report.error = (
            f"{report.rejected} of {considered} {unit} rejected "
            f"({report.rejected / considered:.1%}), above --max-reject-ratio "
            f"{max_reject_ratio:g}; {unchanged} was left unchanged"
        )
        raise LoadAborted(f"{path}: {report.error}", report)


class LoadAborted(GisServerError, RuntimeError):
    """The load rejected more rows than allowed; the layer was left unchanged."""

    status = 422
    code = "LoadAborted"

    def __init__(self, message: str, report: LoadReport) -> None:
        super().__init__(message)
        self.report = report


class LoadFailed(GisServerError, RuntimeError):
    """The database refused the load (a constraint the validation did not cover)."""

    status = 422
    code = "LoadFailed"


def start_run(conn: psycopg.Connection[Any], job: str, layer: str, source: str, file: str) -> int:
    """Record a new run (``running``, with this connection's database session); runs of
    processes that are gone are marked ``aborted`` first."""
    with conn.transaction(), conn.cursor() as cur:
        _abort_dead_runs(cur)
        cur.execute(
            load_sql("etl/run_start.sql"),
            {"job": job, "layer": layer, "source": source, "file": file},
        )
        row = cur.fetchone()
        assert row is not None
        return int(row[0])


def abort_dead_runs(conn: psycopg.Connection[Any]) -> list[int]:
    """Mark ``aborted`` the runs still ``running`` whose process is gone (killed with SIGKILL,
    crashed, its connection lost), which could never finish them; returns their ids."""
    with conn.transaction(), conn.cursor() as cur:
        return _abort_dead_runs(cur)


def _abort_dead_runs(cur: psycopg.Cursor[Any]) -> list[int]:
    # a transaction keeps its first view of pg_stat_activity until it ends: look afresh
    cur.execute("SELECT pg_stat_clear_snapshot()")
    try:
        cur.execute(load_sql("etl/run_abort_dead.sql"))
    except (psycopg.errors.UndefinedColumn, psycopg.errors.UndefinedTable) as exc:
        raise DatabaseUnavailable(
            f"the database's schema is older than this code ({exc.diag.message_primary}); "
            "run 'gisserver db migrate'"
        ) from exc
    aborted = cur.fetchall()
    for run_id, job, layer, source, error in aborted:
        log.warning("run %s (%s %s, source %s) aborted: %s", run_id, job, layer, source, error)
    return [int(row[0]) for row in aborted]


@dataclass(frozen=True)
class RunRecord:
    """One row of ``etl_runs`` as ``gisserver etl runs`` lists it; ``rows`` counts the rows
    loaded (inserted, updated or unchanged)."""

    id: int
    job: str
    layer: str
    source: str
    status: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    rows: int
    error: str | None


def recent_runs(conn: psycopg.Connection[Any], limit: int = 20) -> list[RunRecord]:
    """The ``limit`` latest runs, newest first, after marking those of dead processes."""
    abort_dead_runs(conn)
    with conn.transaction(), conn.cursor() as cur:
        cur.execute(load_sql("etl/runs_recent.sql"), {"limit": limit})
        return [RunRecord(*row) for row in cur.fetchall()]


def finish_run(conn: psycopg.Connection[Any], report: LoadReport) -> None:
    params = {
        "run_id": report.run_id,
        "read": report.read,
        "loaded": report.loaded,
        "inserted": report.inserted,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "retired": report.retired,
        "rejected": report.rejected,
        "status": report.status,
        "error": report.error,
        "rejects_file": str(report.rejects_file) if report.rejects_file else None,
    }
    with conn.transaction(), conn.cursor() as cur:
        cur.execute(load_sql("etl/run_finish.sql"), params)


def write_report(report: LoadReport, reports_dir: Path) -> Path:
    """The run report as JSON, beside the rejects file."""
    reports_dir.mkdir(parents=True, exist_ok=True)
    path = reports_dir / f"run-{report.run_id}-report.json"
    path.write_text(json.dumps(report.as_dict(), indent=2, default=str) + "\n")
    return path


class RejectsWriter:
    """Rejected rows (row number, source id, field, reason, value) as CSV, created on the first
    reject so clean loads leave no empty files."""

    COLUMNS = ("row", "source_id", "field", "reason", "value")

    def __init__(self, path: Path) -> None:
        self.path = path
        self.count = 0
        self._fh: Any = None
        self._writer: Any = None

    def add(
        self, row: int, source_id: str | None, field_name: str, reason: str, value: Any
    ) -> None:
        if self._fh is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fh = self.path.open("w", newline="", encoding="utf-8")
            self._writer = csv.writer(self._fh)
            self._writer.writerow(self.COLUMNS)
        self._writer.writerow(
            [row, source_id or "", field_name, reason, "" if value is None else str(value)[:200]]
        )
        self.count += 1

    def close(self) -> Path | None:
        if self._fh is not None:
            self._fh.close()
            return self.path
        return None

    def clear(self) -> None:
        """Forget every reject (the file is read again from the start)."""
        if self._fh is not None:
            self._fh.close()
            self.path.unlink(missing_ok=True)
        self._fh = self._writer = None
        self.count = 0


@contextmanager
def recorded_run(
    conn: psycopg.Connection[Any],
    source: SourceInfo,
    *,
    job: str,
    settings: Settings,
    dry_run: bool = False,
) -> Iterator[tuple[LoadReport, RejectsWriter]]:
    """One load as a run of ``etl_runs``: its row is started here, and finished on the way out
    with the counts, the time taken and the status (``succeeded``, ``dry_run``, ``failed`` with
    the error, or what the load set itself, e.g. ``aborted``). The report (JSON) and the rejects
    file go to ``<data_dir>/etl``. The body fills the report and adds rejects; its exception
    (Ctrl-C included) passes through once recorded."""
    run_id = start_run(conn, job, source.layer, source.name, str(source.path))
    report = LoadReport(
        run_id=run_id, layer=source.layer, source=source.name, file=str(source.path)
    )
    reports_dir = settings.data_dir / "etl"
    rejects = RejectsWriter(reports_dir / f"run-{run_id}-{source.layer}-{source.name}-rejects.csv")
    started = time.monotonic()
    try:
        yield report, rejects
    except BaseException as exc:
        if report.status == "running":
            report.status = "failed"
            report.error = _describe(exc)
        raise
    else:
        report.status = "dry_run" if dry_run else "succeeded"
    finally:
        report.seconds = time.monotonic() - started
        report.rejects_file = rejects.close()
        report.rejected = rejects.count
        _record(conn, report, reports_dir)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, GisServerError):
        return exc.message
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _record(conn: psycopg.Connection[Any], report: LoadReport, reports_dir: Path) -> None:
    """Store the outcome; a broken connection (e.g. after Ctrl-C) must not hide the real error."""
    try:
        if conn.info.transaction_status == psycopg.pq.TransactionStatus.INERROR:
            conn.rollback()
        finish_run(conn, report)
    except psycopg.Error as exc:
        log.warning("could not record run %s in etl_runs: %s", report.run_id, exc)
    try:
        write_report(report, reports_dir)
    except OSError as exc:
        log.warning("could not write the report of run %s: %s", report.run_id, exc)


class Progress:
    """Rows read and rate, on stderr when it is a terminal; silent otherwise."""

    def __init__(self, label: str, total: int | None, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.started = time.monotonic()
        self.done = 0
        self._bar: Any = None
        if self.enabled:
            self._bar = click.progressbar(
                length=total if total and total > 0 else None,
                label=label,
                file=sys.stderr,
                show_pos=True,
                item_show_func=lambda _: f"{self.rate:,.0f} rows/s",
            )
            self._bar.__enter__()

    @property
    def rate(self) -> float:
        elapsed = time.monotonic() - self.started
        return self.done / elapsed if elapsed > 0 else 0.0

    def advance(self, rows: int) -> None:
        self.done += rows
        if self._bar is not None:
            self._bar.update(rows, self.done)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None


@contextmanager
def progress(label: str, total: int | None, enabled: bool) -> Iterator[Progress]:
    bar = Progress(label, total, enabled)
    try:
        yield bar
    finally:
        bar.close()
