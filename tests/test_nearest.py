"""Nearest resources against an independent brute force with pyproj.Geod on every row."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import psycopg
import pytest
import shapely
from pyproj import Geod

from gisserver.analyses.nearest import NearestQuery, nearest_resources, nearest_statement
from gisserver.db import Database
from gisserver.errors import InvalidParameter
from gisserver.layers import STOCK_ITEMS as ITEMS
from gisserver.settings import Settings

GEOD = Geod(ellps="WGS84")
# Places where planar degree order and geodesic order disagree most (high latitude), the
# equator, and both sides of the antimeridian.
CLUSTERS = [(20.0, 68.0), (10.0, 0.0), (179.7, -20.0), (-179.8, -20.0), (-71.1, 42.37)]
STATUSES = ("open", "closed", "full", "standby")


@pytest.fixture(scope="module")
def scattered_resources(module_rows) -> None:
    """2,500 shelters, 600 stockpiles with lots, 300 cameras, and hazard zones of ours."""
    rng = random.Random(5)
    now = dt.datetime.now(dt.UTC)
    today = now.date()
    with module_rows.transaction():
        for i in range(2500):
            cx, cy = CLUSTERS[i % len(CLUSTERS)]
            lon, lat = cx + rng.uniform(-1.5, 1.5), cy + rng.uniform(-1, 1)
            lon = (lon + 540) % 360 - 180
            capacity = rng.randint(0, 500)
            occupancy = rng.randint(0, 600)  # some over capacity on purpose
            module_rows.shelter(
                lon,
                lat,
                name=f"shelter {i}",
                capacity=capacity,
                occupancy=occupancy,
                status=rng.choice(STATUSES),
                source_id=str(i),
            )
        for i in range(600):
            cx, cy = CLUSTERS[i % len(CLUSTERS)]
            lon, lat = (cx + rng.uniform(-1.5, 1.5) + 540) % 360 - 180, cy + rng.uniform(-1, 1)
            sid = module_rows.stockpile(lon, lat, name=f"depot {i}", source_id=str(i))
            lots = set()
            for _lot in range(rng.randint(0, 4)):
                expires = rng.choice(
                    [None, today - dt.timedelta(days=3), today, today + dt.timedelta(days=30)]
                )
                item, quantity = rng.choice(["water", "blanket"]), rng.randint(0, 400)
                if (item, expires) not in lots:  # one lot per item and expiry: the first drawn
                    lots.add((item, expires))
                    module_rows.item(sid, item, quantity, "unit", expires)
        for i in range(300):
            cx, cy = CLUSTERS[i % len(CLUSTERS)]
            lon, lat = (cx + rng.uniform(-1.5, 1.5) + 540) % 360 - 180, cy + rng.uniform(-1, 1)
            module_rows.camera(
                lon,
                lat,
                name=f"cam {i}",
                status=rng.choice(["online", "offline"]),
                stream_url=f"rtsp://secret/{i}",
                source_id=str(i),
            )
        # hazard zones around the high-latitude cluster: active, expired, not yet valid
        for j, (valid_from, valid_to) in enumerate(
            [
                (now - dt.timedelta(hours=1), None),
                (now - dt.timedelta(days=2), now - dt.timedelta(days=1)),
                (now + dt.timedelta(days=1), None),
                (None, now + dt.timedelta(hours=5)),
            ]
        ):
            x, y = 19.0 + j * 0.6, 67.5 + (j % 2) * 0.5
            module_rows.zone(
                (x, y, x + 0.5, y + 0.4),
                hazard_type="flood",
                severity="high",
                valid_from=valid_from,
                valid_to=valid_to,
                source_id=str(j),
            )


def _rows(database_url: str, select: str) -> list[dict[str, Any]]:
    with psycopg.connect(database_url) as conn:
        cur = conn.cursor(row_factory=psycopg.rows.dict_row)
        return cur.execute(select).fetchall()


def _brute_force(
    rows: list[dict[str, Any]], lon: float, lat: float, k: int, max_distance: float | None = None
) -> list[tuple[int, float, float]]:
    found = []
    for row in rows:
        az, _, dist = GEOD.inv(lon, lat, row["x"], row["y"])
        if max_distance is None or dist <= max_distance:
            found.append((dist, row["id"], az % 360))
    found.sort()
    return [(i, d, az) for d, i, az in found[:k]]


def _check(answer: dict[str, Any], expected: list[tuple[int, float, float]]) -> None:
    got = [
        (f["id"], f["properties"]["distance_m"], f["properties"]["bearing_deg"])
        for f in answer["features"]
    ]
    assert [g[0] for g in got] == [e[0] for e in expected]
    for (_, d, az), (_, ed, eaz) in zip(got, expected, strict=True):
        assert abs(d - ed) < 0.01
        if ed > 1:
            assert abs((az - eaz + 180) % 360 - 180) < 1e-6


def test_random_points_match_brute_force(
    database: Database, layers, scattered_resources: None, database_url: str
):
    rows = _rows(database_url, "SELECT id, ST_X(geom) AS x, ST_Y(geom) AS y FROM shelters")
    rng = random.Random(7)
    for _ in range(40):
        cx, cy = rng.choice(CLUSTERS)
        lon, lat = (cx + rng.uniform(-2, 2) + 540) % 360 - 180, cy + rng.uniform(-1.5, 1.5)
        k = rng.randint(1, 25)
        query = NearestQuery.from_params(
            {"layer": "shelters", "lon": lon, "lat": lat, "k": k}, layers=layers
        )
        _check(nearest_resources(database, query, layers=layers), _brute_force(rows, lon, lat, k))


def test_antimeridian_neighbours_across_the_line(
    database: Database, layers, scattered_resources: None, database_url: str
):
    rows = _rows(database_url, "SELECT id, ST_X(geom) AS x, ST_Y(geom) AS y FROM shelters")
    query = NearestQuery.from_params(
        {"layer": "shelters", "lon": 179.99, "lat": -20, "k": 30}, layers=layers
    )
    answer = nearest_resources(database, query, layers=layers)
    _check(answer, _brute_force(rows, 179.99, -20, 30))
    assert any(f["geometry"]["coordinates"][0] < 0 for f in answer["features"])


def test_shelter_filters_match_brute_force(
    database: Database, layers, scattered_resources: None, database_url: str
):
    now = dt.datetime.now(dt.UTC)
    zones = _rows(
        database_url, "SELECT ST_AsBinary(geom) AS wkb, valid_from, valid_to FROM hazard_zones"
    )
    active = [
        shapely.from_wkb(z["wkb"])
        for z in zones
        if (z["valid_from"] is None or z["valid_from"] <= now)
        and (z["valid_to"] is None or z["valid_to"] > now)
    ]
    rows = [
        r
        for r in _rows(
            database_url,
            "SELECT id, ST_X(geom) AS x, ST_Y(geom) AS y, status, capacity, occupancy"
            " FROM shelters",
        )
        if r["status"] == "open"
        and r["capacity"] is not None
        and r["capacity"] - r["occupancy"] >= 50
        and not any(shapely.intersects(z, shapely.Point(r["x"], r["y"])) for z in active)
    ]
    for lon, lat in [(20.0, 68.0), (19.3, 67.7), (20.4, 68.1)]:
        query = NearestQuery.from_params(
            {
                "layer": "shelters",
                "lon": str(lon),
                "lat": str(lat),
                "k": "20",
                "status": "open",
                "min_free_capacity": "50",
                "exclude_hazard": "true",
            },
            layers=layers,
        )
        answer = nearest_resources(database, query, layers=layers)
        _check(answer, _brute_force(rows, lon, lat, 20))
        for f in answer["features"]:
            p = f["properties"]
            assert p["free_capacity"] == p["capacity"] - p["occupancy"] >= 50


def test_stockpile_item_counts_only_unexpired_stock(
    database: Database, layers, scattered_resources: None, database_url: str
):
    today = dt.datetime.now(dt.UTC).date()
    lots = _rows(
        database_url, "SELECT stockpile_id, item, quantity, expires_on FROM stockpile_items"
    )
    water: dict[int, float] = {}
    for lot in lots:
        if lot["item"] == "water" and (lot["expires_on"] is None or lot["expires_on"] >= today):
            water[lot["stockpile_id"]] = water.get(lot["stockpile_id"], 0) + float(lot["quantity"])
    rows = [
        r
        for r in _rows(database_url, "SELECT id, ST_X(geom) AS x, ST_Y(geom) AS y FROM stockpiles")
        if water.get(r["id"], 0) >= 150 and water.get(r["id"], 0) > 0
    ]
    query = NearestQuery.from_params(
        {
            "layer": "stockpiles",
            "lon": 10.2,
            "lat": 0.3,
            "k": 15,
            "item": "water",
            "min_quantity": 150,
        },
        layers=layers,
    )
    answer = nearest_resources(database, query, layers=layers)
    _check(answer, _brute_force(rows, 10.2, 0.3, 15))
    for f in answer["features"]:
        held = {i["item"]: i["quantity"] for i in f["properties"]["items"]}
        assert held["water"] == pytest.approx(water[f["id"]])


def test_cameras_never_show_the_stream_url(database: Database, layers, scattered_resources: None):
    query = NearestQuery.from_params(
        {"layer": "cameras", "lon": 20, "lat": 68, "k": 10, "status": "online"}, layers=layers
    )
    answer = nearest_resources(database, query, layers=layers)
    assert answer["features"]
    for f in answer["features"]:
        assert "stream_url" not in f["properties"]
        assert f["properties"]["status"] == "online"
    assert "rtsp://" not in str(answer)


def test_k_larger_than_what_exists_and_empty_answer(
    database: Database, layers, scattered_resources: None, database_url: str
):
    rows = _rows(database_url, "SELECT id, ST_X(geom) AS x, ST_Y(geom) AS y FROM shelters")
    query = NearestQuery.from_params(
        {"layer": "shelters", "lon": 20, "lat": 68, "k": 100, "max_distance_m": 15000},
        layers=layers,
    )
    answer = nearest_resources(database, query, layers=layers)
    expected = _brute_force(rows, 20, 68, 100, max_distance=15000)
    assert len(expected) < 100
    _check(answer, expected)
    empty = NearestQuery.from_params(
        {"layer": "shelters", "lon": -30, "lat": -50, "k": 5, "max_distance_m": 1000}, layers=layers
    )
    assert nearest_resources(database, empty, layers=layers)["features"] == []


def test_item_list_matches_the_schema_check(database_url: str):
    (definition,) = _rows(
        database_url,
        "SELECT pg_get_constraintdef(oid) AS d FROM pg_constraint"
        " WHERE conrelid = 'stockpile_items'::regclass AND contype = 'c'"
        " AND pg_get_constraintdef(oid) LIKE '%item%'",
    )
    for item in ITEMS:
        assert f"'{item}'" in definition["d"]
    assert definition["d"].count("'::text") == len(ITEMS)


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"layer": "roads", "lon": 0, "lat": 0}, "layer"),
        ({"layer": "shelters", "lon": 0, "lat": 0, "k": 0}, "k"),
        ({"layer": "shelters", "lon": 0, "lat": 0, "k": 101}, "k"),
        ({"layer": "shelters", "lon": 0, "lat": 0, "k": "five"}, "k"),
        ({"layer": "shelters", "lon": 200, "lat": 0}, "lon/lat"),
        ({"layer": "shelters", "lat": 0}, "lon"),
        ({"layer": "shelters", "lon": 0, "lat": 0, "status": "online"}, "status"),
        ({"layer": "shelters", "lon": 0, "lat": 0, "item": "water"}, "item"),
        ({"layer": "stockpiles", "lon": 0, "lat": 0, "item": "gold"}, "item"),
        ({"layer": "stockpiles", "lon": 0, "lat": 0, "min_quantity": 3}, "min_quantity"),
        ({"layer": "shelters", "lon": 0, "lat": 0, "exclude_hazard": "maybe"}, "exclude_hazard"),
        ({"layer": "shelters", "lon": 0, "lat": 0, "max_distance_m": -1}, "max_distance_m"),
    ],
)
def test_bad_parameters_are_named(params: dict[str, Any], parameter: str, layers):
    with pytest.raises(InvalidParameter) as err:
        NearestQuery.from_params(params, layers=layers)
    assert err.value.parameter == parameter
    assert "accepted" in err.value.message


def test_plan_uses_the_gist_index(database_url: str, scattered_resources: None, layers):
    query = NearestQuery.from_params(
        {
            "layer": "shelters",
            "lon": 20,
            "lat": 68,
            "k": 5,
            "status": "open",
            "min_free_capacity": 10,
            "exclude_hazard": True,
        },
        layers=layers,
    )
    statement, params = nearest_statement(query, layers=layers)
    with psycopg.connect(database_url) as conn:
        conn.execute("ANALYZE shelters")
        conn.execute("SET enable_seqscan = off")
        plan = "\n".join(
            r[0] for r in conn.execute(sql_explain(statement, conn), params).fetchall()
        )
    assert "Index Scan using shelters_geom_idx" in plan, plan
    assert "Seq Scan on shelters" not in plan, plan
    # step 1: KNN ordered by the index; step 2: the bounding box through the index
    assert "Order By: (geom <-> " in plan, plan
    assert "Index Cond: (geom && b.envelope)" in plan, plan


def sql_explain(statement: str, conn: psycopg.Connection) -> str:
    return "EXPLAIN " + statement


@pytest.fixture(scope="module")
def cambridge_shelters(module_rows, database_url: str, settings: Settings) -> str:
    """The 15 real shelters of Cambridge (MA) loaded by the ETL; their source name."""
    from gisserver.etl import load_file
    from gisserver.settings import PROJECT_ROOT

    source = module_rows.source_for("cambridge")
    with psycopg.connect(database_url) as conn:
        load_file(
            conn,
            "shelters",
            PROJECT_ROOT / "etl" / "data" / "cambridge" / "PUBLICSAFETY_EmergencyShelters.geojson",
            source=source,
            mapping=PROJECT_ROOT / "etl" / "mappings" / "cambridge_shelters.yaml",
            settings=settings,
        )
    return source


def test_real_cambridge_shelters_match_brute_force(
    database: Database, cambridge_shelters: str, layers, database_url: str
):
    rows = _rows(
        database_url,
        "SELECT id, ST_X(geom) AS x, ST_Y(geom) AS y FROM shelters"
        f" WHERE source = '{cambridge_shelters}'",
    )
    assert len(rows) == 15
    everything = _rows(database_url, "SELECT id, ST_X(geom) AS x, ST_Y(geom) AS y FROM shelters")
    # Harvard Square, Central Square, Kendall Square, Alewife
    for lon, lat in [
        (-71.1190, 42.3736),
        (-71.1036, 42.3653),
        (-71.0865, 42.3629),
        (-71.1420, 42.3958),
    ]:
        query = NearestQuery.from_params(
            {"layer": "shelters", "lon": lon, "lat": lat, "k": 15}, layers=layers
        )
        answer = nearest_resources(database, query, layers=layers)
        _check(answer, _brute_force(everything, lon, lat, 15))
        names = {f["properties"]["name"] for f in answer["features"]}
        assert names  # real names from the file


@pytest.mark.parametrize(
    ("lon", "lat"), [(0.0, 90.0), (0.0, -90.0), (180.0, 0.0), (-180.0, 89.999), (-120.0, -60.0)]
)
def test_poles_antimeridian_and_far_away_points(
    database: Database, layers, scattered_resources: None, database_url: str, lon: float, lat: float
):
    rows = _rows(database_url, "SELECT id, ST_X(geom) AS x, ST_Y(geom) AS y FROM shelters")
    query = NearestQuery.from_params(
        {"layer": "shelters", "lon": lon, "lat": lat, "k": 7}, layers=layers
    )
    answer = nearest_resources(database, query, layers=layers)
    expected = _brute_force(rows, lon, lat, 7)
    got = [(f["id"], f["properties"]["distance_m"]) for f in answer["features"]]
    assert [g[0] for g in got] == [e[0] for e in expected]
    for (_, d), (_, ed, _) in zip(got, expected, strict=True):
        assert abs(d - ed) < 0.01
