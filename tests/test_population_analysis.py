"""Affected population against independent computations.

Rasters: ``rasterio.mask(..., crop=True, all_touched=False, filled=False)`` summed on the file
itself, with the area transformed by GDAL (``rasterio.warp.transform_geom``). Census: shapely
intersections in lon/lat with ``pyproj.Geod`` geodesic areas.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import psycopg
import pytest
import rasterio
import rasterio.mask
import rasterio.warp
import shapely
from pyproj import CRS, Geod, Transformer
from rasterio.transform import from_origin
from shapely.geometry import box, mapping, shape
from shapely.geometry.polygon import orient

from gisserver.analyses import population as population_analysis
from gisserver.analyses.population import (
    AffectedPopulationQuery,
    affected_population,
    population_in_area,
)
from gisserver.db import Database
from gisserver.errors import InvalidParameter, NotFound
from gisserver.etl.population.census import load_population_census
from gisserver.etl.population.raster import load_population_raster
from gisserver.settings import PROJECT_ROOT

# rasterio 1.4 multiplies Affine objects with `*`, which affine 3.1 flags as pending deprecation.
pytestmark = pytest.mark.filterwarnings("ignore:Use `@` matmul:PendingDeprecationWarning")

GEOD = Geod(ellps="WGS84")
DATA = PROJECT_ROOT / "etl" / "data"
KATHMANDU = DATA / "population" / "kathmandu_worldpop_2020.tif"
ACCRA = DATA / "population" / "accra_worldpop_2015.tif"
CAMBRIDGE = DATA / "cambridge" / "DEMOGRAPHICS_Blocks2000.geojson"
PREFIX = "test-pop-a-"
UTM_5S = "EPSG:32705"  # generated UTM raster, South Pacific (lon about -153, lat about -30)
CUSTOM_TM = (
    "+proj=tmerc +lat_0=-30 +lon_0=-145 +k=0.9996 +x_0=500000 +y_0=10000000 "
    "+ellps=WGS84 +units=m +no_defs"
)


# ---------------------------------------------------------------------------------------------
# Independent computations


def mask_sum(path: Path, geom: Any) -> float:
    """Population by rasterio.mask on the file, the area transformed to its CRS by GDAL."""
    with rasterio.open(path) as src:
        crs_geom = rasterio.warp.transform_geom("EPSG:4326", src.crs, mapping(geom))
        try:
            out, _ = rasterio.mask.mask(src, [crs_geom], crop=True, all_touched=False, filled=False)
        except ValueError:  # no overlap
            return 0.0
        return float(out.compressed().astype(np.float64).sum())


def geodesic_area(geom: Any) -> float:
    polygons = [g for g in shapely.get_parts(geom) if g.geom_type == "Polygon"]
    polygons += [
        p for g in shapely.get_parts(geom) if g.geom_type == "MultiPolygon" for p in g.geoms
    ]
    return sum(abs(GEOD.geometry_area_perimeter(orient(p, 1.0))[0]) for p in polygons)


def areal_weighted(units: list[tuple[Any, float]], area: Any) -> float:
    total = 0.0
    for geom, population in units:
        if not geom.intersects(area):
            continue
        inside = geodesic_area(shapely.intersection(geom, area))
        total += population * inside / geodesic_area(geom)
    return total


def cambridge_units() -> list[tuple[Any, float]]:
    features = json.loads(CAMBRIDGE.read_text())["features"]
    return [(shape(f["geometry"]), float(f["properties"]["POP_LAB"])) for f in features]


# ---------------------------------------------------------------------------------------------
# Fixtures


def write_raster(
    path: Path, data: np.ndarray, *, crs: Any, transform: Any, nodata: float | None
) -> Path:
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=data.shape[1],
        height=data.shape[0],
        count=1,
        dtype=data.dtype,
        crs=crs,
        transform=transform,
        nodata=nodata,
        tiled=True,
        blockxsize=128,
        blockysize=128,
    ) as dst:
        dst.write(data, 1)
    return path


def people(rng: np.random.Generator, shape_: tuple[int, int]) -> np.ndarray:
    data = rng.gamma(2.0, 20.0, size=shape_).astype(np.float32)
    data[rng.random(shape_) < 0.1] = -9999.0  # nodata scattered through the grid
    return data


@pytest.fixture(scope="module")
def rasters(scratch_dir: Path) -> dict[str, Path]:
    """A UTM raster and a raster in a CRS without an EPSG code (600 x 500 cells of 100 m)."""
    rng = np.random.default_rng(42)
    folder = scratch_dir / "population-analysis"
    folder.mkdir(exist_ok=True)
    return {
        "utm": write_raster(
            folder / "utm.tif",
            people(rng, (500, 600)),
            crs=UTM_5S,
            transform=from_origin(350_000.0, 6_700_000.0, 100.0, 100.0),
            nodata=-9999.0,
        ),
        "custom": write_raster(
            folder / "custom.tif",
            people(rng, (500, 600)),
            crs=CRS.from_proj4(CUSTOM_TM).to_wkt(),
            transform=from_origin(470_000.0, 6_700_000.0, 100.0, 100.0),
            nodata=-9999.0,
        ),
    }


def square_units(lon0: float, lat0: float, n: int, size: float) -> list[tuple[Any, float]]:
    return [
        (
            box(lon0 + i * size, lat0 + j * size, lon0 + (i + 1) * size, lat0 + (j + 1) * size),
            float(100 * (i + 1) + j),
        )
        for i in range(n)
        for j in range(n)
    ]


def write_census(path: Path, units: list[tuple[Any, float]]) -> Path:
    features = [
        {
            "type": "Feature",
            "properties": {"uid": f"u{k}", "pop": population},
            "geometry": mapping(geom),
        }
        for k, (geom, population) in enumerate(units)
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


SQUARES = square_units(-140.0, -35.0, 4, 0.01)
# Two sources over the same place: a census grid and a newer one, for source selection.
OLD_GRID = square_units(-120.0, -40.0, 2, 0.01)
NEW_GRID = square_units(-120.0, -40.0, 3, 0.01)


@pytest.fixture(scope="module")
def population_sources(
    database_url: str, rasters: dict[str, Path], scratch_dir: Path
) -> Iterator[None]:
    """The WorldPop rasters, the generated ones, Cambridge's census blocks and the generated
    grids, loaded as population sources named PREFIX + ...; deleted afterwards."""
    folder = scratch_dir / "population-analysis"
    with psycopg.connect(database_url) as conn:
        load_population_raster(conn, KATHMANDU, name=PREFIX + "kathmandu", reference_year=2020)
        load_population_raster(conn, ACCRA, name=PREFIX + "accra", reference_year=2015)
        load_population_raster(conn, rasters["utm"], name=PREFIX + "utm")
        load_population_raster(conn, rasters["utm"], name=PREFIX + "utm-t32", tile_size=32)
        load_population_raster(conn, rasters["custom"], name=PREFIX + "custom")
        load_population_census(
            conn,
            CAMBRIDGE,
            name=PREFIX + "cambridge",
            count_field="POP_LAB",
            unit_id_field="STFID",
            reference_year=2000,
        )
        for name, units, year in (
            ("squares", SQUARES, None),
            ("old-grid", OLD_GRID, 2000),
            ("new-grid", NEW_GRID, 2010),
        ):
            load_population_census(
                conn,
                write_census(folder / f"{name}.geojson", units),
                name=PREFIX + name,
                count_field="pop",
                unit_id_field="uid",
                reference_year=year,
            )
    yield
    with psycopg.connect(database_url) as conn:
        conn.execute("DELETE FROM population_sources WHERE name LIKE %s", (PREFIX + "%",))


def ask(db: Database, body: dict[str, Any]) -> dict[str, Any]:
    return affected_population(db, AffectedPopulationQuery.from_params(body))


def raster_polygons(path: Path) -> dict[str, Any]:
    """Areas in lon/lat around a raster: inside, across its edge, with a hole, multi-part."""
    with rasterio.open(path) as src:
        left, bottom, right, top = rasterio.warp.transform_bounds(src.crs, "EPSG:4326", *src.bounds)
    w, h = right - left, top - bottom
    cx, cy = left + w / 2, bottom + h / 2
    inside = shapely.Point(cx, cy).buffer(w / 7, quad_segs=16)
    ring = (
        shapely.Point(cx + w / 10, cy)
        .buffer(w / 5)
        .difference(shapely.Point(cx + w / 10, cy).buffer(w / 12))
    )
    return {
        "inside": inside,
        "across_edge": shapely.Polygon(
            [
                (left - w / 10, cy),
                (left + w / 4, cy - h / 5),
                (left + w / 3, cy + h / 4),
                (left - w / 20, top + h / 10),
            ]
        ),
        "with_hole": ring,
        "multipolygon": shapely.MultiPolygon(
            [
                box(left + w / 20, bottom + h / 20, left + w / 5, bottom + h / 4),
                shapely.Point(right - w / 6, top - h / 6).buffer(w / 9),
            ]
        ),
        "thin": box(cx - w / 3, cy, cx + w / 3, cy + h / 400),
    }


# ---------------------------------------------------------------------------------------------
# Raster: cell centres, equal to rasterio.mask


@pytest.mark.parametrize("which", ["kathmandu", "accra"])
@pytest.mark.parametrize("case", ["inside", "across_edge", "with_hole", "multipolygon", "thin"])
def test_worldpop_equals_rasterio_mask(
    database: Database, population_sources: None, which: str, case: str
) -> None:
    path = KATHMANDU if which == "kathmandu" else ACCRA
    area = raster_polygons(path)[case]
    answer = ask(database, {"geometry": mapping(area), "source": PREFIX + which})
    expected = mask_sum(path, area)
    assert expected > 0 or case == "thin"  # a sliver may hold no cell centre at all
    assert answer["method"] == "raster-cell-centre"
    assert answer["source"] == PREFIX + which
    assert answer["population"] == pytest.approx(expected, rel=1e-12)
    assert answer["area_m2"] == pytest.approx(geodesic_area(area), rel=1e-6)
    if case == "across_edge":
        assert 0 < answer["covered_fraction"] < 0.99
        assert "coverage_note" in answer
    else:
        assert answer["covered_fraction"] == pytest.approx(1.0)
        assert "coverage_note" not in answer
    assert sum(t["population"] for t in answer["tiles"]) == pytest.approx(answer["population"])
    assert answer["tile_count"] == len(answer["tiles"])


@pytest.mark.parametrize("which", ["utm", "custom"])
@pytest.mark.parametrize("case", ["inside", "across_edge", "with_hole", "multipolygon", "thin"])
def test_projected_raster_equals_rasterio_mask(
    database: Database, population_sources: None, rasters: dict[str, Path], which: str, case: str
) -> None:
    area = raster_polygons(rasters[which])[case]
    answer = ask(database, {"geometry": mapping(area), "source": PREFIX + which})
    expected = mask_sum(rasters[which], area)
    assert expected > 0 or case == "thin"
    assert answer["population"] == pytest.approx(expected, rel=1e-12)
    if case != "thin":
        assert answer["nodata_cells"] > 0  # nodata cells fell inside, and were not counted


def test_cell_centre_boundaries_match_rasterio(
    database: Database, population_sources: None
) -> None:
    """Polygons whose edges run exactly through cell centres, the hardest case for the rule."""
    rng = np.random.default_rng(7)
    with rasterio.open(ACCRA) as src:
        t = src.transform
    for _ in range(25):
        c0, r0 = (int(v) for v in rng.integers(50, 380, 2))
        dc, dr = (int(v) for v in rng.integers(3, 70, 2))
        x0, y0 = t @ (c0 + 0.5, r0 + 0.5)
        x1, y1 = t @ (c0 + dc + 0.5, r0 + dr + 0.5)
        corners = [
            t @ (c0 + int(rng.integers(0, 60)) + 0.5, r0 + int(rng.integers(0, 60)) + 0.5)
            for _ in range(5)
        ]
        for area in (
            box(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)),
            shapely.convex_hull(shapely.MultiPoint(corners)),
        ):
            if area.area == 0:
                continue
            answer = ask(database, {"geometry": mapping(area), "source": PREFIX + "accra"})
            assert answer["population"] == pytest.approx(mask_sum(ACCRA, area), rel=1e-12)


def test_large_areas_in_bands(
    database: Database,
    population_sources: None,
    rasters: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Windows above the band limit are summed band by band, with the same answer.

    (Bands rasterize on their own origin, so a cell centre lying exactly on an edge, to the
    last bit, may fall the other way than in one whole-window rasterization; such exact ties
    are avoided here and documented.)
    """
    monkeypatch.setattr(population_analysis.raster, "MAX_BAND_CELLS", 3_000)
    path = rasters["utm"]
    with rasterio.open(path) as src:
        t = src.transform
        to_lonlat = Transformer.from_crs(src.crs, "EPSG:4326", always_xy=True)
    rng = np.random.default_rng(11)
    areas = list(raster_polygons(path).values())
    for _ in range(10):
        corners = [to_lonlat.transform(*(t @ tuple(cr))) for cr in rng.uniform(0, 500, (6, 2))]
        areas.append(shapely.convex_hull(shapely.MultiPoint(corners)))
    for area in areas:
        answer = ask(database, {"geometry": mapping(area), "source": PREFIX + "utm-t32"})
        assert answer["population"] == pytest.approx(mask_sum(path, area), rel=1e-12)
        assert len(answer["tiles"]) > 1


def test_vast_area_over_a_projected_raster(
    database: Database, population_sources: None, rasters: dict[str, Path]
) -> None:
    """An area reaching far outside the UTM zone's domain still counts the whole raster."""
    vast = box(-179.0, -80.0, 179.0, 80.0)
    answer = ask(database, {"geometry": mapping(vast), "source": PREFIX + "utm"})
    with rasterio.open(rasters["utm"]) as src:
        everyone = float(src.read(1, masked=True).compressed().astype(np.float64).sum())
    assert answer["population"] == pytest.approx(everyone, rel=1e-12)
    assert answer["covered_fraction"] < 0.01
    assert "coverage_note" in answer


def test_raster_area_outside_gives_null(database: Database, population_sources: None) -> None:
    answer = ask(
        database, {"geometry": mapping(box(0, 0, 0.01, 0.01)), "source": PREFIX + "kathmandu"}
    )
    assert answer["population"] is None
    assert "does not cover" in answer["reason"]


# ---------------------------------------------------------------------------------------------
# Census: areal weighting with geodesic areas


def test_cambridge_areal_weighting(database: Database, population_sources: None) -> None:
    units = cambridge_units()
    areas = [
        box(-71.12, 42.365, -71.10, 42.38),
        shapely.Point(-71.105, 42.373).buffer(0.006, quad_segs=16),
        shapely.Polygon(
            [(-71.14, 42.37), (-71.09, 42.36), (-71.095, 42.39), (-71.12, 42.385)]
        ).difference(shapely.Point(-71.11, 42.375).buffer(0.003)),
        box(-71.2, 42.3, -71.0, 42.5),  # all of Cambridge and beyond
    ]
    for area in areas:
        answer = ask(database, {"geometry": mapping(area), "source": PREFIX + "cambridge"})
        expected = areal_weighted(units, area)
        assert answer["method"] == "areal-weighted"
        assert answer["population"] == pytest.approx(expected, rel=1e-3)
        assert sum(u["population"] for u in answer["units"]) == pytest.approx(answer["population"])
        assert all(0 < u["share"] <= 1 for u in answer["units"])
        assert answer["unit_count"] == len(answer["units"])
    assert answer["population"] == pytest.approx(101_355, rel=1e-9)
    assert answer["covered_fraction"] < 0.5


def test_generated_squares(database: Database, population_sources: None) -> None:
    # One whole square (100), half of its eastern neighbour (200 / 2), a corner of another.
    area = shapely.Polygon(
        [(-140.0, -35.0), (-139.985, -35.0), (-139.985, -34.99), (-140.0, -34.99)]
    ).union(box(-139.975, -34.975, -139.965, -34.965))
    answer = ask(database, {"geometry": mapping(area)})
    assert answer["source"] == PREFIX + "squares"
    assert answer["population"] == pytest.approx(areal_weighted(SQUARES, area), rel=1e-3)
    assert answer["population"] == pytest.approx(
        100 + 200 / 2 + 302 / 4 + 303 / 4 + 402 / 4 + 403 / 4, rel=2e-3
    )


# ---------------------------------------------------------------------------------------------
# Choosing the source


def test_source_selection_by_coverage_then_year(
    database: Database, population_sources: None
) -> None:
    # Inside both grids: the newer (2010) one is chosen and the other is named.
    both = box(-119.999, -39.999, -119.985, -39.985)
    answer = ask(database, {"geometry": mapping(both)})
    assert answer["source"] == PREFIX + "new-grid"
    assert answer["source_selection"] == "covers the largest part of the area"
    assert [s["name"] for s in answer["other_sources"]] == [PREFIX + "old-grid"]
    # Reaching beyond the old grid: the new one covers more.
    wider = box(-119.995, -39.995, -119.975, -39.975)
    assert ask(database, {"geometry": mapping(wider)})["source"] == PREFIX + "new-grid"
    # An explicit source wins even when another covers more; the coverage is stated.
    forced = ask(database, {"geometry": mapping(wider), "source": PREFIX + "old-grid"})
    assert forced["source"] == PREFIX + "old-grid"
    assert forced["source_selection"] == "requested"
    assert forced["covered_fraction"] == pytest.approx(0.75 * 0.75, rel=1e-3)
    assert "coverage_note" in forced
    assert forced["population"] == pytest.approx(areal_weighted(OLD_GRID, wider), rel=1e-3)


def test_auto_selection_names_the_raster(
    database: Database, population_sources: None, rasters: dict[str, Path]
) -> None:
    area = raster_polygons(rasters["utm"])["inside"]
    answer = ask(database, {"geometry": mapping(area)})
    assert answer["source"] == PREFIX + "utm"
    assert answer["source_kind"] == "raster"
    assert answer["population"] == pytest.approx(mask_sum(rasters["utm"], area), rel=1e-12)


def test_no_source_covers_the_area(database: Database, population_sources: None) -> None:
    answer = ask(database, {"geometry": mapping(box(-30.0, -60.0, -29.9, -59.9))})
    assert answer["population"] is None
    assert answer["source"] is None
    assert "no population source covers this area" in answer["reason"]
    assert answer["area_m2"] > 0


# ---------------------------------------------------------------------------------------------
# Hazard zones, incidents, the situation report's entry point


@pytest.fixture()
def zone_and_incidents(rows) -> dict[str, int]:
    """A flood zone over Kathmandu, a point incident and a polygon incident inside it."""
    return {
        "zone": rows.zone(
            box(85.30, 27.68, 85.33, 27.71).wkt, hazard_type="flood", severity="high"
        ),
        "point": rows.incident("POINT(85.32 27.70)", incident_type="fire"),
        "polygon": rows.incident(box(85.31, 27.69, 85.32, 27.70).wkt, incident_type="fire"),
    }


def test_hazard_zone(
    database: Database, population_sources: None, zone_and_incidents: dict[str, int]
) -> None:
    answer = ask(
        database, {"hazard_zone_id": zone_and_incidents["zone"], "source": PREFIX + "kathmandu"}
    )
    assert answer["area"] == {"hazard_zone_id": zone_and_incidents["zone"]}
    area = box(85.30, 27.68, 85.33, 27.71)
    assert answer["population"] == pytest.approx(mask_sum(KATHMANDU, area), rel=1e-12)


def test_incident_buffer(
    database: Database, population_sources: None, zone_and_incidents: dict[str, int]
) -> None:
    r = 500.0
    answer = ask(
        database,
        {"incident_id": zone_and_incidents["point"], "buffer_m": r, "source": PREFIX + "kathmandu"},
    )
    # The buffer polygon is inscribed in a circle of about r: area within 0.2% of pi r^2.
    assert answer["area_m2"] == pytest.approx(math.pi * r * r, rel=2e-3)

    # Cell-centre inclusion is monotonic: the answer lies between circles 0.3% smaller/larger.
    def circle(radius: float) -> Any:
        lons, lats, _ = GEOD.fwd([85.32] * 360, [27.70] * 360, np.arange(360.0), [radius] * 360)
        return shapely.Polygon(zip(lons, lats, strict=True))

    assert mask_sum(KATHMANDU, circle(r * 0.997)) <= answer["population"]
    assert answer["population"] <= mask_sum(KATHMANDU, circle(r * 1.003))


def test_polygon_incident_without_buffer(
    database: Database, population_sources: None, zone_and_incidents: dict[str, int]
) -> None:
    answer = ask(
        database, {"incident_id": zone_and_incidents["polygon"], "source": PREFIX + "kathmandu"}
    )
    expected = mask_sum(KATHMANDU, box(85.31, 27.69, 85.32, 27.70))
    assert answer["population"] == pytest.approx(expected, rel=1e-12)
    with pytest.raises(InvalidParameter, match="buffer_m") as info:
        ask(database, {"incident_id": zone_and_incidents["point"]})
    assert info.value.status == 400


def test_population_in_area(database: Database, population_sources: None) -> None:
    area = raster_polygons(KATHMANDU)["with_hole"]
    answer = population_in_area(database, shapely.to_wkb(area), source=PREFIX + "kathmandu")
    assert answer["population"] == pytest.approx(mask_sum(KATHMANDU, area), rel=1e-12)
    empty = population_in_area(database, shapely.to_wkb(shapely.Polygon()))
    assert empty["population"] == 0


def test_repaired_geometry_is_reported(database: Database, population_sources: None) -> None:
    bowtie = {
        "type": "Polygon",
        "coordinates": [
            [[85.30, 27.68], [85.33, 27.71], [85.33, 27.68], [85.30, 27.71], [85.30, 27.68]]
        ],
    }
    answer = ask(database, {"geometry": bowtie, "source": PREFIX + "kathmandu"})
    assert answer["repaired"] is True
    assert "Self-intersection" in answer["repair_note"]
    fixed = shapely.make_valid(shape(bowtie))
    assert answer["population"] == pytest.approx(mask_sum(KATHMANDU, fixed), rel=1e-12)


# ---------------------------------------------------------------------------------------------
# Bad input: 400 naming the parameter, 404 for unknown ids


@pytest.mark.parametrize(
    ("body", "parameter"),
    [
        ({}, "geometry"),
        ([], "body"),
        ({"geometry": {"type": "Point", "coordinates": [1, 2]}}, "geometry"),
        ({"geometry": {"type": "Polygon", "coordinates": "x"}}, "geometry"),
        ({"geometry": mapping(box(0, 0, 1, 1)), "hazard_zone_id": 1}, "geometry"),
        ({"hazard_zone_id": "abc"}, "hazard_zone_id"),
        ({"hazard_zone_id": True}, "hazard_zone_id"),
        ({"hazard_zone_id": -3}, "hazard_zone_id"),
        ({"hazard_zone_id": 2**63}, "hazard_zone_id"),
        ({"incident_id": 1.5, "buffer_m": 10}, "incident_id"),
        ({"incident_id": 1, "buffer_m": -5}, "buffer_m"),
        ({"incident_id": 1, "buffer_m": 600_000}, "buffer_m"),
        ({"incident_id": 1, "buffer_m": "far"}, "buffer_m"),
        ({"hazard_zone_id": 1, "buffer_m": 100}, "buffer_m"),
        ({"hazard_zone_id": 1, "source": 5}, "source"),
        ({"hazard_zone_id": 1, "bufer_m": 100}, "bufer_m"),
    ],
)
def test_bad_query(body: Any, parameter: str) -> None:
    with pytest.raises(InvalidParameter) as info:
        AffectedPopulationQuery.from_params(body)
    assert info.value.status == 400
    assert info.value.parameter == parameter
    assert "accepted" in info.value.message


def test_unknown_ids_and_source(database: Database, population_sources: None) -> None:
    with pytest.raises(NotFound, match="hazard_zone_id") as info:
        ask(database, {"hazard_zone_id": 2_000_000_000})
    assert info.value.status == 404
    with pytest.raises(NotFound, match="incident_id"):
        ask(database, {"incident_id": 2_000_000_000, "buffer_m": 100})
    with pytest.raises(InvalidParameter) as bad:
        ask(database, {"geometry": mapping(box(0, 0, 1, 1)), "source": "no-such-source"})
    assert bad.value.parameter == "source"
    assert PREFIX + "kathmandu" in bad.value.message


# ---------------------------------------------------------------------------------------------
# Through the HTTP front door (POST /api/affected-population)


def test_http_answer_and_errors(client: Any, population_sources: None) -> None:
    area = raster_polygons(KATHMANDU)["with_hole"]
    response = client.post(
        "/api/affected-population",
        json={"geometry": mapping(area), "source": PREFIX + "kathmandu"},
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["method"] == "raster-cell-centre"
    assert body["population"] == pytest.approx(mask_sum(KATHMANDU, area), rel=1e-12)
    bad = client.post("/api/affected-population", json={"incident_id": 1, "buffer_m": -1})
    assert bad.status_code == 400
    assert "buffer_m" in json.dumps(bad.get_json())
    missing = client.post("/api/affected-population", json={"hazard_zone_id": 2_000_000_000})
    assert missing.status_code == 404
    unknown = client.post(
        "/api/affected-population",
        json={"geometry": mapping(area), "source": "no-such-source"},
    )
    assert unknown.status_code == 400
    assert PREFIX + "kathmandu" in json.dumps(unknown.get_json())


def test_reload_is_seen_at_once(
    database: Database, database_url: str, scratch_dir: Path, population_sources: None
) -> None:
    """Answers after a reload use the new cells (the tile cache never serves old ones)."""
    name = PREFIX + "reloaded"
    doubled = scratch_dir / "population-analysis" / "doubled.tif"
    with rasterio.open(KATHMANDU) as src:
        profile = src.profile
        cells = src.read(1)
    cells = np.where(cells == src.nodata, cells, cells * 2)
    with rasterio.open(doubled, "w", **profile) as dst:
        dst.write(cells, 1)
    area = raster_polygons(KATHMANDU)["inside"]
    with psycopg.connect(database_url) as conn:
        load_population_raster(conn, KATHMANDU, name=name)
    before = ask(database, {"geometry": mapping(area), "source": name})["population"]
    assert ask(database, {"geometry": mapping(area), "source": name})["population"] == before
    with psycopg.connect(database_url) as conn:
        load_population_raster(conn, doubled, name=name)
    after = ask(database, {"geometry": mapping(area), "source": name})["population"]
    assert after == pytest.approx(2 * before, rel=1e-6)
    assert after == pytest.approx(mask_sum(doubled, area), rel=1e-12)


def _listed_sources(conn: psycopg.Connection[Any], wkb: bytes, name: str) -> dict[str, Any]:
    """The source row as an answer reads it first (grid, loaded_at and tile list)."""
    with conn.cursor(row_factory=psycopg.rows.dict_row) as cur:
        cur.execute(
            population_analysis._sources_statement(named=True),
            {"wkb": wkb, "name": name},
        )
        (row,) = cur.fetchall()
    return row


def test_raster_reload_between_statements_is_detected(
    database: Database, database_url: str, population_sources: None
) -> None:
    """Tiles listed before a reload and read after it are gone: the answer must start again,
    never sum cells of two loads (or silently miss the deleted tiles)."""
    name = PREFIX + "reloaded-midway"
    area = AffectedPopulationQuery.from_params(
        {"geometry": mapping(raster_polygons(ACCRA)["inside"])}
    ).geometry
    assert area is not None
    with psycopg.connect(database_url) as conn:
        load_population_raster(conn, ACCRA, name=name)
    with psycopg.connect(database_url, autocommit=True) as conn:
        listed = _listed_sources(conn, area.wkb, name)
        assert listed["tile_ids"]
        with psycopg.connect(database_url) as other:
            # a new title makes it a real reload (the same file and options would write nothing)
            load_population_raster(other, ACCRA, name=name, title="Accra, reloaded")
        population_analysis.TILE_CACHE.clear()
        with pytest.raises(population_analysis.SourceReloaded):
            population_analysis.raster_population(conn, listed, area.geometry)
    # The public answer reads the new load whole, equal to rasterio.mask.
    answer = ask(database, {"geometry": mapping(area.geometry), "source": name})
    assert answer["population"] == pytest.approx(mask_sum(ACCRA, area.geometry), rel=1e-12)


def test_census_reload_between_statements_is_detected(
    database_url: str, scratch_dir: Path, population_sources: None
) -> None:
    name = PREFIX + "census-reloaded-midway"
    path = write_census(scratch_dir / "population-analysis" / "midway.geojson", SQUARES)
    area = AffectedPopulationQuery.from_params(
        {"geometry": mapping(box(-140.0, -35.0, -139.985, -34.985))}
    ).geometry
    assert area is not None

    def load(title: str) -> None:
        with psycopg.connect(database_url) as conn:
            load_population_census(
                conn, path, name=name, count_field="pop", unit_id_field="uid", title=title
            )

    load("first")
    with psycopg.connect(database_url, autocommit=True) as conn:
        listed = _listed_sources(conn, area.wkb, name)
        assert population_analysis.census_population(conn, listed, area)["unit_count"] > 0
        load("second")  # a new title: a real reload (the same file and options write nothing)
        with pytest.raises(population_analysis.SourceReloaded):
            population_analysis.census_population(conn, listed, area)
