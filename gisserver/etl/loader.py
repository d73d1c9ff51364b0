"""Loading one file into one layer: read in batches, map, validate, COPY into a staging table,
then upsert into the layer, all in one transaction."""

from __future__ import annotations

import binascii
import csv
import logging
import queue
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import psycopg
import pyarrow as pa
import pyarrow.csv as pa_csv
import shapely
from psycopg import sql
from psycopg.copy import LibpqWriter

from gisserver.db import load_sql
from gisserver.errors import InvalidParameter
from gisserver.etl.geometry import (
    Reprojector,
    conform,
    derived_ids,
    parse_crs,
    refuse_unless_lonlat,
)
from gisserver.etl.inventory import load_inventory
from gisserver.etl.mapping import (
    MappedBatch,
    RowError,
    RowMapper,
    automatic_mapping,
    read_mapping,
    settable_fields,
)
from gisserver.etl.runs import (
    LoadAborted,
    LoadFailed,
    LoadReport,
    RejectsWriter,
    SourceInfo,
    progress,
    recorded_run,
)
from gisserver.etl.sources import open_source
from gisserver.layers import LAYER_IDS, Layer, load_layers
from gisserver.settings import Settings

log = logging.getLogger(__name__)

BATCH_SIZE = 5_000
# A first load of at least this many rows into an empty layer builds the layer's indexes after
# its COPY instead of maintaining them row by row (see _drop_indexes).
BULK_LOAD_MIN_ROWS = 50_000
BULK_LOCK_WAIT = "2s"  # how long such a load waits for readers of the layer to finish
_CSV_OPTIONS = pa_csv.WriteOptions(include_header=False, batch_size=BATCH_SIZE)
_SQL_TYPES = {
    "string": "text",
    "integer": "integer",
    "number": "double precision",
    "boolean": "boolean",
    "datetime": "timestamptz",
    "date": "date",
}


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
    """
    path = Path(path)
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
                yield _stage_rows(
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
        phase = time.monotonic()
        table = sql.Identifier(layer.table)
        if not dry_run and _first_load(cur, table, {"source": report.source}):
            bulk = (source_file.total or 0) >= BULK_LOAD_MIN_ROWS and _layer_empty(cur, table)
            try:
                with conn.transaction():
                    rebuild = _drop_indexes(cur, layer) if bulk else []
                    _copy_first_load(cur, layer, copied, mapped_batches(report.source))
                    _check_rejects(path, report, rejects, max_reject_ratio)
                    report.inserted = report.read - report.skipped - report.rejected
                    if not report.inserted:
                        raise _NothingCopied  # even an empty COPY fires the version trigger
                    if rebuild:
                        built = time.monotonic()
                        for statement in rebuild:
                            cur.execute(statement)
                        log.info(
                            "%s: %d indexes built in %.1f s",
                            path,
                            len(rebuild),
                            time.monotonic() - built,
                        )
            except _NothingCopied:
                return
            except psycopg.errors.UniqueViolation as exc:
                # a source id twice in the file, or another load writing this source meanwhile:
                # read the file again through the staging table, which sorts both out
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
        _create_staging(cur, layer, columns)
        copy_sql = sql.SQL(
            "COPY etl_staging (row_no, source_id, {}, geom) FROM STDIN (FORMAT csv)"
        ).format(sql.SQL(", ").join(map(sql.Identifier, copied)))
        # one COPY, sent by a thread like a first load's; the ids of rejected rows wait in a
        # spooled file (memory up to 1 MB, then disk) for the COPY after it
        with tempfile.SpooledTemporaryFile(max_size=1 << 20, mode="w+", newline="") as spool:
            rejected = csv.writer(spool, quoting=csv.QUOTE_ALL)  # an unquoted \. ends COPY data
            with cur.copy(copy_sql, writer=_SendingThread(cur)) as copy:
                for rows, rejected_ids in mapped_batches(None):
                    if rows is not None:
                        copy.write(memoryview(_csv(rows)))
                    rejected.writerows((source_id,) for source_id in rejected_ids)
            if spool.tell():
                spool.seek(0)
                with cur.copy("COPY etl_rejected (source_id) FROM STDIN (FORMAT csv)") as copy:
                    while block := spool.read(1 << 16):
                        copy.write(block)
        log.info(
            "%s: read, validated and staged %d rows in %.1f s",
            path,
            report.read,
            time.monotonic() - phase,
        )
        phase = time.monotonic()
        _reject_duplicates(cur, rejects)
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
    considered = report.read - report.skipped
    if considered and report.rejected / considered > max_reject_ratio:
        report.status = "aborted"
        report.error = (
            f"{report.rejected} of {considered} rows rejected "
            f"({report.rejected / considered:.1%}), above --max-reject-ratio "
            f"{max_reject_ratio:g}; the layer was left unchanged"
        )
        raise LoadAborted(f"{path}: {report.error}", report)


def _layer_empty(cur: psycopg.Cursor[Any], table: sql.Identifier) -> bool:
    row = cur.execute(sql.SQL("SELECT NOT EXISTS (SELECT 1 FROM {})").format(table)).fetchone()
    return bool(row and row[0])


def _drop_indexes(cur: psycopg.Cursor[Any], layer: Layer) -> list[sql.Composed | sql.SQL]:
    """A bulk load into an empty layer: lock the layer, drop its indexes (but those a foreign
    key needs) and return the statements that build them again once the rows are in (about
    2.5 times cheaper than maintaining them row by row for 1,000,000 points). Readers of the
    layer wait for the load's commit; they would have found it empty. Nothing is dropped (and
    [] is returned) if another load filled the layer meanwhile, or if the lock is not granted
    within BULK_LOCK_WAIT (a long transaction reading the layer: waiting longer would queue
    every new reader behind the load). Runs inside the load's savepoint, so a failure or a
    rollback puts the indexes back as they were."""
    table = sql.Identifier(layer.table)
    try:
        with cur.connection.transaction():
            row = cur.execute("SELECT current_setting('lock_timeout')").fetchone()
            cur.execute("SELECT set_config('lock_timeout', %s, true)", (BULK_LOCK_WAIT,))
            cur.execute(sql.SQL("LOCK TABLE {} IN ACCESS EXCLUSIVE MODE").format(table))
            cur.execute("SELECT set_config('lock_timeout', %s, true)", (row[0] if row else "0",))
    except psycopg.errors.LockNotAvailable:
        log.info("%s: in use (lock not granted in %s): indexes kept", layer.id, BULK_LOCK_WAIT)
        return []
    if not _layer_empty(cur, table):
        return []
    rebuild: list[sql.Composed | sql.SQL] = []
    for index, constraint, index_def, constraint_def in cur.execute(
        load_sql("etl/deferrable_indexes.sql"), {"table": layer.table}
    ).fetchall():
        if constraint is not None:
            cur.execute(
                sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(
                    table, sql.Identifier(constraint)
                )
            )
            rebuild.append(
                sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} {}").format(
                    table, sql.Identifier(constraint), sql.SQL(constraint_def)
                )
            )
        else:
            cur.execute(sql.SQL("DROP INDEX {}").format(sql.SQL(index)))  # regclass text: quoted
            rebuild.append(sql.SQL(index_def))
    return rebuild


class _NothingCopied(Exception):
    """Rolls back a first load's savepoint when no row was copied."""


def _copy_first_load(
    cur: psycopg.Cursor[Any],
    layer: Layer,
    copied: list[str],
    batches: Iterable[tuple[pa.Table | None, list[str]]],
) -> None:
    """The first load of a source (the layer has none of its rows): one COPY straight into
    the layer. The server stores the rows while the next batch is read and validated, and
    nothing is written twice; a repeated source id fails the layer's unique key."""
    copy_sql = sql.SQL("COPY {} (source, source_id, {}, geom) FROM STDIN (FORMAT csv)").format(
        sql.Identifier(layer.table), sql.SQL(", ").join(map(sql.Identifier, copied))
    )
    # a thread sends the rows while the next batch is read and validated
    with cur.copy(copy_sql, writer=_SendingThread(cur)) as copy:
        for rows, _rejected_ids in batches:  # nothing of the source to keep or retire
            if rows is not None:
                copy.write(memoryview(_csv(rows)))


class _SendingThread(LibpqWriter):
    """Sends COPY data from a thread, so that the server stores one batch while the next is
    read and validated; at most ``ahead`` batches wait, so memory stays bounded (psycopg's own
    QueuedLibpqWriter lets about 128 MB wait)."""

    def __init__(self, cursor: psycopg.Cursor[Any], ahead: int = 4) -> None:
        super().__init__(cursor)
        self._queue: queue.Queue[bytes | memoryview | None] = queue.Queue(maxsize=ahead)
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def _send(self) -> None:
        try:
            while (data := self._queue.get()) is not None:
                super().write(data)
        except BaseException as exc:
            self._error = exc
            while self._queue.get() is not None:  # keep write() from blocking forever
                pass

    def write(self, data: Any) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._send, name="etl-copy", daemon=True)
            self._thread.start()
        if self._error is not None:
            raise self._error
        self._queue.put(data)

    def finish(self, exc: BaseException | None = None) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None
        if self._error is not None:
            raise self._error
        super().finish(exc)


def _create_staging(cur: psycopg.Cursor[Any], layer: Layer, columns: list[str]) -> None:
    defs = sql.SQL(", ").join(
        sql.SQL("{} {}").format(sql.Identifier(c), sql.SQL(_SQL_TYPES[layer.fields[c].type]))
        for c in columns
    )
    cur.execute("DROP TABLE IF EXISTS etl_staging, etl_rejected")
    cur.execute("CREATE TEMP TABLE etl_rejected (source_id text NOT NULL) ON COMMIT DROP")
    cur.execute(
        sql.SQL(
            "CREATE TEMP TABLE etl_staging (row_no integer, source_id text NOT NULL, {}, "
            "properties jsonb NOT NULL DEFAULT '{{}}', geom geometry(Geometry, 4326) NOT NULL) "
            "ON COMMIT DROP"
        ).format(defs)
    )


def _stage_rows(
    first_row: int,
    mapped: MappedBatch,
    geoms: np.ndarray,
    wkb: np.ndarray | None,
    layer: Layer,
    columns: list[str],
    key_fields: list[str],
    report: LoadReport,
    rejects: RejectsWriter,
    *,
    lead: str | None = None,
) -> tuple[pa.Table | None, list[str]]:
    """Validate the geometries of one mapped batch: the accepted rows for COPY (None when no
    row was accepted), and the source ids of rejected rows (--replace must not delete a row
    just because its new version was rejected). ``wkb`` is the file's own WKB of ``geoms``
    when they were not reprojected. Rows start with their row number, or with ``lead`` (the
    source) when it is given."""
    accepted_types = layer.geometry_types
    # The common case (valid, in range, already of an accepted type) is checked for the whole
    # batch at once; only the other rows go through conform() one by one.
    accepted_ids = [shapely.GeometryType[t.upper()].value for t in accepted_types]
    bounds = shapely.bounds(geoms)
    with np.errstate(invalid="ignore"):
        in_range = (
            (bounds[:, 0] >= -180)
            & (bounds[:, 2] <= 180)
            & (bounds[:, 1] >= -90)
            & (bounds[:, 3] <= 90)
        )
    fast = (
        np.isin(shapely.get_type_id(geoms), accepted_ids)
        & ~shapely.is_empty(geoms)
        & in_range
        & shapely.is_valid(geoms)
    )
    errors = mapped.errors
    rejected_ids: list[str] = []
    keep: np.ndarray | None = None  # positions of the accepted rows; None: every row
    changed: list[int] = []  # positions whose geometry conform() changed
    if errors or mapped.skipped is not None or not bool(fast.all()):
        geoms = geoms.copy()  # conformed geometries replace the ones read
        accepted = np.ones(mapped.size, dtype=bool)
        suspects = set(np.flatnonzero(~fast).tolist()) | errors.keys()
        if mapped.skipped is not None:
            suspects |= {i for i, skip in enumerate(mapped.skipped) if skip}
        for i in sorted(suspects):  # in row order, for the rejects file
            if mapped.skipped is not None and mapped.skipped[i]:
                report.skipped += 1
                accepted[i] = False
                continue
            exc = errors.get(i)
            if exc is None:
                try:
                    geoms[i] = conform(geoms[i], accepted_types)
                except RowError as bad_geometry:
                    exc = bad_geometry
                    exc.source_id = mapped.source_ids[i].as_py()
                else:
                    changed.append(i)
            if exc is not None:
                rejects.add(first_row + i, exc.source_id, exc.field, exc.reason, exc.value)
                if exc.source_id is not None:
                    rejected_ids.append(exc.source_id)
                accepted[i] = False
        if not accepted.any():
            return None, rejected_ids
        if not accepted.all():
            keep = np.flatnonzero(accepted)
    if wkb is None or bool((shapely.has_z(geoms) | shapely.has_m(geoms)).any()):
        wkb = shapely.to_wkb(geoms, output_dimension=2)  # built or reprojected here, or 3D: 2D
    elif changed:
        wkb = wkb.copy()
        wkb[changed] = shapely.to_wkb(geoms[changed], output_dimension=2)  # repaired: encoded again
    values = [mapped.values[c] for c in columns]
    source_ids, properties = mapped.source_ids, mapped.properties
    if properties is not None:
        values.append(properties)
    row_nos = pa.array(np.arange(first_row, first_row + mapped.size, dtype=np.int64))
    if keep is not None:
        taken = pa.array(keep)
        values = [column.take(taken) for column in values]
        source_ids, row_nos = source_ids.take(taken), row_nos.take(taken)
        geoms, wkb = geoms[keep], wkb[keep]
    if mapped.derived_ids:
        keys = list(zip(*(values[columns.index(k)].to_pylist() for k in key_fields), strict=True))
        source_ids = pa.array(derived_ids(list(geoms), keys), pa.string())
    first = row_nos if lead is None else pa.repeat(pa.scalar(lead), len(source_ids))
    rows = pa.Table.from_arrays(
        [first, source_ids, *values, hex_text(wkb)],
        names=["lead", "source_id", *(f"c{i}" for i in range(len(values))), "geom"],
    )
    return rows, rejected_ids


def hex_text(wkb: np.ndarray) -> pa.Array:
    """The hex text of each WKB value (COPY's text form of a geometry), encoded in one pass
    over all the values' bytes rather than value by value."""
    lengths = np.fromiter(map(len, wkb), dtype=np.int64, count=len(wkb))
    offsets = np.zeros(len(wkb) + 1, dtype=np.int64)
    np.cumsum(lengths * 2, out=offsets[1:])
    data = binascii.hexlify(b"".join(wkb))
    return pa.Array.from_buffers(
        pa.large_string(), len(wkb), [None, pa.py_buffer(offsets), pa.py_buffer(data)]
    )


def _csv(rows: pa.Table) -> pa.Buffer:
    """Rows as COPY's CSV: text quoted, nulls as unquoted empty fields."""
    sink = pa.BufferOutputStream()
    pa_csv.write_csv(rows, sink, _CSV_OPTIONS)
    return sink.getvalue()


def _reject_duplicates(cur: psycopg.Cursor[Any], rejects: RejectsWriter) -> int:
    """Take rows repeating an earlier row's source id out of the staging table, as rejects.
    Done in SQL so memory does not grow with the number of ids; the unique index is tried
    first because files without duplicates (the usual case) then need no sort."""
    duplicates: list[tuple[int, str, int]] = []
    try:
        with cur.connection.transaction():
            cur.execute("CREATE UNIQUE INDEX ON etl_staging (source_id)")
    except psycopg.errors.UniqueViolation:
        cur.execute(load_sql("etl/staging_duplicates.sql"))
        duplicates = sorted(cur.fetchall())
        cur.execute("CREATE UNIQUE INDEX ON etl_staging (source_id)")
    for row_no, source_id, first in duplicates:
        rejects.add(
            row_no, source_id, "source_id", f"duplicate source id (first at row {first})", source_id
        )
    return len(duplicates)


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
