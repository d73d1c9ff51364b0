"""Load population sources: WorldPop-style rasters (people per cell) and census polygons.

Rasters are stored as in-database PostGIS raster tiles in the raster's own CRS (nodata kept), so all
state lives in PostgreSQL and app servers stay stateless. Census polygons are reprojected to
EPSG:4326, repaired with ``make_valid`` and stored with their head count. A load is one transaction
and replaces whatever the source held before under the same name.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import re
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import psycopg
import pyogrio
import rasterio
import shapely
from pyproj import CRS, Transformer
from rasterio.errors import RasterioError, RasterioIOError
from rasterio.windows import Window
from shapely.geometry.base import BaseGeometry

from gisserver.db import load_sql
from gisserver.errors import InvalidParameter
from gisserver.raster_wkb import PIXTYPES, raster_wkb

log = logging.getLogger(__name__)

# Chosen by measurement (docs/population.md): 128 beat 64 and 256 for ~10 km² areas at both
# 10 m and 100 m cells.
TILE_SIZE = 128
GDAL_CACHE_MB = 64
CENSUS_BATCH = 10_000
CUSTOM_SRID_MIN = 900_000


@dataclass
class Reject:
    """A row that was not loaded, with the reason."""

    row: int
    field: str
    reason: str


@dataclass
class PopulationLoadReport:
    """What a population load did. For rasters a "row" is one stored tile."""

    rows_read: int
    rows_loaded: int
    rows_rejected: int
    total_population: float
    source_id: int
    kind: str = "census"
    rows_unchanged: int = 0  # the file was loaded before, as it is: nothing was written
    srid: int | None = None
    seconds: float = 0.0
    rejects: list[Reject] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Shared steps


def _check_name(name: str) -> None:
    if not isinstance(name, str) or not re.fullmatch(r"[a-z0-9][a-z0-9_.-]*", name):
        raise InvalidParameter(
            "source",
            f"{name!r} is not a valid population source name",
            "lower-case letters, digits, '_', '.', '-', starting with a letter or digit",
        )


def fingerprint(path: Path, options: dict[str, Any]) -> str:
    """SHA-256 of the file's bytes and the options it is loaded with: a reload of the same file
    with the same options changes nothing."""
    digest = hashlib.sha256(json.dumps(options, sort_keys=True, default=str).encode())
    with path.open("rb") as fh:
        digest.update(hashlib.file_digest(fh, "sha256").digest())
    return digest.hexdigest()


def _unchanged(
    cur: psycopg.Cursor[Any],
    *,
    name: str,
    kind: str,
    properties: dict[str, Any],
    **metadata: Any,
) -> PopulationLoadReport | None:
    """The report of a reload that changes nothing: the source holds this very file, loaded with
    the same options (the fingerprint in ``properties``) and the same metadata (title,
    licence, attribution, reference_year; None keeps the stored value); else None."""
    row = cur.execute(
        load_sql("population/source_unchanged.sql"), {"name": name, "kind": kind}
    ).fetchone()
    if row is None:
        return None
    source_id, stored_properties, stored_metadata, total, srid, rows = row
    stored = stored_properties.get(kind) or {}
    if stored.get("fingerprint") != properties[kind]["fingerprint"] or any(
        value is not None and stored_metadata.get(key) != value for key, value in metadata.items()
    ):
        return None
    return PopulationLoadReport(
        rows_read=rows,
        rows_loaded=0,
        rows_rejected=0,
        total_population=total or 0.0,
        source_id=source_id,
        kind=kind,
        srid=srid,
        rows_unchanged=rows,
    )


def _upsert_source(
    cur: psycopg.Cursor[Any],
    *,
    name: str,
    kind: str,
    srid: int | None,
    title: str | None,
    licence: str | None,
    attribution: str | None,
    reference_year: int | None,
    properties: dict[str, Any],
) -> int:
    """Create or reset the source row (same id on reload) and drop its previous content."""
    cur.execute(
        load_sql("population/source_upsert.sql"),
        {
            "name": name,
            "kind": kind,
            "srid": srid,
            "title": title,
            "licence": licence,
            "attribution": attribution,
            "reference_year": reference_year,
            "properties": json.dumps(properties),
        },
    )
    row = cur.fetchone()
    assert row is not None
    source_id = int(row[0])
    cur.execute("DELETE FROM population_units WHERE population_source_id = %s", (source_id,))
    cur.execute("DELETE FROM population_raster_tiles WHERE population_source_id = %s", (source_id,))
    return source_id


def srid_for_crs(cur: psycopg.Cursor[Any], crs: CRS) -> int:
    """The spatial_ref_sys srid for a CRS; a CRS without an EPSG code gets a custom srid."""
    # Only an exact match: a near-match (say, another datum) must not borrow an EPSG code.
    code = crs.to_epsg(min_confidence=100)
    if code is not None:
        cur.execute("SELECT 1 FROM spatial_ref_sys WHERE srid = %s", (code,))
        if cur.fetchone():
            return int(code)
    with warnings.catch_warnings():
        # PostGIS reads srtext first; proj4text is a fallback, so a lossy PROJ string is fine.
        warnings.simplefilter("ignore", UserWarning)
        proj4 = crs.to_proj4()
    wkt = crs.to_wkt("WKT1_GDAL") or crs.to_wkt()
    cur.execute(
        "SELECT srid FROM spatial_ref_sys WHERE srid >= %s AND srtext = %s ORDER BY srid LIMIT 1",
        (CUSTOM_SRID_MIN, wkt),
    )
    found = cur.fetchone()
    if found:
        return int(found[0])
    cur.execute(
        "SELECT greatest(coalesce(max(srid) + 1, %s), %s) FROM spatial_ref_sys WHERE srid >= %s",
        (CUSTOM_SRID_MIN, CUSTOM_SRID_MIN, CUSTOM_SRID_MIN),
    )
    new = cur.fetchone()
    assert new is not None
    srid = int(new[0])
    try:
        with cur.connection.transaction():
            cur.execute(
                "INSERT INTO spatial_ref_sys (srid, auth_name, auth_srid, srtext, proj4text) "
                "VALUES (%s, 'gisserver', %s, %s, %s)",
                (srid, srid, wkt, proj4),
            )
    except psycopg.errors.InsufficientPrivilege as exc:
        raise InvalidParameter(
            "file",
            f"its CRS has no EPSG code and the database role may not add one to spatial_ref_sys "
            f"({crs.name})",
            "a raster in an EPSG CRS, or a role allowed to insert into spatial_ref_sys",
        ) from exc
    log.info("registered custom CRS %r as srid %d", crs.name, srid)
    return srid


# ---------------------------------------------------------------------------------------------
# Raster


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
    _check_name(name)
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
            same = _unchanged(
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
            source_id = _upsert_source(
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


# ---------------------------------------------------------------------------------------------
# Census polygons


def _census_crs(meta_crs: str | None, crs: str | None, path: Path) -> CRS | None:
    """The CRS to read the file in: its own, or ``crs`` when it declares none."""
    given = None
    if crs is not None:
        try:
            given = CRS.from_user_input(crs)
        except Exception as exc:  # pyproj raises CRSError, a plain Exception subclass
            raise InvalidParameter("crs", f"{crs!r} is not a CRS ({exc})", "EPSG:n") from exc
    if meta_crs:
        own = CRS.from_user_input(meta_crs)
        if given is not None and not own.equals(given):
            raise InvalidParameter(
                "crs",
                f"{path} declares {own.to_string()} but {crs} was given",
                "--crs only for files that declare no CRS",
            )
        return own
    return given


def _plausibly_lonlat(bounds: Any) -> bool:
    xmin, ymin, xmax, ymax = (float(b) for b in bounds)
    if not all(math.isfinite(v) for v in (xmin, ymin, xmax, ymax)):
        return True  # an empty file: nothing to judge
    return -180 <= xmin <= xmax <= 180 and -90 <= ymin <= ymax <= 90


def _as_multipolygon(geom: BaseGeometry) -> tuple[BaseGeometry | None, str | None]:
    """A valid MultiPolygon, or None with the reason it cannot be one."""
    if geom.geom_type not in ("Polygon", "MultiPolygon"):
        return None, f"geometry type {geom.geom_type} is not a polygon"
    if not geom.is_valid:
        fixed = shapely.make_valid(geom)
        parts = [
            g
            for g in shapely.get_parts(fixed)
            if g.geom_type in ("Polygon", "MultiPolygon") and not g.is_empty
        ]
        if not parts:
            return None, f"invalid ({shapely.is_valid_reason(geom)}) and no area once repaired"
        geom = shapely.unary_union(parts)
    if geom.geom_type == "Polygon":
        geom = shapely.MultiPolygon([geom])
    return geom, None


def _count(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _json_value(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def load_population_census(
    conn: psycopg.Connection[Any],
    path: Path,
    *,
    name: str,
    count_field: str,
    unit_id_field: str | None = None,
    crs: str | None = None,
    title: str | None = None,
    licence: str | None = None,
    attribution: str | None = None,
    reference_year: int | None = None,
) -> PopulationLoadReport:
    """Load census polygons with a head count field, in one transaction.

    Rows with no or a non-polygonal geometry, coordinates outside WGS84 after reprojection, a
    missing, non-numeric or negative count, or a duplicate unit id are rejected with the reason.
    """
    _check_name(name)
    started = time.perf_counter()
    path = Path(path)
    try:
        info = pyogrio.read_info(path)
    except Exception as exc:  # pyogrio raises DataSourceError and others, all plain Exceptions
        raise InvalidParameter(
            "file", f"{path} cannot be read ({exc})", "GeoJSON, GeoPackage, Shapefile, FlatGeobuf"
        ) from exc
    fields = [str(f) for f in info["fields"]]
    for parameter, wanted in (("count_field", count_field), ("unit_id_field", unit_id_field)):
        if wanted is not None and wanted not in fields:
            raise InvalidParameter(
                parameter, f"{wanted!r} is not a field of {path}", ", ".join(fields)
            )
    source_crs = _census_crs(info.get("crs"), crs, path)
    bounds = info.get("total_bounds")
    if source_crs is None and bounds is not None and not _plausibly_lonlat(bounds):
        raise InvalidParameter(
            "crs",
            f"{path} declares no CRS and its coordinates {tuple(bounds)} are not lon/lat",
            "pass the file's CRS, e.g. crs='EPSG:2263' (--crs on the command line)",
        )
    transformer = None
    if source_crs is not None and not source_crs.equals(CRS.from_epsg(4326)):
        transformer = Transformer.from_crs(source_crs, CRS.from_epsg(4326), always_xy=True)
    rejects: list[Reject] = []
    seen: set[str] = set()
    total = 0.0
    rows_read = 0
    loaded = 0
    properties = {
        "census": {
            "file": path.name,
            "count_field": count_field,
            "unit_id_field": unit_id_field,
            "crs": source_crs.to_string() if source_crs else "EPSG:4326 (assumed)",
        }
    }
    properties["census"]["fingerprint"] = fingerprint(path, properties["census"])
    with conn.transaction(), conn.cursor() as cur:
        same = _unchanged(
            cur,
            name=name,
            kind="census",
            properties=properties,
            title=title,
            licence=licence,
            attribution=attribution,
            reference_year=reference_year,
        )
        if same is not None:
            log.info("%s: %s is loaded already, unchanged", name, path)
            return same
        source_id = _upsert_source(
            cur,
            name=name,
            kind="census",
            srid=4326,
            title=title,
            licence=licence,
            attribution=attribution,
            reference_year=reference_year,
            properties=properties,
        )
        with cur.copy(
            "COPY population_units (population_source_id, unit_id, population, properties, geom)"
            " FROM STDIN"
        ) as copy:
            skip = 0
            while True:
                _meta, fids, wkbs, values = pyogrio.raw.read(
                    path, skip_features=skip, max_features=CENSUS_BATCH, return_fids=True
                )
                if len(wkbs) == 0:
                    break
                skip += len(wkbs)
                columns = dict(zip(fields, values, strict=True))
                geoms = shapely.from_wkb(wkbs, on_invalid="ignore")
                if transformer is not None:
                    geoms = shapely.transform(
                        geoms,
                        lambda xy, tr=transformer: np.column_stack(
                            tr.transform(xy[:, 0], xy[:, 1])
                        ),
                    )
                for i, geom in enumerate(geoms):
                    rows_read += 1
                    row = rows_read
                    count = _count(columns[count_field][i])
                    if geom is None or geom.is_empty:
                        rejects.append(Reject(row, "geometry", "null or empty geometry"))
                        continue
                    coords = shapely.get_coordinates(geom)
                    if not np.isfinite(coords).all() or not (
                        (abs(coords[:, 0]) <= 180).all() and (abs(coords[:, 1]) <= 90).all()
                    ):
                        rejects.append(Reject(row, "geometry", "coordinates outside WGS84"))
                        continue
                    multi, problem = _as_multipolygon(geom)
                    if multi is None:
                        rejects.append(Reject(row, "geometry", problem or "not a polygon"))
                        continue
                    if count is None:
                        raw = _json_value(columns[count_field][i])
                        problem = "missing" if raw is None else f"{raw!r} is not a number"
                        rejects.append(Reject(row, count_field, problem))
                        continue
                    if count < 0:
                        rejects.append(Reject(row, count_field, f"{count} is negative"))
                        continue
                    if unit_id_field is not None:
                        raw_id = _json_value(columns[unit_id_field][i])
                        if raw_id is None or str(raw_id).strip() == "":
                            rejects.append(Reject(row, unit_id_field, "missing unit id"))
                            continue
                        unit_id = str(raw_id)
                    else:
                        unit_id = str(int(fids[i])) if fids is not None else str(row)
                    if unit_id in seen:
                        rejects.append(
                            Reject(row, unit_id_field or "fid", f"duplicate unit id {unit_id!r}")
                        )
                        continue
                    seen.add(unit_id)
                    properties = {f: _json_value(columns[f][i]) for f in fields if f != count_field}
                    copy.write_row(
                        (
                            source_id,
                            unit_id,
                            count,
                            json.dumps(properties),
                            shapely.to_wkb(
                                shapely.set_srid(multi, 4326),
                                hex=True,
                                include_srid=True,
                                output_dimension=2,
                            ),
                        )
                    )
                    total += count
                    loaded += 1
        cur.execute(
            load_sql("population/census_footprint.sql"), {"source_id": source_id, "total": total}
        )
    seconds = time.perf_counter() - started
    log.info(
        "loaded %s: %d units, %d rejected, %.0f people, %.1f s",
        name,
        loaded,
        len(rejects),
        total,
        seconds,
    )
    return PopulationLoadReport(
        rows_read=rows_read,
        rows_loaded=loaded,
        rows_rejected=len(rejects),
        total_population=total,
        source_id=source_id,
        kind="census",
        srid=4326,
        seconds=seconds,
        rejects=rejects,
    )
