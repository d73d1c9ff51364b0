"""Population rasters (WorldPop-style, people per cell): stored as in-database PostGIS raster
tiles in the raster's own CRS (nodata kept), so all state lives in PostgreSQL and app servers
stay stateless. A load is one transaction and replaces whatever the source held before under the
same name."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import psycopg
import rasterio
from pyproj import CRS
from rasterio.errors import RasterioError, RasterioIOError
from rasterio.windows import Window

from gisserver.db import load_sql
from gisserver.errors import InvalidParameter
from gisserver.etl.population.registry import (
    PopulationLoadReport,
    check_name,
    fingerprint,
    srid_for_crs,
    unchanged_report,
    upsert_source,
)
from gisserver.raster_wkb import PIXTYPES, raster_wkb

log = logging.getLogger(__name__)

# Chosen by measurement (docs/population.md): 128 beat 64 and 256 for ~10 km² areas at both
# 10 m and 100 m cells.
TILE_SIZE = 128
GDAL_CACHE_MB = 64


def _raster_blocks(src: rasterio.DatasetReader, tile: int) -> Iterator[tuple[int, int, np.ndarray]]:
    """(row_off, col_off, cells) tiles, reading one strip of ``tile`` rows at a time."""
    for row_off in range(0, src.height, tile):
        height = min(tile, src.height - row_off)
        try:
            strip = src.read(1, window=Window(0, row_off, src.width, height))
        except RasterioError as exc:
            raise InvalidParameter(
                "file",
                f"{src.name} could not be read at rows {row_off}-{row_off + height - 1} ({exc}); "
                "nothing was changed",
                "an intact GeoTIFF/COG",
            ) from exc
        for col_off in range(0, src.width, tile):
            yield row_off, col_off, strip[:, col_off : col_off + tile]


def _representable_nodata(nodata: float | None, dtype: str) -> float | None:
    """The nodata value, or None when no cell of this type can hold it (e.g. -1 for uint8)."""
    if nodata is None or np.dtype(dtype).kind == "f":
        return nodata
    info = np.iinfo(np.dtype(dtype))
    if float(nodata).is_integer() and info.min <= nodata <= info.max:
        return nodata
    log.warning("nodata %r cannot occur in %s cells and is ignored", nodata, dtype)
    return None


def load_population_raster(
    conn: psycopg.Connection[Any],
    path: Path,
    *,
    name: str,
    title: str | None = None,
    licence: str | None = None,
    attribution: str | None = None,
    reference_year: int | None = None,
    tile_size: int = TILE_SIZE,
) -> PopulationLoadReport:
    """Load a GeoTIFF/COG of people per cell as in-database raster tiles, in one transaction."""
    check_name(name)
    started = time.perf_counter()
    path = Path(path)
    # Every block is read once, so GDAL's block cache (5% of RAM by default) would only grow.
    with rasterio.Env(GDAL_CACHEMAX=GDAL_CACHE_MB):
        return _load_raster(
            conn,
            path,
            name=name,
            title=title,
            licence=licence,
            attribution=attribution,
            reference_year=reference_year,
            tile_size=tile_size,
            started=started,
        )


def _load_raster(
    conn: psycopg.Connection[Any],
    path: Path,
    *,
    name: str,
    title: str | None,
    licence: str | None,
    attribution: str | None,
    reference_year: int | None,
    tile_size: int,
    started: float,
) -> PopulationLoadReport:
    try:
        src = rasterio.open(path)
    except RasterioIOError as exc:
        raise InvalidParameter(
            "file", f"{path} cannot be read as a raster ({exc})", "a GeoTIFF or COG"
        ) from exc
    with src:
        if src.crs is None:
            raise InvalidParameter(
                "file", f"{path} has no CRS", "a GeoTIFF/COG that declares its CRS"
            )
        t = src.transform
        if t.b != 0 or t.d != 0 or t.e >= 0 or t.a <= 0:
            raise InvalidParameter(
                "file",
                f"{path} is rotated or not north-up ({tuple(t)[:6]})",
                "a north-up raster without rotation (warp it with gdalwarp first)",
            )
        dtype = src.dtypes[0]
        if dtype not in PIXTYPES:
            raise InvalidParameter("file", f"{path} has cell type {dtype}", ", ".join(PIXTYPES))
        if src.count > 1:
            log.warning("%s has %d bands; band 1 is loaded", path, src.count)
        nodata = _representable_nodata(src.nodata, dtype)
        crs = CRS.from_wkt(src.crs.to_wkt())
        properties = {
            "raster": {
                "file": path.name,
                "width": src.width,
                "height": src.height,
                "transform": [t.a, t.b, t.c, t.d, t.e, t.f],
                # JSON has no NaN or infinity: those are kept as text.
                "nodata": nodata if nodata is None or math.isfinite(nodata) else str(nodata),
                "dtype": dtype,
                "tile_size": tile_size,
                "crs_wkt": crs.to_wkt(),
                "crs_name": crs.name,
            }
        }
        properties["raster"]["fingerprint"] = fingerprint(path, properties["raster"])
        total = 0.0
        tiles = 0
        with conn.transaction(), conn.cursor() as cur:
            same = unchanged_report(
                cur,
                name=name,
                kind="raster",
                properties=properties,
                title=title,
                licence=licence,
                attribution=attribution,
                reference_year=reference_year,
            )
            if same is not None:
                log.info("%s: %s is loaded already, unchanged", name, path)
                return same
            srid = srid_for_crs(cur, crs)
            source_id = upsert_source(
                cur,
                name=name,
                kind="raster",
                srid=srid,
                title=title,
                licence=licence,
                attribution=attribution,
                reference_year=reference_year,
                properties=properties,
            )
            with cur.copy(
                "COPY population_raster_tiles (population_source_id, rast) FROM STDIN"
            ) as copy:
                for row_off, col_off, cells in _raster_blocks(src, tile_size):
                    valid = np.ones(cells.shape, dtype=bool)
                    if nodata is not None:
                        valid &= ~(np.isnan(cells) if math.isnan(nodata) else cells == nodata)
                    if cells.dtype.kind == "f":
                        valid &= ~np.isnan(cells)
                    total += float(cells[valid].sum(dtype=np.float64))
                    ulx = t.c + col_off * t.a
                    uly = t.f + row_off * t.e
                    wkb = raster_wkb(
                        cells, upper_left=(ulx, uly), scale=(t.a, t.e), srid=srid, nodata=nodata
                    )
                    copy.write_row((source_id, wkb.hex()))
                    tiles += 1
            cur.execute(
                load_sql("population/raster_footprint.sql"),
                {
                    "source_id": source_id,
                    "total": total,
                    "srid": srid,
                    "xmin": src.bounds.left,
                    "ymin": src.bounds.bottom,
                    "xmax": src.bounds.right,
                    "ymax": src.bounds.top,
                    # Densify the edges so the footprint follows a projected raster's
                    # outline in lon/lat: about 64 segments a side (none shorter than a cell)
                    # keep the coverage test cheap on every question.
                    "segment": max(
                        abs(t.a) * src.width / 64, abs(t.e) * src.height / 64, abs(t.a), abs(t.e)
                    ),
                },
            )
    seconds = time.perf_counter() - started
    log.info("loaded %s: %d tiles, %.0f people, %.1f s", name, tiles, total, seconds)
    return PopulationLoadReport(
        rows_read=tiles,
        rows_loaded=tiles,
        rows_rejected=0,
        total_population=total,
        source_id=source_id,
        kind="raster",
        srid=srid,
        seconds=seconds,
    )
