"""The offline basemap: ``gisserver etl load basemap`` (the areas), ``/tiles/basemap`` (its
vector tiles: the road network's streets and the areas) checked against shapely on the same
rows, its caching headers, and the web map drawing it in Chromium under its CSP, with and
without an external raster basemap."""

from __future__ import annotations

import gzip
import json
import math
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import mapbox_vector_tile
import numpy as np
import psycopg
import pytest
import shapely
from click.testing import CliRunner
from cop import CHROMIUM, browser, keep, open_map, violations
from flask import Flask
from flask.testing import FlaskClient
from live import serving

from gisserver.cli import main
from gisserver.cli.etl import BASEMAP_KINDS
from gisserver.errors import ConfigError, InvalidParameter
from gisserver.etl.basemap import KINDS, delete_basemap_sources, load_basemap
from gisserver.etl.manifest import read_manifest
from gisserver.etl.roads import delete_road_sources, load_roads
from gisserver.etl.runs import LoadAborted
from gisserver.settings import PROJECT_ROOT, Settings

DATA = PROJECT_ROOT / "etl" / "data" / "cambridge"
BOUNDARY = DATA / "BOUNDARY_CityBoundary.geojson"
CENTRELINES = DATA / "TRANS_Centerlines.geojson"
CENTRELINES_MAPPING = PROJECT_ROOT / "etl" / "mappings" / "cambridge_centerlines.yaml"
EXTENT, BUFFER = 4096, 64
CAMBRIDGE = (-71.1097, 42.3736)  # Harvard Square to Central Square
# mapbox_vector_tile: tile coordinates with y down (row 0 north), as ST_AsMVTGeom writes them.
DOWN = {"y_coord_down": True}


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    """(x, y) of the WebMercatorQuad tile holding lon/lat (the slippy-map formula)."""
    n = 2**z
    lat_r = math.radians(lat)
    return int((lon + 180) / 360 * n), int((1 - math.asinh(math.tan(lat_r)) / math.pi) / 2 * n)


def tile_box(z: int, x: int, y: int) -> shapely.Polygon:
    """Tile z/x/y grown by the 64/4096 buffer, in lon/lat (a Mercator rectangle is one there)."""
    n, grow = 2**z, BUFFER / EXTENT

    def lat(row: float) -> float:
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * row / n))))

    west, east = (x - grow) / n * 360 - 180, (x + 1 + grow) / n * 360 - 180
    return shapely.box(west, lat(y + 1 + grow), east, lat(y - grow))


def to_tile(geom: shapely.Geometry, z: int, x: int, y: int) -> shapely.Geometry:
    """lon/lat to the tile's 4096 grid (y down)."""
    n = 2**z

    def project(coords: Any) -> Any:
        lon, lat = coords[:, 0], coords[:, 1]
        fx = (lon + 180) / 360 * n
        fy = (1 - np.arcsinh(np.tan(np.radians(lat))) / math.pi) / 2 * n
        return np.column_stack([(fx - x) * EXTENT, (fy - y) * EXTENT])

    return shapely.transform(geom, project)


def all_roads(conn: psycopg.Connection[Any]) -> list[tuple[str, str | None, shapely.Geometry]]:
    rows = conn.execute("SELECT road_class, name, ST_AsBinary(geom) FROM roads").fetchall()
    return [(c, n, shapely.from_wkb(bytes(g))) for c, n, g in rows]


def expected_streets(
    roads: list[tuple[str, str | None, shapely.Geometry]],
    z: int,
    x: int,
    y: int,
    classes: set[str] | None = None,
) -> dict[tuple[str, str | None], shapely.Geometry]:
    """(class, name) -> the part of those roads in the grown tile, per shapely."""
    box = tile_box(z, x, y)
    parts: dict[tuple[str, str | None], list[shapely.Geometry]] = {}
    for road_class, name, geom in roads:
        if classes is not None and road_class not in classes:
            continue
        if geom.intersects(box):
            parts.setdefault((road_class, name), []).append(geom.intersection(box))
    return {key: shapely.union_all(geoms) for key, geoms in parts.items()}


def decoded(response: Any, layer: str) -> list[dict[str, Any]]:
    tile = mapbox_vector_tile.decode(response.data, default_options=DOWN)
    return tile.get(layer, {}).get("features", [])


@pytest.fixture()
def writer(settings: Settings, database_url: str) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(settings.write_database_url or database_url) as connection:
        yield connection


@pytest.fixture()
def basemap_sources(writer: psycopg.Connection[Any]) -> Iterator[Any]:
    made: list[str] = []

    def make(label: str) -> str:
        made.append(f"test-basemap-{label}-{uuid.uuid4().hex[:8]}")
        return made[-1]

    yield make
    writer.rollback()
    delete_basemap_sources(writer, made)


@pytest.fixture(scope="module")
def cambridge(settings: Settings, database_url: str) -> Iterator[dict[str, str]]:
    """Cambridge's street centrelines and city boundary, as the demo loads them."""
    roads = f"test-basemap-roads-{uuid.uuid4().hex[:8]}"
    boundary = f"test-basemap-boundary-{uuid.uuid4().hex[:8]}"
    with psycopg.connect(settings.write_database_url or database_url) as conn:
        load_roads(conn, CENTRELINES, source=roads, mapping=CENTRELINES_MAPPING, settings=settings)
        load_basemap(conn, BOUNDARY, kind="boundary", source=boundary, settings=settings)
        try:
            yield {"roads": roads, "boundary": boundary}
        finally:
            conn.rollback()
            delete_road_sources(conn, [roads], settings=settings)
            delete_basemap_sources(conn, [boundary])


def areas_of(conn: psycopg.Connection[Any], source: str) -> list[tuple[str, str | None, Any]]:
    return conn.execute(
        "SELECT kind, name, ST_AsBinary(geom) FROM basemap_areas WHERE source = %s ORDER BY id",
        (source,),
    ).fetchall()


def basemap_version(conn: psycopg.Connection[Any]) -> int:
    row = conn.execute("SELECT version FROM basemap_version").fetchone()
    assert row is not None
    return int(row[0])


def write_geojson(path: Path, geometries: list[dict[str, Any]], names: list[Any]) -> Path:
    features = [
        {"type": "Feature", "properties": {"Name": name}, "geometry": geometry}
        for geometry, name in zip(geometries, names, strict=True)
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


SQUARE = {
    "type": "Polygon",
    "coordinates": [[[-71.10, 42.37], [-71.09, 42.37], [-71.09, 42.38], [-71.10, 42.37]]],
}
POND = {
    "type": "MultiPolygon",
    "coordinates": [[[[-71.15, 42.38], [-71.14, 42.38], [-71.14, 42.39], [-71.15, 42.38]]]],
}


# --- the load ------------------------------------------------------------------------------


def test_load_counts_replaces_and_is_idempotent(
    writer: psycopg.Connection[Any], settings: Settings, basemap_sources: Any, tmp_path: Path
) -> None:
    source = basemap_sources("load")
    before = basemap_version(writer)
    report = load_basemap(writer, BOUNDARY, kind="boundary", source=source, settings=settings)
    assert (report.status, report.read, report.inserted, report.rejected) == ("succeeded", 1, 1, 0)
    rows = areas_of(writer, source)
    assert [(kind, name) for kind, name, _ in rows] == [("boundary", None)]
    stored = shapely.from_wkb(bytes(rows[0][2]))
    in_file = shapely.geometry.shape(json.loads(BOUNDARY.read_text())["features"][0]["geometry"])
    assert stored.geom_type == "MultiPolygon"
    assert stored.symmetric_difference(in_file).area < 1e-12 * in_file.area
    assert basemap_version(writer) == before + 1

    again = load_basemap(writer, BOUNDARY, kind="boundary", source=source, settings=settings)
    assert (again.inserted, again.unchanged, again.retired) == (0, 1, 0)
    assert basemap_version(writer) == before + 1, "the same file again changes nothing"

    water = write_geojson(tmp_path / "water.geojson", [SQUARE, POND], ["Square", " "])
    replaced = load_basemap(writer, water, kind="water", source=source, settings=settings)
    assert (replaced.inserted, replaced.retired, replaced.unchanged) == (2, 1, 0)
    assert [(k, n) for k, n, _ in areas_of(writer, source)] == [
        ("water", "Square"),
        ("water", None),
    ]
    assert basemap_version(writer) == before + 2


def test_bad_input_is_refused_and_changes_nothing(
    writer: psycopg.Connection[Any], settings: Settings, basemap_sources: Any, tmp_path: Path
) -> None:
    source = basemap_sources("bad")
    load_basemap(writer, BOUNDARY, kind="boundary", source=source, settings=settings)
    before = (areas_of(writer, source), basemap_version(writer))

    with pytest.raises(InvalidParameter) as bad_kind:
        load_basemap(writer, BOUNDARY, kind="forest", source=source, settings=settings)
    assert "--kind" in bad_kind.value.message and "'forest'" in bad_kind.value.message
    assert "boundary, water, park" in bad_kind.value.message

    points = tmp_path / "points.geojson"
    write_geojson(points, [{"type": "Point", "coordinates": [-71.1, 42.37]}], ["a"])
    with pytest.raises(LoadAborted, match="1 of 1 features rejected") as aborted:
        load_basemap(writer, points, kind="park", source=source, settings=settings)
    rejects = aborted.value.report.rejects_file
    assert (
        rejects is not None and "a Point where the layer takes MultiPolygon" in rejects.read_text()
    )
    empty = write_geojson(tmp_path / "empty.geojson", [], [])
    with pytest.raises(InvalidParameter, match="holds no polygon"):
        load_basemap(writer, empty, kind="park", source=source, settings=settings)
    assert (areas_of(writer, source), basemap_version(writer)) == before

    # The command line says the same, naming the option and what it accepts.
    env = {
        "DATABASE_URL": settings.database_url or "",
        "GISSERVER_DATA_DIR": str(settings.data_dir),
    }
    args = ["etl", "load", "basemap", str(BOUNDARY), "--source", source]
    result = CliRunner().invoke(main, [*args, "--kind", "forest"], env=env)
    assert (
        result.exit_code == 2
        and "'forest' is not one of 'boundary', 'water', 'park'" in result.output
    )
    result = CliRunner().invoke(main, args, env=env)
    assert (
        result.exit_code != 0
        and "--kind" in result.output
        and "boundary, water, park" in result.output
    )
    result = CliRunner().invoke(main, [*args, "--kind", "boundary", "--replace"], env=env)
    assert result.exit_code == 2 and "basemap loads take --kind" in result.output
    assert (areas_of(writer, source), basemap_version(writer)) == before


def test_manifest_kinds(tmp_path: Path) -> None:
    assert BASEMAP_KINDS == KINDS
    demo = [
        load
        for load in read_manifest(PROJECT_ROOT / "etl" / "demo.yaml")
        if load.layer == "basemap"
    ]
    assert [(load.file.name, load.options) for load in demo] == [
        ("BOUNDARY_CityBoundary.geojson", {"kind": "boundary"})
    ]
    manifest = tmp_path / "m.yaml"
    manifest.write_text(f"- layer: basemap\n  file: {BOUNDARY}\n  kind: forest\n  mapping: x\n")
    with pytest.raises(ConfigError) as problems:
        read_manifest(manifest)
    assert "loads[0].kind: 'forest'; accepted: boundary, water, park" in problems.value.message
    assert "loads[0].mapping: unknown key" in problems.value.message


# --- the tiles -----------------------------------------------------------------------------


def test_z14_streets_are_the_roads_in_the_tile(
    client: FlaskClient, cambridge: dict[str, str], conn: psycopg.Connection[Any]
) -> None:
    z = 14
    x, y = tile_of(*CAMBRIDGE, z)
    response = client.get(f"/tiles/basemap/{z}/{y}/{x}")
    assert response.status_code == 200 and response.mimetype == "application/vnd.mapbox-vector-tile"
    features = decoded(response, "roads")
    got = {(f["properties"]["road_class"], f["properties"].get("name")) for f in features}
    expected = expected_streets(all_roads(conn), z, x, y)
    assert got == set(expected)
    assert len(features) == len(expected), "one feature per class and name"
    assert {"residential", "primary", "secondary"} <= {c for c, _ in got}
    # Each street's line is where its roads are: within the simplification tolerance (4 of
    # 4096 units) and the grid's rounding.
    for f in features:
        key = (f["properties"]["road_class"], f["properties"].get("name"))
        drawn = shapely.geometry.shape(f["geometry"])
        assert drawn.hausdorff_distance(to_tile(expected[key], z, x, y)) < 6, key


@pytest.mark.parametrize(("z", "classes"), [(12, {"primary", "secondary"}), (9, {"primary"})])
def test_low_zooms_draw_the_main_roads_only(
    client: FlaskClient,
    cambridge: dict[str, str],
    conn: psycopg.Connection[Any],
    z: int,
    classes: set[str],
) -> None:
    x, y = tile_of(*CAMBRIDGE, z)
    response = client.get(f"/tiles/basemap/{z}/{y}/{x}")
    features = decoded(response, "roads")
    got = {(f["properties"]["road_class"], f["properties"].get("name")) for f in features}
    assert got == set(expected_streets(all_roads(conn), z, x, y, classes))
    assert {c for c, _ in got} == classes
    # ... and the city boundary, as drawn: the file's polygon in the tile (simplified).
    [area] = decoded(response, "areas")
    assert (area["properties"]["kind"], area["properties"].get("name")) == ("boundary", None)
    boundary = shapely.geometry.shape(json.loads(BOUNDARY.read_text())["features"][0]["geometry"])
    expected = to_tile(boundary.intersection(tile_box(z, x, y)), z, x, y)
    drawn = shapely.geometry.shape(area["geometry"])
    assert abs(drawn.area - expected.area) < 0.02 * expected.area
    assert drawn.hausdorff_distance(expected) < 6


def test_a_tile_with_nothing_is_204(client: FlaskClient, cambridge: dict[str, str]) -> None:
    x, y = tile_of(-40.0, 30.0, 14)  # the middle of the Atlantic
    response = client.get(f"/tiles/basemap/14/{y}/{x}")
    assert response.status_code == 204 and response.data == b""
    assert response.headers["ETag"] and response.headers["Cache-Control"] == "no-cache"


def test_errors_name_the_parameter(client: FlaskClient) -> None:
    response = client.get("/tiles/basemap/14/x/0")
    assert response.status_code == 400 and "tileRow" in response.get_json()["description"]
    response = client.get("/tiles/basemap/23/0/0")
    assert response.status_code == 404 and "0 to 22" in response.get_json()["description"]
    response = client.get("/tiles/basemap/2/4/0")
    assert response.status_code == 404 and "tileRow: 4" in response.get_json()["description"]


def test_etag_gzip_and_a_road_load(
    client: FlaskClient,
    cambridge: dict[str, str],
    settings: Settings,
    writer: psycopg.Connection[Any],
    tmp_path: Path,
) -> None:
    x, y = tile_of(*CAMBRIDGE, 14)
    url = f"/tiles/basemap/14/{y}/{x}"
    first = client.get(url)
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "no-cache" and "Content-Encoding" not in first.headers
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304

    zipped = client.get(url, headers={"Accept-Encoding": "gzip, deflate"})
    assert zipped.headers["Content-Encoding"] == "gzip" and zipped.headers["ETag"] == etag
    assert gzip.decompress(zipped.data) == first.data
    assert "Accept-Encoding" in zipped.headers["Vary"]

    # A road load (two street segments of another source) changes every basemap tile's ETag.
    streets = json.loads(CENTRELINES.read_text())
    streets["features"] = streets["features"][:2]
    small = tmp_path / "two-streets.geojson"
    small.write_text(json.dumps(streets))
    source = f"test-basemap-etag-{uuid.uuid4().hex[:8]}"
    load_roads(writer, small, source=source, mapping=CENTRELINES_MAPPING, settings=settings)
    try:
        after = client.get(url, headers={"If-None-Match": etag})
        assert after.status_code == 200 and after.headers["ETag"] != etag
        assert client.get(url, headers={"If-None-Match": after.headers["ETag"]}).status_code == 304
    finally:
        delete_road_sources(writer, [source], settings=settings)


def test_tilejson(client: FlaskClient) -> None:
    doc = client.get("/tiles/basemap/tilejson.json").get_json()
    assert doc["tiles"][0].endswith("/tiles/basemap/{z}/{y}/{x}")
    assert [layer["id"] for layer in doc["vector_layers"]] == ["roads", "areas"]


def test_a_bad_external_basemap_url_stops_the_start(settings: Settings) -> None:
    from gisserver.app import create_app

    with pytest.raises(ConfigError, match="GISSERVER_BASEMAP_URL: 'ftp://x/{z}/{x}/{y}.png'"):
        create_app(settings.model_copy(update={"basemap_url": "ftp://x/{z}/{x}/{y}.png"}))


# --- in the browser ------------------------------------------------------------------------

BASEMAP_LAYERS = ["basemap-roads", "basemap-boundary"]
DRAWN = """(ids) => Object.fromEntries(ids.map(
  (id) => [id, map.queryRenderedFeatures({ layers: [id] }).length]))"""
ORDER = "map.getStyle().layers.map((l) => l.id)"


@pytest.fixture(scope="module")
def live(app: Flask, cambridge: dict[str, str]) -> Iterator[str]:
    with serving(app) as base:
        yield base


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_the_map_draws_the_basemap_under_the_features(live: str) -> None:
    # Zoom 14 over the city's edge at the Charles: streets and the boundary both in view.
    with browser() as chromium:
        page = open_map(chromium, f"{live}/map#14/42.366/-71.11")
        drawn = page.evaluate(DRAWN, BASEMAP_LAYERS)
        assert all(n > 0 for n in drawn.values()), drawn
        # Above the background, below every feature layer.
        order = page.evaluate(ORDER)
        ours = [i for i, lid in enumerate(order) if lid.startswith("basemap-")]
        assert order[0] == "background" and ours == list(range(1, len(ours) + 1)), order
        assert (
            page.locator("#layers .basemap label").first.inner_text().strip() == "Basemap (offline)"
        )
        assert violations(page) == [] and page.watched.errors == []
        keep(page, "basemap")


def _png(rgb: tuple[int, int, int], size: int = 256) -> bytes:
    """A one-colour PNG (zlib and struct: no imaging library needed)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * size
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * size))
        + chunk(b"IEND", b"")
    )


@contextmanager
def tile_server() -> Iterator[tuple[str, list[str]]]:
    """Raster tiles on another origin (another port), with CORS like a public tile server;
    the paths it was asked for."""
    asked: list[str] = []
    png = _png((200, 230, 250))

    class Tiles(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Content-Length", str(len(png)))
            self.end_headers()
            self.wfile.write(png)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Tiles)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", asked
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_an_external_basemap_is_drawn_under_everything(
    settings: Settings, cambridge: dict[str, str]
) -> None:
    from gisserver.app import create_app

    with tile_server() as (origin, asked):
        external = create_app(
            settings.model_copy(update={"basemap_url": origin + "/{z}/{x}/{y}.png"})
        )
        try:
            with serving(external) as base, browser() as chromium:
                page = open_map(chromium, f"{base}/map#14/42.366/-71.11")
                policy = page.evaluate(
                    "fetch('/map').then((r) => r.headers.get('Content-Security-Policy'))"
                )
                directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
                assert origin in directives["img-src"].split()
                assert directives["connect-src"] == "'self'"
                # 256-pixel raster tiles: MapLibre asks zoom 15 at map zoom 14, {z}/{x}/{y}.
                x, y = tile_of(-71.11, 42.366, 15)
                assert f"/15/{x}/{y}.png" in asked, asked
                order = page.evaluate(ORDER)
                assert order[:2] == ["background", "basemap-external"], order
                drawn = page.evaluate(DRAWN, BASEMAP_LAYERS)
                assert all(n > 0 for n in drawn.values()), drawn
                assert violations(page) == [] and page.watched.errors == []
                keep(page, "basemap-external")
                # The policy really holds: an origin it does not name is refused.
                page.evaluate("(new Image()).src = 'http://127.0.0.1:9/x.png'")
                page.wait_for_function("window.__violations.length > 0")
                assert violations(page) == ["img-src http://127.0.0.1:9/x.png"]
        finally:
            external.extensions["gisserver"].db.close()
            if external.extensions["gisserver"].editor is not None:
                external.extensions["gisserver"].editor.close()
