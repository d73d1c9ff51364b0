"""The situation report, checked against counts made in Python from the raw rows."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import psycopg
import pytest
import shapely
from psycopg.rows import dict_row
from pyproj import Geod

from gisserver.analyses.area import parse_bbox
from gisserver.analyses.situation import situation

GEOD = Geod(ellps="WGS84")
BBOX = (50.0, -30.0, 50.2, -29.8)
NOW = dt.datetime.now(dt.UTC)
TODAY = NOW.date()


@pytest.fixture(scope="module")
def bbox_contents(module_rows) -> None:
    """Shelters, stock, incidents, cameras and zones in and around BBOX, and a census block."""
    for sid, x, y, cap, occ, status in [
        ("a", 50.05, -29.9, 100, 20, "open"),
        ("b", 50.06, -29.91, 80, 95, "open"),  # over capacity
        ("c", 50.07, -29.92, 60, 0, "standby"),
        ("d", 50.3, -29.9, 500, 0, "open"),  # outside the bbox
        ("e", 50.2, -29.85, 40, 10, "closed"),  # on the bbox edge: counts
    ]:
        module_rows.shelter(
            x, y, name=sid, capacity=cap, occupancy=occ, status=status, source_id=sid
        )
    for sid, x, y, lots in [
        (
            "p",
            50.1,
            -29.9,
            [
                ("water", 100, "l", None),
                ("water", 50, "l", TODAY),
                ("water", 70, "l", TODAY - dt.timedelta(days=1)),
                ("blanket", 30, "piece", TODAY + dt.timedelta(days=9)),
            ],
        ),
        (
            "q",
            50.11,
            -29.95,
            [("water", 10, "l", None), ("water", 4, "crate", TODAY + dt.timedelta(days=100))],
        ),
        ("r", 51.0, -29.95, [("water", 999, "l", None)]),  # outside
    ]:
        pid = module_rows.stockpile(x, y, name=sid, source_id=sid)
        for item, qty, unit, expires in lots:
            module_rows.item(pid, item, qty, unit, expires)
    for sid, kind, severity, status in [
        ("1", "fire", "high", "responding"),
        ("2", "fire", "low", "reported"),
        ("3", "flood", "high", "verified"),
        ("4", "flood", "high", "resolved"),
    ]:
        module_rows.incident(
            (50.1, -29.9),
            incident_type=kind,
            severity=severity,
            status=status,
            reported_at=NOW - dt.timedelta(hours=1),
            source_id=sid,
        )
    for sid, status in [("x", "online"), ("y", "offline"), ("z", "online")]:
        module_rows.camera(50.12, -29.93, name=sid, status=status, source_id=sid)
    for sid, box, start, end in [
        ("in-force", (50.0, -29.95, 50.1, -29.85), NOW - dt.timedelta(hours=2), None),
        ("overlap", (50.08, -29.9, 50.15, -29.82), None, NOW + dt.timedelta(hours=2)),
        ("expired", (50.1, -30.0, 50.2, -29.9), None, NOW - dt.timedelta(hours=2)),
    ]:
        module_rows.zone(
            box,
            hazard_type="flood",
            severity="high",
            valid_from=start,
            valid_to=end,
            source_id=sid,
        )
    # a census source of ours with one block covering part of the zones
    block = (50.05, -29.97, 50.12, -29.88)
    module_rows.census(block, [("block", 12000, block)])


def _rows(database_url: str, table: str) -> list[dict[str, Any]]:
    box = shapely.box(*BBOX)
    with psycopg.connect(database_url, row_factory=dict_row) as conn:
        rows = conn.execute(f"SELECT *, ST_AsBinary(geom) AS wkb FROM {table}").fetchall()
    return [r for r in rows if box.intersects(shapely.from_wkb(r["wkb"]))]


def test_counts_places_stock_incidents_match_the_rows(database, bbox_contents, database_url):
    report = situation(database, parse_bbox(",".join(map(str, BBOX))))
    shelters = _rows(database_url, "shelters")
    assert report["layers"]["shelters"]["total"] == len(shelters)
    assert report["layers"]["shelters"]["by_status"] == Counter(s["status"] for s in shelters)
    places = report["shelters"]
    assert places["capacity"] == sum(s["capacity"] for s in shelters)
    assert places["occupancy"] == sum(s["occupancy"] for s in shelters)
    assert places["free_places"] == sum(max(s["capacity"] - s["occupancy"], 0) for s in shelters)
    assert places["over_capacity"] == sum(s["occupancy"] > s["capacity"] for s in shelters) == 1
    opened = [s for s in shelters if s["status"] == "open"]
    assert places["open"]["free_places"] == sum(
        max(s["capacity"] - s["occupancy"], 0) for s in opened
    )
    for layer in ("cameras", "incidents", "stockpiles"):
        rows = _rows(database_url, layer)
        assert report["layers"][layer]["by_status"] == Counter(r["status"] for r in rows)

    stockpile_ids = {r["id"] for r in _rows(database_url, "stockpiles")}
    with psycopg.connect(database_url, row_factory=dict_row) as conn:
        lots = conn.execute("SELECT * FROM stockpile_items").fetchall()
    expected: dict[tuple[str, str], float] = {}
    for lot in lots:
        if lot["stockpile_id"] in stockpile_ids and (
            lot["expires_on"] is None or lot["expires_on"] >= TODAY
        ):
            key = (lot["item"], lot["unit"])
            expected[key] = expected.get(key, 0) + float(lot["quantity"])
    got = {
        (item, u["unit"]): u["quantity"] for item, units in report["stock"].items() for u in units
    }
    assert got == pytest.approx(expected)
    assert got[("water", "l")] == 160  # 100 + 50 (expires today) + 10; the expired 70 is not
    water = {u["unit"]: u for u in report["stock"]["water"]}
    assert water["l"]["expired_quantity"] == 70

    incidents = [i for i in _rows(database_url, "incidents") if i["status"] != "resolved"]
    opened_incidents = report["open_incidents"]
    assert opened_incidents["total"] == len(incidents)
    assert opened_incidents["by_type"] == Counter(i["incident_type"] for i in incidents)
    assert opened_incidents["by_severity"] == Counter(i["severity"] for i in incidents)
    assert opened_incidents["by_type_and_severity"]["fire"] == {"high": 1, "low": 1}


def test_population_in_zones_in_force_is_areal_weighted(
    database, bbox_contents, module_rows, database_url
):
    report = situation(database, parse_bbox(list(BBOX)))
    zones = [
        shapely.from_wkb(z["wkb"])
        for z in _rows(database_url, "hazard_zones")
        if (z["valid_from"] is None or z["valid_from"] <= NOW)
        and (z["valid_to"] is None or z["valid_to"] > NOW)
    ]
    assert len(zones) == 2
    hazard = shapely.intersection(shapely.union_all(zones), shapely.box(*BBOX))
    block = shapely.box(50.05, -29.97, 50.12, -29.88)

    def area(g: shapely.Geometry) -> float:
        return abs(GEOD.geometry_area_perimeter(g)[0])

    expected = 12000 * area(shapely.intersection(block, hazard)) / area(block)
    population = report["population_in_hazard_zones"]
    assert population["zones_in_force"] == 2
    assert population["source"] == module_rows.source
    assert population["method"] == "areal-weighted"
    assert population["population"] == pytest.approx(expected, rel=1e-3)


def test_without_bbox_and_an_empty_place(database, bbox_contents):
    everything = situation(database)
    assert everything["bbox"] is None
    assert everything["layers"]["shelters"]["total"] >= 5
    empty = situation(database, parse_bbox([-10, -60, -9, -59]))
    assert empty["layers"]["shelters"]["total"] == 0
    assert empty["shelters"]["free_places"] == 0
    assert empty["stock"] == {}
    assert empty["population_in_hazard_zones"]["zones_in_force"] == 0


def test_population_at_risk_follows_every_change_of_the_zones(
    database, bbox_contents, module_rows, database_url
):
    """The population at risk is kept between calls (it takes seconds over a city's zones):
    a zone written, ended or deleted changes the next answer."""
    first = situation(database, parse_bbox(list(BBOX)))["population_in_hazard_zones"]
    assert situation(database, parse_bbox(list(BBOX)))["population_in_hazard_zones"] == first
    block = shapely.box(50.05, -29.97, 50.12, -29.88)

    def area(g: shapely.Geometry) -> float:
        return abs(GEOD.geometry_area_perimeter(g)[0])

    # a new zone in force over the rest of the block: the whole block is then at risk
    added = module_rows.zone(
        (50.04, -29.98, 50.13, -29.87), hazard_type="flood", severity="high", source_id="more"
    )
    grown = situation(database, parse_bbox(list(BBOX)))["population_in_hazard_zones"]
    assert grown["zones_in_force"] == first["zones_in_force"] + 1
    assert grown["population"] == pytest.approx(
        12000 * area(shapely.intersection(block, shapely.box(*BBOX))) / area(block), rel=1e-3
    )
    # ended: back to the first answer
    with psycopg.connect(database_url) as conn:
        conn.execute(
            "UPDATE hazard_zones SET valid_to = now() - interval '1 minute' WHERE id = %s",
            (added,),
        )
    ended = situation(database, parse_bbox(list(BBOX)))["population_in_hazard_zones"]
    assert ended["zones_in_force"] == first["zones_in_force"]
    assert ended["population"] == pytest.approx(first["population"], rel=1e-9)
    with psycopg.connect(database_url) as conn:
        conn.execute("DELETE FROM hazard_zones WHERE id = %s", (added,))
