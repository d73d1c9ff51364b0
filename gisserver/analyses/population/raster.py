"""Raster sources: the sum of the cells whose centre lies inside the area, with rasterio's own
mask rule, read tile by tile from PostGIS (decoded tiles cached per process)."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import psycopg
import rasterio.windows
import shapely
from affine import Affine
from pyproj import CRS, Transformer
from rasterio.errors import WindowError
from rasterio.features import geometry_mask, geometry_window
from rasterio.windows import Window
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from gisserver.analyses.population.query import (
    BREAKDOWN_LIMIT,
    RASTER_METHOD,
    SourceReloaded,
)
from gisserver.db import load_sql
from gisserver.lru import ByteLRU
from gisserver.raster_wkb import RasterTile, decode_raster_wkb

# Cells masked at once (about 5-9 bytes a cell in memory). A larger window is summed in bands
# of whole tile rows so that a worker's memory stays bounded whatever the area; each band is
# rasterized on its own origin, so a cell centre lying exactly on an edge (to the last bit) may
# fall the other way than in rasterio.mask's single whole-window rasterization.
MAX_BAND_CELLS = 8_000_000
# How far (degrees) around a raster's lon/lat bounds an area is kept before it is transformed.
NEAR_DEG = 1.0
# Decoded tiles kept per process (see TILE_CACHE).
TILE_CACHE_BYTES = 128 * 1024 * 1024


@dataclass(frozen=True)
class RasterGrid:
    """The grid of an in-database raster source, shaped like a rasterio dataset for masking."""

    transform: Affine
    width: int
    height: int

    @property
    def shape(self) -> tuple[int, int]:
        return (self.height, self.width)

    def window_transform(self, window: Window) -> Affine:
        return rasterio.windows.transform(window, self.transform)


@lru_cache(maxsize=32)
def _to_raster_crs(crs_wkt: str) -> Transformer | None:
    crs = CRS.from_wkt(crs_wkt)
    if crs.equals(CRS.from_epsg(4326), ignore_axis_order=True):
        return None
    return Transformer.from_crs(CRS.from_epsg(4326), crs, always_xy=True)


def area_in_raster_crs(geometry: BaseGeometry, crs_wkt: str) -> BaseGeometry:
    """The area's vertices transformed into the raster's CRS (edges are not densified)."""
    transformer = _to_raster_crs(crs_wkt)
    if transformer is None:
        return geometry
    return shapely.transform(
        geometry, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))
    )


TileKey = tuple[str, int, str, int]  # database, source id, source loaded_at, tile id


# Decoded tiles by (database, source id, source loaded_at, tile id), bounded in bytes. Tiles are
# never updated in place: a reload deletes a source's tiles and writes new rows with new ids and a
# new ``loaded_at``, so a cached tile cannot be stale, even across a database reset. Like GDAL's
# block cache for a file, it spares repeated questions about one place the same transfer.
TILE_CACHE: ByteLRU[TileKey, RasterTile] = ByteLRU(TILE_CACHE_BYTES, lambda tile: tile.data.nbytes)


@dataclass
class _TileSums:
    """Running totals over the tiles of one answer."""

    population: float = 0.0
    cells: int = 0
    nodata_cells: int = 0
    tiles: dict[int, dict[str, Any]] = field(default_factory=dict)


def _band_windows(window: Window, tile_size: int, max_cells: int) -> list[Window]:
    """The window itself when small enough, else bands of whole tile rows (bounded memory)."""
    row0, col0 = int(window.row_off), int(window.col_off)
    height, width = int(window.height), int(window.width)
    if height * width <= max_cells:
        return [window]
    rows = max(1, max_cells // (width * tile_size)) * tile_size
    bands = []
    top = row0
    while top < row0 + height:
        # Band edges on tile edges, so that each tile row is fetched once.
        bottom = min(row0 + height, (top // tile_size) * tile_size + rows)
        bands.append(Window(col0, top, width, bottom - top))
        top = bottom
    return bands


def _tiles_in_band(source: dict[str, Any], grid: RasterGrid, band: Window) -> list[int]:
    """The ids of the source's listed tiles (those meeting the area) whose rows meet ``band``."""
    tile_size = int(source["properties"]["raster"]["tile_size"])
    t = grid.transform
    top, bottom = int(band.row_off), int(band.row_off) + int(band.height)
    ids = []
    for tile_id, uly in zip(source["tile_ids"] or (), source["tile_y"] or (), strict=True):
        trow = round((float(uly) - t.f) / t.e)
        if trow < bottom and trow + tile_size > top:
            ids.append(int(tile_id))
    return ids


def _sum_band(
    conn: psycopg.Connection[Any],
    source: dict[str, Any],
    grid: RasterGrid,
    band: Window,
    inside_mask: np.ndarray,
    sums: _TileSums,
) -> None:
    """Add the cells of ``band`` marked in ``inside_mask``, reading the tiles that meet it."""
    row0, col0 = int(band.row_off), int(band.col_off)
    height, width = inside_mask.shape
    ids = _tiles_in_band(source, grid, band)
    database = f"{conn.info.host}:{conn.info.port}/{conn.info.dbname}"
    generation = (database, int(source["id"]), source["loaded_at"].isoformat())
    keys = [(*generation, tile_id) for tile_id in ids]
    tiles = TILE_CACHE.get_many(keys)
    missing = [key[-1] for key in keys if key not in tiles]
    if missing:
        with conn.cursor(binary=True) as cur:
            cur.execute(load_sql("population/raster_tile_data.sql"), {"ids": missing})
            for tile_id, wkb in cur.fetchall():
                key = (*generation, int(tile_id))
                tiles[key] = TILE_CACHE.put(key, decode_raster_wkb(bytes(wkb)))
        if len(tiles) < len(keys):
            # Tiles are never updated in place, so a tile read by id is the one listed; one
            # that is gone was deleted by a reload committed after the source was read.
            raise SourceReloaded(source["name"])
    t = grid.transform
    for key in keys:
        tile_id = key[-1]
        tile = tiles[key]
        # Tile offsets in the band; the loader wrote ulx = c + col * a exactly.
        tcol = round((tile.upper_left[0] - t.c) / t.a) - col0
        trow = round((tile.upper_left[1] - t.f) / t.e) - row0
        th, tw = tile.data.shape
        r1, r2 = max(trow, 0), min(trow + th, height)
        c1, c2 = max(tcol, 0), min(tcol + tw, width)
        if r1 >= r2 or c1 >= c2:
            continue  # a neighbour that only touches the band's edge
        inside = inside_mask[r1:r2, c1:c2]
        n_inside = int(np.count_nonzero(inside))
        if n_inside == 0:
            continue
        values = tile.data[r1 - trow : r2 - trow, c1 - tcol : c2 - tcol]
        valid = inside
        if tile.nodata is not None and not np.isnan(tile.nodata):
            valid = inside & (values != np.array(tile.nodata, dtype=values.dtype))
        elif tile.nodata is not None:
            valid = inside & ~np.isnan(values)
        tile_sum = float(np.sum(values, where=valid, dtype=np.float64))
        if np.isnan(tile_sum):  # NaN cells in a raster whose nodata is a number: no data either
            valid = valid & ~np.isnan(values)
            tile_sum = float(np.sum(values, where=valid, dtype=np.float64))
        n_valid = int(np.count_nonzero(valid))
        sums.population += tile_sum
        sums.cells += n_valid
        sums.nodata_cells += n_inside - n_valid
        entry = sums.tiles.setdefault(
            int(tile_id), {"tile_id": int(tile_id), "cells": 0, "population": 0.0}
        )
        entry["cells"] += n_valid
        entry["population"] += tile_sum


def raster_population(
    conn: psycopg.Connection[Any], source: dict[str, Any], geometry: BaseGeometry
) -> dict[str, Any]:
    meta = source["properties"]["raster"]
    grid = RasterGrid(Affine(*meta["transform"]), int(meta["width"]), int(meta["height"]))
    # Vertices far outside a projected CRS's zone transform to meaningless coordinates, so an
    # area reaching well beyond the raster is first cut to the raster's surroundings (no cell
    # lies outside them). Areas within them are left exactly as given.
    xmin, ymin, xmax, ymax = shapely.from_wkb(bytes(source["footprint_wkb"])).bounds
    near = shapely.box(xmin - NEAR_DEG, ymin - NEAR_DEG, xmax + NEAR_DEG, ymax + NEAR_DEG)
    if not near.contains(geometry):
        geometry = shapely.intersection(geometry, near)
    projected = area_in_raster_crs(geometry, meta["crs_wkt"])
    shapes = [mapping(projected)]
    result: dict[str, Any] = {"method": RASTER_METHOD, "crs": meta.get("crs_name")}
    sums = _TileSums()
    with warnings.catch_warnings():
        # rasterio 1.4 multiplies Affine objects with `*`, which affine 3.1 flags as pending
        # deprecation; the result is the same, so the warning is noise for our callers.
        warnings.filterwarnings("ignore", "Use `@` matmul", PendingDeprecationWarning)
        try:
            window = geometry_window(grid, shapes)
        except WindowError:  # the area misses the grid altogether
            window = None
        bands = [] if window is None else _band_windows(window, meta["tile_size"], MAX_BAND_CELLS)
        for band in bands:
            # What rasterio.mask(crop=True, all_touched=False) does: rasterize the shapes on the
            # window's own grid, so that a whole-window band masks exactly as it would.
            inside = geometry_mask(
                shapes,
                out_shape=(int(band.height), int(band.width)),
                transform=grid.window_transform(band),
                all_touched=False,
                invert=True,
            )
            _sum_band(conn, source, grid, band, inside, sums)
    tiles = sorted(sums.tiles.values(), key=lambda x: (-x["population"], x["tile_id"]))
    return result | {
        "population": sums.population,
        "cells": sums.cells,
        "nodata_cells": sums.nodata_cells,
        "tile_count": len(tiles),
        "tiles": tiles[:BREAKDOWN_LIMIT],
    }
