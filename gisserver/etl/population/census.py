"""Population census polygons with a head count: reprojected to EPSG:4326, repaired with
``make_valid`` and stored with their count; rows that cannot be loaded are rejected with the
reason. A load is one transaction and replaces whatever the source held before under the same
name."""

from __future__ import annotations

import json
import logging
import math
import time
from pathlib import Path
from typing import Any

import numpy as np
import psycopg
import pyogrio
import shapely
from pyproj import CRS, Transformer
from shapely.geometry.base import BaseGeometry

from gisserver.db import load_sql
from gisserver.errors import InvalidParameter
from gisserver.etl.population.registry import (
    PopulationLoadReport,
    Reject,
    check_name,
    fingerprint,
    unchanged_report,
    upsert_source,
)

log = logging.getLogger(__name__)

CENSUS_BATCH = 10_000


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
    check_name(name)
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
        same = unchanged_report(
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
        source_id = upsert_source(
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
