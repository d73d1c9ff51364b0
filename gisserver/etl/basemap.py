"""``gisserver etl load basemap FILE --kind boundary|water|park --source NAME``: the areas of the
offline basemap (migration 0013), one kind per file.

A load replaces its source's areas in one transaction and bumps ``basemap_version`` (part of the
basemap tiles' ETag); loaded again with the same file, nothing is written and the version stays.
Polygons are kept as MultiPolygons in EPSG:4326 (a file in another CRS is transformed; one that
declares none must be lon/lat); a row that is no polygon is rejected with its reason. Each area's
name is the file's ``name`` field (any case) when it has one.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import shapely

from gisserver.db import load_sql
from gisserver.errors import InvalidParameter
from gisserver.etl.geometry import Reprojector, conform, parse_crs, refuse_unless_lonlat
from gisserver.etl.mapping import RowError
from gisserver.etl.runs import (
    LoadFailed,
    LoadReport,
    RejectsWriter,
    SourceInfo,
    check_rejects,
    recorded_run,
)
from gisserver.etl.sources import open_source
from gisserver.settings import Settings

log = logging.getLogger(__name__)

KINDS = ("boundary", "water", "park")
LAYER = "basemap"
BATCH_SIZE = 1_000


def check_kind(kind: str | None) -> str:
    if kind not in KINDS:
        raise InvalidParameter(
            "--kind",
            "is required for basemap loads" if kind is None else f"{kind!r} is not a kind",
            ", ".join(KINDS),
        )
    return kind


def load_basemap(
    conn: psycopg.Connection[Any],
    path: Path,
    *,
    kind: str | None,
    source: str | None,
    crs: str | None = None,
    max_reject_ratio: float = 0.1,
    settings: Settings,
    job: str = "etl load",
) -> LoadReport:
    """Load the polygons of ``path`` as basemap areas of ``kind`` under ``source`` (default: the
    file's name), replacing what the source held. More than ``max_reject_ratio`` of the rows
    rejected raises LoadAborted; any failure leaves the basemap as it was."""
    path = Path(path)
    kind = check_kind(kind)
    if not 0 <= max_reject_ratio <= 1:
        raise InvalidParameter(
            "--max-reject-ratio", f"{max_reject_ratio} is out of range", "0 to 1"
        )
    if not path.is_file():
        raise InvalidParameter(str(path), "file not found")
    run = recorded_run(conn, SourceInfo.of_file(LAYER, path, source), job=job, settings=settings)
    with run as (report, rejects):
        areas = list(_read(path, crs, rejects, report))
        report.rejected = rejects.count
        check_rejects(
            path, report, report.read, max_reject_ratio, unit="features", unchanged="the basemap"
        )
        if not areas:
            raise InvalidParameter(
                str(path),
                "holds no polygon" + (f" ({rejects.count} rejected)" if rejects.count else ""),
                "Polygons or MultiPolygons (a city boundary, water, parks)",
            )
        try:
            with conn.transaction(), conn.cursor() as cur:
                version = _write(cur, report, kind, areas)
        except (psycopg.errors.IntegrityError, psycopg.errors.DataError) as exc:
            detail = exc.diag.message_primary or str(exc)
            raise LoadFailed(
                f"{path}: the database refused the areas ({detail}); the basemap was left unchanged"
            ) from exc
        report.extra.update({"kind": kind, "basemap version": version})
    return report


def delete_basemap_sources(conn: psycopg.Connection[Any], sources: list[str]) -> int:
    """Delete every area of these sources in one transaction (the version is bumped when any
    was deleted); the number deleted."""
    with conn.transaction(), conn.cursor() as cur:
        cur.execute(load_sql("basemap/lock.sql"))
        cur.execute(load_sql("basemap/delete_sources.sql"), {"sources": sources})
        deleted = cur.rowcount
        if deleted:
            cur.execute(load_sql("basemap/version_bump.sql"))
    return deleted


def _read(
    path: Path, crs: str | None, rejects: RejectsWriter, report: LoadReport
) -> Iterator[tuple[str | None, shapely.Geometry]]:
    """(name, MultiPolygon in EPSG:4326) of each usable row; the others go to ``rejects``."""
    source = open_source(path)
    name_field = next((f for f in source.fields if f.lower() == "name"), None)
    declared = crs or source.crs
    if crs and source.crs:
        log.warning("%s declares %s; --crs %s overrides it", path, source.crs, crs)
    reproject = Reprojector(parse_crs(declared, "--crs") if declared else None)
    crs_unchecked = declared is None
    for batch in source.batches(BATCH_SIZE):
        report.read += batch.size
        if crs_unchecked:
            crs_unchecked = not refuse_unless_lonlat(batch.geometries, path)
        geoms = reproject(batch.geometries)
        names = batch.columns[name_field] if name_field else [None] * batch.size
        for i in range(batch.size):
            try:
                geom = conform(geoms[i], ("MultiPolygon",))
            except RowError as exc:
                rejects.add(batch.first_row + i, None, exc.field, exc.reason, None)
                continue
            name = None if names[i] is None else (str(names[i]).strip() or None)
            yield name, geom


def _write(
    cur: psycopg.Cursor[Any],
    report: LoadReport,
    kind: str,
    areas: list[tuple[str | None, shapely.Geometry]],
) -> int:
    """Stage the areas, replace the source's with them unless they are the same; the version."""
    cur.execute(load_sql("basemap/lock.sql"))
    cur.execute(load_sql("basemap/staging.sql"))
    with cur.copy(load_sql("basemap/copy.sql")) as copy:
        for name, geom in areas:
            wkb = shapely.to_wkb(shapely.set_srid(geom, 4326), hex=True, include_srid=True)
            copy.write_row((kind, name, wkb))
    params = {"source": report.source}
    row = cur.execute(load_sql("basemap/compare.sql"), params).fetchone()
    assert row is not None
    stored, same = int(row[0]), int(row[1])
    if stored == same == len(areas):
        report.unchanged = same
        version = cur.execute(load_sql("basemap/version.sql")).fetchone()
        assert version is not None
        return int(version[0])
    cur.execute(load_sql("basemap/delete_source.sql"), params)
    report.retired = cur.rowcount
    cur.execute(load_sql("basemap/insert_staged.sql"), params)
    report.inserted = cur.rowcount
    bumped = cur.execute(load_sql("basemap/version_bump.sql")).fetchone()
    assert bumped is not None
    return int(bumped[0])
