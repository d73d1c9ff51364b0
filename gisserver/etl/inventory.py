"""Stockpile inventory: a CSV of lots (stockpile, item, quantity, unit, expiry) into
``stockpile_items``.

Columns: ``stockpile_source_id`` (the stockpile's source_id), optional ``stockpile_source``
(its source; without it the source_id must match exactly one stockpile), ``item``,
``quantity``, ``unit``, optional ``expires_on`` (YYYY-MM-DD). Lines starting with ``#`` are
comments. A lot is (stockpile, item, expires_on); re-loading upserts lots.

Every lot the load changes is a ``count`` line of the stock ledger (``stock_moves``: new - old,
a retired lot -old), written by the ledger's triggers in the load's transaction with the load's
run id, and its stockpile gets a new version (its ETag), as a stock move gives it.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import psycopg

from gisserver.audit import Actor, act_as
from gisserver.db import load_sql
from gisserver.errors import InvalidParameter
from gisserver.etl.locks import lock_tables
from gisserver.etl.mapping import RowError
from gisserver.etl.runs import (
    LoadAborted,
    LoadReport,
    RejectsWriter,
    SourceInfo,
    progress,
    recorded_run,
)
from gisserver.layers import STOCK_ITEMS
from gisserver.settings import Settings

REQUIRED_COLUMNS = ("stockpile_source_id", "item", "quantity", "unit")
COLUMNS = ("stockpile_source", *REQUIRED_COLUMNS, "expires_on")
BATCH_SIZE = 5_000
# Who changes the lots, for the ledger and the audit trail (the run id says which load).
ETL_ACTOR = "etl"


def _lines(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, record) for each data line; '#' lines are comments, not rows."""
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(line for line in fh if not line.lstrip().startswith("#"))
        names = reader.fieldnames or []
        missing = [c for c in REQUIRED_COLUMNS if c not in names]
        if missing:
            raise InvalidParameter(
                str(path),
                f"inventory CSV lacks column(s) {', '.join(missing)}",
                f"columns {', '.join(COLUMNS)} (stockpile_source and expires_on optional)",
            )
        yield from enumerate(reader, start=1)


def _lot(record: dict[str, str]) -> tuple[Any, ...]:
    def text(name: str) -> str | None:
        value = (record.get(name) or "").strip()
        return value or None

    stockpile_source_id = text("stockpile_source_id")
    if stockpile_source_id is None:
        raise RowError("stockpile_source_id", "missing")
    item = (text("item") or "").lower().replace(" ", "_")
    if item not in STOCK_ITEMS:
        raise RowError("item", f"{record.get('item')!r} is not one of {', '.join(STOCK_ITEMS)}")
    try:
        quantity = Decimal((text("quantity") or "").replace(",", ""))
    except InvalidOperation as exc:
        raise RowError("quantity", f"{record.get('quantity')!r} is not a number") from exc
    if not quantity.is_finite() or quantity < 0:
        raise RowError("quantity", f"{quantity} is not a quantity of 0 or more")
    unit = text("unit")
    if unit is None:
        raise RowError("unit", "missing (e.g. litre, kg, each)")
    expires = text("expires_on")
    try:
        expires_on = dt.date.fromisoformat(expires) if expires else None
    except ValueError as exc:
        raise RowError("expires_on", f"{expires!r} is not a date YYYY-MM-DD") from exc
    return (text("stockpile_source"), stockpile_source_id, item, quantity, unit, expires_on)


def load_inventory(
    conn: psycopg.Connection[Any],
    path: Path,
    *,
    source: str | None = None,
    replace: bool = False,
    dry_run: bool = False,
    max_reject_ratio: float = 0.1,
    progress: bool = False,
    settings: Settings,
    job: str = "etl load",
) -> LoadReport:
    """Load an inventory CSV into ``stockpile_items`` in one transaction (see module doc)."""
    run = recorded_run(
        conn,
        SourceInfo.of_file("stockpile_items", path, source),
        job=job,
        settings=settings,
        dry_run=dry_run,
    )
    with run as (report, rejects):
        _load(conn, path, report, rejects, replace, dry_run, max_reject_ratio, progress)
    return report


def _load(
    conn: psycopg.Connection[Any],
    path: Path,
    report: LoadReport,
    rejects: RejectsWriter,
    replace: bool,
    dry_run: bool,
    max_reject_ratio: float,
    show_progress: bool,
) -> None:
    if not path.is_file():
        raise InvalidParameter(str(path), "file not found")
    copy_sql = (
        "COPY etl_inventory (row_no, stockpile_source, stockpile_source_id, item, quantity, "
        "unit, expires_on) FROM STDIN"
    )
    with conn.transaction(force_rollback=dry_run), conn.cursor() as cur:
        if not dry_run:
            lock_tables(cur, "stockpile_items")
        act_as(conn, Actor(ETL_ACTOR, etl_run=report.run_id))
        cur.execute(load_sql("etl/inventory_staging.sql"))
        batch: list[tuple[Any, ...]] = []
        with progress(f"stockpile_items <- {path.name}", None, show_progress) as bar:
            for number, record in _lines(path):
                report.read += 1
                try:
                    batch.append((number, *_lot(record)))
                except RowError as exc:
                    rejects.add(
                        number,
                        record.get("stockpile_source_id"),
                        exc.field,
                        exc.reason,
                        record.get(exc.field),
                    )
                if len(batch) >= BATCH_SIZE:
                    _copy(cur, copy_sql, batch)
                    bar.advance(len(batch))
                    batch = []
            _copy(cur, copy_sql, batch)
            bar.advance(len(batch))
        cur.execute(load_sql("etl/inventory_resolve.sql"))
        cur.execute(load_sql("etl/inventory_unresolved.sql"))
        for row_no, st_source, st_id, matches, first_row in sorted(cur.fetchall()):
            where = f"source {st_source!r}, " if st_source else ""
            if matches == 0:
                reason = f"no stockpile with {where}source_id {st_id!r}"
            elif matches > 1:
                reason = (
                    f"{matches} stockpiles have source_id {st_id!r}; add a stockpile_source column"
                )
            else:
                reason = f"duplicate lot (same stockpile, item and expiry as row {first_row})"
            rejects.add(row_no, st_id, "stockpile_source_id", reason, st_id)
        report.rejected = rejects.count
        if report.read and report.rejected / report.read > max_reject_ratio:
            report.status = "aborted"
            report.error = (
                f"{report.rejected} of {report.read} rows rejected, above --max-reject-ratio "
                f"{max_reject_ratio:g}; stockpile_items was left unchanged"
            )
            raise LoadAborted(f"{path}: {report.error}", report)
        cur.execute(load_sql("etl/inventory_diff.sql"), {"source": report.source})
        diff = cur.fetchone()
        assert diff is not None
        report.inserted, report.updated = int(diff[0]), int(diff[1])
        report.retired = int(diff[2]) if replace else 0
        report.unchanged = report.read - report.rejected - report.inserted - report.updated
        if dry_run:
            return
        # only write when something changes: writes bump the stockpiles layer version
        if report.inserted or report.updated:
            cur.execute(load_sql("etl/inventory_upsert.sql"), {"source": report.source})
        if report.retired:
            cur.execute(load_sql("etl/inventory_retire.sql"), {"source": report.source})
            retired = cur.fetchone()
            report.retired = int(retired[0]) if retired else 0


def _copy(cur: psycopg.Cursor[Any], copy_sql: str, rows: list[tuple[Any, ...]]) -> None:
    if not rows:
        return
    with cur.copy(copy_sql) as copy:
        for row in rows:
            copy.write_row(row)
