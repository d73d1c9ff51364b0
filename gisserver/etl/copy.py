"""Getting a load's rows to the server: each batch's accepted rows as COPY's CSV, sent by a
thread while the next batch is read; straight into the layer (a source's first load, or the new
table of a bulk load) or into the temporary staging tables."""

from __future__ import annotations

import binascii
import csv
import queue
import tempfile
import threading
from collections.abc import Iterable
from typing import Any

import numpy as np
import psycopg
import pyarrow as pa
import pyarrow.csv as pa_csv
import shapely
from psycopg import sql
from psycopg.copy import LibpqWriter

from gisserver.db import load_sql
from gisserver.etl.geometry import conform, derived_ids
from gisserver.etl.mapping import MappedBatch, RowError
from gisserver.etl.runs import LoadReport, RejectsWriter
from gisserver.layers import Layer

# Rows pyarrow turns into CSV at a time: a read batch's worth (loader.BATCH_SIZE).
_CSV_OPTIONS = pa_csv.WriteOptions(include_header=False, batch_size=5_000)
_SQL_TYPES = {
    "string": "text",
    "integer": "integer",
    "number": "double precision",
    "boolean": "boolean",
    "datetime": "timestamptz",
    "date": "date",
    "list": "text[]",
}

# A batch's rows for COPY (None when none was accepted) and the source ids of its rejected rows.
Batches = Iterable[tuple[pa.Table | None, list[str]]]


def stage_rows(
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
    values = [array_text(mapped.values[c]) for c in columns]
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


def array_text(values: pa.Array) -> pa.Array:
    """A list field's values as COPY's text form of a text[] (``{"a","b"}``; no list, the empty
    one: the column is NOT NULL); any other column as it is."""
    if not pa.types.is_list(values.type):
        return values

    def quoted(item: str) -> str:
        return '"' + item.replace("\\", "\\\\").replace('"', '\\"') + '"'

    return pa.array(
        ["{" + ",".join(map(quoted, items or ())) + "}" for items in values.to_pylist()],
        pa.string(),
    )


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


def copy_into_layer(
    cur: psycopg.Cursor[Any],
    layer: Layer,
    copied: list[str],
    batches: Batches,
    *,
    into: str | None = None,
) -> None:
    """The first load of a source (the layer has none of its rows): one COPY straight into
    the layer, or ``into`` a table made like it (the bulk path, ``etl/bulk.py``). The server
    stores the rows while the next batch is read and validated, and nothing is written twice;
    a repeated source id fails the layer's unique key."""
    copy_sql = sql.SQL("COPY {} (source, source_id, {}, geom) FROM STDIN (FORMAT csv)").format(
        sql.Identifier(into or layer.table), sql.SQL(", ").join(map(sql.Identifier, copied))
    )
    # a thread sends the rows while the next batch is read and validated
    with cur.copy(copy_sql, writer=SendingThread(cur)) as copy:
        for rows, _rejected_ids in batches:  # nothing of the source to keep or retire
            if rows is not None:
                copy.write(memoryview(_csv(rows)))


def create_staging(cur: psycopg.Cursor[Any], layer: Layer, columns: list[str]) -> None:
    """The temporary tables of a load through the staging table (``sql/etl/staging.sql``),
    ``etl_staging`` with ``columns`` typed as the layer's fields."""
    defs = sql.SQL(", ").join(
        sql.SQL("{} {}").format(sql.Identifier(c), sql.SQL(_SQL_TYPES[layer.fields[c].type]))
        for c in columns
    )
    cur.execute(sql.SQL(load_sql("etl/staging.sql")).format(columns=defs))


def copy_into_staging(cur: psycopg.Cursor[Any], copied: list[str], batches: Batches) -> None:
    """The accepted rows into ``etl_staging``; the source ids of the rejected ones into
    ``etl_rejected`` (--replace must not delete a row just because its new version was
    rejected)."""
    copy_sql = sql.SQL(
        "COPY etl_staging (row_no, source_id, {}, geom) FROM STDIN (FORMAT csv)"
    ).format(sql.SQL(", ").join(map(sql.Identifier, copied)))
    # one COPY, sent by a thread like a first load's; the ids of rejected rows wait in a
    # spooled file (memory up to 1 MB, then disk) for the COPY after it
    with tempfile.SpooledTemporaryFile(max_size=1 << 20, mode="w+", newline="") as spool:
        rejected = csv.writer(spool, quoting=csv.QUOTE_ALL)  # an unquoted \. ends COPY data
        with cur.copy(copy_sql, writer=SendingThread(cur)) as copy:
            for rows, rejected_ids in batches:
                if rows is not None:
                    copy.write(memoryview(_csv(rows)))
                rejected.writerows((source_id,) for source_id in rejected_ids)
        if spool.tell():
            spool.seek(0)
            with cur.copy("COPY etl_rejected (source_id) FROM STDIN (FORMAT csv)") as copy:
                while block := spool.read(1 << 16):
                    copy.write(block)


class SendingThread(LibpqWriter):
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


def reject_duplicates(cur: psycopg.Cursor[Any], rejects: RejectsWriter) -> int:
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


def layer_empty(cur: psycopg.Cursor[Any], table: sql.Identifier) -> bool:
    row = cur.execute(sql.SQL("SELECT NOT EXISTS (SELECT 1 FROM {})").format(table)).fetchone()
    return bool(row and row[0])
