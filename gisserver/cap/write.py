"""Writing CAP 1.2: an alert of the ``alerts`` table as a CAP message, and the Atom feed of the
alerts in force linking their CAP documents.

Each version of an alert is one message: identifier ``urn:gisserver:alert:<id>:<version>``,
msgType Alert for version 1, Update for a later version, Cancel once the alert is resolved;
Update and Cancel reference every earlier version (``sender,identifier,sent``).

The area: a point is a ``circle`` ("lat,lon radius_km"); a polygon is a ``polygon`` per part
(its outer ring: CAP has no holes), "lat,lon" pairs, closed, simplified so that no point of
it is more than ``tolerance_m`` from the drawn outline (Hausdorff distance, measured in an
azimuthal equidistant projection centred on the part) with at most ``max_points`` points.
When the tolerance cannot keep a part within ``max_points``, the tolerance is doubled until it
does, and the tolerance used is stated in the info's ``parameter`` ``gisserver:toleranceMetres``.
Lines and other shapes are given as their convex hull.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import pyproj
import shapely
from lxml import etree
from shapely.geometry.base import BaseGeometry

from gisserver.cap.model import ATOM_NS, NS

IDENTIFIER = "urn:gisserver:alert:{id}:{version}"
CATEGORIES = (
    "Geo", "Met", "Safety", "Security", "Rescue", "Fire", "Health", "Env", "Transport",
    "Infra", "CBRNE", "Other",
)  # fmt: skip
# Decimal places of the degrees written: 6 is about 0.1 m, part of the tolerance's budget.
DECIMALS = 6
ROUNDING_M = 0.15
# The Hausdorff distance is measured with each segment cut in ten (GEOS's discrete Hausdorff
# measures from vertices only).
HAUSDORFF_DENSIFY = 0.1
_WGS84 = pyproj.CRS.from_epsg(4326)


@dataclass(frozen=True)
class Shape:
    """How an alert's geometry is written: a tolerance and a number of points."""

    tolerance_m: float = 10.0
    max_points: int = 100
    point_radius_km: float = 0.5

    def __post_init__(self) -> None:
        if self.tolerance_m <= ROUNDING_M:
            raise ValueError(f"tolerance_m {self.tolerance_m}: above {ROUNDING_M} m")
        if self.max_points < 4:
            raise ValueError(f"max_points {self.max_points}: at least 4")
        if self.point_radius_km < 0:
            raise ValueError(f"point_radius_km {self.point_radius_km}: 0 or more")


@dataclass(frozen=True)
class AlertVersion:
    """One alert as the ``alerts`` table keeps it, with the times of its earlier versions
    (version → when it was written) for ``references``."""

    id: int
    version: int
    status: str
    event: str
    category: str
    severity: str
    urgency: str
    certainty: str
    headline: str
    description: str | None
    instruction: str | None
    raised_at: dt.datetime
    updated_at: dt.datetime
    expires: dt.datetime | None
    resolved_at: dt.datetime | None
    resolution: str | None
    subject: str
    geometry: BaseGeometry
    earlier: dict[int, dt.datetime] = field(default_factory=dict)

    @property
    def msg_type(self) -> str:
        if self.status == "resolved":
            return "Cancel"
        return "Alert" if self.version == 1 else "Update"

    @property
    def sent(self) -> dt.datetime:
        return self.updated_at


def cap_time(moment: dt.datetime) -> str:
    """CAP's dateTime: seconds, an explicit offset (never "Z", never fractions)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def identifier(alert_id: int, version: int) -> str:
    return IDENTIFIER.format(id=alert_id, version=version)


def _sub(parent: etree._Element, name: str, text: str | None) -> etree._Element | None:
    if text is None:
        return None
    element = etree.SubElement(parent, f"{{{NS}}}{name}")
    element.text = text
    return element


def alert_document(alert: AlertVersion, *, sender: str, shape: Shape | None = None) -> bytes:
    """The CAP 1.2 message of this version of the alert."""
    shape = shape or Shape()
    root = etree.Element(f"{{{NS}}}alert", nsmap={None: NS})
    _sub(root, "identifier", identifier(alert.id, alert.version))
    _sub(root, "sender", sender)
    _sub(root, "sent", cap_time(alert.sent))
    _sub(root, "status", "Actual")
    _sub(root, "msgType", alert.msg_type)
    _sub(root, "scope", "Public")
    if alert.msg_type == "Cancel":
        _sub(root, "note", alert.resolution or "resolved")
    if alert.version > 1:
        earlier = [
            f"{sender},{identifier(alert.id, v)},{cap_time(alert.earlier[v])}"
            for v in sorted(alert.earlier)
            if v < alert.version
        ]
        _sub(root, "references", " ".join(earlier) or None)
    _sub(root, "incidents", alert.subject.replace(" ", "_"))
    info = etree.SubElement(root, f"{{{NS}}}info")
    _sub(info, "language", "en-US")
    _sub(info, "category", alert.category if alert.category in CATEGORIES else "Other")
    _sub(info, "event", alert.event)
    _sub(info, "urgency", "Past" if alert.msg_type == "Cancel" else alert.urgency.capitalize())
    _sub(info, "severity", alert.severity.capitalize())
    _sub(info, "certainty", alert.certainty.capitalize())
    _sub(info, "effective", cap_time(alert.sent))
    ends = alert.resolved_at if alert.msg_type == "Cancel" else alert.expires
    _sub(info, "expires", cap_time(ends) if ends else None)
    _sub(info, "headline", alert.headline)
    _sub(info, "description", alert.description)
    _sub(info, "instruction", alert.instruction)
    polygons, circles, used = area_shapes(alert.geometry, shape)
    if used is not None:
        parameter = etree.SubElement(info, f"{{{NS}}}parameter")
        _sub(parameter, "valueName", "gisserver:toleranceMetres")
        _sub(parameter, "value", f"{used:g}")
    area = etree.SubElement(info, f"{{{NS}}}area")
    _sub(area, "areaDesc", alert.subject)
    for ring in polygons:
        _sub(area, "polygon", " ".join(f"{lat},{lon}" for lat, lon in ring))
    for lat, lon, radius in circles:
        _sub(area, "circle", f"{lat},{lon} {radius:g}")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _local(centre: shapely.Point) -> tuple[pyproj.Transformer, pyproj.Transformer]:
    crs = pyproj.CRS.from_proj4(
        f"+proj=aeqd +lat_0={centre.y} +lon_0={centre.x} +datum=WGS84 +units=m"
    )
    there = pyproj.Transformer.from_crs(_WGS84, crs, always_xy=True)
    back = pyproj.Transformer.from_crs(crs, _WGS84, always_xy=True)
    return there, back


def simplified_ring(
    polygon: shapely.Polygon, shape: Shape
) -> tuple[list[tuple[float, float]], float]:
    """The polygon's outer ring as closed (lat, lon) pairs within the tolerance and the point
    limit, and the tolerance used (metres)."""
    there, back = _local(polygon.centroid)
    outline = shapely.transform(
        shapely.Polygon(polygon.exterior), there.transform, interleaved=False
    )
    tolerance = shape.tolerance_m
    while True:
        simple = _within(outline, tolerance)
        if simple is not None and len(simple.exterior.coords) <= shape.max_points:
            break
        if tolerance > 1e7:  # larger than the Earth: the convex hull is the last resort
            simple = shapely.Polygon(outline.convex_hull.exterior)
            break
        tolerance *= 2
    ring = shapely.transform(shapely.Polygon(simple.exterior), back.transform, interleaved=False)
    pairs = [(round(y, DECIMALS), round(x, DECIMALS)) for x, y in ring.exterior.coords]
    if pairs[0] != pairs[-1]:
        pairs.append(pairs[0])
    return pairs, tolerance


def _within(outline: shapely.Polygon, tolerance: float) -> shapely.Polygon | None:
    """The outline simplified so that its Hausdorff distance from the drawn one, measured (the
    simplifier alone does not promise it) plus the rounding of the degrees, is at most
    ``tolerance``; None when even the outline itself is not within it."""
    step = tolerance - ROUNDING_M
    for _ in range(12):
        simple = outline.simplify(step, preserve_topology=True)
        distance = shapely.hausdorff_distance(
            outline.exterior, simple.exterior, densify=HAUSDORFF_DENSIFY
        )
        if distance + ROUNDING_M <= tolerance:
            return simple
        step /= 2
    return None


def area_shapes(
    geometry: BaseGeometry, shape: Shape
) -> tuple[list[list[tuple[float, float]]], list[tuple[float, float, float]], float | None]:
    """(polygons, circles (lat, lon, km), the largest tolerance used or None) of a geometry."""
    polygons: list[list[tuple[float, float]]] = []
    circles: list[tuple[float, float, float]] = []
    used: float | None = None
    for part in _parts(geometry):
        if isinstance(part, shapely.Point):
            circles.append(
                (round(part.y, DECIMALS), round(part.x, DECIMALS), shape.point_radius_km)
            )
            continue
        ring, tolerance = simplified_ring(part, shape)
        polygons.append(ring)
        used = tolerance if used is None else max(used, tolerance)
    return polygons, circles, used


def _parts(geometry: BaseGeometry) -> list[shapely.Point | shapely.Polygon]:
    if isinstance(geometry, (shapely.Point, shapely.Polygon)):
        return [geometry]
    if isinstance(geometry, (shapely.MultiPoint, shapely.MultiPolygon)):
        return list(geometry.geoms)
    if isinstance(geometry, shapely.GeometryCollection):
        return [p for g in geometry.geoms for p in _parts(g)]
    hull = geometry.convex_hull  # a line: the area it spans
    return [hull] if isinstance(hull, (shapely.Point, shapely.Polygon)) else [hull.centroid]


def atom_feed(
    entries: Sequence[AlertVersion],
    *,
    sender: str,
    feed_url: str,
    cap_url: str,
    now: dt.datetime,
) -> bytes:
    """An Atom feed of the alerts, each entry linking its CAP document (``cap_url`` with
    ``{id}``)."""
    atom = f"{{{ATOM_NS}}}"
    feed = etree.Element(f"{atom}feed", nsmap={None: ATOM_NS})

    def add(parent: etree._Element, name: str, text: str | None = None, **attrs: str) -> None:
        element = etree.SubElement(parent, f"{atom}{name}", attrs)
        element.text = text

    add(feed, "id", f"urn:gisserver:alerts:{sender}")
    add(feed, "title", "gisserver alerts in force")
    newest = max((e.updated_at for e in entries), default=now)
    add(feed, "updated", cap_time(newest))
    author = etree.SubElement(feed, f"{atom}author")
    add(author, "name", sender)
    add(feed, "link", rel="self", href=feed_url, type="application/atom+xml")
    for alert in entries:
        entry = etree.SubElement(feed, f"{atom}entry")
        add(entry, "id", identifier(alert.id, alert.version))
        add(entry, "title", alert.headline)
        add(entry, "updated", cap_time(alert.updated_at))
        add(entry, "published", cap_time(alert.raised_at))
        add(entry, "summary", alert.description or alert.event)
        add(entry, "category", term=alert.status)
        add(
            entry,
            "link",
            rel="alternate",
            type="application/cap+xml",
            href=cap_url.format(id=alert.id),
        )
    return etree.tostring(feed, xml_declaration=True, encoding="UTF-8", pretty_print=True)
