"""CAP → hazard zones: what each ``info`` of a message becomes in the ``hazard_zones`` layer.

One zone per ``info``: its areas (polygons and circles) joined into one MultiPolygon, because
the hazard's attributes (event, severity, validity) belong to the info and every area of it
shares them; one zone then is one hazard, whatever number of areas the sender drew it with.
Infos in another language than the first info's are translations of it and make no zone.
Areas that carry only geocodes (FIPS, SAME, EMMA_ID) make no geometry: without polygons or
circles the info is skipped, and the outcome says so.

Geometry is returned in lon/lat order (CAP writes lat,lon) and not yet repaired: the code that
writes it to the layer conforms it with the ETL's rules (``gisserver.etl.geometry.conform``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

from gisserver.cap.model import CapInfo, CapMessage, Circle

# CAP severity → the layer's ordered severity (low < moderate < high < extreme).
SEVERITY = {
    "Extreme": "extreme",
    "Severe": "high",
    "Moderate": "moderate",
    "Minor": "low",
}
# CAP says Unknown: the zone is kept at moderate, neither dismissed nor raised to the top.
UNKNOWN_SEVERITY = "moderate"

# The first of these words found in the lower-cased ``event`` names the hazard type (order
# matters: "storm surge" before "storm", "coastal flood" before "flood").
EVENT_WORDS: tuple[tuple[str, str], ...] = (
    ("storm surge", "storm_surge"),
    ("coastal flood", "storm_surge"),
    ("tsunami", "tsunami"),
    ("flood", "flood"),
    ("high water", "flood"),
    ("landslide", "landslide"),
    ("mudslide", "landslide"),
    ("debris flow", "landslide"),
    ("fire", "fire"),
    ("red flag", "fire"),
    ("chemical", "chemical"),
    ("hazardous material", "chemical"),
    ("hazmat", "chemical"),
    ("gas leak", "chemical"),
    ("toxic", "chemical"),
    ("earthquake", "earthquake"),
    ("seismic", "earthquake"),
    ("heat", "heat"),
    ("hurricane", "wind"),
    ("tropical storm", "wind"),
    ("tornado", "wind"),
    ("wind", "wind"),
    ("gale", "wind"),
)
# Else the first category that names one; else "other".
CATEGORY_TYPES = {"Fire": "fire", "CBRNE": "chemical"}

# Segments per quarter circle of a circle's polygon (64 points around).
CIRCLE_QUAD_SEGS = 16
_WGS84 = pyproj.CRS.from_epsg(4326)


@dataclass(frozen=True)
class ZoneDraft:
    """One hazard zone a message's info makes: the layer's columns and the CAP attributes kept
    in ``properties``; ``geometry`` in lon/lat, as drawn (repair is the writer's)."""

    info: int
    hazard_type: str
    severity: str
    name: str
    description: str | None
    valid_from: dt.datetime
    valid_to: dt.datetime | None
    geometry: BaseGeometry
    properties: dict[str, Any]


def hazard_type(info: CapInfo) -> str:
    """The layer's hazard type from the info's event, then its categories (table above)."""
    event = info.event.lower()
    for word, kind in EVENT_WORDS:
        if word in event:
            return kind
    for category in info.categories:
        if category in CATEGORY_TYPES:
            return CATEGORY_TYPES[category]
    return "other"


def severity(cap_severity: str) -> str:
    return SEVERITY.get(cap_severity, UNKNOWN_SEVERITY)


def geodesic_circle(circle: Circle, *, quad_segs: int = CIRCLE_QUAD_SEGS) -> shapely.Polygon:
    """The circle as a lon/lat polygon whose vertices lie ``radius_km`` from the centre along
    the ellipsoid: buffered in an azimuthal equidistant projection centred on it (distances
    from the centre are true there)."""
    local = pyproj.CRS.from_proj4(
        f"+proj=aeqd +lat_0={circle.lat} +lon_0={circle.lon} +datum=WGS84 +units=m"
    )
    to_lonlat = pyproj.Transformer.from_crs(local, _WGS84, always_xy=True)
    disc = shapely.Point(0, 0).buffer(circle.radius_km * 1000, quad_segs=quad_segs)
    return shapely.transform(disc, to_lonlat.transform, interleaved=False)


def info_geometry(info: CapInfo) -> BaseGeometry | None:
    """The info's areas joined (lon/lat), or None when none has a polygon or circle."""
    parts: list[BaseGeometry] = []
    for area in info.areas:
        for ring in area.polygons:
            parts.append(shapely.Polygon([(lon, lat) for lat, lon in ring]))
        for circle in area.circles:
            parts.append(geodesic_circle(circle))
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    valid = [shapely.make_valid(p) if not p.is_valid else p for p in parts]
    return shapely.union_all(valid)


def live_infos(message: CapMessage) -> list[tuple[int, CapInfo]]:
    """The infos that describe the hazard: those in the first info's language (the others
    translate it), numbered from 1 in the message's order."""
    if not message.infos:
        return []
    language = message.infos[0].language.lower()
    return [
        (number, info)
        for number, info in enumerate(message.infos, start=1)
        if info.language.lower() == language
    ]


def zone_drafts(message: CapMessage) -> tuple[list[ZoneDraft], list[str]]:
    """The zones of a message and, for each info that makes none, why."""
    drafts, skipped = [], []
    for number, info in live_infos(message):
        geometry = info_geometry(info)
        if geometry is None:
            codes = sum(len(area.geocodes) for area in info.areas)
            skipped.append(
                f"info {number}: no polygon or circle"
                + (f" ({codes} geocodes, which are not resolved to areas)" if codes else "")
            )
            continue
        valid_from = info.onset or info.effective or message.sent
        drafts.append(
            ZoneDraft(
                info=number,
                hazard_type=hazard_type(info),
                severity=severity(info.severity),
                name=info.headline or info.event,
                description=info.description,
                valid_from=valid_from,
                valid_to=info.expires,
                geometry=geometry,
                properties=_properties(message, info, number),
            )
        )
    return drafts, skipped


def _properties(message: CapMessage, info: CapInfo, number: int) -> dict[str, Any]:
    kept: dict[str, Any] = {
        "cap_sender": message.sender,
        "cap_identifier": message.identifier,
        "cap_sent": message.sent.isoformat(),
        "cap_msg_type": message.msg_type,
        "cap_info": number,
        "cap_event": info.event,
        "cap_category": list(info.categories),
        "cap_urgency": info.urgency,
        "cap_severity": info.severity,
        "cap_certainty": info.certainty,
        "cap_areas": [area.desc for area in info.areas],
    }
    optional = {
        "cap_instruction": info.instruction,
        "cap_effective": info.effective.isoformat() if info.effective else None,
        "cap_sender_name": info.sender_name,
        "cap_web": info.web,
    }
    kept.update({k: v for k, v in optional.items() if v is not None})
    return kept
