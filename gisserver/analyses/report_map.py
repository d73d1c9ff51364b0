"""The after-action report's map: an SVG drawn on the server from the report's geometries (the
incident, the hazard zones involved, the units' tracks, the shelters used), with a scale bar,
a north arrow and a legend. No tiles: the command centre may be offline, and it must print.

The map is an azimuthal equidistant projection centred on the incident (pyproj ``aeqd``):
metric, true to scale around the incident, north up, so the scale bar holds across a city.
Every text is escaped; the SVG carries no script.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from html import escape
from typing import Any

import shapely
from pyproj import Transformer
from shapely.geometry import shape

WIDTH, HEIGHT = 800, 560
MARGIN = 24
LEGEND_W = 190
MIN_SPAN_M = 600.0
TRACK_COLOURS = ("#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f")
ZONE_FILL = {"low": "#fff3b0", "moderate": "#ffd166", "high": "#f4845f", "extreme": "#c1121f"}


def _nice(length_m: float) -> float:
    """The largest 1, 2 or 5 × 10^n metres not above ``length_m``."""
    power = 10 ** math.floor(math.log10(length_m))
    return max(step * power for step in (1, 2, 5) if step * power <= length_m)


def _distance_text(metres: float) -> str:
    return f"{metres / 1000:g} km" if metres >= 1000 else f"{metres:g} m"


class _Frame:
    """Projected metres -> SVG pixels."""

    def __init__(self, geometries: list[shapely.Geometry]) -> None:
        minx, miny, maxx, maxy = shapely.GeometryCollection(geometries).bounds
        span = max(maxx - minx, maxy - miny, MIN_SPAN_M) * 1.15
        cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
        self.map_w = WIDTH - LEGEND_W - 2 * MARGIN
        self.map_h = HEIGHT - 2 * MARGIN
        self.scale = min(self.map_w, self.map_h) / span  # pixels per metre
        self.cx, self.cy = cx, cy

    def xy(self, x: float, y: float) -> tuple[float, float]:
        return (
            MARGIN + self.map_w / 2 + (x - self.cx) * self.scale,
            MARGIN + self.map_h / 2 - (y - self.cy) * self.scale,
        )

    def path(self, coordinates: Iterable[tuple[float, ...]], close: bool) -> str:
        points = [self.xy(c[0], c[1]) for c in coordinates]
        text = " ".join(
            f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(points)
        )
        return text + (" Z" if close else "")


def _paths(frame: _Frame, geometry: shapely.Geometry) -> str:
    parts = []
    for part in shapely.get_parts(geometry):
        if isinstance(part, shapely.Polygon):
            parts.append(frame.path(part.exterior.coords, True))
            parts.extend(frame.path(ring.coords, True) for ring in part.interiors)
        elif isinstance(part, shapely.LineString):
            parts.append(frame.path(part.coords, False))
    return " ".join(parts)


def render(report: dict[str, Any]) -> str:
    """The report's map as an SVG element (text)."""
    incident = shape(report["incident"]["geometry"])
    centre = incident.centroid
    to_metres = Transformer.from_crs(
        "EPSG:4326",
        f"+proj=aeqd +lat_0={centre.y} +lon_0={centre.x} +datum=WGS84 +units=m",
        always_xy=True,
    )

    def project(geojson: dict[str, Any]) -> shapely.Geometry:
        return shapely.transform(
            shape(geojson), lambda xy: _stack(to_metres.transform(xy[:, 0], xy[:, 1]))
        )

    place = project(report["incident"]["geometry"])
    zones = [(z, project(z["geometry"])) for z in report["hazard_zones"]]
    tracks = [(t, project(t["geometry"])) for t in report["tracks"]]
    shelters = [(s, project(s["geometry"])) for s in report["shelters_used"]]
    # Frame the incident, the tracks and the shelters; a zone may be a whole district.
    framed = [place] + [g for _, g in tracks] + [g for _, g in shelters]
    frame = _Frame(framed)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" class="report-map" '
        f'aria-label="Map of incident {escape(str(report["incident"]["id"]))}">',
        f'<clipPath id="map-area"><rect x="{MARGIN}" y="{MARGIN}" width="{frame.map_w}" '
        f'height="{frame.map_h}"/></clipPath>',
        f'<rect x="{MARGIN}" y="{MARGIN}" width="{frame.map_w}" height="{frame.map_h}" '
        'fill="#f8f9fa" stroke="#333" stroke-width="1"/>',
        '<g clip-path="url(#map-area)">',
    ]
    for zone, geometry in zones:
        colour = ZONE_FILL.get(str(zone["severity"]), "#ffd166")
        out.append(
            f'<path class="zone" d="{_paths(frame, geometry)}" fill="{colour}" '
            'fill-opacity="0.45" fill-rule="evenodd" stroke="#b5651d" stroke-width="1.5">'
            f"<title>{escape(str(zone['name'] or zone['hazard_type']))}</title></path>"
        )
    for i, (track, geometry) in enumerate(tracks):
        colour = TRACK_COLOURS[i % len(TRACK_COLOURS)]
        out.append(
            f'<path class="track" d="{_paths(frame, geometry)}" fill="none" stroke="{colour}" '
            'stroke-width="2.5" stroke-linejoin="round">'
            f"<title>{escape(str(track['unit_name']))}</title></path>"
        )
    for shelter, geometry in shelters:
        x, y = frame.xy(geometry.x, geometry.y)
        out.append(
            f'<rect class="shelter" x="{x - 6:.1f}" y="{y - 6:.1f}" width="12" height="12" '
            'fill="#0a9396" stroke="#fff" stroke-width="1.5">'
            f"<title>{escape(str(shelter['name']))}</title></rect>"
        )
    if isinstance(place, shapely.Point):
        x, y = frame.xy(place.x, place.y)
        out.append(
            f'<circle class="incident" cx="{x:.1f}" cy="{y:.1f}" r="8" fill="#d62828" '
            'stroke="#fff" stroke-width="2"/>'
        )
    else:
        out.append(
            f'<path class="incident" d="{_paths(frame, place)}" fill="#d62828" '
            'fill-opacity="0.3" fill-rule="evenodd" stroke="#d62828" stroke-width="2.5"/>'
        )
    out.append("</g>")
    out.extend(_scale_bar(frame))
    out.extend(_north_arrow())
    out.extend(_legend(report, tracks))
    out.append("</svg>")
    return "\n".join(out)


def _stack(xy: tuple[Any, Any]) -> Any:
    import numpy as np

    return np.column_stack(xy)


def _scale_bar(frame: _Frame) -> list[str]:
    metres = _nice(frame.map_w / 4 / frame.scale)
    pixels = metres * frame.scale
    x0, y0 = MARGIN + 12, HEIGHT - MARGIN - 14
    return [
        f'<g class="scale-bar"><rect x="{x0 - 6}" y="{y0 - 20}" width="{pixels + 12:.1f}" '
        'height="30" fill="#fff" fill-opacity="0.8"/>',
        f'<path d="M{x0},{y0 - 6} L{x0},{y0} L{x0 + pixels:.1f},{y0} L{x0 + pixels:.1f},'
        f'{y0 - 6}" fill="none" stroke="#000" stroke-width="2"/>',
        f'<text x="{x0 + pixels / 2:.1f}" y="{y0 - 8}" text-anchor="middle" font-size="12" '
        f'font-family="sans-serif">{_distance_text(metres)}</text></g>',
    ]


def _north_arrow() -> list[str]:
    x, y = WIDTH - LEGEND_W - MARGIN - 24, MARGIN + 16
    return [
        f'<g class="north-arrow"><path d="M{x},{y} L{x - 9},{y + 26} L{x},{y + 20} '
        f'L{x + 9},{y + 26} Z" fill="#000"/>',
        f'<text x="{x}" y="{y + 42}" text-anchor="middle" font-size="14" font-weight="bold" '
        'font-family="sans-serif">N</text></g>',
    ]


def _legend(report: dict[str, Any], tracks: list[tuple[dict[str, Any], Any]]) -> list[str]:
    x = WIDTH - LEGEND_W - MARGIN + 16
    y = MARGIN + 10
    lines = ['<g class="legend" font-family="sans-serif" font-size="12">']
    lines.append(f'<text x="{x}" y="{y}" font-weight="bold">Legend</text>')
    entries: list[tuple[str, str]] = [
        ('<circle cx="{cx}" cy="{cy}" r="6" fill="#d62828"/>', "Incident"),
    ]
    if report["hazard_zones"]:
        entries.append(
            (
                '<rect x="{x0}" y="{y0}" width="14" height="10" fill="#f4845f" '
                'fill-opacity="0.45" stroke="#b5651d"/>',
                "Hazard zone",
            )
        )
    if report["shelters_used"]:
        entries.append(
            ('<rect x="{x0}" y="{y0}" width="12" height="12" fill="#0a9396"/>', "Shelter used")
        )
    for i, (track, _) in enumerate(tracks):
        colour = TRACK_COLOURS[i % len(TRACK_COLOURS)]
        entries.append(
            (
                f'<path d="M{{x0}},{{cy}} L{{x1}},{{cy}}" stroke="{colour}" stroke-width="3"/>',
                f"Track: {track['unit_name']}",
            )
        )
    for i, (symbol, label) in enumerate(entries):
        row = y + 22 + i * 20
        lines.append(
            symbol.format(cx=x + 7, cy=row - 4, x0=x, y0=row - 10, x1=x + 14)
            + f'<text x="{x + 22}" y="{row}">{escape(label)}</text>'
        )
    lines.append("</g>")
    return lines
