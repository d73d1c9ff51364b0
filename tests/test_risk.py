"""Risk areas on real Cambridge floodplains and generated edge cases, vs shapely + pyproj."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
import shapely
from psycopg.rows import dict_row
from pyproj import Geod

from gisserver.analyses.risk import RiskAreasQuery, risk_areas, zones_at_point
from gisserver.db import Database
from gisserver.errors import InvalidParameter
from gisserver.layers import load_layers as _load_layers
from gisserver.settings import PROJECT_ROOT, Settings
from gisserver.settings import PROJECT_ROOT as _ROOT

LAYERS = _load_layers(_ROOT / "layers")

GEOD = Geod(ellps="WGS84")
CAMBRIDGE = PROJECT_ROOT / "etl" / "data" / "cambridge"
MAPPINGS = PROJECT_ROOT / "etl" / "mappings"
SOURCE = "test-risk"
NOW = dt.datetime.now(dt.UTC)
# generated zones far from any real data: (source_id, box, valid_from, valid_to, type, severity)
EDGE_ZONES = [
    ("active", (30.0, 10.0, 30.1, 10.1), NOW - dt.timedelta(hours=1), None, "fire", "high"),
    (
        "expired",
        (30.05, 10.0, 30.15, 10.1),
        NOW - dt.timedelta(days=3),
        NOW - dt.timedelta(days=1),
        "flood",
        "extreme",
    ),
    ("future", (30.0, 10.05, 30.1, 10.15), NOW + dt.timedelta(days=1), None, "flood", "low"),
    ("open-start", (29.95, 9.95, 30.02, 10.02), None, None, "chemical", "moderate"),
]


@pytest.fixture(scope="module")
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url, min_size=1, max_size=2)
    yield database
    database.close()


@pytest.fixture(scope="module")
def loaded(database_url: str, settings: Settings) -> Iterator[None]:
    from gisserver.etl import load_file

    with psycopg.connect(database_url) as conn:
        for layer, name, mapping, source in [
            ("hazard_zones", "FEMA_FloodPlains100Year", "cambridge_floodplains_100yr", "100"),
            ("hazard_zones", "FEMA_FloodPlains500Year", "cambridge_floodplains_500yr", "500"),
            ("shelters", "PUBLICSAFETY_EmergencyShelters", "cambridge_shelters", "shelters"),
        ]:
            load_file(
                conn,
                layer,
                CAMBRIDGE / f"{name}.geojson",
                source=f"{SOURCE}-{source}",
                mapping=MAPPINGS / f"{mapping}.yaml",
                settings=settings,
            )
        for sid, (x1, y1, x2, y2), start, end, kind, severity in EDGE_ZONES:
            conn.execute(
                "INSERT INTO hazard_zones (source, source_id, hazard_type, severity, valid_from,"
                " valid_to, geom) VALUES (%s, %s, %s, %s, %s, %s,"
                " ST_Multi(ST_MakeEnvelope(%s, %s, %s, %s, 4326)))",
                (SOURCE, sid, kind, severity, start, end, x1, y1, x2, y2),
            )
        # assets in the generated zones: one over capacity, incidents open and resolved
        for sid, (x, y), capacity, occupancy in [
            ("in", (30.03, 10.03), 100, 130),
            ("edge", (30.1, 10.05), 50, 0),
            ("out", (30.5, 10.5), 70, 0),
        ]:
            conn.execute(
                "INSERT INTO shelters (source, source_id, name, capacity, occupancy, status, geom)"
                " VALUES (%s, %s, %s, %s, %s, 'open', ST_SetSRID(ST_MakePoint(%s, %s), 4326))",
                (SOURCE, sid, f"shelter {sid}", capacity, occupancy, x, y),
            )
        for sid, status in [("open", "responding"), ("closed", "resolved")]:
            conn.execute(
                "INSERT INTO incidents (source, source_id, incident_type, status, reported_at,"
                " geom) VALUES (%s, %s, 'fire', %s, %s,"
                " ST_SetSRID(ST_MakePoint(30.04, 10.04), 4326))",
                (SOURCE, sid, status, NOW - dt.timedelta(minutes=5)),
            )
        conn.execute(
            "INSERT INTO cameras (source, source_id, name, stream_url, geom) VALUES"
            " (%s, 'c', 'camera', 'rtsp://private', ST_SetSRID(ST_MakePoint(30.06, 10.06), 4326))",
            (SOURCE,),
        )
        conn.commit()
    yield
    with psycopg.connect(database_url) as conn:
        for table in ("hazard_zones", "shelters", "incidents", "cameras"):
            conn.execute(f"DELETE FROM {table} WHERE source LIKE %s", (SOURCE + "%",))
        conn.commit()


def _zones(database_url: str) -> dict[int, dict[str, Any]]:
    with psycopg.connect(database_url, row_factory=dict_row) as conn:
        rows = conn.execute(
            "SELECT id, ST_AsBinary(geom) AS wkb, valid_from, valid_to, hazard_type, severity"
            " FROM hazard_zones"
        ).fetchall()
    for row in rows:
        row["geom"] = shapely.from_wkb(row["wkb"])
    return {row["id"]: row for row in rows}


def _points(database_url: str, table: str, where: str = "TRUE") -> dict[int, dict[str, Any]]:
    with psycopg.connect(database_url, row_factory=dict_row) as conn:
        rows = conn.execute(
            f"SELECT *, ST_AsBinary(geom) AS wkb FROM {table} WHERE {where}"
        ).fetchall()
    return {r["id"]: r | {"point": shapely.from_wkb(r["wkb"])} for r in rows}


def _in_force(zone: dict[str, Any], at: dt.datetime) -> bool:
    return (zone["valid_from"] is None or zone["valid_from"] <= at) and (
        zone["valid_to"] is None or zone["valid_to"] > at
    )


def _geodesic_area(geometry: shapely.Geometry) -> float:
    return abs(GEOD.geometry_area_perimeter(geometry)[0])


def test_cambridge_bbox_areas_and_shelters_match_shapely(db, loaded, database_url):
    bbox = [-71.16, 42.35, -71.11, 42.40]
    aoi = shapely.box(*bbox)
    answer = risk_areas(
        db, RiskAreasQuery.from_params({"bbox": bbox}, layers=LAYERS), layers=LAYERS
    )
    zones = {
        i: z
        for i, z in _zones(database_url).items()
        if _in_force(z, NOW) and z["geom"].intersects(aoi)
    }
    assert {f["id"] for f in answer["features"]} == set(zones)
    assert len(zones) >= 3
    shelters = _points(database_url, "shelters")
    for f in answer["features"]:
        zone = zones[f["id"]]["geom"]
        expected = _geodesic_area(shapely.intersection(zone, aoi))
        assert f["properties"]["intersection_area_m2"] == pytest.approx(expected, rel=1e-3)
        assert f["properties"]["zone_area_m2"] == pytest.approx(_geodesic_area(zone), rel=1e-3)
        inside = {
            i
            for i, s in shelters.items()
            if zone.intersects(s["point"]) and aoi.intersects(s["point"])
        }
        got = f["properties"]["assets"]["shelters"]
        assert {s["id"] for s in got["items"]} == inside
        assert got["capacity"] == sum(shelters[i]["capacity"] or 0 for i in inside)
    ranks = [
        ("low", "moderate", "high", "extreme").index(f["properties"]["severity"])
        for f in answer["features"]
    ]
    assert ranks == sorted(ranks, reverse=True)


def test_cambridge_circle_and_whole_zone_scope(db, loaded, database_url):
    # the one Cambridge shelter inside the 500-year floodplain, found through the whole zone
    zones = {i: z for i, z in _zones(database_url).items() if _in_force(z, NOW)}
    shelters = _points(database_url, "shelters", f"source = '{SOURCE}-shelters'")
    at_risk = {
        i
        for i, s in shelters.items()
        if any(z["geom"].intersects(s["point"]) for z in zones.values())
    }
    assert at_risk, "the real data has a shelter inside the 500-year floodplain"
    shelter = shelters[next(iter(at_risk))]
    lon, lat = shelter["point"].x, shelter["point"].y
    answer = risk_areas(
        db,
        RiskAreasQuery.from_params(
            {"point": [lon, lat], "radius_m": 300, "assets_scope": "zone"}, layers=LAYERS
        ),
        layers=LAYERS,
    )
    circle = shapely.Polygon(
        list(
            zip(
                *GEOD.fwd(
                    [lon] * 256, [lat] * 256, [i * 360 / 256 for i in range(256)], [300] * 256
                )[:2],
                strict=True,
            )
        )
    )
    assert answer["area"]["area_m2"] == pytest.approx(3.14159265 * 300**2, rel=2e-4)
    for f in answer["features"]:
        zone = zones[f["id"]]["geom"]
        expected = _geodesic_area(shapely.intersection(zone, circle))
        assert f["properties"]["intersection_area_m2"] == pytest.approx(expected, rel=1e-3)
        ids = {s["id"] for s in f["properties"]["assets"]["shelters"]["items"]}
        assert ids == {
            i for i, s in _points(database_url, "shelters").items() if zone.intersects(s["point"])
        }
    assert shelter["id"] in {
        s["id"] for f in answer["features"] for s in f["properties"]["assets"]["shelters"]["items"]
    }


def test_validity_times_types_and_severity(db, loaded):
    area = {"bbox": [29.9, 9.9, 30.2, 10.2]}

    def ids(**extra: Any) -> set[str]:
        answer = risk_areas(
            db, RiskAreasQuery.from_params(area | extra, layers=LAYERS), layers=LAYERS
        )
        return {f["properties"]["name"] or "" for f in answer["features"]} | {
            str(f["id"]) for f in answer["features"]
        }

    names = {sid: _source_ids_to_ids(sid) for sid, *_ in EDGE_ZONES}
    now_ids = {f for f in ids() if f.isdigit()}
    assert now_ids >= {names["active"], names["open-start"]}
    assert names["expired"] not in now_ids and names["future"] not in now_ids
    past = (NOW - dt.timedelta(days=2)).isoformat()
    assert names["expired"] in ids(at=past)
    assert names["active"] not in ids(at=past)
    future = (NOW + dt.timedelta(days=2)).isoformat()
    assert names["future"] in ids(at=future)
    assert {f for f in ids(hazard_types=["chemical"]) if f.isdigit()} == {names["open-start"]}
    assert {f for f in ids(min_severity="high") if f.isdigit()} == {names["active"]}


_ID_CACHE: dict[str, str] = {}


def _source_ids_to_ids(source_id: str) -> str:
    return _ID_CACHE[source_id]


@pytest.fixture(autouse=True)
def _edge_ids(request, database_url: str) -> None:
    if "loaded" not in request.fixturenames:
        return
    request.getfixturevalue("loaded")
    with psycopg.connect(database_url) as conn:
        for sid, i in conn.execute(
            "SELECT source_id, id FROM hazard_zones WHERE source = %s", (SOURCE,)
        ).fetchall():
            _ID_CACHE[sid] = str(i)


def test_assets_open_incidents_over_capacity_and_private_cameras(db, loaded):
    answer = risk_areas(
        db,
        RiskAreasQuery.from_params({"bbox": [29.9, 9.9, 30.2, 10.2]}, layers=LAYERS),
        layers=LAYERS,
    )
    active = next(f for f in answer["features"] if str(f["id"]) == _ID_CACHE["active"])
    assets = active["properties"]["assets"]
    names = {s["name"] for s in assets["shelters"]["items"]}
    assert names == {"shelter in", "shelter edge"}  # the edge one lies on the boundary
    assert assets["shelters"]["capacity"] == 150 and assets["shelters"]["occupancy"] == 130
    assert [i["status"] for i in assets["incidents"]["items"]] == ["responding"]
    assert assets["cameras"]["count"] == 1
    assert "rtsp" not in str(answer)
    # the over-capacity shelter lies in two zones, the summary counts it once
    assert answer["summary"]["shelters"] == 2


def test_point_on_a_boundary_counts_as_inside(db, loaded):
    inside = zones_at_point(db, 30.1, 10.05, layers=LAYERS)  # on the east edge of "active"
    assert _ID_CACHE["active"] in {str(f["id"]) for f in inside["features"]}
    corner = zones_at_point(db, 30.0, 10.0, layers=LAYERS)
    assert _ID_CACHE["active"] in {str(f["id"]) for f in corner["features"]}
    outside = zones_at_point(db, 30.1000001, 10.05, layers=LAYERS)
    assert _ID_CACHE["active"] not in {str(f["id"]) for f in outside["features"]}
    past = zones_at_point(db, 30.12, 10.05, NOW - dt.timedelta(days=2), layers=LAYERS)
    assert {str(f["id"]) for f in past["features"]} == {_ID_CACHE["expired"]}


def test_empty_answer(db, loaded):
    answer = risk_areas(
        db,
        RiskAreasQuery.from_params({"point": [-40, -40], "radius_m": 1000}, layers=LAYERS),
        layers=LAYERS,
    )
    assert answer["features"] == [] and answer["summary"]["zones"] == 0


def test_self_intersecting_polygon_is_repaired_and_said(db, loaded):
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[29.9, 9.9], [30.2, 10.2], [30.2, 9.9], [29.9, 10.2], [29.9, 9.9]]],
    }
    answer = risk_areas(
        db, RiskAreasQuery.from_params({"geometry": bowtie}, layers=LAYERS), layers=LAYERS
    )
    assert answer["area"]["repaired"] is True
    assert "repaired" in answer["area"]["repair_note"]
    assert answer["features"]


@pytest.mark.parametrize(
    ("body", "parameter"),
    [
        ({}, "geometry/bbox/point"),
        ({"bbox": [0, 0, 1, 1], "point": [0, 0]}, "geometry/bbox/point"),
        ({"point": [0, 0]}, "radius_m"),
        ({"point": [0, 0], "radius_m": 0}, "radius_m"),
        ({"point": [0, 0], "radius_m": 500001}, "radius_m"),
        ({"point": [0]}, "point"),
        ({"geometry": {"type": "Polygon", "coordinates": "x"}}, "geometry"),
        ({"geometry": {"type": "Point", "coordinates": [0, 0]}}, "geometry"),
        ({"bbox": [0, 0, 1, 1], "min_severity": "huge"}, "min_severity"),
        ({"bbox": [0, 0, 1, 1], "hazard_types": ["meteor"]}, "hazard_types"),
        ({"bbox": [0, 0, 1, 1], "at": "yesterday"}, "at"),
        ({"bbox": [0, 0, 1, 1], "radius_m": 5}, "radius_m"),
        ({"bbox": [0, 0, 1, 1], "colour": "red"}, "colour"),
        ({"point": [179.99, 0], "radius_m": 5000}, "point"),
    ],
)
def test_bad_input_is_named(body: dict[str, Any], parameter: str):
    with pytest.raises(InvalidParameter) as err:
        RiskAreasQuery.from_params(body, layers=LAYERS)
    assert err.value.parameter == parameter
    assert "accepted" in err.value.message
