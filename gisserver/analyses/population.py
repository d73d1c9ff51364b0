"""Affected population: how many people live in an area.

The area is a GeoJSON polygon, a hazard zone, or an incident plus a buffer in metres. Against a
raster source (people per cell) the answer is the sum of the cells whose centre lies inside the
area, after transforming the area into the raster's CRS, nodata excluded: the same rule and the same
GDAL rasterizer as ``rasterio.mask(..., crop=True, all_touched=False)``. Against census polygons
it is areal-weighted interpolation, Σ pop × area(unit ∩ area) / area(unit), with geodesic areas.
Without an explicit source the source whose footprint covers most of the area is used and named;
an area no source covers gets ``population: null`` and a ``reason``, never a silent zero.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

import numpy as np
import psycopg
import rasterio.windows
import shapely
from affine import Affine
from psycopg import sql
from psycopg.rows import dict_row
from pyproj import CRS, Transformer
from rasterio.errors import WindowError
from rasterio.features import geometry_mask, geometry_window
from rasterio.windows import Window
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from gisserver.analyses.area import Area, parse_geometry, parse_radius
from gisserver.db import Database, load_sql
from gisserver.errors import GisServerError, InvalidParameter, NotFound
from gisserver.layers import LayerRegistry
from gisserver.lru import ByteLRU
from gisserver.raster_wkb import RasterTile, decode_raster_wkb

RASTER_METHOD = "raster-cell-centre"
CENSUS_METHOD = "areal-weighted"
# Below this covered fraction the answer says the coverage is partial (float noise aside).
FULL_COVERAGE = 0.999999
# Cells masked at once (about 5-9 bytes a cell in memory). A larger window is summed in bands
# of whole tile rows so that a worker's memory stays bounded whatever the area; each band is
# rasterized on its own origin, so a cell centre lying exactly on an edge (to the last bit) may
# fall the other way than in rasterio.mask's single whole-window rasterization.
MAX_BAND_CELLS = 8_000_000
# The breakdown lists at most this many units or tiles, the largest contributions first.
BREAKDOWN_LIMIT = 1000
MAX_ID = 2**63 - 1  # ids are bigint
# How far (degrees) around a raster's lon/lat bounds an area is kept before it is transformed.
NEAR_DEG = 1.0
# Decoded tiles kept per process (see TILE_CACHE).
TILE_CACHE_BYTES = 128 * 1024 * 1024
QUERY_KEYS = ("geometry", "hazard_zone_id", "incident_id", "buffer_m", "source")
AREA_KEYS = "'geometry' (a GeoJSON Polygon/MultiPolygon), 'hazard_zone_id', or 'incident_id'"


def _parse_id(value: Any, parameter: str) -> int:
    if isinstance(value, bool):
        value = None
    try:
        number = int(value)
        if isinstance(value, float) and value != number:
            raise ValueError
    except (TypeError, ValueError) as exc:
        raise InvalidParameter(
            parameter, f"{value!r} is not an integer id", "a positive integer"
        ) from exc
    if not 0 < number <= MAX_ID:
        raise InvalidParameter(
            parameter, f"{value!r} is not a valid id", f"a positive integer up to {MAX_ID}"
        )
    return number


@dataclass(frozen=True)
class AffectedPopulationQuery:
    """One area (exactly one of geometry, hazard_zone_id, incident_id) and optionally a source."""

    geometry: Area | None = None
    hazard_zone_id: int | None = None
    incident_id: int | None = None
    buffer_m: float | None = None
    source: str | None = None

    @classmethod
    def from_params(
        cls, body: Any, *, layers: LayerRegistry | None = None
    ) -> AffectedPopulationQuery:
        """Validate a request body or process inputs; InvalidParameter names what is wrong and
        what is accepted."""
        if isinstance(body, Mapping):
            body = {key: value for key, value in body.items() if value is not None}
        if not isinstance(body, dict):
            raise InvalidParameter("body", "is not a JSON object", f"an object with {AREA_KEYS}")
        unknown = sorted(set(body) - set(QUERY_KEYS))
        if unknown:
            raise InvalidParameter(
                unknown[0], "is not a parameter of affected-population", ", ".join(QUERY_KEYS)
            )
        given = [
            k for k in ("geometry", "hazard_zone_id", "incident_id") if body.get(k) is not None
        ]
        if len(given) != 1:
            problem = "none given" if not given else f"{' and '.join(given)} given together"
            raise InvalidParameter("geometry", f"exactly one area is needed, {problem}", AREA_KEYS)
        source = body.get("source")
        if source is not None and (not isinstance(source, str) or not source.strip()):
            raise InvalidParameter("source", f"{source!r} is not a source name", "a source name")
        buffer_m = body.get("buffer_m")
        if buffer_m is not None and given[0] != "incident_id":
            raise InvalidParameter(
                "buffer_m", "applies only to incident_id", "buffer_m together with incident_id"
            )
        key = given[0]
        if key == "geometry":
            return cls(geometry=parse_geometry(body["geometry"], areal=True), source=source)
        if key == "hazard_zone_id":
            return cls(hazard_zone_id=_parse_id(body[key], key), source=source)
        return cls(
            incident_id=_parse_id(body[key], key),
            buffer_m=None if buffer_m is None else parse_radius(buffer_m, parameter="buffer_m"),
            source=source,
        )

    def describe(self) -> dict[str, Any]:
        """The area as the request named it, echoed in the answer."""
        if self.hazard_zone_id is not None:
            return {"hazard_zone_id": self.hazard_zone_id}
        if self.incident_id is not None:
            return {"incident_id": self.incident_id, "buffer_m": self.buffer_m}
        return {"geometry": "GeoJSON"}


# ---------------------------------------------------------------------------------------------
# The area


def _resolve_area(conn: psycopg.Connection[Any], query: AffectedPopulationQuery) -> Area:
    if query.geometry is not None:
        return query.geometry
    with conn.cursor(row_factory=dict_row) as cur:
        if query.hazard_zone_id is not None:
            cur.execute(
                "SELECT ST_AsBinary(geom) AS wkb FROM hazard_zones WHERE id = %s",
                (query.hazard_zone_id,),
            )
            row = cur.fetchone()
            if row is None:
                raise NotFound(f"hazard_zone_id: no hazard zone with id {query.hazard_zone_id}")
            return _stored_area(bytes(row["wkb"]))
        cur.execute(
            load_sql("population/incident_area.sql"),
            {"id": query.incident_id, "buffer_m": query.buffer_m},
        )
        row = cur.fetchone()
        if row is None:
            raise NotFound(f"incident_id: no incident with id {query.incident_id}")
        if query.buffer_m is None and row["geometry_type"] not in ("POLYGON", "MULTIPOLYGON"):
            raise InvalidParameter(
                "buffer_m",
                f"incident {query.incident_id} is a point, so a buffer is needed",
                "metres, 0 < buffer_m <= 500000",
            )
        return _stored_area(bytes(row["wkb"]))


def _stored_area(wkb: bytes) -> Area:
    """A stored zone or incident area; repaired (and said so) if it was stored invalid."""
    area = _area_from_wkb(wkb)
    if area is None:
        raise InvalidParameter("geometry", "the stored area is empty", "a polygonal area")
    return area


def _area_from_wkb(geometry_wkb: bytes) -> Area | None:
    """The polygonal part of a WKB geometry (repaired if invalid), None when it has no area."""
    try:
        geom = shapely.from_wkb(geometry_wkb)
    except shapely.errors.GEOSException as exc:
        raise InvalidParameter("geometry", f"is not valid WKB ({exc})", "WKB polygon") from exc
    repaired = False
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
        repaired = True
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    parts = [g for g in parts if not g.is_empty]
    if not parts:
        return None
    merged = parts[0] if len(parts) == 1 else shapely.unary_union(parts)
    return Area(
        merged,
        repaired=repaired,
        repair_note="geometry was invalid and was repaired with make_valid" if repaired else None,
    )


# ---------------------------------------------------------------------------------------------
# Raster: cell centres, with rasterio's own mask rule


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


class SourceReloaded(Exception):
    """A source was reloaded between two statements of one answer: the answer starts again."""


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


def _raster_population(
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


# ---------------------------------------------------------------------------------------------
# Census: areal weighting with geodesic areas


def _census_population(
    conn: psycopg.Connection[Any], source: dict[str, Any], area: Area
) -> dict[str, Any]:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(load_sql("population/census.sql"), {"wkb": area.wkb, "source_id": source["id"]})
        rows = cur.fetchall()
    if not rows or rows[0]["loaded_at"] != source["loaded_at"]:
        raise SourceReloaded(source["name"])
    units = []
    total = 0.0
    for row in rows:
        if row["id"] is None:  # the one row of a source with no unit in the area
            continue
        unit_m2 = float(row["unit_m2"])
        inside_m2 = float(row["inside_m2"])
        if unit_m2 <= 0 or inside_m2 <= 0:
            continue
        share = min(inside_m2 / unit_m2, 1.0)
        contribution = float(row["population"]) * share
        total += contribution
        units.append(
            {
                "unit_id": row["unit_id"],
                "unit_population": float(row["population"]),
                "share": share,
                "population": contribution,
            }
        )
    units.sort(key=lambda u: (-u["population"], u["unit_id"]))
    return {
        "method": CENSUS_METHOD,
        "population": total,
        "unit_count": len(units),
        "units": units[:BREAKDOWN_LIMIT],
    }


# ---------------------------------------------------------------------------------------------
# Choosing the source and answering


def _source_summary(s: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": s["name"],
        "kind": s["kind"],
        "covered_fraction": s["covered_fraction"],
    }


@cache
def _sources_statement(named: bool) -> str:
    """The sources statement for one named source or for all of them.

    Two texts rather than ``%(name)s IS NULL OR s.name = %(name)s``: with the name alone the
    unique index bounds the row count even in a generic plan, so PostgreSQL can keep the
    prepared statement's generic plan (no planning per call) even before population_sources
    has statistics (a table of a few rows may never be analysed by autovacuum).
    """
    source_filter = sql.SQL("s.name = %(name)s" if named else "TRUE")
    statement = sql.SQL(load_sql("population/sources_for_area.sql")).format(
        source_filter=source_filter
    )
    return statement.as_string(None)


def _population(
    conn: psycopg.Connection[Any], area: Area, source_name: str | None
) -> dict[str, Any]:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(
            _sources_statement(source_name is not None), {"wkb": area.wkb, "name": source_name}
        )
        rows = cur.fetchall()
    area_m2 = float(rows[0]["area_m2"]) if rows else 0.0
    sources = [row for row in rows if row["id"] is not None]
    answer: dict[str, Any] = {"area_m2": area_m2}
    if area.repaired:
        answer |= {"repaired": True, "repair_note": area.repair_note}
    for s in sources:
        s["covered_fraction"] = min(float(s["covered_m2"]) / area_m2, 1.0) if area_m2 > 0 else 0.0
    if source_name is not None:
        chosen = [s for s in sources if s["name"] == source_name]
        if not chosen:
            with conn.cursor() as cur:
                cur.execute("SELECT name FROM population_sources ORDER BY name")
                names = [row[0] for row in cur.fetchall()]
            known = ", ".join(names) or "(no population source is loaded)"
            raise InvalidParameter("source", f"unknown population source {source_name!r}", known)
        source = chosen[0]
        selection = "requested"
    else:
        covering = [s for s in sources if s["covered_fraction"] > 0]
        if not covering:
            known = ", ".join(s["name"] for s in sources) or "none is loaded"
            return answer | {
                "population": None,
                "method": None,
                "source": None,
                "covered_fraction": 0.0,
                "reason": f"no population source covers this area (sources: {known})",
            }
        # Most coverage first; then the newest data; then the name, for a stable answer.
        covering.sort(
            key=lambda s: (-round(s["covered_fraction"], 6), -(s["reference_year"] or 0), s["name"])
        )
        source = covering[0]
        selection = (
            "covers the area" if len(covering) == 1 else "covers the largest part of the area"
        )
        if len(covering) > 1:
            answer["other_sources"] = [_source_summary(s) for s in covering[1:]]
    answer |= {
        "source": source["name"],
        "source_kind": source["kind"],
        "source_selection": selection,
        "source_info": {
            "title": source["title"],
            "reference_year": source["reference_year"],
            "licence": source["licence"],
            "attribution": source["attribution"],
        },
        "covered_fraction": source["covered_fraction"],
    }
    if source["covered_fraction"] <= 0:
        return answer | {
            "population": None,
            "method": RASTER_METHOD if source["kind"] == "raster" else CENSUS_METHOD,
            "reason": f"population source {source['name']!r} does not cover this area",
        }
    if source["kind"] == "raster":
        answer |= _raster_population(conn, source, area.geometry)
    else:
        answer |= _census_population(conn, source, area)
    if source["covered_fraction"] < FULL_COVERAGE:
        answer["coverage_note"] = (
            f"only {source['covered_fraction']:.1%} of the area lies inside the footprint of "
            f"{source['name']!r}; people outside it are not counted"
        )
    return answer


# How often an answer starts again when a source is reloaded while it is being read.
RELOAD_ATTEMPTS = 3


def _answer_once_settled(
    answer: Callable[[psycopg.Connection[Any]], dict[str, Any]], db: Database
) -> dict[str, Any]:
    """Run ``answer`` on a pooled connection in autocommit, again if a source was reloaded.

    Each statement is its own snapshot and its own transaction (no BEGIN/COMMIT round trips).
    A source's grid and the ids of its tiles come from one statement; tile cells are then read
    by id, and tiles are never updated in place, so cells from another load cannot be mixed in:
    a reload between the two shows as missing tiles (or, for census units, another
    ``loaded_at``) and the answer is computed again.
    """
    for _ in range(RELOAD_ATTEMPTS - 1):
        try:
            with db.read() as conn:
                return answer(conn)
        except SourceReloaded:
            continue
    try:
        with db.read() as conn:
            return answer(conn)
    except SourceReloaded as exc:
        raise GisServerError(
            f"population source {exc} was reloaded while the answer was computed, "
            f"{RELOAD_ATTEMPTS} times; try again when the load has finished",
            status=503,
        ) from exc


def affected_population(db: Database, query: AffectedPopulationQuery) -> dict[str, Any]:
    """The population inside the query's area: one implementation for API, process and CLI."""

    def answer(conn: psycopg.Connection[Any]) -> dict[str, Any]:
        area = _resolve_area(conn, query)
        return _population(conn, area, query.source)

    return {"area": query.describe()} | _answer_once_settled(answer, db)


def population_in_area(
    db: Database, geometry_wkb: bytes, *, source: str | None = None
) -> dict[str, Any]:
    """The same answer for a WKB geometry in EPSG:4326 (used by the situation report)."""
    area = _area_from_wkb(geometry_wkb)
    if area is None:
        return {
            "population": 0.0,
            "method": None,
            "source": None,
            "area_m2": 0.0,
            "reason": "the area is empty",
        }
    return _answer_once_settled(lambda conn: _population(conn, area, source), db)


def answer(db: Database, params: Mapping[str, Any], *, layers: LayerRegistry) -> dict[str, Any]:
    """The affected-population analysis (registry entry ``affected-population``)."""
    return affected_population(db, AffectedPopulationQuery.from_params(params, layers=layers))
