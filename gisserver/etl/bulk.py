"""The bulk path of a first load into an empty layer: the rows go into a new table made like the
layer, ``<layer>_load_<run id>``, whose indexes are built once the rows are in (one sorted build
is about 2.5 times cheaper than keeping every index up to date row by row); then, in one short
step at the end of the load's transaction, the new table takes the layer's place.

Readers are not held up by the load: until that step they read the layer, still empty, which the
load does not touch (its SHARE ROW EXCLUSIVE lock, ``etl/locks.py``, only keeps writers out).
The step itself locks the layer (ACCESS EXCLUSIVE) for a few milliseconds: the empty layer is
dropped and the new table renamed to it, with the layer's indexes and constraints (names
included), triggers, owner, privileges and comment, its identity sequence (ids continue the
layer's) and the foreign keys of other tables that point at it (stockpile_items → stockpiles),
made again. The catalogue's account of the layer (``sql/etl/bulk_catalog.sql``) is compared
before and after; any difference undoes the step.

When the step cannot be taken — its lock not granted within SWAP_LOCK_WAIT, SWAP_ATTEMPTS times
(a long transaction reading the layer, pg_dump), or something the swap would not carry over (a
view on the layer, a row-security policy, ...) — the rows are moved into the layer instead: an
INSERT that keeps the layer's indexes up to date row by row, slower but the same result.

The new table has no trigger while the rows go in, so the audit trail of the load (a ``create``
per row, naming the run) is written from it in one statement (``record_created``); the rows moved
in instead are recorded by the layer's own triggers, never both.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import sql

from gisserver.db import load_sql
from gisserver.etl.locks import LOCK_ORDER

log = logging.getLogger(__name__)

SWAP_LOCK_WAIT = "200ms"  # how long readers in flight may hold the swap up (each attempt)
SWAP_ATTEMPTS = 5
SWAP_PAUSE = 0.05  # seconds between attempts, for the readers queued behind one
_PAIRS = 40  # name/value pairs per jsonb_build_object call (at most 50)


@dataclass
class LoadTable:
    """The new table a bulk load copies into, and what it takes to make it the layer."""

    layer: str
    name: str
    build: list[sql.Composed] = field(default_factory=list)  # indexes, under interim names
    rename: list[sql.Composed] = field(default_factory=list)  # interim names -> the layer's
    sequences: list[tuple[str, str]] = field(default_factory=list)  # (the layer's, the new one's)


# pg_get_indexdef's text: CREATE [UNIQUE] INDEX name ON [ONLY] schema.table USING method (...)
_INDEX_DEF = re.compile(r"(CREATE (?:UNIQUE )?INDEX) \S+ ON (?:ONLY )?\S+ (USING .*)", re.S)


class _Differs(Exception):
    """The new table would not be the same as the layer in the catalogue's eyes."""


class _NotSwapped(Exception):
    """Rolls back the audit rows written for a swap that could not be made."""


def create_load_table(cur: psycopg.Cursor[Any], layer: str, run_id: int) -> LoadTable | None:
    """A new table made like the layer (columns, defaults, checks, identity, storage, comments;
    no index yet), whose identity sequences continue the layer's; None (and nothing made) when
    this role may not replace the layer (drop it, create a table beside it)."""
    row = cur.execute(load_sql("etl/bulk_replaceable.sql"), {"table": layer}).fetchone()
    if not (row and row[0]):
        log.info("%s: not replaceable by this role: rows copied into the layer", layer)
        return None
    load = LoadTable(layer, f"{layer}_load_{run_id}")
    table, new = sql.Identifier(layer), sql.Identifier(load.name)
    indexes = cur.execute(load_sql("etl/bulk_indexes.sql"), {"table": layer}).fetchall()
    for number, (index, constraint, index_def, constraint_def) in enumerate(indexes, start=1):
        interim = sql.Identifier(f"{load.name}_{number}")
        if constraint is not None:
            load.build.append(
                sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} {}").format(
                    new, interim, sql.SQL(constraint_def)
                )
            )
            load.rename.append(
                sql.SQL("ALTER TABLE {} RENAME CONSTRAINT {} TO {}").format(
                    table, interim, sql.Identifier(constraint)
                )
            )
            continue
        match = _INDEX_DEF.fullmatch(index_def)
        if match is None:
            log.info(
                "%s: index %s not understood (%s): rows copied into the layer",
                layer,
                index,
                index_def,
            )
            return None
        load.build.append(
            sql.SQL("{} {} ON {} {}").format(sql.SQL(match[1]), interim, new, sql.SQL(match[2]))
        )
        load.rename.append(
            sql.SQL("ALTER INDEX {} RENAME TO {}").format(interim, sql.Identifier(index))
        )
    cur.execute(
        sql.SQL("CREATE TABLE {} (LIKE {} INCLUDING ALL EXCLUDING INDEXES)").format(new, table)
    )
    rows = cur.execute(load_sql("etl/bulk_sequences.sql"), {"table": layer, "load": load.name})
    load.sequences = [(str(a), str(b)) for a, b in rows.fetchall()]
    for layer_seq, load_seq in load.sequences:
        cur.execute(load_sql("etl/bulk_sequence_copy.sql"), {"to": load_seq, "from": layer_seq})
    return load


def build_indexes(cur: psycopg.Cursor[Any], load: LoadTable) -> int:
    """Build the layer's indexes on the new table (a repeated (source, source_id) fails the
    unique constraint here); returns how many."""
    for statement in load.build:
        cur.execute(statement)
    return len(load.build)


def put_in_place(cur: psycopg.Cursor[Any], load: LoadTable) -> bool:
    """Make the new table the layer (True), or move its rows into the layer (False): see the
    module's doc. Inside the load's transaction, which holds the layer's SHARE ROW EXCLUSIVE
    lock (so the layer is still empty).

    Every row is in the audit trail once, as a ``create`` of the transaction's actor (the run):
    written from the new table before the swap (the swap's lock is held until the commit, so
    nothing slow may follow it); when the swap cannot be taken that is undone, and the layer's
    own triggers record the rows as they are moved in."""
    try:
        with cur.connection.transaction():
            record_created(cur, load)
            if not _swap_in_turns(cur, load):
                raise _NotSwapped
        return True
    except _NotSwapped:
        pass
    _move_rows(cur, load)
    return False


def record_created(cur: psycopg.Cursor[Any], load: LoadTable) -> int:
    """A ``create`` row in the audit trail for every row of the new table, in one statement and
    with the value the layer's triggers write (``sql/etl/bulk_audit.sql``); how many."""
    columns = [
        str(row[0])
        for row in cur.execute(load_sql("etl/bulk_audit_columns.sql"), {"table": load.name})
    ]
    # jsonb_build_object takes at most 100 arguments: pairs in chunks, joined by ||
    chunks = [columns[i : i + _PAIRS] for i in range(0, len(columns), _PAIRS)] or [[]]
    properties = sql.SQL(" || ").join(
        sql.SQL("jsonb_build_object({})").format(
            sql.SQL(", ").join(
                sql.SQL("{}, n.{}").format(sql.Literal(name), sql.Identifier(name))
                for name in chunk
            )
        )
        for chunk in chunks
    )
    cur.execute(
        sql.SQL(load_sql("etl/bulk_audit.sql")).format(
            table=sql.Identifier(load.name), properties=properties
        ),
        {"layer": load.layer},
    )
    return cur.rowcount


def _swap_in_turns(cur: psycopg.Cursor[Any], load: LoadTable) -> bool:
    """Try the swap up to SWAP_ATTEMPTS times; whether it was made."""
    for attempt in range(1, SWAP_ATTEMPTS + 1):
        try:
            with cur.connection.transaction(), _lock_timeout(cur, SWAP_LOCK_WAIT):
                _swap(cur, load)
            return True
        except psycopg.errors.LockNotAvailable:
            if attempt == SWAP_ATTEMPTS:
                log.info(
                    "%s: in use (lock not granted in %s, %d times): rows moved into the layer",
                    load.layer,
                    SWAP_LOCK_WAIT,
                    SWAP_ATTEMPTS,
                )
            else:
                time.sleep(SWAP_PAUSE)
        except (_Differs, psycopg.DatabaseError) as exc:
            log.warning(
                "%s: the new table cannot take the layer's place (%s): rows moved into the layer",
                load.layer,
                str(exc).strip().splitlines()[0],
            )
            break
    return False


@contextmanager
def _lock_timeout(cur: psycopg.Cursor[Any], wait: str) -> Iterator[None]:
    """lock_timeout = ``wait`` inside a savepoint; put back as it was when the block succeeds
    (a rollback of the savepoint puts it back by itself)."""
    row = cur.execute("SELECT current_setting('lock_timeout')").fetchone()
    cur.execute("SELECT set_config('lock_timeout', %s, true)", (wait,))
    yield
    cur.execute("SELECT set_config('lock_timeout', %s, true)", (row[0] if row else "0",))


def _catalog(cur: psycopg.Cursor[Any], table: str) -> dict[str, Any]:
    row = cur.execute(load_sql("etl/bulk_catalog.sql"), {"table": table}).fetchone()
    assert row is not None
    return dict(row[0])


def _swap(cur: psycopg.Cursor[Any], load: LoadTable) -> None:
    layer, new = sql.Identifier(load.layer), sql.Identifier(load.name)
    carried = cur.execute(load_sql("etl/bulk_carried.sql"), {"table": load.layer}).fetchall()
    foreign_keys = [(on, name, d) for kind, on, name, d, _, _ in carried if kind == "foreign_key"]
    # the layer, then the tables pointing at it (stockpile_items), in the global lock order
    tables = sorted(
        {load.layer, *(on for on, _, _ in foreign_keys)},
        key=lambda t: (LOCK_ORDER.index(t) if t in LOCK_ORDER else len(LOCK_ORDER), t),
    )
    cur.execute(
        sql.SQL("LOCK TABLE {} IN ACCESS EXCLUSIVE MODE").format(
            sql.SQL(", ").join(map(sql.Identifier, tables))
        )
    )
    before = _catalog(cur, load.layer)
    for on_table, name, _ in foreign_keys:
        cur.execute(
            sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(
                sql.Identifier(on_table), sql.Identifier(name)
            )
        )
    cur.execute(sql.SQL("DROP TABLE {}").format(layer))  # empty; anything else using it stops this
    cur.execute(sql.SQL("ALTER TABLE {} RENAME TO {}").format(new, layer))
    for layer_seq, load_seq in load.sequences:
        cur.execute(
            sql.SQL("ALTER SEQUENCE {} RENAME TO {}").format(
                sql.Identifier(load_seq), sql.Identifier(layer_seq)
            )
        )
    for statement in load.rename:
        cur.execute(statement)
    for kind, _, name, definition, detail, _ in carried:
        if kind == "trigger":
            cur.execute(definition)  # pg_get_triggerdef's text: ON the layer's name
            enabled = {"D": "DISABLE", "R": "ENABLE REPLICA", "A": "ENABLE ALWAYS"}.get(detail)
            if enabled:
                cur.execute(
                    sql.SQL("ALTER TABLE {} {} TRIGGER {}").format(
                        layer, sql.SQL(enabled), sql.Identifier(name)
                    )
                )
        elif kind == "owner":
            # the role's name as the catalogue quotes it (regrole)
            cur.execute(sql.SQL("ALTER TABLE {} OWNER TO {}").format(layer, sql.SQL(name)))
        elif kind == "grant":
            cur.execute(
                sql.SQL("GRANT {} ON TABLE {} TO {} {}").format(
                    sql.SQL(definition), layer, sql.SQL(name), sql.SQL(detail or "")
                )
            )
        elif kind == "comment":
            cur.execute(sql.SQL("COMMENT ON TABLE {} IS {}").format(layer, sql.Literal(definition)))
    for on_table, name, definition in foreign_keys:
        cur.execute(
            sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} {}").format(
                sql.Identifier(on_table), sql.Identifier(name), sql.SQL(definition)
            )
        )
    after = _catalog(cur, load.layer)
    if after != before:
        changed = sorted(
            key for key in before.keys() | after.keys() if before.get(key) != after.get(key)
        )
        raise _Differs(f"it would differ in {', '.join(changed)}")
    # the layer's statement triggers (its version in layer_versions) see the rows arrive
    cur.execute(
        sql.SQL("INSERT INTO {} OVERRIDING SYSTEM VALUE SELECT * FROM {} WHERE false").format(
            layer, layer
        )
    )


def _move_rows(cur: psycopg.Cursor[Any], load: LoadTable) -> None:
    layer, new = sql.Identifier(load.layer), sql.Identifier(load.name)
    cur.execute(
        sql.SQL("INSERT INTO {} OVERRIDING SYSTEM VALUE SELECT * FROM {}").format(layer, new)
    )
    for layer_seq, load_seq in load.sequences:
        cur.execute(load_sql("etl/bulk_sequence_copy.sql"), {"to": layer_seq, "from": load_seq})
    cur.execute(sql.SQL("DROP TABLE {}").format(new))
