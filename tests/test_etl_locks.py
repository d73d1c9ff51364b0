"""Loads at the same time never deadlock: each takes the table locks it needs at the start of
its transaction, in one global order (the layers, then stockpile_items).

The pair that could: a stockpiles load (an update, then --replace retiring a depot) and an
inventory load naming that depot. The inventory's lots hold the depot's key (foreign key check)
and wait for the stockpiles layer's version row, which the stockpiles load holds while it goes
on to delete the depot, which waits for the inventory load."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import pytest

from gisserver.etl import load_file
from gisserver.etl import loader as loader_module
from gisserver.etl.runs import LoadReport
from gisserver.settings import Settings

Names = Callable[[str], str]  # the `sources` fixture (conftest.py)
ROUNDS = 10


def depots(path: Path, names: dict[str, str]) -> Path:
    features = [
        {
            "type": "Feature",
            "properties": {"source_id": sid, "name": name, "kind": "depot"},
            "geometry": {"type": "Point", "coordinates": [-71.1 + i / 100, 42.37]},
        }
        for i, (sid, name) in enumerate(names.items())
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def inventory(path: Path, source: str) -> Path:
    path.write_text(
        "stockpile_source,stockpile_source_id,item,quantity,unit,expires_on\n"
        f"{source},d1,water,100,litre,\n"
        f"{source},d2,blanket,20,each,\n"
    )
    return path


class Load(threading.Thread):
    """One load on a connection of its own, in a thread; its report or its exception kept."""

    def __init__(self, url: str, run: Callable[[psycopg.Connection[Any]], LoadReport]) -> None:
        super().__init__(daemon=True)
        self.conn = psycopg.connect(url)
        self.pid = self.conn.info.backend_pid
        self.run_load = run
        self.report: LoadReport | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.report = self.run_load(self.conn)
        except BaseException as exc:
            self.error = exc
        finally:
            self.conn.close()


@pytest.fixture()
def files(
    conn: psycopg.Connection[Any], settings: Settings, sources: Names, tmp_path: Path
) -> dict[str, Any]:
    """Depots d1 and d2 loaded; the stockpiles file that renames d1 and drops d2; the
    inventory naming both."""
    src, inv = sources("depots"), sources("depot-inventory")
    full = depots(tmp_path / "full.geojson", {"d1": "Depot 1", "d2": "Depot 2"})
    load_file(conn, "stockpiles", full, source=src, settings=settings)
    return {
        "source": src,
        "inventory_source": inv,
        "full": full,
        "fewer": depots(tmp_path / "fewer.geojson", {"d1": "Depot 1 renamed"}),
        "inventory": inventory(tmp_path / "inventory.csv", src),
    }


def stockpiles_load(files: dict[str, Any], settings: Settings, path: Path) -> Callable[..., Any]:
    return lambda conn: load_file(
        conn, "stockpiles", path, source=files["source"], replace=True, settings=settings
    )


def inventory_load(files: dict[str, Any], settings: Settings) -> Callable[..., Any]:
    return lambda conn: load_file(
        conn,
        "stockpile_items",
        files["inventory"],
        source=files["inventory_source"],
        max_reject_ratio=1.0,  # a lot of a depot retired first is rejected, not an error
        settings=settings,
    )


def waiting_for_a_lock(watch: psycopg.Connection[Any], pid: int) -> bool:
    row = watch.execute(
        "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE pid = %s AND NOT granted)", (pid,)
    ).fetchone()
    return bool(row and row[0])


def test_inventory_load_during_a_stockpiles_replace_does_not_deadlock(
    database_url: str,
    settings: Settings,
    files: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
):
    """The circle forced: the stockpiles load, between its upsert and its retire, lets the
    inventory load run until it waits for a lock; then it retires d2."""
    items = Load(database_url, inventory_load(files, settings))
    real_load_sql = loader_module.load_sql

    def retire_once_the_inventory_waits(name: str) -> str:
        if name == "etl/retire.sql" and not items.is_alive() and items.report is None:
            items.start()
            with psycopg.connect(database_url, autocommit=True) as watch:
                deadline = time.monotonic() + 30
                while items.is_alive() and not waiting_for_a_lock(watch, items.pid):
                    assert time.monotonic() < deadline, "the inventory load never waited"
                    time.sleep(0.01)
        return real_load_sql(name)

    monkeypatch.setattr(loader_module, "load_sql", retire_once_the_inventory_waits)
    depots_load = Load(database_url, stockpiles_load(files, settings, files["fewer"]))
    depots_load.start()
    depots_load.join(timeout=60)
    items.join(timeout=60)
    assert not depots_load.is_alive() and not items.is_alive()
    assert depots_load.error is None and items.error is None, (depots_load.error, items.error)
    assert depots_load.report and items.report
    assert (depots_load.report.updated, depots_load.report.retired) == (1, 1)
    # the inventory load came second: d2 was gone, its lot rejected
    assert (items.report.status, items.report.inserted, items.report.rejected) == (
        "succeeded",
        1,
        1,
    )


def test_stockpiles_and_inventory_loads_together_many_times(
    conn: psycopg.Connection[Any], database_url: str, settings: Settings, files: dict[str, Any]
):
    for _ in range(ROUNDS):
        load_file(
            conn,
            "stockpiles",
            files["full"],
            source=files["source"],
            replace=True,
            settings=settings,
        )  # d2 back
        pair = [
            Load(database_url, stockpiles_load(files, settings, files["fewer"])),
            Load(database_url, inventory_load(files, settings)),
        ]
        for load in pair:
            load.start()
        for load in pair:
            load.join(timeout=60)
            assert not load.is_alive()
            assert load.error is None, load.error
            assert load.report is not None and load.report.status == "succeeded"
    runs = conn.execute(
        "SELECT status, count(*) FROM etl_runs WHERE source = ANY(%s) GROUP BY status",
        ([files["source"], files["inventory_source"]],),
    ).fetchall()
    assert runs == [("succeeded", 1 + 3 * ROUNDS)]
