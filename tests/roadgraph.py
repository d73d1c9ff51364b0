"""An independent model of drive times on the ``roads`` table, for the routing tests: a NetworkX
graph with costs computed here in Python (geodesic lengths with pyproj, speeds read from the
routing profile's YAML), points snapped with shapely in a local azimuthal equidistant projection
(exact geodesic distances from the point), and Dijkstra. Nothing of gisserver.routing is used.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
import psycopg
import shapely
import yaml
from pyproj import Geod, Transformer
from shapely.geometry import LineString, Point

from gisserver.settings import PROJECT_ROOT

GEOD = Geod(ellps="WGS84")
PROFILE = yaml.safe_load((PROJECT_ROOT / "gisserver" / "routing" / "profile.yaml").read_text())


def class_speed(road_class: str) -> float:
    return float(PROFILE["speeds_kmh"].get(road_class, PROFILE["default_speed_kmh"]))


def hazard_factor(hazard_type: str, severity: str) -> float | None:
    """The profile's effect of a zone: 0 closed, a factor, or None (no effect)."""
    hazards = PROFILE["hazards"]
    effects = hazards.get("by_hazard_type", {}).get(hazard_type, hazards["default"])
    effect = effects.get(severity)
    return None if effect is None else 0.0 if effect == "closed" else float(effect)


@dataclass(frozen=True)
class Segment:
    id: int
    source: int
    target: int
    one_way: int
    line: LineString  # lon/lat
    length_m: float
    speed_kmh: float

    def seconds(self, factor: float = 1.0) -> float:
        return self.length_m * 3.6 / (self.speed_kmh * factor)


@dataclass(frozen=True)
class Snapped:
    """A point on a segment: its geodesic distance to the requested point, the fraction of the
    segment's geodesic length before it, and the point itself (lon, lat)."""

    segment: int
    fraction: float
    distance_m: float
    lon: float
    lat: float


def _local(lon: float, lat: float) -> Transformer:
    return Transformer.from_crs(
        "EPSG:4326", f"+proj=aeqd +lat_0={lat} +lon_0={lon} +ellps=WGS84 +units=m", always_xy=True
    )


@dataclass
class RoadGraph:
    """The roads with per-segment factors (road id -> speed factor; 0 closed)."""

    segments: dict[int, Segment]
    factors: dict[int, float] = field(default_factory=dict)

    @classmethod
    def load(cls, database_url: str, factors: dict[int, float] | None = None) -> RoadGraph:
        with psycopg.connect(database_url) as conn:
            rows = conn.execute(
                "SELECT id, from_node, to_node, one_way, road_class, maxspeed_kmh,"
                " ST_AsBinary(geom) FROM roads"
            ).fetchall()
        segments = {}
        for rid, source, target, one_way, road_class, maxspeed, wkb in rows:
            line = shapely.from_wkb(bytes(wkb))
            lons, lats = zip(*line.coords, strict=True)
            segments[rid] = Segment(
                rid,
                source,
                target,
                one_way,
                line,
                GEOD.line_length(lons, lats),
                float(maxspeed) if maxspeed else class_speed(road_class),
            )
        return cls(segments, dict(factors or {}))

    def with_factors(self, factors: dict[int, float]) -> RoadGraph:
        return RoadGraph(self.segments, factors)

    # --- the directed graph ------------------------------------------------------------------

    def costs(self, segment: Segment) -> tuple[float | None, float | None]:
        """Seconds along the line (source -> target) and against it; None: not allowed."""
        factor = self.factors.get(segment.id, 1.0)
        if factor == 0:
            return None, None
        seconds = segment.seconds(factor)
        return (
            None if segment.one_way == -1 else seconds,
            None if segment.one_way == 1 else seconds,
        )

    def graph(self, *, reverse: bool = False) -> nx.DiGraph:
        """Junctions and the cheapest segment each way between two of them."""
        g = nx.DiGraph()
        for s in self.segments.values():
            forward, backward = self.costs(s)
            for u, v, cost in ((s.source, s.target, forward), (s.target, s.source, backward)):
                if cost is None:
                    continue
                if reverse:
                    u, v = v, u
                if not g.has_edge(u, v) or g[u][v]["cost"] > cost:
                    g.add_edge(u, v, cost=cost, segment=s.id)
        return g

    def stranded(self) -> set[int]:
        """Segments with an end outside the largest strongly connected piece of their weakly
        connected piece (one-way rules only, no hazard zones)."""
        plain = RoadGraph(self.segments).graph()
        for s in self.segments.values():  # isolated two-way-less nodes still count
            plain.add_node(s.source)
            plain.add_node(s.target)
        main: set[int] = set()
        strong = list(nx.strongly_connected_components(plain))
        for weak in nx.weakly_connected_components(plain):
            pieces = [c for c in strong if next(iter(c)) in weak]
            main |= max(pieces, key=len)
        return {
            s.id for s in self.segments.values() if s.source not in main or s.target not in main
        }

    # --- snapping ----------------------------------------------------------------------------

    def snap(self, lon: float, lat: float, *, among: set[int] | None = None) -> Snapped:
        """The nearest point of the nearest segment (of ``among``, default all), geodesically."""
        to_local = _local(lon, lat)
        candidates = among if among is not None else set(self.segments)
        best: Snapped | None = None
        rough = sorted(candidates, key=lambda i: self.segments[i].line.distance(Point(lon, lat)))[
            :40
        ]
        for rid in rough:
            line = shapely.segmentize(self.segments[rid].line, 1e-4)
            xs, ys = to_local.transform(*zip(*line.coords, strict=True))
            local = LineString(list(zip(xs, ys, strict=True)))
            distance = local.distance(Point(0, 0))
            if best is not None and distance >= best.distance_m:
                continue
            along = local.project(Point(0, 0))
            here = local.interpolate(along)
            plon, plat = to_local.transform(here.x, here.y, direction="INVERSE")
            best = Snapped(rid, along / local.length, distance, plon, plat)
        assert best is not None
        return best

    def routable(self) -> set[int]:
        closed = {rid for rid, f in self.factors.items() if f == 0}
        return set(self.segments) - closed - self.stranded()

    # --- searches ----------------------------------------------------------------------------

    def _with_point(self, g: nx.DiGraph, name: str, at: Snapped, *, leaving: bool) -> None:
        """Adds ``name`` at ``at``: edges out of it (``leaving``) or into it."""
        s = self.segments[at.segment]
        forward, backward = self.costs(s)
        f = at.fraction
        if leaving:
            if forward is not None:
                g.add_edge(name, s.target, cost=(1 - f) * forward)
            if backward is not None:
                g.add_edge(name, s.source, cost=f * backward)
        else:
            if forward is not None:
                g.add_edge(s.source, name, cost=f * forward)
            if backward is not None:
                g.add_edge(s.target, name, cost=(1 - f) * backward)

    def route(self, start: Snapped, end: Snapped) -> tuple[float, float] | None:
        """(seconds, metres) of the fastest trip from ``start`` to ``end``; None: none."""
        g = self.graph()
        self._with_point(g, "S", start, leaving=True)
        self._with_point(g, "T", end, leaving=False)
        if start.segment == end.segment:
            s = self.segments[start.segment]
            forward, backward = self.costs(s)
            along = end.fraction - start.fraction
            cost = forward if along >= 0 else backward
            if cost is not None:
                g.add_edge("S", "T", cost=abs(along) * cost)
        try:
            seconds, nodes = nx.single_source_dijkstra(g, "S", "T", weight="cost")
        except nx.NetworkXNoPath:
            return None
        return seconds, self._metres(nodes, start, end)

    def _metres(self, nodes: list[Any], start: Snapped, end: Snapped) -> float:
        metres = 0.0
        for u, v in zip(nodes, nodes[1:], strict=False):
            if u == "S" and v == "T":
                metres += abs(end.fraction - start.fraction) * self.segments[start.segment].length_m
            elif u == "S":
                s = self.segments[start.segment]
                metres += (1 - start.fraction if v == s.target else start.fraction) * s.length_m
            elif v == "T":
                s = self.segments[end.segment]
                metres += (end.fraction if u == s.source else 1 - end.fraction) * s.length_m
            else:
                metres += 0.0 if u == v else self._edge_metres(u, v)
        return metres

    def _edge_metres(self, u: int, v: int) -> float:
        g = self._graph_cache()
        return self.segments[g[u][v]["segment"]].length_m

    def _graph_cache(self) -> nx.DiGraph:
        key = tuple(sorted(self.factors.items()))
        if getattr(self, "_cached_key", None) != key:
            self._cached = self.graph()
            self._cached_key = key
        return self._cached

    def times_from(self, origin: Snapped, *, reverse: bool = False) -> dict[Any, float]:
        """Seconds from ``origin`` to every junction (``reverse``: from every junction to it)."""
        g = self.graph(reverse=reverse)
        s = self.segments[origin.segment]
        forward, backward = self.costs(s)
        if reverse:
            forward, backward = backward, forward
        f = origin.fraction
        if forward is not None:
            g.add_edge("O", s.target, cost=(1 - f) * forward)
        if backward is not None:
            g.add_edge("O", s.source, cost=f * backward)
        return nx.single_source_dijkstra_path_length(g, "O", weight="cost")

    def time_to_place(
        self, times: dict[Any, float], origin: Snapped, place: Snapped, *, towards: bool = False
    ) -> float | None:
        """Seconds between ``origin`` and a place on its segment, through either end of that
        segment (or along it when both lie on one), from junction times of ``times_from``."""
        s = self.segments[place.segment]
        forward, backward = self.costs(s)
        f = place.fraction
        options = []
        if not towards:
            if forward is not None and s.source in times:
                options.append(times[s.source] + f * forward)
            if backward is not None and s.target in times:
                options.append(times[s.target] + (1 - f) * backward)
        else:
            if forward is not None and s.target in times:
                options.append((1 - f) * forward + times[s.target])
            if backward is not None and s.source in times:
                options.append(f * backward + times[s.source])
        if place.segment == origin.segment:
            along = place.fraction - origin.fraction
            if towards:
                along = -along
            cost = forward if along >= 0 else backward
            if cost is not None:
                options.append(abs(along) * cost)
        return min(options) if options else None


def geodesic_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    return float(GEOD.inv(a[0], a[1], b[0], b[1])[2])


def bearing_agrees(line: LineString, a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Whether going from ``a`` to ``b`` (two consecutive points on ``line``) follows the
    line's direction: their positions along it increase."""
    return line.project(Point(b)) >= line.project(Point(a)) - 1e-12


def metres_per_degree(lat: float) -> tuple[float, float]:
    return 111_320.0 * math.cos(math.radians(lat)), 110_574.0


def disc(lon: float, lat: float, radius_m: float, inner_m: float = 0.0) -> shapely.Polygon:
    """A circle of ``radius_m`` metres around (lon, lat) as a lon/lat polygon; with
    ``inner_m`` a ring (the circle less the inner one)."""
    to_local = _local(lon, lat)
    circle = Point(0, 0).buffer(radius_m, quad_segs=32)
    if inner_m:
        circle = circle.difference(Point(0, 0).buffer(inner_m, quad_segs=32))
    return shapely.transform(
        circle,
        lambda xy: np.column_stack(to_local.transform(xy[:, 0], xy[:, 1], direction="INVERSE")),
    )
