"""The table locks of a load. Every load locks the tables it will write at the start of its
transaction, before it reads or writes any of them, in one global order: the layers in the order
of ``LAYER_IDS``, then ``stockpile_items``. Two loads then never wait for each other in a circle
(without it, a stockpiles load retiring a depot and an inventory load naming that depot did:
the inventory's foreign key check held the depot, the stockpiles load the layer's version row).

The mode, SHARE ROW EXCLUSIVE, lets every reader read (it conflicts with writers only): loads
of the same tables, and the app's writes to them, wait for the load's commit, which they did
anyway from the load's first write on (the version row of ``layer_versions``)."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import sql

from gisserver.layers import LAYER_IDS

LOCK_ORDER = (*LAYER_IDS, "stockpile_items")
# stockpile_items references stockpiles (retiring a depot deletes its lots; a lot holds its
# depot's key), so the loads of either write both
_WRITES = {
    "stockpiles": ("stockpiles", "stockpile_items"),
    "stockpile_items": ("stockpiles", "stockpile_items"),
}


def tables_written(target: str) -> tuple[str, ...]:
    """The tables a load into ``target`` (a layer or ``stockpile_items``) writes, in lock order."""
    if target not in LOCK_ORDER:
        raise ValueError(f"{target!r} is not one of {', '.join(LOCK_ORDER)}")
    return tuple(sorted(_WRITES.get(target, (target,)), key=LOCK_ORDER.index))


def lock_tables(cur: psycopg.Cursor[Any], target: str) -> None:
    """Lock the tables a load into ``target`` writes until the transaction ends, in lock order;
    the first statement of the load's transaction."""
    tables = sql.SQL(", ").join(sql.Identifier(t) for t in tables_written(target))
    # LOCK TABLE a, b locks a, then b
    cur.execute(sql.SQL("LOCK TABLE {} IN SHARE ROW EXCLUSIVE MODE").format(tables))
