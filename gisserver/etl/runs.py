"""The record of each load: the report, its ``etl_runs`` row, the rejects file, the progress bar."""

from __future__ import annotations

import csv
import json
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
from gisserver.errors import GisServerError


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
    with conn.transaction(), conn.cursor() as cur:
        cur.execute(
            load_sql("etl/run_start.sql"),
            {"job": job, "layer": layer, "source": source, "file": file},
        )
        row = cur.fetchone()
        assert row is not None
        return int(row[0])


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
