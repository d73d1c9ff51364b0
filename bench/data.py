"""Generated benchmark data: shelter-like points, hazard-zone-like polygons, a population raster.

Deterministic (numpy seeds), spread over Greater Boston so that tiles at z14/z10/z5 see city-scale
densities, written once under ``bench/cache/data-<size>/`` with a stamp of the parameters; a run
with the same parameters reuses the files.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pyogrio
import rasterio
import shapely
from affine import Affine
from pyproj import Geod, Transformer
from rasterio.windows import Window

# Bump when the generator's output changes, so that cached files are rebuilt.
GENERATOR_VERSION = 2

# Greater Boston (lon/lat): the area the points and polygons are spread over.
REGION = (-71.25, 42.25, -70.95, 42.45)
# Neighbourhood centres points cluster around (Cambridge, Back Bay, Somerville, ...).
CLUSTER_CENTRES = np.array(
    [
        (-71.105, 42.373),
        (-71.081, 42.350),
        (-71.060, 42.358),
        (-71.099, 42.387),
        (-71.033, 42.375),
        (-71.119, 42.341),
        (-71.144, 42.352),
        (-71.058, 42.318),
        (-71.083, 42.300),
        (-71.188, 42.360),
        (-71.011, 42.397),
        (-71.160, 42.420),
    ]
)
CAMBRIDGE = (-71.105, 42.373)
# The population raster: UTM zone 19N (metres), a 100 km square around Boston.
RASTER_CRS = "EPSG:32619"
RASTER_WEST, RASTER_NORTH, RASTER_EXTENT_M = 280_000.0, 4_740_000.0, 100_000.0
RASTER_NODATA = -9999.0

SHELTER_STATUSES = ("open", "closed", "full", "standby")
HAZARD_TYPES = ("flood", "storm_surge", "fire", "chemical", "wind", "heat")
SEVERITIES = ("low", "moderate", "high", "extreme")
CITIES = ("Cambridge", "Boston", "Somerville", "Brookline", "Newton", "Chelsea", "Quincy")


@dataclass(frozen=True)
class Size:
    """How much data a benchmark size generates."""

    name: str
    points: int
    polygons: int
    raster: int  # cells per side
    seed: int = 20261125

    @property
    def raster_cell_m(self) -> float:
        return RASTER_EXTENT_M / self.raster


SIZES = {
    "full": Size("full", points=1_000_000, polygons=100_000, raster=10_000),
    "quick": Size("quick", points=100_000, polygons=10_000, raster=2_000),
}


@dataclass(frozen=True)
class Dataset:
    """The generated files of one size."""

    size: Size
    points: Path  # shelters, GeoPackage
    polygons: Path  # hazard zones, GeoPackage
    raster: Path  # population, GeoTIFF
    points_small: Path  # a tenth of the points (other ids): is the loader's memory flat?

    @property
    def points_layer(self) -> str:
        return "shelters"

    @property
    def polygons_layer(self) -> str:
        return "hazard_zones"


def _stamp(size: Size) -> dict[str, object]:
    return {"generator_version": GENERATOR_VERSION, "region": REGION, **asdict(size)}


def ensure_dataset(size: Size, cache_dir: Path) -> Dataset:
    """Generate the files for ``size`` unless the cache already holds them with the same stamp."""
    root = cache_dir / f"data-{size.name}"
    dataset = Dataset(
        size,
        root / "shelters.gpkg",
        root / "hazard_zones.gpkg",
        root / "population.tif",
        root / "shelters-tenth.gpkg",
    )
    stamp_file = root / "stamp.json"
    stamp = _stamp(size)
    files = (dataset.points, dataset.polygons, dataset.raster, dataset.points_small)
    if (
        stamp_file.exists()
        and all(f.exists() for f in files)
        and json.loads(stamp_file.read_text()) == json.loads(json.dumps(stamp))
    ):
        return dataset
    root.mkdir(parents=True, exist_ok=True)
    stamp_file.unlink(missing_ok=True)
    write_points(dataset.points, size.points, seed=size.seed)
    write_polygons(dataset.polygons, size.polygons, seed=size.seed + 1)
    write_raster(dataset.raster, size.raster, seed=size.seed + 2)
    write_points(dataset.points_small, max(size.points // 10, 1), seed=size.seed + 3, prefix="T")
    stamp_file.write_text(json.dumps(stamp, indent=2) + "\n")
    return dataset


def city_locations(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """``n`` lon/lat pairs: 70% clustered around neighbourhood centres, the rest uniform."""
    west, south, east, north = REGION
    clustered = int(n * 0.7)
    centre = CLUSTER_CENTRES[rng.integers(0, len(CLUSTER_CENTRES), clustered)]
    # About 1.5 km of spread around each centre (degrees of lon shrink with latitude).
    spread = rng.normal(0.0, 1.0, (clustered, 2)) * np.array([0.018, 0.0135])
    lon = np.concatenate([centre[:, 0] + spread[:, 0], rng.uniform(west, east, n - clustered)])
    lat = np.concatenate([centre[:, 1] + spread[:, 1], rng.uniform(south, north, n - clustered)])
    order = rng.permutation(n)
    return np.clip(lon[order], west, east), np.clip(lat[order], south, north)


def write_points(path: Path, n: int, *, seed: int, prefix: str = "S") -> None:
    """Shelter-like points with the layer's own field names (no ETL mapping needed)."""
    rng = np.random.default_rng(seed)
    lon, lat = city_locations(n, rng)
    ids = np.arange(1, n + 1)
    capacity = rng.integers(20, 2000, n)
    occupancy = (capacity * rng.uniform(0.0, 1.1, n)).astype(np.int64)
    status = np.array(SHELTER_STATUSES, dtype=object)[
        rng.choice(len(SHELTER_STATUSES), n, p=[0.5, 0.2, 0.1, 0.2])
    ]
    fields = {
        "source_id": np.char.add(prefix, ids.astype(str)).astype(object),
        "name": np.char.add("Shelter ", ids.astype(str)).astype(object),
        "address": np.char.add(rng.integers(1, 999, n).astype(str), " Main Street").astype(object),
        "city": np.array(CITIES, dtype=object)[rng.integers(0, len(CITIES), n)],
        "capacity": capacity.astype(np.int32),
        "occupancy": occupancy.astype(np.int32),
        "status": status,
        "wheelchair_accessible": rng.random(n) < 0.6,
        "pets_allowed": rng.random(n) < 0.3,
        "has_food": rng.random(n) < 0.7,
        "has_medical": rng.random(n) < 0.25,
        "phone": np.char.add("617-555-", (ids % 10_000).astype(str)).astype(object),
    }
    geometry = shapely.to_wkb(shapely.points(lon, lat))
    _write_vector(path, "shelters", geometry, fields, "Point")


def write_polygons(path: Path, n: int, *, seed: int) -> None:
    """Hazard-zone-like star-shaped polygons 50-400 m across (valid by construction)."""
    rng = np.random.default_rng(seed)
    lon, lat = city_locations(n, rng)
    vertices = 12
    angles = np.sort(rng.uniform(0, 2 * math.pi, (n, vertices)), axis=1)
    radius_m = rng.uniform(50, 400, (n, 1)) * rng.uniform(0.6, 1.0, (n, vertices))
    metres_per_degree_lat = 111_320.0
    dx = radius_m * np.cos(angles) / (metres_per_degree_lat * np.cos(np.radians(lat)))[:, None]
    dy = radius_m * np.sin(angles) / metres_per_degree_lat
    ring = np.stack([lon[:, None] + dx, lat[:, None] + dy], axis=2)
    ring = np.concatenate([ring, ring[:, :1, :]], axis=1)  # close the rings
    polygons = shapely.polygons(ring)
    geometry = shapely.to_wkb(shapely.multipolygons(polygons, indices=np.arange(n)))
    start = np.datetime64("2026-01-01T00:00:00", "ms") + rng.integers(
        0, 300 * 86_400_000, n
    ).astype("timedelta64[ms]")
    ends = start + rng.integers(86_400_000, 30 * 86_400_000, n).astype("timedelta64[ms]")
    open_ended = rng.random(n) < 0.8
    ids = np.arange(1, n + 1)
    fields = {
        "source_id": np.char.add("Z", ids.astype(str)).astype(object),
        "hazard_type": np.array(HAZARD_TYPES, dtype=object)[rng.integers(0, len(HAZARD_TYPES), n)],
        "severity": np.array(SEVERITIES, dtype=object)[rng.integers(0, len(SEVERITIES), n)],
        "name": np.char.add("Zone ", ids.astype(str)).astype(object),
        "valid_from": start,
        "valid_to": np.where(open_ended, np.datetime64("NaT", "ms"), ends),
    }
    _write_vector(path, "hazard_zones", geometry, fields, "MultiPolygon")


def _write_vector(
    path: Path, layer: str, geometry: np.ndarray, fields: dict[str, np.ndarray], geom_type: str
) -> None:
    path.unlink(missing_ok=True)
    pyogrio.raw.write(
        str(path),
        geometry,
        list(fields.values()),
        list(fields.keys()),
        layer=layer,
        driver="GPKG",
        geometry_type=geom_type,
        crs="EPSG:4326",
    )


def write_raster(path: Path, cells: int, *, seed: int) -> None:
    """People per cell, densest around Boston, nodata over the sea; written in strips."""
    cell = RASTER_EXTENT_M / cells
    transform = Affine(cell, 0.0, RASTER_WEST, 0.0, -cell, RASTER_NORTH)  # north-up
    centre_x, centre_y = Transformer.from_crs("EPSG:4326", RASTER_CRS, always_xy=True).transform(
        *CAMBRIDGE
    )
    x = RASTER_WEST + (np.arange(cells) + 0.5) * cell
    profile = {
        "driver": "GTiff",
        "width": cells,
        "height": cells,
        "count": 1,
        "dtype": "float32",
        "crs": RASTER_CRS,
        "transform": transform,
        "nodata": RASTER_NODATA,
        "tiled": True,
        "blockxsize": 512,
        "blockysize": 512,
        "compress": "deflate",
        "predictor": 3,
        "BIGTIFF": "IF_SAFER",
    }
    path.unlink(missing_ok=True)
    # People per m² at the centre (about 8,000/km²), decaying over ~12 km; scaled by cell area.
    peak = 0.008 * cell * cell
    with rasterio.open(path, "w", **profile) as dst:
        for index, row0 in enumerate(range(0, cells, 512)):
            rows = min(512, cells - row0)
            rng = np.random.default_rng(seed + index)
            y = RASTER_NORTH - (np.arange(row0, row0 + rows) + 0.5) * cell
            distance = np.hypot(x[None, :] - centre_x, y[:, None] - centre_y)
            values = peak * np.exp(-distance / 12_000.0) * rng.gamma(2.0, 0.5, (rows, cells))
            sea = x[None, :] > centre_x + 20_000 + 0.3 * (y[:, None] - centre_y)
            values = np.where(sea, RASTER_NODATA, values).astype(np.float32)
            dst.write(values, 1, window=Window(0, row0, cells, rows))


def circle_polygon(lon: float, lat: float, area_m2: float, *, vertices: int = 64) -> dict:
    """A GeoJSON polygon of geodesic area about ``area_m2`` centred on lon/lat."""
    radius = math.sqrt(area_m2 / math.pi)
    geod = Geod(ellps="WGS84")
    azimuths = np.linspace(0.0, 360.0, vertices, endpoint=False)
    lons, lats, _ = geod.fwd(
        np.full(vertices, lon), np.full(vertices, lat), azimuths, np.full(vertices, radius)
    )
    ring = [[float(a), float(b)] for a, b in zip(lons, lats, strict=True)]
    ring.reverse()  # counter-clockwise exterior, as RFC 7946 asks
    ring.append(ring[0])
    return {"type": "Polygon", "coordinates": [ring]}


def sample_bboxes(n: int, *, seed: int, half_width_deg: float = 0.004) -> list[tuple[float, ...]]:
    """``n`` small bboxes centred where the points cluster (each holds well over 100 points)."""
    rng = np.random.default_rng(seed)
    centre = CLUSTER_CENTRES[rng.integers(0, len(CLUSTER_CENTRES), n)]
    jitter = rng.normal(0.0, 1.0, (n, 2)) * np.array([0.006, 0.0045])
    boxes: list[tuple[float, ...]] = []
    for (cx, cy), (jx, jy) in zip(centre, jitter, strict=True):
        x, y = cx + jx, cy + jy
        w, h = half_width_deg, half_width_deg * 0.75
        boxes.append((round(x - w, 5), round(y - h, 5), round(x + w, 5), round(y + h, 5)))
    return boxes


def sample_locations(n: int, *, seed: int) -> list[tuple[float, float]]:
    """``n`` lon/lat query points over the city (for nearest-resource requests)."""
    lon, lat = city_locations(n, np.random.default_rng(seed))
    return [(round(float(a), 6), round(float(b), 6)) for a, b in zip(lon, lat, strict=True)]
