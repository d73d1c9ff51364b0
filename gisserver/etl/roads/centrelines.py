"""Street-centreline files (GeoJSON, Shapefile, GeoPackage: whatever GDAL reads, through the
ETL's own source reader) read into segments with a roads mapping (``mapping.py``)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from gisserver.etl.geometry import Reprojector, parse_crs, refuse_unless_lonlat
from gisserver.etl.mapping import RowError
from gisserver.etl.roads.mapping import RoadsMapping, value_key
from gisserver.etl.roads.segments import ReadStats, Segment, line_parts
from gisserver.etl.runs import RejectsWriter
from gisserver.etl.sources import open_source

log = logging.getLogger(__name__)

BATCH_SIZE = 5_000


def read_centrelines(
    path: Path,
    mapping: RoadsMapping,
    crs: str | None,
    rejects: RejectsWriter,
    stats: ReadStats,
) -> Iterator[Segment]:
    """The segments of ``path``; rows that cannot be one go to ``rejects`` with their reason."""
    source = open_source(path, layer=mapping.layer)
    mapping.check_fields(path, source.fields)
    declared = crs or source.crs or mapping.crs
    if crs and source.crs:
        log.warning("%s declares %s; --crs %s overrides it", path, source.crs, crs)
    reproject = Reprojector(parse_crs(declared, "--crs") if declared else None)
    crs_unchecked = declared is None
    for batch in source.batches(BATCH_SIZE):
        if crs_unchecked:
            crs_unchecked = not refuse_unless_lonlat(batch.geometries, path)
        geoms = reproject(batch.geometries)
        columns = {name: batch.columns[name] for name in mapping.fields_used}
        for i in range(batch.size):
            row = batch.first_row + i
            values = {name: column[i] for name, column in columns.items()}
            source_id = value_key(values[mapping.source_id]) if mapping.source_id else None
            try:
                parts = line_parts(geoms[i])
                attributes = _attributes(mapping, values, stats)
            except RowError as exc:
                rejects.add(row, source_id, exc.field, exc.reason, exc.value)
                continue
            file_from, file_to = (
                (value_key(values[mapping.from_node]), value_key(values[mapping.to_node]))
                if mapping.from_node and mapping.to_node
                else (None, None)
            )
            last = len(parts) - 1
            for k, part in enumerate(parts):
                yield Segment(
                    row=row,
                    source_id=f"{source_id}:{k}" if last and source_id else source_id,
                    geom=part,
                    # the file's nodes are the feature's ends: the first part's start, the
                    # last part's end
                    file_from=file_from if k == 0 else None,
                    file_to=file_to if k == last else None,
                    **attributes,
                )
        stats.read += batch.size


def _attributes(mapping: RoadsMapping, values: dict[str, Any], stats: ReadStats) -> dict[str, Any]:
    road_class = mapping.road_class.apply(
        values[mapping.road_class.field] if mapping.road_class.field else None, "class"
    )
    one_way = mapping.one_way.apply(
        values[mapping.one_way.field] if mapping.one_way.field else None, "one_way"
    )
    maxspeed = None
    if mapping.maxspeed:
        given = values[mapping.maxspeed]
        maxspeed = mapping.speed_kmh(given)
        if maxspeed is None and value_key(given) is not None:
            stats.notes["maxspeed values ignored"] += 1
    name = value_key(values[mapping.name]) if mapping.name else None
    return {"name": name, "road_class": road_class, "one_way": one_way, "maxspeed_kmh": maxspeed}
