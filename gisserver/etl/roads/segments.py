"""What the readers of road files hand the loader: segments in EPSG:4326, one LineString each,
and the geometry checks they share (a MultiLineString is split into its parts; null, empty,
zero-length and invalid geometries are rejected with their reason)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import shapely
from shapely.geometry.base import BaseGeometry

from gisserver.etl.geometry import conform
from gisserver.etl.mapping import RowError

LINE_TYPES = ("LineString", "MultiLineString")


@dataclass(frozen=True)
class Segment:
    """One routable piece of street. ``row`` is the feature it came from (1-based; for an
    OpenStreetMap file the routable way's number); ``file_from``/``file_to`` are the file's own
    node ids at its first and last vertex, where the file has them."""

    row: int
    source_id: str | None
    name: str | None
    road_class: str
    one_way: int
    maxspeed_kmh: float | None
    geom: shapely.LineString
    file_from: str | None = None
    file_to: str | None = None


@dataclass
class ReadStats:
    """What a reader saw besides its segments: features read, skipped (not routable) and
    notes for the report (values ignored, ...)."""

    read: int = 0
    skipped: int = 0
    notes: Counter[str] = field(default_factory=Counter)


def line_parts(geom: BaseGeometry | None) -> list[shapely.LineString]:
    """The LineStrings of a line geometry, each with a length; RowError naming what is wrong
    (null, empty, not a line, out of range, invalid and not repairable, zero length)."""
    line = conform(geom, LINE_TYPES)
    parts = list(line.geoms) if line.geom_type == "MultiLineString" else [line]
    for i, part in enumerate(parts):
        if part.length == 0:
            where = f"part {i + 1} of {len(parts)}: " if len(parts) > 1 else ""
            raise RowError("geometry", f"{where}zero length (all its points are the same)")
    return parts
