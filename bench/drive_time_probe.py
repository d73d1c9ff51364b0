"""Where the drive-time queries spend their time on a large network, and what a smaller graph
would save: the pgRouting statement of each query as the endpoint builds it (the whole network)
beside the same statement with the graph restricted to a box (``edges_query(extent=...)``, a
parameter gisserver.routing.network has and search.py does not use yet). Informational rows of
the ``drive_time`` scenario, on its city-size grid:

- route: the box around both snapped points, widened by half its span (at least ~1 km); the
  answers are compared with the whole network's (same travel time or not);
- isochrone: the box of radius (fastest speed of any segment of the network) x minutes around
  the point, outside which nothing is reached in time: the same answer by construction;
- drive-time nearest: the travel times searched only up to 1.5 x the k-th soonest (known here
  from the whole search; a server would widen a first guess until k are reached) over the box
  of that radius: the same k by construction.

Also the EXPLAIN ANALYZE split of one statement of each: pgRouting's function scan (reading
the graph's query, building the graph, searching it) against the rest of the statement.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from typing import Any, cast

import psycopg
from psycopg import sql

from bench.measure import Timing, round_robin, time_calls
from gisserver.analyses.drive import Conditions
from gisserver.db import Database
from gisserver.routing import search as routing
from gisserver.routing.network import edges_query
from gisserver.settings import Settings

METRES_PER_DEGREE = 111_320.0
Box = tuple[float, float, float, float]


@dataclasses.dataclass(frozen=True)
class BoxedSearch(routing.Search):
    """A search whose graph is only the segments touching ``extent``."""

    extent: Box | None = None

    def edges(self, *, reverse: bool = False, extent: Box | None = None) -> str:
        return edges_query(
            self.profile, self.closures, reverse=reverse, extent=extent or self.extent
        )


class _Last:
    """A cursor noting the last statement it ran, as text, and its parameters."""

    def __init__(self, cursor: psycopg.Cursor[Any]) -> None:
        self.cursor = cursor
        self.statement: tuple[str, Any] = ("", None)

    def execute(self, query: Any, params: Any = None) -> Any:
        text = query.as_string(self.cursor) if isinstance(query, sql.Composable) else str(query)
        self.statement = (text, params)
        return self.cursor.execute(query, params)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.cursor, name)


def _around(lon: float, lat: float, metres: float) -> Box:
    dlat = metres / METRES_PER_DEGREE
    dlon = dlat / math.cos(math.radians(lat))
    return (lon - dlon, lat - dlat, lon + dlon, lat + dlat)


def _point(text: str) -> tuple[float, float]:
    lon, lat = text.split(",")
    return float(lon), float(lat)


@dataclasses.dataclass
class Probe:
    """For one query kind: the pgRouting statement on the whole network and on a box."""

    kind: str
    whole: Timing
    boxed: Timing
    same: int
    compared: int
    split: str


def _split(cur: psycopg.Cursor[Any], statement: tuple[str, Any]) -> str:
    """EXPLAIN ANALYZE: the pgRouting function scans' time against the statement's."""
    row = cur.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + statement[0], statement[1]).fetchone()
    assert row is not None
    plan = next(iter(row.values()) if isinstance(row, dict) else iter(row))[0]
    scans: list[float] = []

    def walk(node: dict[str, Any]) -> None:
        if node.get("Node Type") == "Function Scan" and str(
            node.get("Function Name", "")
        ).startswith("pgr_"):
            scans.append(float(node["Actual Total Time"]) * float(node.get("Actual Loops", 1)))
        for child in node.get("Plans", []):
            walk(child)

    walk(plan["Plan"])
    total = float(plan["Execution Time"])
    return f"pgRouting's function scan {sum(scans):.0f} ms of {total:.0f} ms (EXPLAIN ANALYZE)"


def probe(
    database_url: str,
    kind: str,
    requests: list[dict[str, str]],
    places: list[tuple[float, float]],
    *,
    k: int,
    seconds: int,
) -> Probe:
    """The pgRouting statement of ``kind`` for each request, whole network and boxed, timed
    in turn (``seconds`` each)."""
    db = Database(database_url, min_size=1, max_size=1)
    try:
        whole_search = Conditions(avoid_hazards=False).search(db, Settings())
        pairs: list[tuple[tuple[str, Any], tuple[str, Any]]] = []
        same = 0
        with db.read_cursor() as cur:
            fastest = cur.execute(
                "SELECT max(coalesce(r.maxspeed_kmh, s.kmh, %s)) AS kmh FROM roads AS r"
                " LEFT JOIN unnest(%s::text[], %s::float8[]) AS s(road_class, kmh)"
                " USING (road_class)",
                (
                    whole_search.profile.default_speed_kmh,
                    list(whole_search.profile.speeds_kmh),
                    list(whole_search.profile.speeds_kmh.values()),
                ),
            ).fetchone()
            kmh = float(fastest["kmh"]) if fastest else whole_search.profile.max_speed_kmh
            last = _Last(cur)
            recorder = cast(psycopg.Cursor[Any], last)
            for params in requests:
                if kind == "route":
                    a, b = _point(params["from"]), _point(params["to"])
                    start = routing.snap_one(cur, whole_search, a)
                    end = routing.snap_one(cur, whole_search, b)
                    assert start is not None and end is not None
                    found = routing.paths(recorder, whole_search, start, [end])[0]
                    whole = last.statement
                    margin = max(0.5 * max(abs(a[0] - b[0]), abs(a[1] - b[1])), 0.01)
                    extent = (
                        min(a[0], b[0]) - margin,
                        min(a[1], b[1]) - margin,
                        max(a[0], b[0]) + margin,
                        max(a[1], b[1]) + margin,
                    )
                    boxed = dataclasses.replace(_boxed(whole_search), extent=extent)
                    again = routing.paths(recorder, boxed, start, [end])[0]
                    same += (found is None and again is None) or (
                        found is not None
                        and again is not None
                        and math.isclose(found.travel_time_s, again.travel_time_s, rel_tol=1e-9)
                    )
                    pairs.append((whole, last.statement))
                    continue
                origin = routing.snap_one(
                    cur, whole_search, (float(params["lon"]), float(params["lat"]))
                )
                assert origin is not None
                if kind == "isochrone":
                    limit = float(params["minutes"]) * 60.0
                    routing.isochrones(recorder, whole_search, origin, [limit])
                    whole = last.statement
                    extent = _around(origin.lon, origin.lat, kmh / 3.6 * limit)
                    boxed = dataclasses.replace(_boxed(whole_search), extent=extent)
                    routing.isochrones(recorder, boxed, origin, [limit])
                    pairs.append((whole, last.statement))
                    same += 1  # nothing outside the box is reached in time
                    continue
                reaches = routing.travel_times(recorder, whole_search, origin, places)
                whole = last.statement
                times = sorted(r.seconds for r in reaches if r.seconds is not None)
                limit = 1.5 * times[min(k, len(times)) - 1]
                extent = _around(origin.lon, origin.lat, kmh / 3.6 * limit)
                boxed = dataclasses.replace(_boxed(whole_search), extent=extent)
                routing.travel_times(recorder, boxed, origin, places)
                text, values = last.statement
                pairs.append((whole, (text, {**values, "max_seconds": limit})))
                rows = cur.execute(text, {**values, "max_seconds": limit}).fetchall()
                bounded = sorted(r["seconds"] for r in rows if r["seconds"] is not None)
                same += bounded[:k] == times[:k]
            split = _split(cur, pairs[0][0])
    finally:
        db.close()
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("SET jit = off")

        def run(statement: tuple[str, Any]) -> None:
            conn.execute(statement[0], statement[1]).fetchall()

        def timed(which: int) -> Callable[[int, bool], Timing]:
            chosen = [pair[which] for pair in pairs]
            return lambda share, first: time_calls(
                run, chosen, calls=1_000_000, warmup=2 if first else 0, max_seconds=share
            )

        rounds = round_robin({"whole": timed(0), "boxed": timed(1)}, seconds=seconds)
    merged = []
    for name in ("whole", "boxed"):
        timings = rounds[name]
        if isinstance(timings, RuntimeError):
            raise timings
        merged.append(Timing.merge(timings))
    whole_t, boxed_t = merged
    return Probe(kind, whole_t, boxed_t, same, len(pairs), split)


def _boxed(search: routing.Search) -> BoxedSearch:
    return BoxedSearch(search.network, search.profile, search.closures, search.max_snap_m)
