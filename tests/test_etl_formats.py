"""Every input format, written from real rows (the Cambridge shelters) with the layer's own
field names, loads with no mapping and lands on the same coordinates; plus value coercion."""

from __future__ import annotations

import csv
import datetime as dt
import json
import uuid
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import psycopg
import pyogrio.raw
import pyproj
import pytest
import shapely

from gisserver.errors import InvalidParameter
from gisserver.etl import json_records, load_file
from gisserver.etl import loader as loader_module
from gisserver.etl.mapping import FieldRule, RowError, coerce
from gisserver.layers import LayerField
from gisserver.settings import PROJECT_ROOT, Settings

SHELTERS = PROJECT_ROOT / "etl" / "data" / "cambridge" / "PUBLICSAFETY_EmergencyShelters.geojson"
GEOD = pyproj.Geod(ellps="WGS84")


@pytest.fixture()
def source(conn: psycopg.Connection[Any]) -> Iterator[str]:
    name = f"test-etl-format-{uuid.uuid4().hex[:8]}"
    yield name
    conn.rollback()
    with conn.transaction():
        conn.execute("DELETE FROM shelters WHERE source = %s", (name,))


def shelter_rows() -> list[dict[str, Any]]:
    """Real rows, renamed to the shelters layer's own fields."""
    rows = []
    for f in json.loads(SHELTERS.read_text())["features"]:
        p = f["properties"]
        rows.append(
            {
                "source_id": p["GlobalID"],
                "name": p["Name"],
                "capacity": p.get("SHEL_CAP"),
                "address": p["Address"],
                "has_food": p["SHEL_FOOD"],
                "lon": f["geometry"]["coordinates"][0],
                "lat": f["geometry"]["coordinates"][1],
            }
        )
    return rows


ROWS = shelter_rows()
FIELDS = ["source_id", "name", "capacity", "address", "has_food"]


def write_ogr(path: Path, driver: str, epsg: int = 4326) -> Path:
    lon = np.array([r["lon"] for r in ROWS])
    lat = np.array([r["lat"] for r in ROWS])
    if epsg != 4326:
        lon, lat = pyproj.Transformer.from_crs(4326, epsg, always_xy=True).transform(lon, lat)
    geometry = shapely.to_wkb(shapely.points(lon, lat))
    data = [
        np.array([r["source_id"] for r in ROWS], dtype=object),
        np.array([r["name"] for r in ROWS], dtype=object),
        # capacity as float: one shelter has none (NaN); coercion makes integers of the rest
        np.array([np.nan if r["capacity"] is None else r["capacity"] for r in ROWS], dtype=float),
        np.array([r["address"] for r in ROWS], dtype=object),
        np.array([r["has_food"] for r in ROWS], dtype=object),
    ]
    pyogrio.raw.write(
        str(path),
        geometry,
        data,
        FIELDS,
        crs=f"EPSG:{epsg}",
        driver=driver,
        geometry_type="Point",
    )
    return path


def write_zip(tmp: Path) -> Path:
    shp = write_ogr(tmp / "shelters.shp", "ESRI Shapefile")
    archive = tmp / "shelters_shp.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for part in shp.parent.glob("shelters.*"):
            zf.write(part, part.name)
    return archive


def write_topojson(tmp: Path) -> Path:
    geometries = [
        {
            "type": "Point",
            "coordinates": [r["lon"], r["lat"]],
            "properties": {k: r[k] for k in FIELDS},
        }
        for r in ROWS
    ]
    topo = {
        "type": "Topology",
        "objects": {"shelters": {"type": "GeometryCollection", "geometries": geometries}},
        "arcs": [],
    }
    path = tmp / "shelters.topojson"
    path.write_text(json.dumps(topo))
    return path


def write_geojson(tmp: Path) -> Path:
    feats = [
        {
            "type": "Feature",
            "properties": {k: r[k] for k in FIELDS},
            "geometry": {"type": "Point", "coordinates": [r["lon"], r["lat"]]},
        }
        for r in ROWS
    ]
    path = tmp / "shelters.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}))
    return path


def write_csv(tmp: Path) -> Path:
    path = tmp / "shelters.csv"
    with path.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, [*FIELDS, "longitude", "latitude"])
        writer.writeheader()
        for r in ROWS:
            writer.writerow(
                {
                    **{k: r[k] for k in FIELDS},
                    "longitude": repr(r["lon"]),
                    "latitude": repr(r["lat"]),
                }
            )
    return path


def write_records(tmp: Path) -> Path:
    path = tmp / "shelters.json"
    path.write_text(
        json.dumps([{**{k: r[k] for k in FIELDS}, "LON": r["lon"], "LAT": r["lat"]} for r in ROWS])
    )
    return path


WRITERS: dict[str, tuple[Callable[[Path], Path], float]] = {
    # name: (writer, tolerance in metres: 0 = the very same doubles)
    "geojson": (write_geojson, 0.0),
    "topojson": (write_topojson, 0.0),
    "gpkg": (lambda tmp: write_ogr(tmp / "shelters.gpkg", "GPKG"), 0.0),
    "shapefile": (lambda tmp: write_ogr(tmp / "shelters.shp", "ESRI Shapefile"), 0.0),
    "zipped-shapefile": (write_zip, 0.0),
    "flatgeobuf": (lambda tmp: write_ogr(tmp / "shelters.fgb", "FlatGeobuf"), 0.0),
    "csv": (write_csv, 0.0),
    "json-records": (write_records, 0.0),
    # a projected file (Massachusetts State Plane, US feet): its own CRS is honoured
    "gpkg-epsg2249": (lambda tmp: write_ogr(tmp / "shelters_2249.gpkg", "GPKG", 2249), 0.01),
}


@pytest.mark.parametrize("kind", list(WRITERS))
def test_format_loads_without_mapping(
    kind: str,
    conn: psycopg.Connection[Any],
    settings: Settings,
    source: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
):
    writer, tolerance = WRITERS[kind]
    path = writer(tmp_path)
    monkeypatch.setattr(loader_module, "BATCH_SIZE", 4)  # several batches per file
    report = load_file(conn, "shelters", path, source=source, settings=settings)
    assert (report.read, report.inserted, report.rejected) == (len(ROWS), len(ROWS), 0)
    stored = {
        r[0]: r[1:]
        for r in conn.execute(
            "SELECT source_id, name, capacity, address, has_food, status, ST_X(geom), ST_Y(geom) "
            "FROM shelters WHERE source = %s",
            (source,),
        ).fetchall()
    }
    for r in ROWS:
        name, capacity, address, has_food, status, lon, lat = stored[r["source_id"]]
        assert (name, capacity, address) == (r["name"], r["capacity"], r["address"])
        assert has_food == (r["has_food"] == "YES") and status == "standby"
        if tolerance == 0:
            assert (lon, lat) == (r["lon"], r["lat"])
        else:
            assert GEOD.inv(lon, lat, r["lon"], r["lat"])[2] < tolerance
    again = load_file(conn, "shelters", path, source=source, settings=settings)
    assert again.unchanged == len(ROWS)


def field(kind: str, **kwargs: Any) -> LayerField:
    return LayerField(name="f", type=kind, title="F", **kwargs)


UTC = dt.UTC


@pytest.mark.parametrize(
    ("kind", "raw", "expected"),
    [
        ("boolean", "YES", True),
        ("boolean", "no", False),
        ("boolean", "Y", True),
        ("boolean", "N", False),
        ("boolean", " ", None),
        ("integer", "1,209", 1209),
        ("integer", 12.0, 12),
        ("number", "3.5", 3.5),
        ("string", 42.0, "42"),
        ("datetime", 1504915200000, dt.datetime(2017, 9, 9, tzinfo=UTC)),
        ("datetime", "2017-09-09T00:00:00Z", dt.datetime(2017, 9, 9, tzinfo=UTC)),
        ("date", "2027-06-30", dt.date(2027, 6, 30)),
    ],
)
def test_coercion(kind: str, raw: Any, expected: Any):
    assert coerce(raw, field(kind), None, UTC) == expected


def test_epoch_seconds_and_formats():
    rule = FieldRule(target="f", source="x", epoch="s")
    assert coerce(1504915200, field("datetime"), rule, UTC) == dt.datetime(2017, 9, 9, tzinfo=UTC)
    rule = FieldRule(target="f", source="x", format="%m/%d/%Y %I:%M:%S %p")
    got = coerce("04/10/2010 09:39:00 PM", field("datetime"), rule, UTC)
    assert got == dt.datetime(2010, 4, 10, 21, 39, tzinfo=UTC)


@pytest.mark.parametrize(
    ("kind", "raw", "spec"),
    [
        ("integer", "12.5", {}),
        ("integer", "lots", {}),
        ("boolean", "maybe", {}),
        ("integer", -1, {"minimum": 0}),
        ("string", "sideways", {"enum": ("online", "offline")}),
        ("datetime", "yesterday", {}),
    ],
)
def test_coercion_rejects(kind: str, raw: Any, spec: dict[str, Any]):
    with pytest.raises(RowError) as err:
        coerce(raw, field(kind, **spec), None, UTC)
    assert err.value.field == "f" and str(raw) in err.value.reason


@pytest.mark.parametrize("chunk", [1, 7, 64, 1 << 16])
def test_json_records_stream_across_chunk_boundaries(
    chunk: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(json_records, "CHUNK", chunk)
    real = PROJECT_ROOT / "etl" / "data" / "nyc" / "dot_cameras.json"
    expected = json.loads(real.read_text())["markers"]
    assert list(json_records.iter_records(real)) == expected
    wrapped = tmp_path / "wrapped.json"
    wrapped.write_text(
        json.dumps({"meta": {"n": 12345, "list": [1, 2]}, "count": 1234567, "rows": expected[:50]})
    )
    assert list(json_records.iter_records(wrapped)) == expected[:50]
    numbers = tmp_path / "numbers.json"
    numbers.write_text('[{"a": 123456789}, {"a": 98765.4321e3}]')
    assert list(json_records.iter_records(numbers)) == [{"a": 123456789}, {"a": 98765432.1}]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('"just a string"', "does not start with"),
        ("[1, 2]", "not an object"),
        ('[{"a": 1}, {"a": ', "Expecting value"),
        ('{"meta": 1}', "no array member"),
        ('[{"a": 1} {"a": 2}]', "expected ']'"),
    ],
)
def test_json_records_errors_name_the_file(text: str, problem: str, tmp_path: Path):
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(InvalidParameter) as err:
        list(json_records.iter_records(path))
    assert "bad.json" in err.value.message and problem in err.value.message


def test_geometries_as_read_or_as_conformed(
    conn: psycopg.Connection[Any],
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
):
    """Batches mixing geometries passed on as read (valid multipolygons), changed ones (a
    polygon promoted, a bowtie repaired) and a rejected one store exactly what shapely makes
    of each, independently of the loader."""
    square = shapely.box(-71.10, 42.37, -71.09, 42.38)
    bowtie = shapely.Polygon([(-71.1, 42.37), (-71.09, 42.38), (-71.09, 42.37), (-71.1, 42.38)])
    line = shapely.LineString([(-71.1, 42.37), (-71.09, 42.38)])
    geoms = [
        shapely.MultiPolygon([square]),
        shapely.Polygon(square.exterior.coords),
        bowtie,
        shapely.MultiPolygon([shapely.box(-71.08, 42.36, -71.07, 42.37)]),
        line,
        shapely.MultiPolygon([shapely.box(-71.06, 42.35, -71.05, 42.36)]),
    ]
    ids = [f"z{i}" for i in range(len(geoms))]
    path = tmp_path / "zones.gpkg"
    pyogrio.raw.write(
        str(path),
        shapely.to_wkb(np.array(geoms, dtype=object)),
        [
            np.array(ids, dtype=object),
            np.array(["flood"] * len(geoms), dtype=object),
            np.array(["high"] * len(geoms), dtype=object),
        ],
        ["source_id", "hazard_type", "severity"],
        crs="EPSG:4326",
        driver="GPKG",
        geometry_type="Unknown",
    )
    name = f"test-etl-format-{uuid.uuid4().hex[:8]}"
    monkeypatch.setattr(loader_module, "BATCH_SIZE", 2)
    try:
        report = load_file(
            conn, "hazard_zones", path, source=name, max_reject_ratio=0.5, settings=settings
        )
        assert (report.inserted, report.rejected) == (len(geoms) - 1, 1)
        stored = dict(
            conn.execute(
                "SELECT source_id, ST_AsBinary(geom) FROM hazard_zones WHERE source = %s "
                "AND ST_SRID(geom) = 4326",
                (name,),
            ).fetchall()
        )
    finally:
        conn.rollback()
        with conn.transaction():
            conn.execute("DELETE FROM hazard_zones WHERE source = %s", (name,))
    expected = {
        "z0": geoms[0],
        "z1": shapely.MultiPolygon([geoms[1]]),
        "z2": shapely.make_valid(bowtie),
        "z3": geoms[3],
        "z5": geoms[5],
    }
    assert set(stored) == set(expected)
    for source_id, geom in expected.items():
        assert geom.geom_type == "MultiPolygon"
        assert shapely.from_wkb(bytes(stored[source_id])).equals_exact(geom, 0), source_id
