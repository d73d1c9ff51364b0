"""Searches of the road network with pgRouting: the fastest route between two points, travel
times from (or to) one point to many, and isochrones. Points are snapped to the nearest
routable segment and searched from where they lie on it (pgRouting's withPoints family), so a
point in the middle of a long segment is not moved to its end.

Every search takes a ``Closures`` (gisserver.routing.network): the roads closed or slowed by the
hazard zones in force, or none (``avoid_hazards=false``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

from gisserver.db import load_sql
from gisserver.errors import NotOnRoadNetwork
from gisserver.lru import ByteLRU
from gisserver.routing.network import (
    Closures,
    Network,
    edges_query,
    from_point_query,
    literal,
    points_query,
)
from gisserver.routing.profile import Profile

ORIGIN = -1  # the searched point's id in pgRouting's points (targets are -2, -3, ...)


@dataclass(frozen=True)
class Snap:
    """Where a point meets the network: the segment, the fraction of its length before the
    point (its cost is split by it), the point on it and the (geodesic) distance moved, and
    ``line_fraction``: the same point as ST_LineSubstring locates it on the geometry (in
    degrees: not the same fraction where the segment bends)."""

    edge: int
    fraction: float
    lon: float
    lat: float
    distance_m: float
    line_fraction: float


@dataclass(frozen=True)
class Search:
    """One search's context: the network, the profile, the closures in force."""

    network: Network
    profile: Profile
    closures: Closures
    max_snap_m: float

    def edges(
        self, *, reverse: bool = False, extent: tuple[float, float, float, float] | None = None
    ) -> str:
        return edges_query(self.profile, self.closures, reverse=reverse, extent=extent)

    def reach_box(self, origin: Snap, seconds: float) -> tuple[float, float, float, float] | None:
        """The lon/lat box holding every point reachable from (or reaching) ``origin`` within
        ``seconds``: a circle of the network's fastest speed times the time (no road is
        faster; hazard zones only slow them). None where it is the whole Earth anyway."""
        radius_m = seconds * self.network.max_speed_kmh(self.profile) / 3.6
        return box_around(origin.lon, origin.lat, radius_m)

    @property
    def unusable(self) -> list[int]:
        return sorted({*self.closures.closed, *self.network.stranded})


def _snap(row: dict[str, Any] | None, max_snap_m: float) -> Snap | None:
    if row is None or row["edge_id"] is None or row["snap_m"] > max_snap_m:
        return None
    return Snap(
        row["edge_id"],
        row["fraction"],
        row["lon"],
        row["lat"],
        row["snap_m"],
        row["line_fraction"],
    )


def snap(
    cur: psycopg.Cursor[Any],
    search: Search,
    points: list[tuple[float, float]],
    *,
    candidates: int = 4,
) -> list[Snap | None]:
    """Each (lon, lat) on its nearest routable segment among its ``candidates`` nearest
    segments, or None (none routable among them, or farther than ``max_snap_m``)."""
    if not points:
        return []
    rows = cur.execute(
        load_sql("routing/snap.sql"),
        {
            "lons": [p[0] for p in points],
            "lats": [p[1] for p in points],
            "unusable": search.unusable,
            "candidates": candidates,
        },
    ).fetchall()
    return [_snap(row, search.max_snap_m) for row in rows]


def snap_one(cur: psycopg.Cursor[Any], search: Search, point: tuple[float, float]) -> Snap | None:
    """One point on its nearest routable segment, however many unusable ones lie nearer."""
    found = snap(cur, search, [point], candidates=32)[0]
    if found is None:
        row = cur.execute(
            load_sql("routing/snap_open.sql"),
            {"lon": point[0], "lat": point[1], "unusable": search.unusable},
        ).fetchone()
        found = _snap(row, search.max_snap_m)
    return found


def snap_or_refuse(
    cur: psycopg.Cursor[Any], search: Search, point: tuple[float, float], parameter: str
) -> Snap:
    """The point's snap; NotOnRoadNetwork (422) naming ``parameter`` when no road is near."""
    found = snap_one(cur, search, point)
    if found is None:
        if not search.network.segments:
            raise NotOnRoadNetwork(
                parameter,
                "there is no road network to route on",
                "load one: gisserver etl load roads FILE (docs/roads.md)",
            )
        raise NotOnRoadNetwork(
            parameter,
            f"{point[0]:g},{point[1]:g} is more than {search.max_snap_m:g} m from every "
            "routable road",
            "a point within the road network (GISSERVER_ROUTE_MAX_SNAP_M)",
        )
    return found


@dataclass(frozen=True)
class Path:
    """A path found: seconds, metres, the line in driving order, the pieces of road taken."""

    travel_time_s: float
    length_m: float
    coordinates: list[list[float]]
    roads: list[dict[str, Any]]


def _points(coordinates: Any) -> list[list[float]]:
    """A piece's coordinates as a list of points: a piece of no length (a point at a segment's
    end, or two points at one place) comes back from ST_LineSubstring as a Point, [x, y]."""
    if not coordinates:
        return []
    if isinstance(coordinates[0], int | float):
        return [list(coordinates)]
    return list(coordinates)


def _assemble(rows: list[dict[str, Any]], *, reverse: bool) -> Path:
    """The pieces of one path (route.sql rows, in search order) as one line and the roads
    taken (consecutive pieces of one street are one entry); ``reverse``: the search ran on the
    reversed graph, so driving order is the pieces' order backwards."""
    pieces = [
        {**r, "coordinates": _points(r["coordinates"])}
        for r in rows
        if r["edge"] is not None and r["edge"] > 0
    ]
    if reverse:
        pieces = [{**p, "coordinates": list(reversed(p["coordinates"]))} for p in reversed(pieces)]
    coordinates: list[list[float]] = []
    roads: list[dict[str, Any]] = []
    for piece in pieces:
        for point in piece["coordinates"]:
            if not coordinates or coordinates[-1] != point:
                coordinates.append(point)
        name = piece["name"]
        if roads and roads[-1]["name"] == name and roads[-1]["road_class"] == piece["road_class"]:
            roads[-1]["length_m"] += piece["length_m"]
            roads[-1]["travel_time_s"] += piece["cost"]
            roads[-1]["segments"].append(piece["edge"])
        else:
            roads.append(
                {
                    "name": name,
                    "road_class": piece["road_class"],
                    "length_m": piece["length_m"],
                    "travel_time_s": piece["cost"],
                    "segments": [piece["edge"]],
                }
            )
    for road in roads:
        road["length_m"] = round(road["length_m"], 1)
        road["travel_time_s"] = round(road["travel_time_s"], 1)
    if len(coordinates) == 1:
        coordinates.append(coordinates[0])
    return Path(
        travel_time_s=sum(p["cost"] for p in pieces),
        length_m=sum(p["length_m"] for p in pieces),
        coordinates=coordinates,
        roads=roads,
    )


def paths(
    cur: psycopg.Cursor[Any],
    search: Search,
    origin: Snap,
    targets: list[Snap],
    *,
    towards: bool = False,
) -> list[Path | None]:
    """The fastest path from ``origin`` to each target (``towards``: from each target to
    ``origin``, searched over the reversed graph); None where there is none."""
    if not targets:
        return []
    ids = [ORIGIN - 1 - i for i in range(len(targets))]
    points = [(1, origin.edge, origin.fraction)] + [
        (-pid, t.edge, t.fraction) for pid, t in zip(ids, targets, strict=True)
    ]
    statement = sql.SQL(load_sql("routing/route.sql")).format(
        edges=literal(search.edges(reverse=towards)), points=literal(points_query(points))
    )
    rows = cur.execute(
        statement,
        {
            "edge": origin.edge,
            "fraction": origin.line_fraction,
            "targets": ids,
            "target_fractions": [t.line_fraction for t in targets],
        },
    ).fetchall()
    by_target: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        by_target.setdefault(row["end_pid"], []).append(row)
    return [_assemble(by_target[pid], reverse=towards) if pid in by_target else None for pid in ids]


@dataclass(frozen=True)
class Reach:
    """How a place is reached: its nearest segment (``snap``; lon/lat there are the place's
    own) and the seconds, None when it is too far from every road or not reached."""

    snap: Snap
    seconds: float | None
    searched: float | None = None  # the time searched: a place not reached is further


# Longer trips than this are not searched (a city's drive-time questions end far sooner).
MAX_SECONDS = 6 * 3600.0


# Where places meet the network, by network version and position: a shelter's or a parked
# unit's segment is looked up once, not at every question (a moved unit is a new position).
# About 100 bytes an entry: at most 200,000 places.
_place_snaps: ByteLRU[tuple[Any, float, float], tuple[int, float, float, float]] = ByteLRU(
    20_000_000, lambda _: 100
)
# How many segments nearest in degrees a place's nearest in metres is chosen among.
PLACE_CANDIDATES = 4


def place_snaps(
    cur: psycopg.Cursor[Any], search: Search, places: list[tuple[float, float]]
) -> list[tuple[int, float, float, float]]:
    """Each place's nearest segment, fraction of its length before the place's point on it,
    that point's line_fraction and the distance to it (places.sql)."""
    version = search.network.version
    # floats: a place at a whole degree comes from JSON as an int (psycopg refuses mixed lists)
    places = [(float(lon), float(lat)) for lon, lat in places]
    known = _place_snaps.get_many((version, lon, lat) for lon, lat in places)
    found: list[tuple[int, float, float, float] | None] = [
        known.get((version, lon, lat)) for lon, lat in places
    ]
    missing = [i for i, snap in enumerate(found) if snap is None]
    if missing:
        rows = cur.execute(
            load_sql("routing/places.sql"),
            {
                "lons": [places[i][0] for i in missing],
                "lats": [places[i][1] for i in missing],
                "candidates": PLACE_CANDIDATES,
            },
        ).fetchall()
        for index, row in zip(missing, rows, strict=True):
            snap = (
                int(row["edge"]),
                float(row["fraction"]),
                float(row["line_fraction"]),
                float(row["snap_m"]),
            )
            found[index] = snap
            _place_snaps.put((version, *places[index]), snap)
    return [snap for snap in found if snap is not None]


METRES_PER_DEGREE = 111_320.0
# A search for the k soonest places starts this far (seconds) and goes 4 times further each time
# fewer than k were reached (see travel_times).
FIRST_REACH_S = 600.0


def box_around(lon: float, lat: float, radius_m: float) -> tuple[float, float, float, float] | None:
    """A lon/lat box holding the circle of ``radius_m`` around (lon, lat) (on a sphere of the
    equator's metres per degree, with the longitude span taken at the circle's edge nearest a
    pole: larger than needed, never smaller); None beyond 60 degrees or near a pole."""
    dlat = radius_m / METRES_PER_DEGREE
    edge = min(89.0, abs(lat) + dlat)
    if dlat > 60 or edge >= 89.0:
        return None
    dlon = dlat / math.cos(math.radians(edge))
    if dlon > 170:
        return None
    return (lon - dlon, lat - dlat, lon + dlon, lat + dlat)


def travel_times(
    cur: psycopg.Cursor[Any],
    search: Search,
    origin: Snap,
    places: list[tuple[float, float]],
    *,
    towards: bool = False,
    enough: int | None = None,
) -> list[Reach]:
    """Seconds from ``origin`` to each (lon, lat) place (``towards``: from each place to
    ``origin``): one search for all (reach.sql). A place is reached through its nearest
    segment, so one whose street is closed is not reached.

    With ``enough`` (the k soonest are wanted), the search covers FIRST_REACH_S seconds, then
    4 times more, ... until ``enough`` places are reached (or MAX_SECONDS): each time only over
    the roads within that time's reach (``Search.reach_box``), so a question about a street
    corner does not read a whole country's network. The times found are exact; a place not
    reached is then only known to be further than the last time searched (``Reach.searched``).
    """
    if not places or not search.network.segments:
        return [Reach(Snap(0, 0.0, lon, lat, float("inf"), 0.0), None) for lon, lat in places]
    snaps = place_snaps(cur, search, places)
    cutoff = MAX_SECONDS if enough is None else FIRST_REACH_S
    while True:
        box = None if enough is None else search.reach_box(origin, cutoff)
        reaches = _reach(cur, search, origin, places, snaps, towards, cutoff, box)
        found = sum(1 for r in reaches if r.seconds is not None)
        if enough is None or found >= enough or cutoff >= MAX_SECONDS or box is None:
            return reaches
        cutoff = min(cutoff * 4, MAX_SECONDS)


def _reach(
    cur: psycopg.Cursor[Any],
    search: Search,
    origin: Snap,
    places: list[tuple[float, float]],
    snaps: list[tuple[int, float, float, float]],
    towards: bool,
    cutoff: float,
    box: tuple[float, float, float, float] | None,
) -> list[Reach]:
    statement = sql.SQL(load_sql("routing/reach.sql")).format(
        search_edges=literal(
            from_point_query(
                search.edges(reverse=towards, extent=box), origin.edge, origin.fraction
            )
        ),
        edges_query=sql.SQL(search.edges()),  # our own text
    )
    rows = cur.execute(
        statement,
        {
            "max_seconds": cutoff,
            "edges": [s[0] for s in snaps],
            "fractions": [s[1] for s in snaps],
            "snaps": [s[3] for s in snaps],
            "max_snap_m": search.max_snap_m,
            "towards": towards,
            "origin_edge": origin.edge,
            "origin_fraction": origin.fraction,
        },
    ).fetchall()
    seconds = {row["ordinal"]: row["seconds"] for row in rows}
    reaches = []
    for ordinal, ((lon, lat), (edge, fraction, line_fraction, snap_m)) in enumerate(
        zip(places, snaps, strict=True), start=1
    ):
        value = seconds.get(ordinal)
        reaches.append(
            Reach(
                # kept inside the segment, as snap.sql: pgRouting takes 0 or 1 for a junction
                Snap(edge, min(max(fraction, 1e-6), 1 - 1e-6), lon, lat, snap_m, line_fraction),
                None if value is None else float(value),
                cutoff,
            )
        )
    return reaches


def isochrones(
    cur: psycopg.Cursor[Any],
    search: Search,
    origin: Snap,
    seconds: list[float],
    *,
    towards: bool = False,
    concavity: float = 0.3,
) -> list[dict[str, Any]]:
    """One polygon per time in ``seconds`` (isochrone.sql): the area reached from ``origin``
    within it (``towards``: from where ``origin`` is reached within it)."""
    # only the roads within reach of the longest time: the answer is the same
    edges = search.edges(reverse=towards, extent=search.reach_box(origin, max(seconds)))
    statement = sql.SQL(load_sql("routing/isochrone.sql")).format(
        edges=literal(from_point_query(edges, origin.edge, origin.fraction)),
        edges_query=sql.SQL(edges),  # our own text, see edges.sql
    )
    rows = cur.execute(
        statement,
        {
            "seconds": seconds,
            "max_seconds": max(seconds),
            "lon": origin.lon,
            "lat": origin.lat,
            "concavity": concavity,
        },
    ).fetchall()
    return list(rows)
