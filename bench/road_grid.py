"""A generated city-size road network for the drive-time scenario: a square grid of streets
100 m apart, written as a GeoPackage of street segments (one per block) that the roads loader
reads with ``GRID_MAPPING`` (``gisserver.etl.roads.load_roads``).

Streets are numbered from the south-west corner, both ways: every 10th is a primary road, every
other 5th a secondary, the rest residential; the odd residential streets are one-way, alternately
one way and the other (as in Manhattan), so that the grid stays strongly connected.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyogrio
import shapely

METRES_PER_DEGREE = 111_320.0

# The loader's roads mapping for the file (docs/roads.md): its fields are named after what
# they hold, the classes are the profile's own.
GRID_MAPPING = {
    "source_id": "segment",
    "name": "street",
    "class": {"from": "road_class"},
    "one_way": {"from": "one_way", "values": {"0": "both", "1": "forward", "-1": "backward"}},
}


@dataclass(frozen=True)
class Grid:
    """``nodes`` x ``nodes`` junctions ``spacing_m`` apart from (west, south)."""

    west: float
    south: float
    nodes: int
    spacing_m: float = 100.0

    @property
    def edges(self) -> int:
        return 2 * self.nodes * (self.nodes - 1)

    @property
    def dlat(self) -> float:
        return self.spacing_m / METRES_PER_DEGREE

    @property
    def dlon(self) -> float:
        middle = self.south + self.dlat * (self.nodes - 1) / 2
        return self.spacing_m / (METRES_PER_DEGREE * math.cos(math.radians(middle)))

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        span = self.nodes - 1
        return (self.west, self.south, self.west + span * self.dlon, self.south + span * self.dlat)


def street_class(number: np.ndarray) -> np.ndarray:
    return np.where(
        number % 10 == 0, "primary", np.where(number % 5 == 0, "secondary", "residential")
    ).astype(object)


def street_one_way(number: np.ndarray) -> np.ndarray:
    residential = (number % 5) != 0
    way = np.where(number % 4 == 1, "1", np.where(number % 4 == 3, "-1", "0"))
    return np.where(residential, way, "0").astype(object)


def write_grid(path: Path, grid: Grid) -> None:
    """The grid's street segments as a GeoPackage (EPSG:4326)."""
    n = grid.nodes
    lons = grid.west + np.arange(n) * grid.dlon
    lats = grid.south + np.arange(n) * grid.dlat
    row, col = (a.ravel() for a in np.meshgrid(np.arange(n), np.arange(n - 1), indexing="ij"))
    # east-west streets (numbered by row), then north-south avenues (numbered by column)
    starts = np.concatenate(
        [np.stack([lons[col], lats[row]], 1), np.stack([lons[row], lats[col]], 1)]
    )
    ends = np.concatenate(
        [np.stack([lons[col + 1], lats[row]], 1), np.stack([lons[row], lats[col + 1]], 1)]
    )
    number = np.concatenate([row, row])
    kind = np.concatenate(
        [np.full(row.size, "Street", object), np.full(row.size, "Avenue", object)]
    )
    lines = shapely.linestrings(np.stack([starts, ends], 1))
    fields = {
        "segment": np.array([f"g{i}" for i in range(lines.size)], dtype=object),
        "street": np.array([f"{k} {t}" for k, t in zip(number, kind, strict=True)], dtype=object),
        "road_class": street_class(number),
        "one_way": street_one_way(number),
    }
    path.unlink(missing_ok=True)
    pyogrio.raw.write(
        str(path),
        shapely.to_wkb(lines),
        list(fields.values()),
        list(fields.keys()),
        layer="streets",
        driver="GPKG",
        geometry_type="LineString",
        crs="EPSG:4326",
    )
