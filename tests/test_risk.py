"""Risk areas on real Cambridge floodplains and generated edge cases, vs shapely + pyproj."""

from __future__ import annotations

import datetime as dt
from typing import Any

import psycopg
import pytest
import shapely
from psycopg.rows import dict_row
from pyproj import Geod

from gisserver.analyses.risk import RiskAreasQuery, risk_areas, zones_at_point
from gisserver.errors import InvalidParameter
from gisserver.settings import PROJECT_ROOT, Settings

GEOD = Geod(ellps="WGS84")
CAMBRIDGE = PROJECT_ROOT / "etl" / "data" / "cambridge"
MAPPINGS = PROJECT_ROOT / "etl" / "mappings"
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
def loaded(module_rows, database_url: str, settings: Settings) -> dict[str, str]:
    """Cambridge's floodplains and shelters from the real files, and EDGE_ZONES with assets in
    them; the EDGE_ZONES ids (as text) by their source_id."""
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
                source=module_rows.source_for(source),
                mapping=MAPPINGS / f"{mapping}.yaml",
                settings=settings,
            )
    ids = {}
    with module_rows.transaction():
        for sid, box, start, end, kind, severity in EDGE_ZONES:
            zone = module_rows.zone(
                box,
                hazard_type=kind,
                severity=severity,
                valid_from=start,
                valid_to=end,
                source_id=sid,
            )
            ids[sid] = str(zone)
        # assets in the generated zones: one over capacity, incidents open and resolved
        for sid, (x, y), capacity, occupancy in [
            ("in", (30.03, 10.03), 100, 130),
            ("edge", (30.1, 10.05), 50, 0),
            ("out", (30.5, 10.5), 70, 0),
        ]:
            module_rows.shelter(
                x,
                y,
                name=f"shelter {sid}",
                capacity=capacity,
                occupancy=occupancy,
                status="open",
                source_id=sid,
            )
        for sid, status in [("open", "responding"), ("closed", "resolved")]:
            module_rows.incident(
                (30.04, 10.04),
                incident_type="fire",
                status=status,
                reported_at=NOW - dt.timedelta(minutes=5),
                source_id=sid,
            )
        module_rows.camera(30.06, 10.06, name="camera", stream_url="rtsp://private", source_id="c")
    return ids


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


def test_cambridge_bbox_areas_and_shelters_match_shapely(database, layers, loaded, database_url):
    bbox = [-71.16, 42.35, -71.11, 42.40]
    aoi = shapely.box(*bbox)
    answer = risk_areas(
        database, RiskAreasQuery.from_params({"bbox": bbox}, layers=layers), layers=layers
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


def test_cambridge_circle_and_whole_zone_scope(database, layers, loaded, module_rows, database_url):
    # the one Cambridge shelter inside the 500-year floodplain, found through the whole zone
    zones = {i: z for i, z in _zones(database_url).items() if _in_force(z, NOW)}
    cambridge = module_rows.source_for("shelters")
    shelters = _points(database_url, "shelters", f"source = '{cambridge}'")
    at_risk = {
        i
        for i, s in shelters.items()
        if any(z["geom"].intersects(s["point"]) for z in zones.values())
    }
    assert at_risk, "the real data has a shelter inside the 500-year floodplain"
    shelter = shelters[next(iter(at_risk))]
    lon, lat = shelter["point"].x, shelter["point"].y
    answer = risk_areas(
        database,
        RiskAreasQuery.from_params(
            {"point": [lon, lat], "radius_m": 300, "assets_scope": "zone"}, layers=layers
        ),
        layers=layers,
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


def test_validity_times_types_and_severity(database, layers, loaded):
    area = {"bbox": [29.9, 9.9, 30.2, 10.2]}

    def ids(**extra: Any) -> set[str]:
        answer = risk_areas(
            database, RiskAreasQuery.from_params(area | extra, layers=layers), layers=layers
        )
        return {f["properties"]["name"] or "" for f in answer["features"]} | {
            str(f["id"]) for f in answer["features"]
        }

    names = {sid: loaded[sid] for sid, *_ in EDGE_ZONES}
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


def test_assets_open_incidents_over_capacity_and_private_cameras(database, layers, loaded):
    answer = risk_areas(
        database,
        RiskAreasQuery.from_params({"bbox": [29.9, 9.9, 30.2, 10.2]}, layers=layers),
        layers=layers,
    )
    active = next(f for f in answer["features"] if str(f["id"]) == loaded["active"])
    assets = active["properties"]["assets"]
    names = {s["name"] for s in assets["shelters"]["items"]}
    assert names == {"shelter in", "shelter edge"}  # the edge one lies on the boundary
    assert assets["shelters"]["capacity"] == 150 and assets["shelters"]["occupancy"] == 130
    assert [i["status"] for i in assets["incidents"]["items"]] == ["responding"]
    assert assets["cameras"]["count"] == 1
    assert "rtsp" not in str(answer)
    # the over-capacity shelter lies in two zones, the summary counts it once
    assert answer["summary"]["shelters"] == 2


def test_point_on_a_boundary_counts_as_inside(database, layers, loaded):
    inside = zones_at_point(database, 30.1, 10.05, layers=layers)  # on the east edge of "active"
    assert loaded["active"] in {str(f["id"]) for f in inside["features"]}
    corner = zones_at_point(database, 30.0, 10.0, layers=layers)
    assert loaded["active"] in {str(f["id"]) for f in corner["features"]}
    outside = zones_at_point(database, 30.1000001, 10.05, layers=layers)
    assert loaded["active"] not in {str(f["id"]) for f in outside["features"]}
    past = zones_at_point(database, 30.12, 10.05, NOW - dt.timedelta(days=2), layers=layers)
    assert {str(f["id"]) for f in past["features"]} == {loaded["expired"]}


def test_empty_answer(database, layers, loaded):
    answer = risk_areas(
        database,
        RiskAreasQuery.from_params({"point": [-40, -40], "radius_m": 1000}, layers=layers),
        layers=layers,
    )
    assert answer["features"] == [] and answer["summary"]["zones"] == 0


def test_self_intersecting_polygon_is_repaired_and_said(database, layers, loaded):
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[29.9, 9.9], [30.2, 10.2], [30.2, 9.9], [29.9, 10.2], [29.9, 9.9]]],
    }
    answer = risk_areas(
        database, RiskAreasQuery.from_params({"geometry": bowtie}, layers=layers), layers=layers
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
def test_bad_input_is_named(body: dict[str, Any], parameter: str, layers):
    with pytest.raises(InvalidParameter) as err:
        RiskAreasQuery.from_params(body, layers=layers)
    assert err.value.parameter == parameter
    assert "accepted" in err.value.message
