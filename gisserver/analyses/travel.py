"""How long a unit takes to reach a place: one function for every answer that gives an ETA
(dispatch recommendations; the drive-time nearest resources share its search), so a better
estimate changes every answer at once.

By road when the place is on the road network: the travel time of the fastest route avoiding
the hazard zones in force (``gisserver.routing``), the same search as ``nearest?by=drive_time``.
A unit the roads do not bring there (its street closed, or beyond the network) is not reached.
Where the place itself is not on the network (none loaded, or too far from any road), and for
replayed questions (the network keeps no history), the straight line at an assumed speed.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from gisserver.analyses.drive import Conditions
from gisserver.db import Database
from gisserver.errors import NotOnRoadNetwork
from gisserver.routing.search import Snap, paths, snap_or_refuse, travel_times
from gisserver.settings import Settings

STRAIGHT_LINE = "straight_line"
# How far the end of a trip by road may be from the place (see trips_to).
TARGET_SNAP_M = 50_000.0
DRIVE_TIME = "drive_time"


@dataclass(frozen=True)
class Travel:
    """An estimate of a trip: the geodesic distance in metres, the time in seconds (None: not
    reached by road), how it was estimated (``drive_time``, ``straight_line``), and by road its
    length and the roads taken."""

    distance_m: float
    eta_s: float | None
    method: str
    road_length_m: float | None = None
    roads: tuple[str, ...] = ()


def estimate(distance_m: float, *, speed_kmh: float) -> Travel:
    """The trip over ``distance_m`` metres of straight line at ``speed_kmh``."""
    return Travel(distance_m, distance_m / (speed_kmh / 3.6), STRAIGHT_LINE)


@dataclass(frozen=True)
class Trips:
    """The estimates of trips from many places to one, and why by that method."""

    travels: list[Travel]
    method: str
    note: str | None = None
    snaps: list[Snap | None] | None = None
    target: Snap | None = None  # where the trips end: the open road nearest to the place


def trips_to(
    db: Database,
    settings: Settings,
    target: tuple[float, float],
    places: list[tuple[float, float]],
    distances_m: list[float],
    *,
    replayed: bool = False,
) -> Trips:
    """Estimates of the trips from each place to ``target`` (lon, lat)."""
    straight = [estimate(d, speed_kmh=settings.dispatch_speed_kmh) for d in distances_m]
    if replayed:
        return Trips(straight, STRAIGHT_LINE, "replayed: the road network keeps no history")
    # The place may lie deep inside a closed hazard zone (the incident itself): the trip ends at
    # the nearest open road however far that is, and the answer says how far (target_snap_m).
    # The units themselves must be on the network (GISSERVER_ROUTE_MAX_SNAP_M of a road, as
    # every other point routed): one farther away is not reached by road.
    search = Conditions().search(db, settings)
    with db.read_cursor() as cur:
        try:
            origin = snap_or_refuse(
                cur, dataclasses.replace(search, max_snap_m=TARGET_SNAP_M), target, "incident"
            )
        except NotOnRoadNetwork as exc:
            return Trips(straight, STRAIGHT_LINE, str(exc))
        reaches = travel_times(cur, search, origin, places, towards=True)
    travels = [
        Travel(distance, reach.seconds, DRIVE_TIME)
        for distance, reach in zip(distances_m, reaches, strict=True)
    ]
    return Trips(travels, DRIVE_TIME, snaps=[r.snap for r in reaches], target=origin)


def with_roads(
    db: Database, settings: Settings, trips: Trips, chosen: list[int]
) -> dict[int, Travel]:
    """For the chosen trips by road: their road length and the roads taken (one search)."""
    if trips.method != DRIVE_TIME or not chosen or trips.snaps is None:
        return {}
    search = Conditions().search(db, settings)
    snaps = [trips.snaps[i] for i in chosen]
    origin = trips.target
    assert origin is not None
    with db.read_cursor() as cur:
        found = paths(cur, search, origin, [s for s in snaps if s is not None], towards=True)
    detailed: dict[int, Travel] = {}
    for index, path in zip(
        [i for i, s in zip(chosen, snaps, strict=True) if s], found, strict=True
    ):
        if path is None:
            continue
        base = trips.travels[index]
        detailed[index] = Travel(
            base.distance_m,
            base.eta_s,
            base.method,
            round(path.length_m, 1),
            tuple(dict.fromkeys(r["name"] for r in path.roads if r["name"])),
        )
    return detailed
