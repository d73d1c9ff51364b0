"""The layers as they were at an instant (``as_of=``), from the history the triggers keep.

The SQL that answers a question now runs unchanged for an earlier instant: it is put under
common table expressions named after the tables it reads (``WITH "shelters" AS NOT MATERIALIZED
(<shelters as of T>) ...``), which the query's unqualified table names then mean. Each
expression is the current rows not changed nor created since T and the history rows in force at
T (``sql/history/layer_as_of.sql``); the stock lots come from the stock ledger. Being inlined
(NOT MATERIALIZED), a query's conditions (a bbox, a filter, an id) reach the indexes of both
the table and the history.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from typing import Any

from psycopg import sql

from gisserver.db import Database, load_sql
from gisserver.errors import InvalidParameter

PARAMETER = "as_of"
ACCEPTED = "an RFC 3339 instant with its time zone, up to now, e.g. 2026-12-03T14:05:00Z"
# The table whose rows the stock ledger replays (situation's stock, a stockpile's items).
STOCK_TABLE = "stockpile_items"
# Columns a history row keeps outside its properties (migration 0006).
OWN_COLUMNS = {"id": "h.feature_id", "version": "h.version", "geom": "h.geom"}
# The layer whose positions are a track, not versions (migration 0009): its rows as of T take
# their position from the track (sql/history/units_as_of.sql): from the track position p, else
# from the audit row w of the write that began the version.
UNITS_TABLE = "units"
POSITION_COLUMNS = {
    "geom": ("p.geom", "ST_SetSRID(ST_GeomFromGeoJSON(w.after -> 'geometry'), 4326)"),
    "position_at": ("p.at", "(w.after #>> '{properties,position_at}')::timestamptz"),
    "speed": ("p.speed", "(w.after #>> '{properties,speed}')::float8"),
    "heading": ("p.heading", "(w.after #>> '{properties,heading}')::float8"),
}
_columns: dict[str, tuple[str, ...]] = {}


def parse_as_of(value: Any, *, parameter: str = PARAMETER) -> dt.datetime:
    """An RFC 3339 instant (``Z`` or an offset; a naive time is refused, not guessed) not later
    than now."""
    if isinstance(value, dt.datetime):
        moment = value
    else:
        text = str(value).strip()
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError as exc:
            raise InvalidParameter(
                parameter, f"{value!r} is not an RFC 3339 instant", ACCEPTED
            ) from exc
        if "T" not in text.upper():
            raise InvalidParameter(parameter, f"{value!r} is a date, not an instant", ACCEPTED)
    if moment.tzinfo is None:
        raise InvalidParameter(parameter, f"{value!r} has no time zone", ACCEPTED)
    if moment > dt.datetime.now(dt.UTC):
        raise InvalidParameter(parameter, f"{value!r} is in the future", ACCEPTED)
    return moment.astimezone(dt.UTC)


def table_columns(db: Database, table: str) -> tuple[str, ...]:
    """The columns of a table in their order (read once per process: migrations change them,
    and a process is restarted after one)."""
    if table not in _columns:
        with db.read_cursor() as cur:
            cur.execute(load_sql("history/columns.sql"), {"table": table})
            _columns[table] = tuple(row["name"] for row in cur.fetchall())
    return _columns[table]


@functools.cache
def _template(name: str) -> sql.SQL:
    return sql.SQL(load_sql(name))


def layer_rows(layer_id: str, table: str, columns: Iterable[str]) -> sql.Composable:
    """The SELECT of one layer's rows as of ``%(as_of)s``, with the table's columns."""
    names = tuple(columns)
    current = [sql.SQL("t.{}").format(sql.Identifier(n)) for n in names]
    previous = [
        sql.SQL("{} AS {}").format(
            sql.SQL(OWN_COLUMNS[n])
            if n in OWN_COLUMNS
            else sql.SQL("r.{}").format(sql.Identifier(n)),
            sql.Identifier(n),
        )
        for n in names
    ]
    return _template("history/layer_as_of.sql").format(
        current=sql.SQL(", ").join(current),
        previous=sql.SQL(", ").join(previous),
        table=sql.Identifier(table),
        layer=sql.Literal(layer_id),
    )


def unit_rows(layer_id: str, table: str, columns: Iterable[str]) -> sql.Composable:
    """The SELECT of the units as of ``%(as_of)s``: their versions then, each at its newest
    track position by then, else where its version's write put it
    (``sql/history/units_as_of.sql``)."""
    names = tuple(columns)
    chosen = [
        sql.SQL(
            "CASE WHEN p.at IS NOT NULL THEN {1} WHEN w.after IS NOT NULL THEN {2} ELSE v.{0} END"
            " AS {0}"
        ).format(
            sql.Identifier(n),
            sql.SQL(POSITION_COLUMNS[n][0]),
            sql.SQL(POSITION_COLUMNS[n][1]),
        )
        if n in POSITION_COLUMNS
        else sql.SQL("v.{}").format(sql.Identifier(n))
        for n in names
    ]
    return _template("history/units_as_of.sql").format(
        columns=sql.SQL(", ").join(chosen),
        versions=layer_rows(layer_id, table, names),
        layer=sql.Literal(layer_id),
    )


def scope(db: Database, tables: Iterable[tuple[str, str]]) -> sql.Composable:
    """``WITH`` expressions named after the tables of ``tables`` ((layer id, table) pairs, and
    ``stockpile_items`` for the stock) holding their rows as of ``%(as_of)s``."""
    parts = []
    for layer_id, table in tables:
        body: sql.Composable
        if table == STOCK_TABLE:
            body = _template("history/stock_as_of.sql")
        elif table == UNITS_TABLE:
            body = unit_rows(layer_id, table, table_columns(db, table))
        else:
            body = layer_rows(layer_id, table, table_columns(db, table))
        parts.append(sql.SQL("{} AS NOT MATERIALIZED ({})").format(sql.Identifier(table), body))
    return sql.SQL("WITH ") + sql.SQL(",\n").join(parts)


def replayed(
    db: Database, tables: Iterable[tuple[str, str]], query: sql.Composable
) -> sql.Composed:
    """``query`` (one statement, any shape) reading ``tables`` as of ``%(as_of)s``."""
    return sql.SQL("{}\nSELECT * FROM (\n{}\n) AS as_of_answer").format(scope(db, tables), query)
