"""Awkward values through a real load (rows travel as CSV COPY built with pyarrow): text that
CSV or COPY treat specially, integer limits, numbers, booleans, enums, date-times with and
without offsets, repaired and 3D geometries. Expected values are computed here, independently
of the loader's own conversions; a typed source (GeoPackage, converted in Arrow) and a text
source (CSV, converted value by value) must store the same values."""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import psycopg
import pyarrow as pa
import pyogrio.raw
import pytest
import shapely

from gisserver.errors import GisServerError
from gisserver.etl import load_file
from gisserver.etl.mapping import rows as mapping_module
from gisserver.settings import Settings

Names = Callable[[str], str]  # the `sources` fixture (conftest.py)

LON, LAT = -71.1, 42.37

# Text that CSV quoting, COPY's CSV parser (`\.` ends the data when alone on a line, unquoted)
# or NULL handling could get wrong; stored trimmed, empty -> NULL.
AWKWARD_TEXT = [
    "plain",
    "a, b, c",
    'say "hi", "bye"',
    '"',
    "line one\nline two",
    "back\\slash \\n not a newline",
    "\\.",
    "before\n\\.\nafter",
    "\\.\n",
    "  padded both sides  ",
    "\ttabbed\t",
    "",
    "   ",
    " \t ",
    "Café du Marché, 日本",
    "NULL",
    "\\N",
    "null",
    ",",
    "'single'",
]


def stored_text(value: str) -> str | None:
    """What the layer should hold for a text field: trimmed, empty as NULL."""
    return value.strip() or None


def points(count: int) -> np.ndarray:
    return np.array([shapely.Point(LON + i / 1000, LAT) for i in range(count)], dtype=object)


def write_gpkg(path: Path, geoms: np.ndarray, columns: dict[str, np.ndarray]) -> Path:
    """A GeoPackage with typed columns; masked arrays give NULLs."""
    pyogrio.raw.write(
        str(path),
        shapely.to_wkb(geoms),
        field_data=[np.ma.getdata(c) for c in columns.values()],
        fields=list(columns),
        field_mask=[
            np.ma.getmaskarray(c) if np.ma.isMaskedArray(c) else None for c in columns.values()
        ],
        geometry_type=geoms[0].geom_type + (" Z" if geoms[0].has_z else ""),
        crs="EPSG:4326",
        driver="GPKG",
    )
    return path


def write_csv(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["longitude", "latitude", *header])
        for i, row in enumerate(rows):
            writer.writerow([LON + i / 1000, LAT, *row])
    return path


def write_geojson(path: Path, features: list[tuple[dict[str, Any], dict[str, Any] | None]]) -> Path:
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {"type": "Feature", "properties": p, "geometry": g} for p, g in features
                ],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    return path


def rows_of(
    conn: psycopg.Connection[Any], table: str, source: str, columns: str
) -> dict[str, tuple[Any, ...]]:
    found = conn.execute(
        f"SELECT source_id, {columns} FROM {table} WHERE source = %s", (source,)
    ).fetchall()
    return {r[0]: tuple(r[1:]) for r in found}


def rejects_of(path: Path | None) -> dict[str, dict[str, str]]:
    assert path is not None, "the load wrote no rejects file"
    with path.open(newline="", encoding="utf-8") as fh:
        return {r["source_id"]: r for r in csv.DictReader(fh)}


# --- text, integers, booleans, enums: a clean file (every column fits its field) -------------

# capacity and occupancy: integers up to the 32-bit limit; status: enum in odd case and
# spacing (None -> the layer's default standby); wheelchair: booleans and NULL.
CAPACITY = [0, 2147483647, 7, None]
OCCUPANCY = [2147483647, 0, None, 12]  # NULL -> the layer's default 0
STATUS = ["OPEN ", " Closed", "FULL", None, "standby", "Open"]
WHEELCHAIR = [True, False, None]
CSV_BOOLEAN = {True: ["yes", "TRUE", "t", "1", " Y "], False: ["no", "False", "f", "0", "N"]}


def clean_rows() -> list[dict[str, Any]]:
    rows = []
    for i, text in enumerate(AWKWARD_TEXT):
        rows.append(
            {
                "sid": f"v{i:02d}",
                "name": f"Shelter {i}",
                "address": text,
                "capacity": CAPACITY[i % len(CAPACITY)],
                "occupancy": OCCUPANCY[i % len(OCCUPANCY)],
                "status": STATUS[i % len(STATUS)],
                "wheelchair": WHEELCHAIR[i % len(WHEELCHAIR)],
            }
        )
    return rows


def expected_clean(rows: list[dict[str, Any]]) -> dict[str, tuple[Any, ...]]:
    return {
        r["sid"]: (
            r["name"],
            stored_text(r["address"]),
            r["capacity"],
            0 if r["occupancy"] is None else r["occupancy"],
            "standby" if r["status"] is None else r["status"].strip().lower(),
            r["wheelchair"],
        )
        for r in rows
    }


SHELTER_MAPPING = {
    "source_id": "sid",
    "fields": {
        "name": "name",
        "address": "address",
        "capacity": "capacity",
        "occupancy": "occupancy",
        "status": "status",
        "wheelchair_accessible": "wheelchair",
    },
    "properties": "none",
}
SHELTER_COLUMNS = "name, address, capacity, occupancy, status, wheelchair_accessible"


def clean_gpkg(path: Path, rows: list[dict[str, Any]]) -> Path:
    def ints(name: str) -> np.ndarray:
        # a nullable integer column: pyogrio writes a masked int64 array as NULLs
        values = [r[name] for r in rows]
        return np.ma.masked_array(
            [0 if v is None else v for v in values], mask=[v is None for v in values], dtype="i8"
        )

    def bools(name: str) -> np.ndarray:
        values = [r[name] for r in rows]
        return np.ma.masked_array(
            [bool(v) for v in values], mask=[v is None for v in values], dtype=bool
        )

    return write_gpkg(
        path,
        points(len(rows)),
        {
            "sid": np.array([r["sid"] for r in rows], dtype=object),
            "name": np.array([r["name"] for r in rows], dtype=object),
            "address": np.array([r["address"] for r in rows], dtype=object),
            "capacity": ints("capacity"),
            "occupancy": ints("occupancy"),
            "status": np.array([r["status"] for r in rows], dtype=object),
            "wheelchair": bools("wheelchair"),
        },
    )


def clean_csv(path: Path, rows: list[dict[str, Any]]) -> Path:
    def boolean(i: int, value: bool | None) -> str:
        if value is None:
            return ""
        spellings = CSV_BOOLEAN[value]
        return spellings[i % len(spellings)]

    return write_csv(
        path,
        ["sid", "name", "address", "capacity", "occupancy", "status", "wheelchair"],
        [
            [
                r["sid"],
                r["name"],
                r["address"],
                "" if r["capacity"] is None else str(r["capacity"]),
                "" if r["occupancy"] is None else str(r["occupancy"]),
                r["status"] or "",
                boolean(i, r["wheelchair"]),
            ]
            for i, r in enumerate(rows)
        ],
    )


@pytest.fixture()
def arrow_conversions(monkeypatch: pytest.MonkeyPatch) -> dict[str, bool]:
    """Per layer field: whether the Arrow conversion took its column (observed, not replaced)."""
    seen: dict[str, bool] = {}
    real = mapping_module._coerce_arrow

    def observed(array: pa.Array, spec: Any, timezone: str) -> pa.Array | None:
        result = real(array, spec, timezone)
        seen[spec.name] = seen.get(spec.name, True) and result is not None
        return result

    monkeypatch.setattr(mapping_module, "_coerce_arrow", observed)
    return seen


def test_awkward_values_round_trip_the_same_from_geopackage_and_csv(
    conn: psycopg.Connection[Any],
    settings: Settings,
    sources: Names,
    tmp_path: Path,
    arrow_conversions: dict[str, bool],
):
    rows = clean_rows()
    expected = expected_clean(rows)
    gpkg = clean_gpkg(tmp_path / "awkward.gpkg", rows)
    src_gpkg, src_csv = sources("gpkg"), sources("csv")

    report = load_file(
        conn, "shelters", gpkg, source=src_gpkg, mapping=SHELTER_MAPPING, settings=settings
    )
    assert (report.inserted, report.rejected) == (len(rows), 0)
    # the typed columns went through the Arrow conversion, not value by value
    assert arrow_conversions == {
        "name": True,
        "address": True,
        "capacity": True,
        "occupancy": True,
        "status": True,
        "wheelchair_accessible": True,
    }
    from_gpkg = rows_of(conn, "shelters", src_gpkg, SHELTER_COLUMNS)
    assert from_gpkg == expected

    arrow_conversions.clear()
    path = clean_csv(tmp_path / "awkward.csv", rows)
    report = load_file(
        conn, "shelters", path, source=src_csv, mapping=SHELTER_MAPPING, settings=settings
    )
    assert (report.inserted, report.rejected) == (len(rows), 0)
    # CSV columns are text: the integer and boolean fields are converted value by value
    assert not any(arrow_conversions[f] for f in ("capacity", "occupancy", "wheelchair_accessible"))
    assert rows_of(conn, "shelters", src_csv, SHELTER_COLUMNS) == from_gpkg

    # the awkward strings are the very ones written, byte for byte, not merely equal-looking
    texts = dict(
        conn.execute(
            "SELECT source_id, convert_to(address, 'UTF8') FROM shelters WHERE source = %s",
            (src_csv,),
        ).fetchall()
    )
    for r in rows:
        text = stored_text(r["address"])
        assert texts[r["sid"]] == (None if text is None else text.encode())


def test_awkward_values_through_the_staging_table(
    conn: psycopg.Connection[Any], settings: Settings, sources: Names, tmp_path: Path
):
    """Loads of a source that has rows already go through the staging table (another CSV
    COPY, then an upsert comparing staged and stored values): the awkward values land the
    same, and a reload finds every row unchanged."""
    rows = clean_rows()
    src = sources("staged")
    first = clean_csv(tmp_path / "first.csv", rows[:2])
    load_file(conn, "shelters", first, source=src, mapping=SHELTER_MAPPING, settings=settings)
    path = clean_gpkg(tmp_path / "all.gpkg", rows)
    report = load_file(
        conn, "shelters", path, source=src, mapping=SHELTER_MAPPING, settings=settings
    )
    assert (report.inserted, report.updated, report.unchanged) == (len(rows) - 2, 0, 2)
    assert rows_of(conn, "shelters", src, SHELTER_COLUMNS) == expected_clean(rows)
    for again in (path, clean_csv(tmp_path / "all.csv", rows)):
        report = load_file(
            conn, "shelters", again, source=src, mapping=SHELTER_MAPPING, settings=settings
        )
        assert (report.inserted, report.updated, report.unchanged) == (0, 0, len(rows)), again


# --- rejects: out-of-range integers, bad enum values, fractions; the rest loads -------------


def test_bad_values_are_rejected_with_reasons_and_the_rest_loads(
    conn: psycopg.Connection[Any], settings: Settings, sources: Names, tmp_path: Path
):
    capacity = [10, 2147483647, 2147483648, 20, 30, 40, 9223372036854775807, 50]
    status = ["open", "closed", "open", "shut", "FULL ", "standby", "open", "Closed"]
    rows = [(f"r{i}", c, s) for i, (c, s) in enumerate(zip(capacity, status, strict=True))]
    bad = {"r2": "capacity", "r3": "status", "r6": "capacity"}
    expected = {sid: (c, s.strip().lower()) for sid, c, s in rows if sid not in bad}
    mapping = {
        "source_id": "sid",
        "fields": {"name": {"value": "x"}, "capacity": "capacity", "status": "status"},
    }
    gpkg = write_gpkg(
        tmp_path / "bad.gpkg",
        points(len(rows)),
        {
            "sid": np.array([r[0] for r in rows], dtype=object),
            "capacity": np.array([r[1] for r in rows], dtype="i8"),
            "status": np.array([r[2] for r in rows], dtype=object),
        },
    )
    text = write_csv(tmp_path / "bad.csv", ["sid", "capacity", "status"], [list(r) for r in rows])
    for path in (gpkg, text):
        src = sources(path.suffix[1:])
        report = load_file(
            conn,
            "shelters",
            path,
            source=src,
            mapping=mapping,
            max_reject_ratio=0.5,
            settings=settings,
        )
        assert (report.read, report.inserted, report.rejected) == (8, 5, 3), path
        assert rows_of(conn, "shelters", src, "capacity, status") == expected, path
        rejects = rejects_of(report.rejects_file)
        assert {sid: r["field"] for sid, r in rejects.items()} == bad, path
        assert "2147483648" in rejects["r2"]["reason"] and "range" in rejects["r2"]["reason"]
        assert rejects["r2"]["value"] == "2147483648"
        assert rejects["r2"]["row"] == "3"
        assert "'shut'" in rejects["r3"]["reason"]
        assert "open, closed, full, standby" in rejects["r3"]["reason"]


def test_floats_for_an_integer_field(
    conn: psycopg.Connection[Any], settings: Settings, sources: Names, tmp_path: Path
):
    """A Real column (GeoPackage) or number text (CSV) for shelters.capacity: whole numbers
    load, NaN / empty is NULL, a fraction or an infinity is rejected."""
    values = [12.0, math.nan, 12.5, 0.0, math.inf, 3e9, 2147483647.0]
    csv_text = ["12.0", "", "12.5", "0", "inf", "3e9", "2147483647.0"]
    expected = {"f0": (12,), "f1": (None,), "f3": (0,), "f6": (2147483647,)}
    rejected = {"f2", "f4", "f5"}
    mapping = {"source_id": "sid", "fields": {"name": {"value": "x"}, "capacity": "capacity"}}
    sids = [f"f{i}" for i in range(len(values))]
    gpkg = write_gpkg(
        tmp_path / "floats.gpkg",
        points(len(values)),
        {"sid": np.array(sids, dtype=object), "capacity": np.array(values, dtype="f8")},
    )
    text = write_csv(
        tmp_path / "floats.csv",
        ["sid", "capacity"],
        [list(r) for r in zip(sids, csv_text, strict=True)],
    )
    for path in (gpkg, text):
        src = sources("float-" + path.suffix[1:])
        report = load_file(
            conn,
            "shelters",
            path,
            source=src,
            mapping=mapping,
            max_reject_ratio=0.5,
            settings=settings,
        )
        assert rows_of(conn, "shelters", src, "capacity") == expected, path
        assert set(rejects_of(report.rejects_file)) == rejected, path


# --- date-times: with and without offsets, a mapping time zone, dates -----------------------

NEW_YORK = ZoneInfo("America/New_York")
WHEN = [
    ("d0", "2024-03-01T10:00:00"),  # no offset: New York time (EST)
    ("d1", "2024-07-01T10:00:00"),  # no offset, summer (EDT)
    ("d2", "2024-03-01T10:00:00+02:00"),
    ("d3", "2024-03-01T10:00:00Z"),
    ("d4", "2024-03-10"),  # a date: midnight, New York time
    ("d5", "2024-03-01T23:30:00-05:00"),
]


def expected_instant(text: str) -> dt.datetime:
    """Parsed here without the loader: offsets honoured, else New York wall time."""
    if len(text) == 10:
        year, month, day = map(int, text.split("-"))
        return dt.datetime(year, month, day, tzinfo=NEW_YORK).astimezone(dt.UTC)
    date_part, time_part = text[:10], text[11:19]
    year, month, day = map(int, date_part.split("-"))
    hour, minute, second = map(int, time_part.split(":"))
    rest = text[19:]
    if rest == "Z":
        zone: dt.tzinfo = dt.UTC
    elif rest:
        sign = 1 if rest[0] == "+" else -1
        zone = dt.timezone(sign * dt.timedelta(hours=int(rest[1:3]), minutes=int(rest[4:6])))
    else:
        zone = NEW_YORK
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=zone).astimezone(dt.UTC)


INCIDENT_MAPPING = {
    "source_id": "sid",
    "timezone": "America/New_York",
    "fields": {"incident_type": "kind", "reported_at": "when", "status": "state"},
}


def incident_file(kind: str, path: Path) -> Path:
    sids = [sid for sid, _ in WHEN]
    whens = [w for _, w in WHEN]
    kinds = ["FIRE", " flood ", "Gas_Leak", "fire", "other", "Medical"]
    states = ["Reported", "VERIFIED", " resolved", "", "contained", "responding"]
    if kind == "csv":
        return write_csv(
            path,
            ["sid", "kind", "when", "state"],
            [list(r) for r in zip(sids, kinds, whens, states, strict=True)],
        )
    if kind == "geojson":  # GDAL reads the 'when' strings as a DateTime field
        return write_geojson(
            path,
            [
                (
                    {"sid": s, "kind": k, "when": w, "state": st or None},
                    {"type": "Point", "coordinates": [LON, LAT]},
                )
                for s, k, w, st in zip(sids, kinds, whens, states, strict=True)
            ],
        )
    return write_gpkg(  # text column: converted value by value like the CSV
        path,
        points(len(sids)),
        {
            "sid": np.array(sids, dtype=object),
            "kind": np.array(kinds, dtype=object),
            "when": np.array(whens, dtype=object),
            "state": np.array([s or None for s in states], dtype=object),
        },
    )


@pytest.mark.parametrize(
    "kind",
    [
        "csv",
        "gpkg",
        "geojson",
    ],
)
def test_datetimes_with_and_without_offsets(
    conn: psycopg.Connection[Any],
    settings: Settings,
    sources: Names,
    tmp_path: Path,
    kind: str,
):
    path = incident_file(kind, tmp_path / f"incidents.{kind}")
    src = sources("when-" + kind)
    report = load_file(
        conn, "incidents", path, source=src, mapping=INCIDENT_MAPPING, settings=settings
    )
    assert (report.inserted, report.rejected) == (len(WHEN), 0)
    got = rows_of(conn, "incidents", src, "reported_at, incident_type, status")
    assert {sid: row[0] for sid, row in got.items()} == {
        sid: expected_instant(text) for sid, text in WHEN
    }
    assert {sid: row[1:] for sid, row in got.items()} == {
        "d0": ("fire", "reported"),
        "d1": ("flood", "verified"),
        "d2": ("gas_leak", "resolved"),
        "d3": ("fire", "reported"),  # empty status: the layer's default
        "d4": ("other", "contained"),
        "d5": ("medical", "responding"),
    }


def test_typed_utc_datetimes_from_geopackage(
    conn: psycopg.Connection[Any], settings: Settings, sources: Names, tmp_path: Path
):
    """A GeoPackage DateTime column is UTC (its specification): converted in Arrow, the
    mapping's time zone does not shift it."""
    instants = np.array(
        ["2024-03-01T10:00:00.123", "2024-07-01T23:59:59", "1970-01-01T00:00:00"],
        dtype="datetime64[ms]",
    )
    path = write_gpkg(
        tmp_path / "utc.gpkg",
        points(3),
        {
            "sid": np.array(["u0", "u1", "u2"], dtype=object),
            "kind": np.array(["fire"] * 3, dtype=object),
            "when": instants,
        },
    )
    src = sources("utc")
    load_file(
        conn,
        "incidents",
        path,
        source=src,
        mapping={
            "source_id": "sid",
            "timezone": "America/New_York",
            "fields": {"incident_type": "kind", "reported_at": "when"},
        },
        settings=settings,
    )
    got = {sid: row[0] for sid, row in rows_of(conn, "incidents", src, "reported_at").items()}
    assert got == {
        "u0": dt.datetime(2024, 3, 1, 10, 0, 0, 123000, tzinfo=dt.UTC),
        "u1": dt.datetime(2024, 7, 1, 23, 59, 59, tzinfo=dt.UTC),
        "u2": dt.datetime(1970, 1, 1, tzinfo=dt.UTC),
    }


# --- geometries -----------------------------------------------------------------------------


def test_bowtie_is_repaired_and_valid_polygons_keep_their_wkb(
    conn: psycopg.Connection[Any], settings: Settings, sources: Names, tmp_path: Path
):
    x, y = LON, LAT
    square = shapely.MultiPolygon(
        [shapely.Polygon([(x, y), (x + 0.01, y), (x + 0.01, y + 0.01), (x, y + 0.01)])]
    )
    two_parts = shapely.MultiPolygon(
        [
            shapely.Polygon([(x + 0.1, y), (x + 0.11, y), (x + 0.11, y + 0.01)]),
            shapely.Polygon([(x + 0.2, y), (x + 0.2123456789, y), (x + 0.2, y + 0.0198765432)]),
        ]
    )
    bowtie = shapely.Polygon([(x, y), (x + 0.01, y + 0.01), (x + 0.01, y), (x, y + 0.01)])
    single = shapely.Polygon([(x, y + 1), (x + 0.3, y + 1), (x, y + 1.3)])
    assert not bowtie.is_valid
    geoms = {"square": square, "two": two_parts, "bowtie": bowtie, "single": single}
    path = write_geojson(
        tmp_path / "zones.geojson",
        [({"sid": sid}, json.loads(shapely.to_geojson(g))) for sid, g in geoms.items()],
    )
    src = sources("zones")
    report = load_file(
        conn,
        "hazard_zones",
        path,
        source=src,
        mapping={
            "source_id": "sid",
            "fields": {"hazard_type": {"value": "flood"}, "severity": {"value": "high"}},
        },
        settings=settings,
    )
    assert (report.inserted, report.rejected) == (4, 0)
    stored = {
        sid: (bytes(wkb), valid, kind)
        for sid, wkb, valid, kind in conn.execute(
            "SELECT source_id, ST_AsBinary(geom), ST_IsValid(geom), GeometryType(geom) "
            "FROM hazard_zones WHERE source = %s",
            (src,),
        ).fetchall()
    }
    # valid multipolygons: the file's own WKB, byte for byte (GeoJSON doubles are exact)
    assert stored["square"][0] == shapely.to_wkb(square)
    assert stored["two"][0] == shapely.to_wkb(two_parts)
    assert all(valid and kind == "MULTIPOLYGON" for _, valid, kind in stored.values())
    # a single polygon is promoted, with its coordinates unchanged
    assert shapely.equals_exact(
        shapely.from_wkb(stored["single"][0]), shapely.MultiPolygon([single]), tolerance=0
    )
    # the bow-tie is repaired into its two triangles
    repaired = shapely.from_wkb(stored["bowtie"][0])
    assert repaired.geom_type == "MultiPolygon" and len(repaired.geoms) == 2
    assert shapely.equals(repaired, shapely.make_valid(bowtie))
    assert math.isclose(repaired.area, 2 * (0.01 * 0.005 / 2), rel_tol=1e-9)


@pytest.mark.parametrize(
    "kind",
    [
        "geojson",
        "gpkg",
    ],
)
def test_3d_points_load_with_their_z_dropped(
    conn: psycopg.Connection[Any], settings: Settings, sources: Names, tmp_path: Path, kind: str
):
    """shelters.geom is a 2D Point column; a file with x, y, z coordinates (GeoJSON: GDAL
    declares EPSG:4979, so the points are transformed to EPSG:4326; GeoPackage: declared
    EPSG:4326, so the file's own WKB would be passed on)."""
    coords = [(LON, LAT, 12.5), (LON + 0.001, LAT + 0.002, -3.0)]
    sids = [f"z{i}" for i in range(len(coords))]
    if kind == "geojson":
        path = write_geojson(
            tmp_path / "z.geojson",
            [
                ({"source_id": sid, "name": f"Z {sid}"}, {"type": "Point", "coordinates": c})
                for sid, c in zip(sids, coords, strict=True)
            ],
        )
    else:
        path = write_gpkg(
            tmp_path / "z.gpkg",
            np.array([shapely.Point(c) for c in coords], dtype=object),
            {
                "source_id": np.array(sids, dtype=object),
                "name": np.array([f"Z {sid}" for sid in sids], dtype=object),
            },
        )
    assert pyogrio.read_info(path)["geometry_type"] == "Point Z"
    src = sources("z-" + kind)
    try:
        report = load_file(conn, "shelters", path, source=src, settings=settings)
    except GisServerError as exc:
        pytest.fail(f"a 3D point file does not load: {exc}")
    assert report.inserted == 2
    got = conn.execute(
        "SELECT source_id, ST_X(geom), ST_Y(geom), ST_NDims(geom) FROM shelters "
        "WHERE source = %s ORDER BY source_id",
        (src,),
    ).fetchall()
    assert got == [(sid, c[0], c[1], 2) for sid, c in zip(sids, coords, strict=True)]


def test_measured_points_load_in_2d_without_warnings(
    conn: psycopg.Connection[Any], settings: Settings, sources: Names, tmp_path: Path
):
    """A GeoPackage of Point M (GDAL writes it from GeoJSON with -dim XYM): stored 2D, and no
    warning about the dropped measures reaches the user (pytest turns warnings into errors)."""
    coords = [(LON, LAT), (LON + 0.001, LAT + 0.002)]
    sids = ["m0", "m1"]
    plain = write_geojson(
        tmp_path / "m.geojson",
        [
            ({"source_id": sid, "name": f"M {sid}"}, {"type": "Point", "coordinates": c})
            for sid, c in zip(sids, coords, strict=True)
        ],
    )
    path = tmp_path / "m.gpkg"
    subprocess.run(
        ["ogr2ogr", "-f", "GPKG", str(path), str(plain), "-dim", "XYM"],
        check=True,
        capture_output=True,
    )
    assert "M" in ogr_geometry_type(path)
    src = sources("m")
    report = load_file(conn, "shelters", path, source=src, settings=settings)
    assert report.inserted == 2
    got = conn.execute(
        "SELECT source_id, ST_X(geom), ST_Y(geom), ST_NDims(geom) FROM shelters "
        "WHERE source = %s ORDER BY source_id",
        (src,),
    ).fetchall()
    assert got == [(sid, c[0], c[1], 2) for sid, c in zip(sids, coords, strict=True)]


def ogr_geometry_type(path: Path) -> str:
    """The layer's geometry type as GDAL's ogrinfo reports it (pyogrio would warn about M)."""
    out = subprocess.run(
        ["ogrinfo", "-so", "-al", str(path)], check=True, capture_output=True, text=True
    ).stdout
    return next(line.split(":", 1)[1].strip() for line in out.splitlines() if "Geometry:" in line)
