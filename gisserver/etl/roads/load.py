"""``gisserver etl load roads FILE``: a road file replaces its source's segments, and the
junctions of the whole network are built again from the geometry, in one transaction.

Junctions come from the geometry, not from node ids a file may carry: segment ends within
``GISSERVER_ROAD_SNAP_TOLERANCE_M`` of each other are one junction. A file's own ids are
checked against them and the disagreements reported. Geometry wins because ids can be wrong
where geometry cannot be misread: the City of Cambridge centrelines have 80 node ids used at two
different places and 76 places carrying two ids, and a route through a wrong id would jump
between places that are not connected, or miss a real crossing.

When the file gives exactly the segments the source has already (a manifest run again) and the
junctions come out the same, nothing is written and the network's version stays: what routing
derived from it remains valid. Otherwise the version is bumped.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import psycopg
import shapely

from gisserver.db import load_sql
from gisserver.errors import InvalidParameter
from gisserver.etl.roads.centrelines import read_centrelines
from gisserver.etl.roads.mapping import RoadsMapping, read_roads_mapping
from gisserver.etl.roads.osm import is_pbf, read_osm
from gisserver.etl.roads.segments import ReadStats, Segment
from gisserver.etl.runs import (
    LoadFailed,
    LoadReport,
    SourceInfo,
    check_rejects,
    recorded_run,
)
from gisserver.settings import Settings

log = logging.getLogger(__name__)

# metres per degree of latitude, as the tolerance is turned into degrees
METRES_PER_DEGREE = 111_320.0


def load_roads(
    conn: psycopg.Connection[Any],
    path: Path,
    *,
    source: str | None,
    mapping: Path | Mapping[str, Any] | None = None,
    crs: str | None = None,
    max_reject_ratio: float = 0.1,
    settings: Settings,
    job: str = "etl load",
) -> LoadReport:
    """Load the street segments of ``path`` as ``source`` (replacing what the source held),
    build the network's junctions again and report segments, junctions, connected pieces and,
    for files with node ids, how many junctions disagree with them.

    ``path`` is an OpenStreetMap extract (``.osm.pbf``, no mapping) or a street-centreline file
    GDAL reads, with a roads ``mapping`` (``etl/roads/mapping.py``). More than
    ``max_reject_ratio`` of the features rejected raises LoadAborted; any failure leaves the
    network as it was."""
    path = Path(path)
    if not 0 <= max_reject_ratio <= 1:
        raise InvalidParameter(
            "--max-reject-ratio", f"{max_reject_ratio} is out of range", "0 to 1"
        )
    if not path.is_file():
        raise InvalidParameter(str(path), "file not found")
    pbf = is_pbf(path)
    roads_mapping: RoadsMapping | None = None
    if pbf:
        if mapping is not None or crs is not None:
            raise InvalidParameter(
                "--mapping/--crs",
                f"{path} is an OpenStreetMap extract: its tags say what each way is, and its "
                "coordinates are lon/lat",
                "--source and --max-reject-ratio",
            )
    else:
        if mapping is None:
            raise InvalidParameter(
                "--mapping",
                f"{path} is read as a street-centreline file, which needs a roads mapping "
                "(which fields give the class, one-way rule, name...)",
                "e.g. --mapping etl/mappings/cambridge_centerlines.yaml (see docs/roads.md), "
                "or an OpenStreetMap .osm.pbf",
            )
        roads_mapping = read_roads_mapping(mapping)
    tolerance = settings.road_snap_tolerance_m
    run = recorded_run(conn, SourceInfo.of_file("roads", path, source), job=job, settings=settings)
    with run as (report, rejects):
        stats = ReadStats()
        if roads_mapping is None:
            segments = list(read_osm(path, rejects, stats))
        else:
            segments = list(read_centrelines(path, roads_mapping, crs, rejects, stats))
        report.read = stats.read
        report.skipped = stats.skipped
        report.rejected = rejects.count
        check_rejects(
            path,
            report,
            stats.read,
            max_reject_ratio,
            unit="features",
            unchanged="the road network",
        )
        if not segments:
            raise InvalidParameter(
                str(path),
                "holds no routable road segment"
                + (f" ({rejects.count} rejected)" if rejects.count else ""),
                "street centrelines (LineStrings) or OpenStreetMap ways with a highway tag of "
                "the routing profile's classes",
            )
        try:
            with conn.transaction(), conn.cursor() as cur:
                _write(cur, report, segments, tolerance)
        except (psycopg.errors.IntegrityError, psycopg.errors.DataError) as exc:
            detail = exc.diag.message_primary or str(exc)
            raise LoadFailed(
                f"{path}: the database refused the segments ({detail}); the road network was "
                "left unchanged"
            ) from exc
        report.extra.update(
            {key: value for key, value in sorted(stats.notes.items()) if value},
        )
        report.extra["snap tolerance m"] = tolerance
    return report


def delete_road_sources(
    conn: psycopg.Connection[Any], sources: Iterable[str], *, settings: Settings
) -> int:
    """Delete every segment of these sources and build the junctions of what is left, in one
    transaction (the network's version is bumped when anything changed); the number deleted."""
    names = list(sources)
    with conn.transaction(), conn.cursor() as cur:
        cur.execute(load_sql("roads/lock.sql"))
        cur.execute(load_sql("roads/delete_sources.sql"), {"sources": names})
        deleted = cur.rowcount
        eps = settings.road_snap_tolerance_m / METRES_PER_DEGREE
        if _build_nodes(cur, eps) or deleted:
            cur.execute(load_sql("roads/version_bump.sql"))
    return deleted


def _write(
    cur: psycopg.Cursor[Any], report: LoadReport, segments: list[Segment], tolerance: float
) -> None:
    cur.execute(load_sql("roads/lock.sql"))
    params = {"source": report.source}
    cur.execute(load_sql("roads/staging.sql"))
    _stage(cur, segments)
    row = cur.execute(load_sql("roads/compare.sql"), params).fetchone()
    assert row is not None
    stored, same = int(row[0]), int(row[1])
    staged = len(segments)
    report.unchanged = same
    report.inserted = staged - same
    report.retired = stored - same
    changed = bool(report.inserted or report.retired)
    if changed:
        cur.execute(load_sql("roads/delete_source.sql"), params)
        cur.execute(load_sql("roads/insert_staged.sql"), params)
    changed = _build_nodes(cur, tolerance / METRES_PER_DEGREE) or changed
    if changed:
        cur.execute(load_sql("roads/version_bump.sql"))
    network = cur.execute(load_sql("roads/network.sql")).fetchone()
    pieces = cur.execute(load_sql("roads/components.sql")).fetchone()
    ids = cur.execute(load_sql("roads/file_nodes.sql"), params).fetchone()
    assert network is not None and pieces is not None and ids is not None
    report.extra.update(
        {
            "segments": staged,
            "network segments": int(network[0]),
            "nodes": int(network[1]),
            "loops": int(network[2]),
            "connected pieces": int(pieces[0]),
            "segments outside the largest piece": int(pieces[1]),
            "network version": int(network[3]),
        }
    )
    if int(ids[0]):
        report.extra.update(
            {
                "file node ids at several junctions": int(ids[1]),
                "junctions with several file node ids": int(ids[2]),
                "junctions disagreeing with the file's node ids": int(ids[3]),
            }
        )
    log.info(
        "roads %s: %d segments (%d new, %d unchanged, %d retired); network changed: %s",
        report.source,
        staged,
        report.inserted,
        report.unchanged,
        report.retired,
        changed,
    )


def _stage(cur: psycopg.Cursor[Any], segments: Iterable[Segment]) -> None:
    with cur.copy(load_sql("roads/copy.sql")) as copy:
        for seq, s in enumerate(segments):
            copy.write_row(
                (
                    seq,
                    s.row,
                    s.source_id,
                    s.name,
                    s.road_class,
                    s.one_way,
                    s.maxspeed_kmh,
                    s.file_from,
                    s.file_to,
                    shapely.to_wkb(shapely.set_srid(s.geom, 4326), hex=True, include_srid=True),
                )
            )


def _build_nodes(cur: psycopg.Cursor[Any], eps_degrees: float) -> bool:
    """The junctions of the whole network from its segments' ends; True when they (or any
    road's from_node/to_node) changed. Junctions that stay are not written."""
    cur.execute(load_sql("roads/ends.sql"))
    cur.execute(load_sql("roads/ends_cluster.sql"), {"eps": eps_degrees})
    cur.execute(load_sql("roads/nodes_delete.sql"))
    changed = cur.rowcount > 0
    cur.execute(load_sql("roads/nodes_insert.sql"))
    changed = cur.rowcount > 0 or changed
    cur.execute(load_sql("roads/nodes_assign.sql"))
    return cur.rowcount > 0 or changed
