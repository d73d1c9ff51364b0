"""How long a unit takes to reach a place: one function for every answer that gives an ETA
(a dispatch recommendation now; the road network's drive time when it lands, behind the same
name), so a better estimate changes every answer at once."""

from __future__ import annotations

from dataclasses import dataclass

STRAIGHT_LINE = "straight_line"


@dataclass(frozen=True)
class Travel:
    """An estimate of a trip: its distance in metres, its time in seconds and how it was
    estimated (``straight_line``: the geodesic distance at an assumed speed)."""

    distance_m: float
    eta_s: float
    method: str


def estimate(distance_m: float, *, speed_kmh: float) -> Travel:
    """The trip over ``distance_m`` metres of straight line at ``speed_kmh``."""
    return Travel(distance_m, distance_m / (speed_kmh / 3.6), STRAIGHT_LINE)
