"""Vector tiles: decoded MVT content against an independent computation (shapely + pyproj),
freshness (ETag, 304, next request after an insert), thinning, 204, 400/404, route precedence.

Rows are generated in a corner of Switzerland (8.0-8.4 E, 47.0-47.3 N) by ``module_rows`` and
``rows`` (a source of their own, deleted afterwards); the expected features are computed from every
row of the table near the tile, so rows of other tests cannot make these fail.
"""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta
from typing import Any

import mapbox_vector_tile
import numpy as np
import psycopg
import pytest
import shapely
from flask import Blueprint, Flask
from pyproj import Transformer
from shapely import wkb
from shapely.geometry import Point, box

REGION = (8.0, 47.0, 8.4, 47.3)  # lon/lat
TO_3857 = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)
TO_4326 = Transformer.from_crs("EPSG:3857", "EPSG:4326", always_xy=True)
HALF = math.pi * 6378137.0  # half the width of the Web Mercator world, metres
PRIVATE = {"stream_url"}


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    """(x, y) of the XYZ tile holding a point (the slippy-map formulas)."""
    n = 2**z
    x = int((lon + 180.0) / 360.0 * n)
    y = int((1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n)
    return x, y


def tile_box(z: int, x: int, y: int, grow: float = 0.0) -> tuple[float, float, float, float]:
    """Tile bounds in EPSG:3857 grown by ``grow`` tile units (of 4096), clamped to the world."""
    size = 2 * HALF / 2**z
    xmin, ymax = -HALF + x * size, HALF - y * size
    m = size * grow / 4096
    return (
        max(xmin - m, -HALF),
        max(ymax - size - m, -HALF),
        min(xmin + size + m, HALF),
        min(ymax + m, HALF),
    )


def to_mercator(geom: shapely.Geometry) -> shapely.Geometry:
    return shapely.transform(geom, lambda c: np.column_stack(TO_3857.transform(c[:, 0], c[:, 1])))


def decode(content: bytes) -> dict[str, Any]:
    return mapbox_vector_tile.decode(content, default_options={"y_coord_down": True})


def rows_near(conn: psycopg.Connection, table: str, bounds3857: tuple[float, ...]) -> list[Any]:
    """Every row of a table whose box is near the given bounds (a generous prefetch)."""
    lon0, lat0 = TO_4326.transform(bounds3857[0], bounds3857[1])
    lon1, lat1 = TO_4326.transform(bounds3857[2], bounds3857[3])
    return conn.execute(
        f"SELECT id, ST_AsBinary(geom) FROM {table} "
        "WHERE geom && ST_MakeEnvelope(%s, %s, %s, %s, 4326)",
        [lon0 - 0.5, max(lat0 - 0.5, -90), lon1 + 0.5, min(lat1 + 0.5, 90)],
    ).fetchall()


def expected_ids(conn: psycopg.Connection, table: str, z: int, x: int, y: int):
    """(surely in, surely out) feature ids for a tile: a tile holds every feature intersecting
    the tile grown by its 64/4096 buffer. Features within one grid unit of that edge can go
    either way (snapping to the 4096 grid) and are in neither set."""
    inner, outer = box(*tile_box(z, x, y, 63)), box(*tile_box(z, x, y, 65))
    surely_in, surely_out = set(), set()
    for fid, geom in rows_near(conn, table, tile_box(z, x, y, 64)):
        g = to_mercator(wkb.loads(bytes(geom)))
        if g.intersects(inner):
            surely_in.add(fid)
        elif not g.intersects(outer):
            surely_out.add(fid)
    return surely_in, surely_out


def _square(rng: random.Random, size: float) -> str:
    lon = rng.uniform(REGION[0], REGION[2])
    lat = rng.uniform(REGION[1], REGION[3])
    return shapely.to_wkt(box(lon, lat, lon + size, lat + size * 0.7))


@pytest.fixture(scope="module")
def swiss_corner(module_rows) -> None:
    """400 shelters, 120 flood zones, 60 incidents and 30 cameras in REGION."""
    rng = random.Random(6)
    now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)

    def lonlat() -> tuple[float, float]:
        return rng.uniform(REGION[0], REGION[2]), rng.uniform(REGION[1], REGION[3])

    with module_rows.transaction():
        for i in range(400):
            capacity = None if i % 17 == 0 else rng.randint(50, 900)
            occupancy = rng.randint(0, 40)
            status = rng.choice(["open", "closed", "full", "standby"])
            module_rows.shelter(
                *lonlat(),
                name=f"Shelter {i}",
                capacity=capacity,
                occupancy=occupancy,
                status=status,
                has_food=i % 2 == 0,
                source_id=f"s{i}",
            )
        for i in range(120):
            severity = rng.choice(["low", "moderate", "high", "extreme"])
            module_rows.zone(
                _square(rng, rng.uniform(0.002, 0.03)),
                hazard_type="flood",
                severity=severity,
                name=f"Zone {i}",
                valid_from=now - timedelta(hours=i),
                source_id=f"h{i}",
            )
        for i in range(60):
            module_rows.incident(
                lonlat() if i % 3 else _square(rng, 0.01),
                incident_type="fire",
                severity="high",
                status="reported",
                reported_at=now,
                source_id=f"i{i}",
            )
        for i in range(30):
            module_rows.camera(
                *lonlat(),
                name=f"Camera {i}",
                stream_url="rtsp://secret.example/stream",
                source_id=f"c{i}",
            )


def region_tiles(z: int) -> list[tuple[int, int]]:
    x0, y0 = tile_of(REGION[0], REGION[3], z)
    x1, y1 = tile_of(REGION[2], REGION[1], z)
    return [(x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]


@pytest.mark.parametrize("z", [11, 13])
def test_combined_tiles_hold_exactly_the_features_intersecting_them(
    client, database, swiss_corner, z
):
    tiles = region_tiles(z)
    undecided = decided = 0
    with database.read() as conn:
        for x, y in tiles:
            resp = client.get(f"/ogc/tiles/WebMercatorQuad/{z}/{y}/{x}")
            assert resp.status_code in (200, 204), resp.get_data()
            assert "X-Tile-Thinned" not in resp.headers
            layers = decode(resp.data) if resp.status_code == 200 else {}
            for table in ("shelters", "hazard_zones", "incidents", "cameras"):
                got = {f["id"] for f in layers.get(table, {}).get("features", [])}
                surely_in, surely_out = expected_ids(conn, table, z, x, y)
                assert surely_in <= got, (table, z, x, y, surely_in - got)
                assert not got & surely_out, (table, z, x, y, got & surely_out)
                decided += len(surely_in)
                undecided += len(got - surely_in)
    assert decided > 100
    assert undecided <= decided * 0.03  # only features on the grown edge, within a grid unit


def test_collection_tile_matches_the_combined_tile_layer(client, swiss_corner):
    x, y = tile_of(8.2, 47.15, 11)
    one = decode(client.get(f"/ogc/collections/shelters/tiles/WebMercatorQuad/11/{y}/{x}").data)
    both = decode(client.get(f"/ogc/tiles/WebMercatorQuad/11/{y}/{x}").data)
    assert set(one) == {"shelters"}
    assert {f["id"] for f in one["shelters"]["features"]} == {
        f["id"] for f in both["shelters"]["features"]
    }


def test_point_positions_and_attributes_are_right(client, database, module_rows, swiss_corner):
    z = 11
    x, y = tile_of(8.2, 47.15, z)
    layers = decode(client.get(f"/ogc/tiles/WebMercatorQuad/{z}/{y}/{x}").data)
    xmin, ymin, xmax, ymax = tile_box(z, x, y)
    with database.read() as conn:
        rows = {
            r[0]: r
            for r in conn.execute(
                "SELECT id, name, capacity, occupancy, status, has_food, ST_X(geom), ST_Y(geom), "
                "source FROM shelters WHERE source = %s",
                [module_rows.source],
            )
        }
    checked = 0
    for feature in layers["shelters"]["features"]:
        if feature["id"] not in rows:
            continue  # another test's shelter
        fid, name, capacity, occupancy, status, has_food, lon, lat, source = rows[feature["id"]]
        props = feature["properties"]
        expected = {
            "id": fid,
            "name": name,
            "capacity": capacity,
            "occupancy": occupancy,
            "status": status,
            "has_food": has_food,
            "source": source,
            "free_capacity": None if capacity is None else capacity - occupancy,
        }
        assert props == {k: v for k, v in expected.items() if v is not None}
        mx, my = TO_3857.transform(lon, lat)
        px, py = feature["geometry"]["coordinates"]
        assert abs(px - (mx - xmin) / (xmax - xmin) * 4096) <= 0.51
        assert abs(py - (ymax - my) / (ymax - ymin) * 4096) <= 0.51
        checked += 1
    assert checked > 20


def test_private_and_untiled_fields_are_never_in_tiles(client, swiss_corner):
    x, y = tile_of(8.2, 47.15, 10)
    layers = decode(client.get(f"/ogc/tiles/WebMercatorQuad/10/{y}/{x}").data)
    cameras = layers["cameras"]["features"]
    assert cameras
    for layer in layers.values():
        for feature in layer["features"]:
            assert not PRIVATE & feature["properties"].keys()
            assert "updated_at" not in feature["properties"]
            assert "description" not in feature["properties"]
    assert all(
        set(f["properties"]) <= {"id", "name", "status", "direction", "source"} for f in cameras
    )


def test_datetimes_are_iso_utc(client, database, module_rows, swiss_corner):
    x, y = tile_of(8.2, 47.15, 9)
    layers = decode(client.get(f"/ogc/tiles/WebMercatorQuad/9/{y}/{x}").data)
    with database.read() as conn:
        mine = dict(
            conn.execute(
                "SELECT id, valid_from FROM hazard_zones WHERE source = %s", [module_rows.source]
            )
        )
    seen = 0
    for f in layers["hazard_zones"]["features"]:
        if f["id"] in mine:
            assert f["properties"]["valid_from"] == mine[f["id"]].astimezone(UTC).strftime(
                "%Y-%m-%dT%H:%M:%SZ"
            )
            seen += 1
    assert seen > 50


def test_etag_304_and_an_insert_shows_in_the_next_tile(
    client, database, rows, module_rows, swiss_corner
):
    lon, lat = 8.21, 47.12
    x, y = tile_of(lon, lat, 14)
    url = f"/ogc/tiles/WebMercatorQuad/14/{y}/{x}"
    first = client.get(url)
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "no-cache"
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    new_id = rows.shelter(lon, lat, name="Fresh shelter", status="open", source_id="fresh")
    after = client.get(url, headers={"If-None-Match": etag})
    assert after.status_code == 200
    assert after.headers["ETag"] != etag
    ids = {f["id"] for f in decode(after.data)["shelters"]["features"]}
    assert new_id in ids
    # a change in another layer changes the combined tile's ETag but not the shelters' tile's
    shelters_url = f"/ogc/collections/shelters/tiles/WebMercatorQuad/14/{y}/{x}"
    shelters_etag = client.get(shelters_url).headers["ETag"]
    combined_etag = after.headers["ETag"]
    with database.connection() as conn:
        conn.execute("UPDATE cameras SET name = name WHERE source = %s", [module_rows.source])
    assert client.get(url).headers["ETag"] != combined_etag
    assert client.get(shelters_url, headers={"If-None-Match": shelters_etag}).status_code == 304


def test_empty_tile_is_204_with_etag(client, database):
    x, y = tile_of(-140.0, -45.0, 16)  # South Pacific
    with database.read() as conn:
        for table in ("hazard_zones", "shelters", "stockpiles", "cameras", "incidents"):
            assert not expected_ids(conn, table, 16, x, y)[0], table
    resp = client.get(f"/ogc/tiles/WebMercatorQuad/16/{y}/{x}")
    assert resp.status_code == 204
    assert resp.data == b""
    assert resp.headers["ETag"]
    assert (
        client.get(
            f"/ogc/tiles/WebMercatorQuad/16/{y}/{x}",
            headers={"If-None-Match": resp.headers["ETag"]},
        ).status_code
        == 304
    )


def _shelter_priority(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """The documented order: open, standby, full, closed; then most free places; then id."""
    fid, status, capacity, occupancy = row
    free = None if capacity is None else capacity - occupancy
    rank = ["open", "standby", "full", "closed"].index(status)
    return (rank, free is None, -(free or 0), fid)


def test_thinning_keeps_the_documented_subset_and_says_so(client, database, rows, swiss_corner):
    rng = random.Random(7)
    with rows.transaction():
        for i in range(700):
            capacity = rng.randint(0, 100)
            status = rng.choice(["open", "full", "closed", "standby"])
            lon, lat = rng.uniform(*REGION[::2]), rng.uniform(*REGION[1::2])
            rows.shelter(
                lon,
                lat,
                name="Extra",
                capacity=capacity,
                occupancy=0,
                status=status,
                source_id=f"t{i}",
            )
    z = 4
    x, y = tile_of(8.2, 47.15, z)
    limit = 500  # the rule: min(10000, 500 * 2^max(0, z - 4)) features per layer per tile
    resp = client.get(f"/ogc/tiles/WebMercatorQuad/{z}/{y}/{x}")
    assert resp.status_code == 200
    assert "shelters" in [s.strip() for s in resp.headers["X-Tile-Thinned"].split(",")]
    got = {f["id"] for f in decode(resp.data)["shelters"]["features"]}
    assert len(got) == limit
    with database.read() as conn:
        in_tile, _ = expected_ids(conn, "shelters", z, x, y)
        stored = conn.execute(
            "SELECT id, status, capacity, occupancy FROM shelters WHERE id = ANY(%s)",
            [list(in_tile)],
        ).fetchall()
    assert len(stored) > limit
    assert got == {r[0] for r in sorted(stored, key=_shelter_priority)[:limit]}


def _plan(conn: psycopg.Connection, statement: bytes, params: dict[str, Any]) -> str:
    rows = conn.execute(b"EXPLAIN (COSTS OFF) " + statement, params, prepare=False).fetchall()
    return "\n".join(r[0] for r in rows)


@pytest.mark.parametrize(
    ("force", "expect_in_plan"),
    [
        # No sorting allowed: the only way to the priority order is the priority index.
        ("SET LOCAL enable_sort = off", "shelters_tile_priority_idx"),
        # No plain index scans: the GIST bitmap scan, then a top-N sort.
        ("SET LOCAL enable_indexscan = off", "Sort Key"),
    ],
)
def test_thinning_is_the_same_whichever_plan_finds_it(database_url, force, expect_in_plan):
    """A dense tile is thinned by walking the priority index, a sparse one by sorting what the
    GIST index finds (the planner chooses per tile); both must keep the documented subset."""
    from gisserver.layers import load_layers
    from gisserver.settings import Settings
    from gisserver.tiles.mvt import Tileset

    tileset = Tileset([load_layers(Settings().layers_dir)["shelters"]])
    rng = random.Random(11)
    z = 6
    x, y = tile_of(-40.5, -60.5, z)  # open ocean: only this test's rows are in the tile
    with psycopg.connect(database_url) as conn:  # one transaction, rolled back at the end
        conn.cursor().executemany(
            "INSERT INTO shelters (source, source_id, name, capacity, occupancy, status, geom) "
            "VALUES (%s, %s, 'Plan', %s, %s, %s, ST_SetSRID(ST_MakePoint(%s, %s), 4326))",
            [
                (
                    "test-tiles-plan",
                    f"p{i}",
                    rng.randint(0, 50),
                    rng.randint(0, 3),  # ties and capacity - occupancy below zero too
                    rng.choice(["open", "full", "closed", "standby"]),
                    rng.uniform(-41.5, -39.8),
                    rng.uniform(-61.2, -59.9),
                )
                for i in range(2500)
            ],
        )
        conn.execute(force)
        params = tileset.parameters(z, x, y)
        assert expect_in_plan in _plan(conn, tileset.statement, params)
        content, thinned, _ = conn.execute(tileset.statement, params, prepare=False).fetchone()
        in_tile, _ = expected_ids(conn, "shelters", z, x, y)
        rows = conn.execute(
            "SELECT id, status, capacity, occupancy FROM shelters WHERE id = ANY(%s)",
            [list(in_tile)],
        ).fetchall()
        conn.rollback()
    limit = 2000  # min(10000, 500 * 2^(6 - 4))
    assert len(rows) > limit
    assert thinned == [True]
    got = [f["id"] for f in decode(bytes(content))["shelters"]["features"]]
    assert len(got) == limit
    assert set(got) == {r[0] for r in sorted(rows, key=_shelter_priority)[:limit]}


def test_priority_indexes_match_the_thinning_order(database, layers):
    """The tile priority indexes (migrations 0002, 0003) are usable for each layer's
    ``tiles.priority`` order (the planner only matches identical expressions); with sorting off,
    a mismatch would show a Sort."""
    with database.read() as conn:
        for layer in layers:
            assert layer.tile_priority, layer.id
            terms = [(term.sql("t"), term.direction) for term in layer.tile_priority]
            order = ", ".join(
                f"{expr} {direction}" for expr, direction in [*terms, ("t.id", "ASC")]
            )
            with conn.transaction():
                conn.execute("SET LOCAL enable_sort = off")
                conn.execute("SET LOCAL enable_seqscan = off")
                plan = "\n".join(
                    r[0]
                    for r in conn.execute(
                        f"EXPLAIN (COSTS OFF) SELECT t.id FROM {layer.table} AS t "
                        f"ORDER BY {order} LIMIT 1"
                    )
                )
            assert f"{layer.id}_tile_priority_idx" in plan, plan
            assert "Sort" not in plan, plan


@pytest.mark.parametrize(
    "layer_id", ["hazard_zones", "shelters", "stockpiles", "cameras", "incidents"]
)
def test_tile_statement_can_thin_each_layer_by_its_priority_index(database, layers, layer_id):
    """With sorting off, the tile statement itself (not only its ORDER BY) walks the layer's
    priority index: what the planner picks for a dense tile."""
    from gisserver.tiles.mvt import Tileset

    tileset = Tileset([layers[layer_id]])
    x, y = tile_of(8.2, 47.15, 4)
    with database.read() as conn, conn.transaction():
        conn.execute("SET LOCAL enable_sort = off")
        plan = _plan(conn, tileset.statement, tileset.parameters(4, x, y))
    assert f"{layer_id}_tile_priority_idx" in plan, plan
    assert "Sort" not in plan, plan


@pytest.mark.parametrize(
    ("url", "status", "says"),
    [
        ("/ogc/tiles/WebMercatorQuad/23/0/0", 404, "tileMatrix"),
        ("/ogc/tiles/WebMercatorQuad/3/8/0", 404, "tileRow"),
        ("/ogc/tiles/WebMercatorQuad/3/0/8", 404, "tileCol"),
        ("/ogc/tiles/WebMercatorQuad/x/0/0", 400, "tileMatrix"),
        ("/ogc/tiles/WebMercatorQuad/3/-1/0", 400, "tileRow"),
        ("/ogc/tiles/WorldCRS84Quad/3/0/0", 404, "tileMatrixSetId"),
        ("/ogc/collections/nowhere/tiles/WebMercatorQuad/0/0/0", 404, "nowhere"),
        ("/ogc/collections/shelters/tiles/WorldCRS84Quad", 404, "tileMatrixSetId"),
        ("/ogc/collections/nowhere/tiles/WebMercatorQuad/tilejson.json", 404, "nowhere"),
        ("/ogc/collections/nowhere/tiles", 404, "nowhere"),
        ("/ogc/tiles/WebMercatorQuad/0/0/0?f=png", 400, "f"),
    ],
)
def test_bad_tile_requests_say_why_in_json(client, url, status, says):
    resp = client.get(url)
    assert resp.status_code == status
    assert says in resp.get_json()["description"]


def test_tilejson_is_absolute_and_lists_every_layer(client, app):
    doc = client.get("/ogc/tiles/WebMercatorQuad/tilejson.json").get_json()
    assert doc["tiles"] == ["http://localhost/ogc/tiles/WebMercatorQuad/{z}/{y}/{x}"]
    assert [v["id"] for v in doc["vector_layers"]] == [
        "hazard_zones",
        "shelters",
        "stockpiles",
        "cameras",
        "incidents",
        "units",
    ]
    shelters = next(v for v in doc["vector_layers"] if v["id"] == "shelters")
    assert shelters["fields"]["free_capacity"] == "Number"
    cameras = next(v for v in doc["vector_layers"] if v["id"] == "cameras")
    assert "stream_url" not in cameras["fields"]
    one = client.get("/ogc/collections/cameras/tiles/WebMercatorQuad/tilejson.json").get_json()
    assert one["tiles"] == [
        "http://localhost/ogc/collections/cameras/tiles/WebMercatorQuad/{z}/{y}/{x}"
    ]
    proxied = client.get(
        "/ogc/tiles/WebMercatorQuad/tilejson.json", base_url="https://maps.example.org"
    ).get_json()
    assert proxied["tiles"][0].startswith("https://maps.example.org/ogc/tiles/")


def test_tileset_metadata_links_tiles_and_tilejson(client):
    doc = client.get("/ogc/collections/shelters/tiles/WebMercatorQuad").get_json()
    assert doc["dataType"] == "vector"
    assert doc["tileMatrixSetURI"].endswith("/WebMercatorQuad")
    rels = {link["rel"]: link["href"] for link in doc["links"]}
    assert rels["item"].endswith(
        "/ogc/collections/shelters/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}"
    )
    assert rels["describedby"].endswith("/WebMercatorQuad/tilejson.json")
    props = doc["layers"][0]["propertiesSchema"]["properties"]
    assert "free_capacity" in props and "updated_at" not in props
    listing = client.get("/ogc/collections/shelters/tiles").get_json()
    assert listing["tilesets"][0]["links"][0]["href"].endswith(
        "/collections/shelters/tiles/WebMercatorQuad"
    )
    assert client.get("/ogc/tiles").get_json()["tilesets"]


# pygeoapi 0.21's tile rules (pygeoapi/flask_app.py), to check that ours win whatever the order.
PYGEOAPI_RULES = [
    "/collections/<path:collection_id>",
    "/collections/<path:collection_id>/tiles",
    "/collections/<path:collection_id>/tiles/<tileMatrixSetId>",
    "/collections/<path:collection_id>/tiles/<tileMatrixSetId>/metadata",
    "/collections/<path:collection_id>/tiles/<tileMatrixSetId>/<tileMatrix>/<tileRow>/<tileCol>",
]


@pytest.mark.parametrize("pygeoapi_first", [True, False])
def test_our_tile_routes_take_precedence_over_pygeoapi_rules(settings, pygeoapi_first):
    from gisserver.layers import load_layers
    from gisserver.tiles.routes import install

    shaped = Blueprint("pygeoapi_shaped", __name__)
    for i, rule in enumerate(PYGEOAPI_RULES):
        shaped.add_url_rule(rule, f"r{i}", lambda **kw: "")
    app = Flask("precedence")
    layers = load_layers(settings.layers_dir)
    if pygeoapi_first:
        app.register_blueprint(shaped, url_prefix="/ogc")
    install(app, layers)
    if not pygeoapi_first:
        app.register_blueprint(shaped, url_prefix="/ogc")
    adapter = app.url_map.bind("localhost")
    base = "/ogc/collections/shelters/tiles"
    for url, endpoint in [
        (base, "tiles.shelters_tilesets"),
        (f"{base}/WebMercatorQuad", "tiles.shelters_tileset"),
        (f"{base}/WebMercatorQuad/metadata", "tiles.shelters_tileset_metadata"),
        (f"{base}/WebMercatorQuad/tilejson.json", "tiles.shelters_tilejson"),
        (f"{base}/WebMercatorQuad/5/11/9", "tiles.shelters_tile"),
        ("/ogc/tiles/WebMercatorQuad/5/11/9", "tiles.combined_tile"),
    ]:
        assert adapter.match(url)[0] == endpoint, url
    assert adapter.match(f"{base}/WebMercatorQuad/5/11/9")[1]["collection_id"] == "shelters"
    # other collection ids reach our rules too (to answer 404), pygeoapi keeps the rest
    other = "/ogc/collections/other/tiles"
    assert adapter.match(other)[0] == "tiles.tilesets"
    assert adapter.match(f"{other}/WebMercatorQuad/1/0/0")[0] == "tiles.tile"
    assert adapter.match(f"{other}/WebMercatorQuad/tilejson.json")[0] == "tiles.tilejson"
    assert adapter.match("/ogc/collections/shelters")[0] == "pygeoapi_shaped.r0"
    assert adapter.match("/ogc/collections/shelters/items")[0] == "pygeoapi_shaped.r0"


def test_pygeoapi_provider_renders_the_same_tile(app, client, settings, swiss_corner):
    from pygeoapi.plugin import load_plugin

    from gisserver.tiles import tile_provider_config

    layer = app.extensions["gisserver"].layers["shelters"]
    x, y = tile_of(8.2, 47.15, 11)
    with app.test_request_context("/ogc/collections/shelters/tiles"):
        provider = load_plugin("provider", tile_provider_config(layer, settings))
        content = provider.get_tiles(
            layer="shelters", tileset="WebMercatorQuad", z="11", y=str(y), x=str(x)
        )
        links = provider.get_tiles_service(servicepath="http://h/ogc/collections/shelters/tiles")
        meta = provider.get_metadata(
            dataset="shelters",
            server_url="http://h/ogc",
            tileset="WebMercatorQuad",
            metadata_format="tilejson",
        )
    ours = client.get(f"/ogc/collections/shelters/tiles/WebMercatorQuad/11/{y}/{x}").data
    assert content == ours
    assert links["links"]
    assert meta["tiles"] == ["http://h/ogc/collections/shelters/tiles/WebMercatorQuad/{z}/{y}/{x}"]


def test_mounted_pygeoapi_links_the_tiles(client):
    resp = client.get("/ogc/collections/shelters?f=json")
    if resp.status_code == 404:
        pytest.skip("pygeoapi is not mounted at /ogc yet")
    hrefs = [link["href"] for link in resp.get_json()["links"]]
    assert any("/collections/shelters/tiles" in h for h in hrefs)
    tile = client.get("/ogc/collections/shelters/tiles/WebMercatorQuad/0/0/0")
    assert "ETag" in tile.headers  # answered by our route, not pygeoapi's


def test_point_helper_agrees_with_pyproj():
    # the test's own tile math, checked once against pyproj
    x, y = tile_of(8.2, 47.15, 11)
    mx, my = TO_3857.transform(8.2, 47.15)
    assert box(*tile_box(11, x, y)).contains(Point(mx, my))


def _gets(node: Any, out: set[str]) -> set[str]:
    if isinstance(node, list):
        if len(node) == 2 and node[0] == "get" and isinstance(node[1], str):
            out.add(node[1])
        for item in node:
            _gets(item, out)
    elif isinstance(node, dict):
        for value in node.values():
            _gets(value, out)
    return out


def test_every_attribute_the_maplibre_styles_use_is_in_the_tiles(settings):
    import json

    from gisserver.layers import load_layers
    from gisserver.tiles.mvt import tile_attribute_names

    layers = load_layers(settings.layers_dir)
    paths = sorted(settings.styles_dir.glob("*.json"))
    if not paths:
        pytest.skip("no MapLibre styles in styles/ yet")
    for path in paths:
        style = json.loads(path.read_text())
        for style_layer in style["layers"]:
            source_layer = style_layer.get("source-layer")
            if source_layer is None:
                continue
            assert source_layer in layers, (path.name, source_layer)
            used = _gets(style_layer, set())
            assert used <= set(tile_attribute_names(layers[source_layer])), (path.name, used)


def test_cached_low_zoom_tile_is_fresh_after_an_insert(app, client, rows, swiss_corner):
    from gisserver.tiles.routes import EXTENSION

    sets = app.extensions[EXTENSION]
    z = 9
    assert sets.cached(z)
    lon, lat = 8.33, 47.21
    x, y = tile_of(lon, lat, z)
    url = f"/ogc/collections/shelters/tiles/WebMercatorQuad/{z}/{y}/{x}"
    first = client.get(url)
    second = client.get(url)
    assert sets.cache.get(("shelters", first.headers["ETag"].strip('"'))) is not None
    assert second.data == first.data and second.headers["ETag"] == first.headers["ETag"]
    new_id = rows.shelter(lon, lat, name="Cached?", status="open", source_id="cached")
    after = client.get(url)
    assert after.headers["ETag"] != first.headers["ETag"]
    assert new_id in {f["id"] for f in decode(after.data)["shelters"]["features"]}


def test_tile_cache_evicts_least_recently_used_by_size():
    from gisserver.tiles.cache import CachedTile, tile_cache

    cache = tile_cache(max_bytes=3 * (1000 + 200))
    for key in "abc":
        cache.put((None, key), CachedTile(b"x" * 1000, ()))
    assert cache.get((None, "a")) is not None  # a is now the most recent
    cache.put((None, "d"), CachedTile(b"x" * 1000, ()))
    assert cache.get((None, "b")) is None
    assert [cache.get((None, k)) is not None for k in "acd"] == [True, True, True]
    cache.put((None, "huge"), CachedTile(b"x" * 10_000, ()))
    assert cache.get((None, "huge")) is None and len(cache) == 3


def test_world_edges_do_not_wrap_and_polar_zones_render(client, rows):
    """At the antimeridian the grown tile must not wrap round (ST_TileEnvelope's margin runs
    past 180 degrees, which ST_Transform would turn into the other side of the world), and a
    zone reaching the pole (outside Web Mercator) must still render where it is inside."""
    stockpiles = {}
    for lon in (100.0, 179.99):
        stockpiles[lon] = rows.stockpile(lon, 10, name="Edge", source_id=f"e{lon}")
    polar = rows.zone((20, 80, 30, 90), hazard_type="other", severity="low", source_id="polar")
    z = 3
    _, y = tile_of(100.0, 10.0, z)

    def stockpile_ids(x: int) -> set[int]:
        resp = client.get(f"/ogc/collections/stockpiles/tiles/WebMercatorQuad/{z}/{y}/{x}")
        assert resp.status_code in (200, 204)
        layers = decode(resp.data) if resp.status_code == 200 else {}
        return {f["id"] for f in layers.get("stockpiles", {}).get("features", [])}

    assert not set(stockpiles.values()) & stockpile_ids(0)
    assert stockpiles[179.99] in stockpile_ids(7)
    assert stockpiles[100.0] in stockpile_ids(6)
    x, y = tile_of(25.0, 84.0, 2)
    resp = client.get(f"/ogc/collections/hazard_zones/tiles/WebMercatorQuad/2/{y}/{x}")
    assert resp.status_code == 200
    assert polar in {f["id"] for f in decode(resp.data)["hazard_zones"]["features"]}


def test_html_tileset_pages_come_from_pygeoapi_when_mounted(client):
    resp = client.get("/ogc/collections/shelters/tiles?f=html")
    if resp.status_code == 400:
        assert "needs the OGC API mounted" in resp.get_json()["description"]
        pytest.skip("pygeoapi is not mounted at /ogc yet")
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    page = client.get("/ogc/collections/shelters/tiles/WebMercatorQuad?f=html")
    assert page.status_code == 200 and page.mimetype == "text/html"
