"""Loading population sources: raster tiles and census polygons, checked independently.

Raster sums and cell values are compared with rasterio reading the file, and with PostGIS's own
raster functions reading the stored tiles (so the hand-written raster WKB is checked by PostGIS).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import psycopg
import pyogrio.raw
import pytest
import rasterio
import shapely
from pyproj import CRS, Geod, Transformer
from rasterio.transform import from_origin
from rasterio.windows import Window
from shapely.geometry import box, mapping

from gisserver.errors import InvalidParameter
from gisserver.etl.population.census import load_population_census
from gisserver.etl.population.raster import TILE_SIZE, load_population_raster
from gisserver.raster_wkb import decode_raster_wkb, raster_wkb
from gisserver.settings import PROJECT_ROOT

pytestmark = pytest.mark.filterwarnings("ignore:Use `@` matmul:PendingDeprecationWarning")

DATA = PROJECT_ROOT / "etl" / "data"
KATHMANDU = DATA / "population" / "kathmandu_worldpop_2020.tif"
ACCRA = DATA / "population" / "accra_worldpop_2015.tif"
CAMBRIDGE = DATA / "cambridge" / "DEMOGRAPHICS_Blocks2000.geojson"
PREFIX = "test-pop-l-"
GEOD = Geod(ellps="WGS84")


@pytest.fixture()
def cleanup(database_url: str) -> Iterator[None]:
    yield
    with psycopg.connect(database_url) as conn:
        conn.execute("DELETE FROM population_sources WHERE name LIKE %s", (PREFIX + "%",))


@pytest.fixture()
def folder(scratch_dir: Path) -> Path:
    path = scratch_dir / "population-load"
    path.mkdir(exist_ok=True)
    return path


def file_sum(path: Path) -> float:
    with rasterio.open(path) as src:
        return float(src.read(1, masked=True).compressed().astype(np.float64).sum())


def source_row(conn: psycopg.Connection[Any], name: str) -> dict[str, Any]:
    cur = conn.execute(
        "SELECT id, kind, srid, total_population, ST_AsBinary(footprint), properties "
        "FROM population_sources WHERE name = %s",
        (name,),
    )
    row = cur.fetchone()
    assert row is not None
    keys = ("id", "kind", "srid", "total_population", "footprint", "properties")
    record = dict(zip(keys, row, strict=True))
    record["footprint"] = shapely.from_wkb(bytes(record["footprint"]))
    return record


# ---------------------------------------------------------------------------------------------
# Raster


def test_wkb_round_trip_through_postgis(conn: psycopg.Connection[Any]) -> None:
    data = np.array([[1.5, -9.0, 3.25], [4.0, 5.0, 6.0]], dtype=np.float32)
    wkb = raster_wkb(data, upper_left=(10.0, 20.0), scale=(0.5, -0.5), srid=4326, nodata=-9.0)
    row = conn.execute(
        "SELECT ST_Width(r), ST_Height(r), ST_UpperLeftX(r), ST_ScaleY(r), ST_SRID(r), "
        "ST_BandNoDataValue(r), ST_BandPixelType(r), (ST_SummaryStats(r)).sum, "
        "ST_Value(r, 3, 1), r::bytea "
        "FROM (SELECT %s::text::raster AS r) t",
        (wkb.hex(),),
    ).fetchone()
    assert row is not None
    assert row[:8] == (3, 2, 10.0, -0.5, 4326, -9.0, "32BF", pytest.approx(19.75))
    assert row[8] == pytest.approx(3.25)
    back = decode_raster_wkb(bytes(row[9]))
    assert np.array_equal(back.data, data)
    assert back.nodata == -9.0


@pytest.mark.parametrize("path", [KATHMANDU, ACCRA], ids=["kathmandu", "accra"])
def test_worldpop_load_sum_equals_file(
    conn: psycopg.Connection[Any], cleanup: None, path: Path
) -> None:
    name = PREFIX + path.stem.replace("_", "-")
    report = load_population_raster(
        conn, path, name=name, licence="CC BY 4.0", attribution="WorldPop"
    )
    expected = file_sum(path)
    assert report.total_population == pytest.approx(expected, rel=1e-12)
    with rasterio.open(path) as src:
        width, height, nodata, bounds = src.width, src.height, src.nodata, src.bounds
    assert report.rows_loaded == math.ceil(width / TILE_SIZE) * math.ceil(height / TILE_SIZE)
    stored = conn.execute(
        "SELECT sum((ST_SummaryStats(rast)).sum), sum(ST_Width(rast) * ST_Height(rast)), "
        "min(ST_BandNoDataValue(rast)), max(ST_BandNoDataValue(rast)), min(ST_SRID(rast)) "
        "FROM population_raster_tiles WHERE population_source_id = %s",
        (report.source_id,),
    ).fetchone()
    assert stored is not None
    # PostGIS's own reading of the tiles: same sum, every cell, nodata kept, the file's CRS.
    assert stored[0] == pytest.approx(expected, rel=1e-9)
    assert stored[1] == width * height
    assert stored[2] == stored[3] == pytest.approx(nodata)
    assert stored[4] == 4326
    source = source_row(conn, name)
    assert source["total_population"] == pytest.approx(expected, rel=1e-12)
    assert (
        source["footprint"].equals_exact(box(*bounds), 1e-9)
        or source["footprint"].normalize().buffer(0).symmetric_difference(box(*bounds)).area < 1e-12
    )


def test_tile_cells_equal_file_cells(conn: psycopg.Connection[Any], cleanup: None) -> None:
    report = load_population_raster(conn, ACCRA, name=PREFIX + "accra-cells")
    rows = conn.execute(
        "SELECT ST_UpperLeftX(rast), ST_UpperLeftY(rast), ST_DumpValues(rast, 1) "
        "FROM population_raster_tiles WHERE population_source_id = %s",
        (report.source_id,),
    ).fetchall()
    with rasterio.open(ACCRA) as src:
        t = src.transform
        for ulx, uly, values in rows:
            col, row = round((ulx - t.c) / t.a), round((uly - t.f) / t.e)
            got = np.array(values, dtype=object)
            window = Window(col, row, got.shape[1], got.shape[0])
            want = src.read(1, window=window, masked=True)
            assert np.array_equal(got == None, want.mask)  # noqa: E711 (elementwise)
            assert np.array_equal(got[~want.mask].astype(np.float64), want.compressed())


def test_projected_raster_with_custom_crs(
    conn: psycopg.Connection[Any], cleanup: None, folder: Path
) -> None:
    crs = CRS.from_proj4(
        "+proj=laea +lat_0=52 +lon_0=11 +x_0=4321000 +y_0=3210000 +ellps=GRS80 +units=m"
    )
    assert crs.to_epsg() is None
    path = folder / "laea.tif"
    rng = np.random.default_rng(3)
    data = rng.uniform(0, 50, size=(300, 700)).astype(np.float64)
    data[:20, :] = -1.0
    transform = from_origin(4_000_000.0, 3_300_000.0, 250.0, 250.0)
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=700,
        height=300,
        count=1,
        dtype="float64",
        crs=crs.to_wkt(),
        transform=transform,
        nodata=-1.0,
    ) as dst:
        dst.write(data, 1)
    report = load_population_raster(conn, path, name=PREFIX + "laea")
    assert report.srid is not None and report.srid >= 900_000
    assert report.total_population == pytest.approx(data[20:].sum(), rel=1e-12)
    again = load_population_raster(conn, path, name=PREFIX + "laea-2")
    assert again.srid == report.srid  # the custom CRS is registered once
    # The footprint follows the raster's corners in lon/lat.
    footprint = source_row(conn, PREFIX + "laea")["footprint"]
    to_lonlat = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    left, top = 4_000_000.0, 3_300_000.0
    right, bottom = left + 700 * 250.0, top - 300 * 250.0
    for x, y in ((left, top), (right, top), (right, bottom), (left, bottom)):
        corner = shapely.Point(*to_lonlat.transform(x, y))
        assert footprint.distance(corner) < 1e-7
    # PostGIS understands the registered CRS: a stored tile's corner lands on the same lon/lat.
    lonlat = conn.execute(
        "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(%s, %s), %s),"
        " 4326) AS p) t",
        (left, top, report.srid),
    ).fetchone()
    assert lonlat == pytest.approx(to_lonlat.transform(left, top), abs=1e-9)


def test_reload_replaces_and_keeps_the_id(conn: psycopg.Connection[Any], cleanup: None) -> None:
    first = load_population_raster(conn, KATHMANDU, name=PREFIX + "reload", reference_year=2020)
    second = load_population_raster(conn, ACCRA, name=PREFIX + "reload")
    assert second.source_id == first.source_id
    count = conn.execute(
        "SELECT count(*) FROM population_raster_tiles WHERE population_source_id = %s",
        (first.source_id,),
    ).fetchone()
    assert count == (second.rows_loaded,)
    source = source_row(conn, PREFIX + "reload")
    assert source["total_population"] == pytest.approx(file_sum(ACCRA))
    assert source["properties"]["raster"]["file"] == ACCRA.name


def stored_state(conn: psycopg.Connection[Any], name: str) -> tuple[Any, ...]:
    """What a reload that changes nothing must leave alone: the source row and its rows' ids
    (read in a transaction of its own, so that the loads after it commit)."""
    with conn.transaction():
        return conn.execute(
            "SELECT s.id, s.loaded_at, s.total_population, "
            "(SELECT array_agg(t.id ORDER BY t.id) FROM population_raster_tiles t "
            " WHERE t.population_source_id = s.id), "
            "(SELECT array_agg(u.id ORDER BY u.id) FROM population_units u "
            " WHERE u.population_source_id = s.id) "
            "FROM population_sources s WHERE s.name = %s",
            (name,),
        ).fetchone()


def test_reloading_the_same_raster_changes_nothing(
    conn: psycopg.Connection[Any], cleanup: None, folder: Path
) -> None:
    name = PREFIX + "same-raster"
    path = folder / "same.tif"
    path.write_bytes(KATHMANDU.read_bytes())
    first = load_population_raster(conn, path, name=name, reference_year=2020)
    before = stored_state(conn, name)
    again = load_population_raster(conn, path, name=name, reference_year=2020)
    assert (again.rows_loaded, again.rows_unchanged) == (0, first.rows_loaded)
    assert again.total_population == pytest.approx(file_sum(path))
    assert stored_state(conn, name) == before  # same tile ids, same loaded_at: nothing written
    # new metadata, or one cell of the file changed: loaded again
    retitled = load_population_raster(conn, path, name=name, title="Kathmandu 2020")
    assert retitled.rows_loaded == first.rows_loaded and retitled.rows_unchanged == 0
    with rasterio.open(path, "r+") as dst:
        cells = dst.read(1, window=Window(0, 0, 1, 1))
        dst.write(cells + 1, 1, window=Window(0, 0, 1, 1))
    changed = load_population_raster(conn, path, name=name, title="Kathmandu 2020")
    assert changed.rows_loaded == first.rows_loaded and changed.rows_unchanged == 0
    assert changed.total_population == pytest.approx(file_sum(path))


def test_reloading_the_same_census_file_changes_nothing(
    conn: psycopg.Connection[Any], cleanup: None
) -> None:
    name = PREFIX + "same-census"
    options = {"count_field": "POP_LAB", "unit_id_field": "STFID"}
    first = load_population_census(conn, CAMBRIDGE, name=name, **options)
    before = stored_state(conn, name)
    again = load_population_census(conn, CAMBRIDGE, name=name, **options)
    assert (again.rows_loaded, again.rows_unchanged) == (0, first.rows_loaded)
    assert again.total_population == first.total_population
    assert stored_state(conn, name) == before
    # another count field is another load of the same file
    other = load_population_census(conn, CAMBRIDGE, name=name, count_field="POP_LAB")
    assert other.rows_loaded == first.rows_loaded and other.rows_unchanged == 0


def test_failure_halfway_leaves_the_source_as_it_was(
    conn: psycopg.Connection[Any], cleanup: None, folder: Path
) -> None:
    good = load_population_raster(conn, KATHMANDU, name=PREFIX + "rollback")
    broken = folder / "broken.tif"
    data = np.ones((1200, 1000), dtype=np.float32)
    with rasterio.open(
        broken,
        "w",
        driver="GTiff",
        width=1000,
        height=1200,
        count=1,
        dtype="float32",
        crs="EPSG:4326",
        transform=from_origin(0, 10, 0.001, 0.001),
    ) as dst:
        dst.write(data, 1)
    raw = broken.read_bytes()
    broken.write_bytes(raw[: len(raw) * 2 // 3])  # the last third of the strips is gone
    with pytest.raises(InvalidParameter, match="could not be read at rows"):
        load_population_raster(conn, broken, name=PREFIX + "rollback")
    source = source_row(conn, PREFIX + "rollback")
    assert source["id"] == good.source_id
    assert source["total_population"] == pytest.approx(file_sum(KATHMANDU))
    assert conn.execute(
        "SELECT count(*) FROM population_raster_tiles WHERE population_source_id = %s",
        (good.source_id,),
    ).fetchone() == (good.rows_loaded,)


def test_bad_raster_input(conn: psycopg.Connection[Any], folder: Path) -> None:
    with pytest.raises(InvalidParameter, match="cannot be read as a raster"):
        load_population_raster(conn, folder / "missing.tif", name=PREFIX + "x")
    no_crs = folder / "no-crs.tif"
    with rasterio.open(
        no_crs,
        "w",
        driver="GTiff",
        width=4,
        height=4,
        count=1,
        dtype="float32",
        transform=from_origin(0, 4, 1, 1),
    ) as dst:
        dst.write(np.ones((4, 4), dtype=np.float32), 1)
    with pytest.raises(InvalidParameter, match="has no CRS"):
        load_population_raster(conn, no_crs, name=PREFIX + "x")
    with pytest.raises(InvalidParameter, match="not a valid population source name"):
        load_population_raster(conn, KATHMANDU, name="Kathmandu Pop")


# ---------------------------------------------------------------------------------------------
# Census


def test_cambridge_blocks(conn: psycopg.Connection[Any], cleanup: None) -> None:
    report = load_population_census(
        conn,
        CAMBRIDGE,
        name=PREFIX + "cambridge",
        count_field="POP_LAB",
        unit_id_field="STFID",
        licence="PDDL 1.0",
        reference_year=2000,
    )
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (886, 886, 0)
    assert report.total_population == 101_355
    row = conn.execute(
        "SELECT count(*), sum(population), count(DISTINCT unit_id), "
        "bool_and(ST_IsValid(geom)), bool_and(properties ? 'BLOCK_ID'), "
        "bool_and(NOT properties ? 'POP_LAB') "
        "FROM population_units WHERE population_source_id = %s",
        (report.source_id,),
    ).fetchone()
    assert row == (886, 101_355, 886, True, True, True)
    features = json.loads(CAMBRIDGE.read_text())["features"]
    union = shapely.union_all([shapely.geometry.shape(f["geometry"]) for f in features])
    footprint = source_row(conn, PREFIX + "cambridge")["footprint"]
    assert footprint.symmetric_difference(union).area < 1e-9 * union.area


def census_file(path: Path, features: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def square(lon: float, lat: float, size: float = 0.01) -> dict[str, Any]:
    return mapping(box(lon, lat, lon + size, lat + size))


def test_census_rejects_with_reasons(
    conn: psycopg.Connection[Any], cleanup: None, folder: Path
) -> None:
    bowtie = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    rows = [
        ({"uid": "a", "pop": 10}, square(5, 5)),
        ({"uid": "b", "pop": "12"}, square(5.01, 5)),  # a numeric string is a number
        ({"uid": "c", "pop": 7}, bowtie),  # repaired into two triangles
        ({"uid": "d", "pop": 1}, None),
        ({"uid": "e", "pop": 1}, {"type": "Point", "coordinates": [5, 5]}),
        ({"uid": "f", "pop": None}, square(5.02, 5)),
        ({"uid": "g", "pop": "many"}, square(5.03, 5)),
        ({"uid": "h", "pop": -4}, square(5.04, 5)),
        ({"uid": "a", "pop": 3}, square(5.05, 5)),
        ({"uid": None, "pop": 3}, square(5.06, 5)),
    ]
    path = census_file(
        folder / "rejects.geojson",
        [{"type": "Feature", "properties": p, "geometry": g} for p, g in rows],
    )
    report = load_population_census(
        conn, path, name=PREFIX + "rejects", count_field="pop", unit_id_field="uid"
    )
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (10, 3, 7)
    assert report.total_population == 29
    reasons = {(r.row, r.field): r.reason for r in report.rejects}
    assert reasons[(4, "geometry")] == "null or empty geometry"
    assert "Point" in reasons[(5, "geometry")]
    assert reasons[(6, "pop")] == "missing"
    assert reasons[(7, "pop")] == "'many' is not a number"
    assert "negative" in reasons[(8, "pop")]
    assert "duplicate" in reasons[(9, "uid")]
    assert "missing" in reasons[(10, "uid")]
    repaired = conn.execute(
        "SELECT ST_NumGeometries(geom), ST_IsValid(geom) FROM population_units u "
        "JOIN population_sources s ON s.id = u.population_source_id "
        "WHERE s.name = %s AND unit_id = 'c'",
        (PREFIX + "rejects",),
    ).fetchone()
    assert repaired == (2, True)


def test_census_projected_file_is_reprojected(
    conn: psycopg.Connection[Any], cleanup: None, folder: Path
) -> None:
    """1,000 ft squares in New York State Plane (EPSG:2263, US feet) land in lon/lat."""
    x0, y0 = 985_000.0, 200_000.0  # midtown Manhattan
    squares = [box(x0 + i * 1000, y0, x0 + (i + 1) * 1000, y0 + 1000) for i in range(3)]
    path = folder / "stateplane.gpkg"
    pyogrio.raw.write(
        path,
        shapely.to_wkb(squares),
        [np.array([100.0, 200.0, 300.0]), np.array(["s1", "s2", "s3"], dtype=object)],
        fields=["people", "code"],
        geometry_type="Polygon",
        crs="EPSG:2263",
    )
    report = load_population_census(
        conn, path, name=PREFIX + "stateplane", count_field="people", unit_id_field="code"
    )
    assert report.rows_loaded == 3
    rows = conn.execute(
        "SELECT unit_id, ST_Area(geom::geography), ST_X(ST_Centroid(geom)), "
        "ST_Y(ST_Centroid(geom)) FROM population_units WHERE population_source_id = %s "
        "ORDER BY unit_id",
        (report.source_id,),
    ).fetchall()
    to_lonlat = Transformer.from_crs("EPSG:2263", "EPSG:4326", always_xy=True)
    for (unit_id, area_m2, lon, lat), sq in zip(rows, squares, strict=True):
        assert unit_id in ("s1", "s2", "s3")
        assert area_m2 == pytest.approx(304.8006**2, rel=1e-3)  # 1,000 US survey feet squared
        want_lon, want_lat = to_lonlat.transform(sq.centroid.x, sq.centroid.y)
        _, _, metres = GEOD.inv(lon, lat, want_lon, want_lat)
        assert metres < 1.0
        assert -74.1 < lon < -73.9 and 40.7 < lat < 40.8


@pytest.mark.filterwarnings("ignore:'crs' was not provided:UserWarning")
def test_census_without_crs_and_not_lonlat_is_refused(
    conn: psycopg.Connection[Any], folder: Path
) -> None:
    path = folder / "nocrs.gpkg"
    pyogrio.raw.write(
        path,
        shapely.to_wkb([box(985_000, 200_000, 986_000, 201_000)]),
        [np.array([1.0])],
        fields=["people"],
        geometry_type="Polygon",
    )
    with pytest.raises(InvalidParameter, match="not lon/lat") as info:
        load_population_census(conn, path, name=PREFIX + "nocrs", count_field="people")
    assert info.value.parameter == "crs"


def test_bad_census_input(conn: psycopg.Connection[Any], folder: Path) -> None:
    with pytest.raises(InvalidParameter, match="POP_LAB") as info:
        load_population_census(conn, CAMBRIDGE, name=PREFIX + "x", count_field="POPULATION")
    assert info.value.parameter == "count_field"
    with pytest.raises(InvalidParameter) as info:
        load_population_census(
            conn, CAMBRIDGE, name=PREFIX + "x", count_field="POP_LAB", unit_id_field="nope"
        )
    assert info.value.parameter == "unit_id_field"
    with pytest.raises(InvalidParameter, match="cannot be read"):
        load_population_census(
            conn, folder / "missing.geojson", name=PREFIX + "x", count_field="pop"
        )
    with pytest.raises(InvalidParameter, match="declares EPSG:4326") as info:
        load_population_census(
            conn, CAMBRIDGE, name=PREFIX + "x", count_field="POP_LAB", crs="EPSG:2263"
        )
    assert info.value.parameter == "crs"


@pytest.mark.parametrize(
    ("dtype", "nodata"),
    [("int16", -99), ("uint8", 255), ("uint16", None), ("float32", math.nan), ("float64", -1e30)],
)
def test_cell_types_and_nodata(
    conn: psycopg.Connection[Any], cleanup: None, folder: Path, dtype: str, nodata: float | None
) -> None:
    data = (np.arange(200 * 300).reshape(200, 300) % 50).astype(dtype)
    if nodata is not None:
        data[:10] = nodata
    path = folder / f"cells-{dtype}.tif"
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=300,
        height=200,
        count=1,
        dtype=dtype,
        crs="EPSG:4326",
        transform=from_origin(10, 10, 0.01, 0.01),
        nodata=nodata,
    ) as dst:
        dst.write(data, 1)
    report = load_population_raster(conn, path, name=PREFIX + "cells-" + dtype)
    assert report.total_population == pytest.approx(file_sum(path), rel=1e-12)
    stored = conn.execute(
        "SELECT sum((ST_SummaryStats(rast)).sum) FROM population_raster_tiles "
        "WHERE population_source_id = %s",
        (report.source_id,),
    ).fetchone()
    assert stored is not None and stored[0] == pytest.approx(file_sum(path), rel=1e-9)
