"""The road network as each query sees it: which roads the hazard zones in force close or slow
at an instant, which segments a point may be snapped to, and the text of the graph query that
pgRouting searches (``gisserver/sql/routing/edges.sql``).

Which roads each zone touches is derived once per change of the zones or of the network (the
two version numbers of ``state.sql``, read by every query: a change takes effect on the next
query) and kept by the process; which zones are in force is judged per query.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from typing import Any

from psycopg import sql

from gisserver.db import Database, load_sql
from gisserver.routing.profile import CLOSED_FACTOR, Profile


@dataclass(frozen=True)
class ZoneRoads:
    """A hazard zone the profile acts on, and the roads it touches."""

    zone_id: int
    hazard_type: str
    severity: str
    valid_from: dt.datetime | None
    valid_to: dt.datetime | None
    road_ids: tuple[int, ...]

    def in_force(self, at: dt.datetime) -> bool:
        return (self.valid_from is None or self.valid_from <= at) and (
            self.valid_to is None or self.valid_to > at
        )


@dataclass(frozen=True)
class Closures:
    """What the zones in force do to the roads at one instant: road id -> speed factor (0
    closed), and the zones that act (id -> effect)."""

    factors: dict[int, float]
    zones: dict[int, float]

    @property
    def closed(self) -> list[int]:
        return sorted(road for road, factor in self.factors.items() if factor == CLOSED_FACTOR)


NO_CLOSURES = Closures({}, {})


@dataclass(frozen=True)
class Network:
    """What one version of the network and of the zones gives routing."""

    version: tuple[int | None, int | None]
    segments: int
    zone_roads: tuple[ZoneRoads, ...]
    stranded: tuple[int, ...]
    # the fastest posted speed (km/h) and the road classes there are: what bounds how far a
    # search can get in a time (hazard zones only ever slow roads down)
    posted_kmh: float | None = None
    classes: tuple[str, ...] = ()

    def max_speed_kmh(self, profile: Profile) -> float:
        """The fastest any of its roads is driven under ``profile``."""
        speeds = [profile.speeds_kmh.get(c, profile.default_speed_kmh) for c in self.classes]
        return max([*speeds, self.posted_kmh or 0.0]) or profile.max_speed_kmh

    def closures(self, profile: Profile, at: dt.datetime) -> Closures:
        factors: dict[int, float] = {}
        zones: dict[int, float] = {}
        for zone in self.zone_roads:
            effect = profile.effect(zone.hazard_type, zone.severity)
            if effect is None or not zone.in_force(at):
                continue
            zones[zone.zone_id] = effect
            for road in zone.road_ids:
                # the strongest effect wins: closed (0) over any slowing
                factors[road] = min(effect, factors.get(road, 1.0))
        return Closures(factors, zones)


_lock = threading.Lock()
_networks: dict[tuple[int, str], Network] = {}


def _severities(profile: Profile) -> list[str]:
    return sorted({s for effects in profile.hazard_effects.values() for s in effects})


def network_of(db: Database, profile: Profile) -> Network:
    """The network as of the last committed change (derived again when the zones' or the
    network's version moved)."""
    severities = _severities(profile)
    key = (id(db), ",".join(severities))
    with db.read_cursor() as cur:
        state = cur.execute(load_sql("routing/state.sql")).fetchone()
        assert state is not None  # one row, always
        version = (state["zones_version"], state["network_version"])
        known = _networks.get(key)
        if known is not None and known.version == version:
            return known
        rows = cur.execute(load_sql("routing/zone_roads.sql"), {"severities": severities})
        zone_roads = tuple(
            ZoneRoads(
                r["zone_id"],
                r["hazard_type"],
                r["severity"],
                r["valid_from"],
                r["valid_to"],
                tuple(r["road_ids"]),
            )
            for r in rows.fetchall()
        )
        stranded: tuple[int, ...] = ()
        posted, classes = None, ()
        if state["segments"]:
            row = cur.execute(load_sql("routing/stranded.sql")).fetchone()
            stranded = tuple(row["road_ids"]) if row else ()
            speeds = cur.execute(load_sql("routing/speeds.sql")).fetchone()
            if speeds:
                posted, classes = speeds["posted_kmh"], tuple(speeds["classes"] or ())
    network = Network(version, int(state["segments"]), zone_roads, stranded, posted, classes)
    with _lock:
        _networks[key] = network
    return network


def _number(value: float) -> sql.Composable:
    return sql.SQL(repr(float(value)))


def edges_query(
    profile: Profile,
    closures: Closures,
    *,
    reverse: bool = False,
    extent: tuple[float, float, float, float] | None = None,
) -> str:
    """The graph's query text (edges.sql filled in): costs in seconds; ``reverse``: the graph
    reversed (travel times towards a point); ``extent``: only the segments touching that lon/lat
    box."""

    def cost(blocked_way: int) -> sql.Composable:
        speed = sql.SQL("coalesce(r.maxspeed_kmh, s.kmh, {})").format(
            _number(profile.default_speed_kmh)
        )
        closed = sql.SQL(" OR h.factor = 0") if closures.factors else sql.SQL("")
        factor = sql.SQL(" * coalesce(h.factor, 1)") if closures.factors else sql.SQL("")
        return sql.SQL(
            "CASE WHEN r.one_way = {blocked}{closed} THEN -1 "
            "ELSE r.length_m * 3.6 / ({speed}{factor}) END"
        ).format(blocked=sql.SQL(str(blocked_way)), closed=closed, speed=speed, factor=factor)

    forward, backward = cost(-1), cost(1)
    speeds = sql.SQL(", ").join(
        sql.SQL("({}, {})").format(sql.Literal(name), _number(kmh))
        for name, kmh in sorted(profile.speeds_kmh.items())
    )
    hazards: sql.Composable = sql.SQL("")
    if closures.factors:
        ids = sorted(closures.factors)
        hazards = sql.SQL(
            "LEFT JOIN unnest('{{{ids}}}'::bigint[], '{{{factors}}}'::float8[]) "
            "AS h(id, factor) ON h.id = r.id"
        ).format(
            ids=sql.SQL(",".join(str(int(i)) for i in ids)),
            factors=sql.SQL(",".join(repr(float(closures.factors[i])) for i in ids)),
        )
    where: sql.Composable = sql.SQL("true")
    if extent is not None:
        where = sql.SQL("r.geom && ST_MakeEnvelope({}, {}, {}, {}, 4326)").format(
            *(_number(v) for v in extent)
        )
    text = sql.SQL(load_sql("routing/edges.sql")).format(
        cost=backward if reverse else forward,
        reverse_cost=forward if reverse else backward,
        speeds=speeds,
        hazards=hazards,
        extent=where,
    )
    return text.as_string(None)


def from_point_query(edges: str, edge: int, fraction: float) -> str:
    """``edges`` (a graph's query text) with a vertex -1 at ``fraction`` along segment ``edge``
    and two edges out of it, to the segment's ends (-1: towards its last vertex, -2: towards its
    first), each allowed where the segment may be driven that way: a search from -1 starts
    where the point lies. Cheaper than pgRouting's withPoints for searches from one point."""
    f = float(fraction)
    # only our own query text and numbers formatted here (int, float repr)
    return (
        f"WITH g AS ({edges}) "  # noqa: S608
        "SELECT g.id, g.source, g.target, g.cost, g.reverse_cost FROM g "
        "UNION ALL "
        f"SELECT -1, -1, g.target, CASE WHEN g.cost >= 0 THEN {1 - f!r} * g.cost ELSE -1 END, "
        f"-1 FROM g WHERE g.id = {int(edge)} "
        "UNION ALL "
        f"SELECT -2, -1, g.source, "
        f"CASE WHEN g.reverse_cost >= 0 THEN {f!r} * g.reverse_cost ELSE -1 END, "
        f"-1 FROM g WHERE g.id = {int(edge)}"
    )


def points_query(points: list[tuple[int, int, float]]) -> str:
    """The points' query text: (point id, segment id, fraction) each."""
    values = ", ".join(
        f"({int(pid)}, {int(edge)}::bigint, {float(fraction)!r}::float8)"
        for pid, edge, fraction in points
    )
    return f"SELECT * FROM (VALUES {values}) AS p(pid, edge_id, fraction)"  # noqa: S608 (numbers)


def literal(text: str) -> Any:
    """A query text as the literal pgRouting takes."""
    return sql.Literal(text)
