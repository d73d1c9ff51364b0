"""OpenStreetMap extracts (``.osm.pbf``) read with pyosmium into segments noded at
intersections.

A way is routable when its ``highway`` tag is a class of the routing profile and it is neither
an area (``area=yes``) nor closed to the public (``access=no``/``private``). Each routable way
is split at every node that another routable way (or the way itself, a second time) also uses,
so that every junction is the end of the segments that meet there. One-way: ``oneway``
yes/1/true is 1 (the way's direction), -1/reverse is -1, no/false/0 is 0; a roundabout
(``junction=roundabout``/``circular``) and a motorway are one-way unless ``oneway`` says
otherwise. ``maxspeed``: a number is km/h, ``NN mph`` is converted; other values (``none``,
``signals``, ``FI:urban``...) are ignored and counted. The segment's id is ``WAY:PART``.

A node outside the extract (a way clipped at its edge) has no location: the way is cut there,
and a piece left with a single located node is dropped (counted).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import shapely

from gisserver.errors import InvalidParameter
from gisserver.etl.mapping import RowError
from gisserver.etl.roads.mapping import MAX_SPEED_KMH, MPH_TO_KMH, road_classes
from gisserver.etl.roads.segments import ReadStats, Segment, line_parts
from gisserver.etl.runs import RejectsWriter

PBF_SUFFIXES = (".osm.pbf", ".pbf")
_ONEWAY = {"yes": 1, "1": 1, "true": 1, "-1": -1, "reverse": -1, "no": 0, "false": 0, "0": 0}
_CLOSED = {"no", "private"}
_SPEED = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(mph|km/h|kmh|kph)?\s*$", re.IGNORECASE)


def is_pbf(path: Path) -> bool:
    return path.name.lower().endswith(PBF_SUFFIXES)


@dataclass
class _Way:
    id: int
    name: str | None
    road_class: str
    one_way: int
    maxspeed_kmh: float | None
    nodes: list[int]
    coords: list[tuple[float, float] | None]


def one_way_of(tags: dict[str, str], notes: Counter[str]) -> int:
    """0, 1 or -1 from a way's tags (see the module's text)."""
    given = tags.get("oneway")
    if given is not None:
        value = _ONEWAY.get(given.strip().lower())
        if value is not None:
            return value
        notes["oneway values not understood (taken as both ways)"] += 1
        return 0
    if tags.get("junction") in ("roundabout", "circular") or tags.get("highway") == "motorway":
        return 1
    return 0


def maxspeed_of(value: str | None, notes: Counter[str]) -> float | None:
    """km/h from an OSM ``maxspeed``; None (counted) when it is not a plain speed."""
    if value is None:
        return None
    match = _SPEED.match(value)
    if match:
        speed = float(match.group(1))
        if (match.group(2) or "").lower() == "mph":
            speed *= MPH_TO_KMH
        if 0 < speed <= MAX_SPEED_KMH:
            return speed
    notes["maxspeed values ignored"] += 1
    return None


def _routable_ways(path: Path, stats: ReadStats) -> list[_Way]:
    # imported here: only OpenStreetMap loads need libosmium
    import osmium

    classes = set(road_classes())
    ways: list[_Way] = []
    try:
        processor = (
            osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY)
            .with_locations()
            .with_filter(osmium.filter.KeyFilter("highway"))
        )
        for way in processor:
            if not isinstance(way, osmium.osm.Way):
                continue
            tags = {tag.k: tag.v for tag in way.tags}
            highway = tags.get("highway")
            if highway not in classes:
                continue
            if tags.get("area") == "yes" or tags.get("access") in _CLOSED:
                stats.skipped += 1
                continue
            stats.read += 1
            nodes: list[int] = []
            coords: list[tuple[float, float] | None] = []
            for ref in way.nodes:
                nodes.append(ref.ref)
                location = ref.location
                coords.append((location.lon, location.lat) if location.valid() else None)
            ways.append(
                _Way(
                    id=way.id,
                    name=tags.get("name"),
                    road_class=highway,
                    one_way=one_way_of(tags, stats.notes),
                    maxspeed_kmh=maxspeed_of(tags.get("maxspeed"), stats.notes),
                    nodes=nodes,
                    coords=coords,
                )
            )
    except RuntimeError as exc:  # libosmium's errors: not a PBF, truncated, ...
        raise InvalidParameter(str(path), f"cannot be read as OpenStreetMap data ({exc})") from exc
    return ways


def read_osm(path: Path, rejects: RejectsWriter, stats: ReadStats) -> Iterator[Segment]:
    """The segments of the routable ways of ``path``, noded at shared nodes."""
    if not path.is_file():
        raise InvalidParameter(str(path), "file not found")
    ways = _routable_ways(path, stats)
    uses: Counter[int] = Counter()
    for way in ways:
        uses.update(way.nodes)
    for row, way in enumerate(ways, start=1):
        for part, (nodes, coords) in enumerate(_pieces(way, uses, stats.notes)):
            source_id = f"{way.id}:{part}"
            try:
                (line,) = line_parts(shapely.LineString(coords))
            except RowError as exc:
                rejects.add(row, source_id, exc.field, exc.reason, f"way {way.id}")
                continue
            yield Segment(
                row=row,
                source_id=source_id,
                name=way.name,
                road_class=way.road_class,
                one_way=way.one_way,
                maxspeed_kmh=way.maxspeed_kmh,
                geom=line,
                file_from=str(nodes[0]),
                file_to=str(nodes[-1]),
            )


def _pieces(
    way: _Way, uses: Counter[int], notes: Counter[str]
) -> Iterator[tuple[list[int], list[tuple[float, float]]]]:
    """The way cut at its shared nodes and at nodes without a location."""
    nodes: list[int] = []
    coords: list[tuple[float, float]] = []
    carried = False  # nodes holds only the end of the piece just yielded
    dropped = "way pieces dropped (a single node inside the file)"
    for i, (node, xy) in enumerate(zip(way.nodes, way.coords, strict=True)):
        if xy is None:
            notes["node references outside the file"] += 1
            if len(nodes) > 1:
                yield nodes, coords
            elif nodes and not carried:
                notes[dropped] += 1
            nodes, coords, carried = [], [], False
            continue
        nodes.append(node)
        coords.append(xy)
        if len(nodes) > 1 and (i == len(way.nodes) - 1 or uses[node] > 1):
            yield nodes, coords
            nodes, coords, carried = [node], [xy], True
    if len(nodes) == 1 and not carried:
        notes[dropped] += 1
