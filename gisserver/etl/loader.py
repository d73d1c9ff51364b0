"""Loading one file into one layer: read in batches, map, validate, COPY into a staging table,
then upsert into the layer, all in one transaction (the COPY side is in ``etl/copy.py``)."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import psycopg
import pyarrow as pa
from psycopg import sql

from gisserver.audit import ETL_ACTOR, Actor, act_as
from gisserver.db import load_sql
from gisserver.errors import InvalidParameter
from gisserver.etl.bulk import build_indexes, create_load_table, put_in_place
from gisserver.etl.cap_messages import is_cap_file, load_cap_file, refuse_options
from gisserver.etl.copy import (
    copy_into_layer,
    copy_into_staging,
    create_staging,
    layer_empty,
    reject_duplicates,
    stage_rows,
)
from gisserver.etl.geometry import Reprojector, parse_crs, refuse_unless_lonlat
from gisserver.etl.inventory import load_inventory
from gisserver.etl.locks import lock_tables
from gisserver.etl.mapping import RowMapper, automatic_mapping, read_mapping, settable_fields
from gisserver.etl.runs import (
    LoadFailed,
    LoadReport,
    RejectsWriter,
    SourceInfo,
    check_rejects,
    progress,
    recorded_run,
)
from gisserver.etl.sources import open_source
from gisserver.layers import LAYER_IDS, Layer, load_layers
from gisserver.settings import Settings

log = logging.getLogger(__name__)

BATCH_SIZE = 5_000
# A first load of at least this many rows into an empty layer copies into a new table, builds
# the indexes once the rows are in, and puts that table in the layer's place (etl/bulk.py).
BULK_LOAD_MIN_ROWS = 50_000


def load_file(
    conn: psycopg.Connection[Any],
    layer: str,
    path: Path,
    *,
    source: str | None = None,
    mapping: Path | Mapping[str, Any] | None = None,
    crs: str | None = None,
    replace: bool = False,
    dry_run: bool = False,
    max_reject_ratio: float = 0.1,
    progress: bool = False,
    settings: Settings,
    job: str = "etl load",
) -> LoadReport:
    """Load ``path`` into ``layer`` (one of the five layers, or ``stockpile_items``).

    One transaction: the layer is either fully updated or left exactly as it was (failure,
    Ctrl-C, or more than ``max_reject_ratio`` of the rows rejected, which raises LoadAborted).
    ``replace`` deletes this source's rows absent from the file; ``dry_run`` validates and
    counts what would change, then rolls back. The work is committed when ``conn`` is not
    inside a transaction already (else it joins it as a savepoint).

    A CAP 1.2 alert or an Atom feed of them (``.xml``, ``.cap``, ``.atom``, told by the root
    element) loaded into hazard_zones is applied message by message (``etl/cap_messages.py``).
    """
    path = Path(path)
    if layer == "hazard_zones" and is_cap_file(path):
        # a CAP alert or an Atom feed of them: by its root element, whatever its name
        refuse_options(mapping=mapping, crs=crs, replace=replace)
        return load_cap_file(conn, path, source=source, dry_run=dry_run, settings=settings, job=job)
    if layer == "stockpile_items":
        return load_inventory(
            conn,
            path,
            source=source,
            replace=replace,
            dry_run=dry_run,
            max_reject_ratio=max_reject_ratio,
            progress=progress,
            settings=settings,
            job=job,
        )
    if layer not in LAYER_IDS:
        raise InvalidParameter(
            "LAYER", f"{layer!r} is not a layer", ", ".join((*LAYER_IDS, "stockpile_items"))
        )
    if not 0 <= max_reject_ratio <= 1:
        raise InvalidParameter(
            "--max-reject-ratio", f"{max_reject_ratio} is out of range", "0 to 1"
        )
    layer_def = load_layers(settings.layers_dir)[layer]
    run = recorded_run(
        conn, SourceInfo.of_file(layer, path, source), job=job, settings=settings, dry_run=dry_run
    )
    with run as (report, rejects):
        try:
            _load(
                conn,
                layer_def,
                path,
                report,
                rejects,
                mapping,
                crs,
                replace,
                dry_run,
                max_reject_ratio,
                progress,
            )
        except (psycopg.errors.IntegrityError, psycopg.errors.DataError) as exc:
            detail = exc.diag.message_primary or str(exc)
            raise LoadFailed(
                f"{path}: the database refused the rows ({detail}); {layer} was left unchanged"
            ) from exc
    return report


def _load(
    conn: psycopg.Connection[Any],
    layer: Layer,
    path: Path,
    report: LoadReport,
    rejects: RejectsWriter,
    mapping_spec: Path | Mapping[str, Any] | None,
    crs: str | None,
    replace: bool,
    dry_run: bool,
    max_reject_ratio: float,
    show_progress: bool,
) -> None:
    mapping = read_mapping(mapping_spec, layer) if mapping_spec is not None else None
    source_file = open_source(
        path,
        layer=mapping.layer if mapping else None,
        coordinates=mapping.coordinates if mapping else None,
    )
    if mapping is None:
        mapping = automatic_mapping(layer, source_file.fields)
        log.info("%s: automatic mapping %s", path, sorted(mapping.rules))
    mapper = RowMapper(layer, mapping, source_file.fields)
    declared = crs or source_file.crs or mapping.crs
    if crs and source_file.crs:
        log.warning("%s declares %s; --crs %s overrides it", path, source_file.crs, crs)
    reproject = Reprojector(parse_crs(declared, "--crs") if declared else None)
    columns = list(settable_fields(layer))
    # the columns COPY sets: without properties when the mapping keeps no source field
    copied = [*columns, "properties"] if mapper.kept else columns
    key_fields = [f for f in columns if layer.fields[f].required] or columns

    label = f"{layer.id} <- {path.name}"

    def mapped_batches(lead: str | None) -> Iterator[tuple[pa.Table | None, list[str]]]:
        """Per batch: the rows for COPY and the source ids of its rejected rows."""
        crs_unchecked = declared is None
        with progress(label, source_file.total, show_progress) as bar:
            for batch in source_file.batches(BATCH_SIZE):
                if crs_unchecked:
                    # until the first batch with coordinates (a file may start without any)
                    crs_unchecked = not refuse_unless_lonlat(batch.geometries, path)
                geoms = reproject(batch.geometries)
                yield stage_rows(
                    batch.first_row,
                    mapper.map_batch(batch.columns, batch.size),
                    geoms,
                    batch.wkb if reproject.transformer is None else None,
                    layer,
                    columns,
                    key_fields,
                    report,
                    rejects,
                    lead=lead,
                )
                report.read += batch.size
                bar.advance(batch.size)

    with conn.transaction(force_rollback=dry_run), conn.cursor() as cur:
        if not dry_run:
            lock_tables(cur, layer.id)
        # the audit trail names this run for every row the load creates, changes or retires
        act_as(conn, Actor(ETL_ACTOR, etl_run=report.run_id))
        phase = time.monotonic()
        table = sql.Identifier(layer.table)
        if not dry_run and _first_load(cur, table, {"source": report.source}):
            bulk = (source_file.total or 0) >= BULK_LOAD_MIN_ROWS and layer_empty(cur, table)
            try:
                with conn.transaction():
                    load = create_load_table(cur, layer.table, report.run_id) if bulk else None
                    copy_into_layer(
                        cur,
                        layer,
                        copied,
                        mapped_batches(report.source),
                        into=load.name if load else None,
                    )
                    _check_rejects(path, report, rejects, max_reject_ratio)
                    report.inserted = report.read - report.skipped - report.rejected
                    if not report.inserted:
                        raise _NothingCopied  # even an empty COPY fires the version trigger
                    if load:
                        built = time.monotonic()
                        indexes = build_indexes(cur, load)
                        log.info(
                            "%s: %d indexes built in %.1f s",
                            path,
                            indexes,
                            time.monotonic() - built,
                        )
                        put_in_place(cur, load)
            except _NothingCopied:
                return
            except psycopg.errors.UniqueViolation as exc:
                # a source id twice in the file (no other load writes the layer meanwhile: the
                # table lock): read the file again through the staging table, which rejects it
                log.info("%s: %s; loading again through the staging table", path, exc)
                report.read = report.skipped = 0
                rejects.clear()
                phase = time.monotonic()
            else:
                log.info(
                    "%s: first load of source %s: %d rows read, validated and copied in %.1f s",
                    path,
                    report.source,
                    report.read,
                    time.monotonic() - phase,
                )
                return
        create_staging(cur, layer, columns)
        copy_into_staging(cur, copied, mapped_batches(None))
        log.info(
            "%s: read, validated and staged %d rows in %.1f s",
            path,
            report.read,
            time.monotonic() - phase,
        )
        phase = time.monotonic()
        reject_duplicates(cur, rejects)
        _check_rejects(path, report, rejects, max_reject_ratio)
        considered = report.read - report.skipped
        staged = considered - report.rejected
        _upsert(cur, layer, columns, report, staged, replace, dry_run)
        log.info("%s: duplicate check and upsert in %.1f s", path, time.monotonic() - phase)


def _check_rejects(
    path: Path, report: LoadReport, rejects: RejectsWriter, max_reject_ratio: float
) -> None:
    """LoadAborted when more than ``max_reject_ratio`` of the rows were rejected."""
    report.rejected = rejects.count
    check_rejects(path, report, report.read - report.skipped, max_reject_ratio)


class _NothingCopied(Exception):
    """Rolls back a first load's savepoint when no row was copied."""


def _upsert(
    cur: psycopg.Cursor[Any],
    layer: Layer,
    columns: list[str],
    report: LoadReport,
    staged: int,
    replace: bool,
    dry_run: bool,
) -> None:
    table = sql.Identifier(layer.table)
    idents = [sql.Identifier(c) for c in columns]
    parts = {
        "table": table,
        "columns": sql.SQL(", ").join(idents),
        "staged_columns": sql.SQL(", ").join(sql.SQL("s.{}").format(i) for i in idents),
        "excluded_columns": sql.SQL(", ").join(sql.SQL("EXCLUDED.{}").format(i) for i in idents),
        "target_columns": sql.SQL(", ").join(sql.SQL("t.{}").format(i) for i in idents),
    }
    params = {"source": report.source}
    if _first_load(cur, table, params):
        report.inserted, report.updated, report.unchanged, report.retired = staged, 0, 0, 0
        if dry_run or not staged:
            return
        try:
            with cur.connection.transaction():
                cur.execute(sql.SQL(load_sql("etl/insert.sql")).format(**parts), params)
            return
        except psycopg.errors.UniqueViolation:
            log.info("%s: another load wrote source %s meanwhile; merging", layer.id, report.source)
    # for the joins below; source_id is all they need (geometry statistics cost ~0.2 s/100k rows)
    cur.execute("ANALYZE etl_staging (source_id)")
    cur.execute(sql.SQL(load_sql("etl/diff.sql")).format(**parts), params)
    row = cur.fetchone()
    assert row is not None
    report.inserted, report.updated = int(row[0]), int(row[1])
    if replace:
        cur.execute(sql.SQL(load_sql("etl/retire_count.sql")).format(table=table), params)
        retire = cur.fetchone()
        report.retired = int(retire[0]) if retire else 0
    report.unchanged = staged - report.inserted - report.updated
    if dry_run:
        return
    if report.inserted or report.updated:
        cur.execute(sql.SQL(load_sql("etl/upsert.sql")).format(**parts), params)
        row = cur.fetchone()
        assert row is not None
        if (int(row[0]), int(row[1])) != (report.inserted, report.updated):
            # someone wrote the same source concurrently; the upsert's own counts are the truth
            report.inserted, report.updated = int(row[0]), int(row[1])
            report.unchanged = staged - report.inserted - report.updated
    if report.retired:
        cur.execute(sql.SQL(load_sql("etl/retire.sql")).format(table=table), params)
        report.retired = cur.rowcount


def _first_load(cur: psycopg.Cursor[Any], table: sql.Identifier, params: dict[str, str]) -> bool:
    """True when the layer has no row of this source yet (then every staged row is new)."""
    query = sql.SQL("SELECT NOT EXISTS (SELECT 1 FROM {} WHERE source = %(source)s)")
    row = cur.execute(query.format(table), params).fetchone()
    return bool(row and row[0])
