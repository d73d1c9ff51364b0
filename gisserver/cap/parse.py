"""Reading CAP 1.2: one ``<alert>``, or an Atom feed whose entries embed one or link to a CAP
file beside the feed. Nothing is fetched over the network, no entity is expanded, no DTD is
accepted; the OASIS schema (``CAP-v1.2.xsd``) decides what is valid, then the geometry rules
that the schema leaves to the text (CAP 1.2 §3.3.2.2 ``polygon``, ``circle``)."""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import threading
from collections.abc import Callable
from importlib import resources
from pathlib import Path

from lxml import etree

from gisserver.cap.model import (
    ATOM_NS,
    NS,
    CapArea,
    CapInfo,
    CapInvalid,
    CapMalformed,
    CapMessage,
    Circle,
    Reference,
)

CAP = f"{{{NS}}}"
ATOM = f"{{{ATOM_NS}}}"
# A linked CAP file is looked up beside the feed by the last segment of its address.
_FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,200}$")
ACCEPTED = "a CAP 1.2 <alert> (urn:oasis:names:tc:emergency:cap:1.2) or an Atom feed of them"


def _parser() -> etree.XMLParser:
    # No entity is expanded, no DTD or external document is loaded, nothing from the network,
    # and libxml2's limits on depth and text size stay on (huge_tree off).
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
    )


# libxml2 builds a schema, and an XMLSchema keeps its error log, for one thread at a time: the
# web server's threads take turns (a validation takes well under a millisecond).
_SCHEMA_LOCK = threading.Lock()


@functools.cache
def _schema() -> etree.XMLSchema:
    text = resources.files("gisserver.cap").joinpath("CAP-v1.2.xsd").read_bytes()
    return etree.XMLSchema(etree.fromstring(text, _parser()))


def schema() -> etree.XMLSchema:
    """The OASIS CAP 1.2 schema shipped beside this module."""
    with _SCHEMA_LOCK:
        return _schema()


def _schema_problem(alert: etree._Element) -> str | None:
    """Why the schema refuses ``alert`` (the first error, with its line), or None."""
    with _SCHEMA_LOCK:
        validator = _schema()
        if validator.validate(alert):
            return None
        error = validator.error_log[0] if validator.error_log else None
        return f"line {error.line}: {error.message}" if error else "invalid"


def _document(data: bytes, what: str) -> etree._Element:
    if not data.strip():
        raise CapMalformed(what, "is empty", ACCEPTED)
    try:
        tree = etree.fromstring(data, _parser()).getroottree()
    except etree.XMLSyntaxError as exc:
        detail = f"line {exc.lineno}: {exc.msg}" if exc.lineno else str(exc)
        raise CapMalformed(what, f"is not well-formed XML ({detail})", ACCEPTED) from None
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise CapMalformed(what, "has a DOCTYPE (DTDs and entities are not accepted)", ACCEPTED)
    root: etree._Element = tree.getroot()
    return root


def parse(data: bytes, *, what: str = "body", beside: Path | None = None) -> list[CapMessage]:
    """The messages of ``data``: one for an ``<alert>``, one per entry of an Atom feed.

    ``beside`` is the folder of the feed file, where entries that link a CAP file find it;
    without it (a request body) only entries that embed their ``<alert>`` are read. Any
    problem rejects the whole document (CapMalformed, CapInvalid) naming where it is.
    """
    root = _document(data, what)
    if root.tag == f"{CAP}alert":
        return [_message(root, what)]
    if root.tag == f"{ATOM}feed":
        return _feed(root, what, beside)
    namespace = etree.QName(root).namespace
    if namespace and namespace.startswith("urn:oasis:names:tc:emergency:cap:"):
        raise CapInvalid(what, f"is CAP of namespace {namespace}", "CAP 1.2 only (" + NS + ")")
    raise CapMalformed(what, f"has the root element {root.tag!r}", ACCEPTED)


def root_kind(data: bytes) -> str | None:
    """ "alert" or "feed" when ``data`` starts like a CAP 1.2 alert or an Atom feed, else None
    (to tell CAP files from other XML without reading them twice in full)."""
    try:
        for _event, element in etree.iterparse(
            io.BytesIO(data), events=("start",), resolve_entities=False, no_network=True
        ):
            if element.tag == f"{CAP}alert":
                return "alert"
            if element.tag == f"{ATOM}feed":
                return "feed"
            return None
    except etree.XMLSyntaxError:
        return None
    return None


def _feed(root: etree._Element, what: str, beside: Path | None) -> list[CapMessage]:
    messages = []
    entries = root.findall(f"{ATOM}entry")
    if not entries:
        raise CapInvalid(what, "is an Atom feed without entries", "entries of CAP 1.2 alerts")
    for number, entry in enumerate(entries, start=1):
        where = f"{what} entry {number}"
        embedded = entry.find(f".//{CAP}alert")
        if embedded is not None:
            messages.append(_message(embedded, where))
            continue
        messages.append(_linked(entry, where, beside))
    return messages


def _linked(entry: etree._Element, where: str, beside: Path | None) -> CapMessage:
    links = [
        link.get("href", "")
        for link in entry.findall(f"{ATOM}link")
        if (link.get("type") or "").split(";")[0].strip() in ("application/cap+xml", "")
        and link.get("rel", "alternate") in ("alternate", "related", "enclosure")
    ]
    links = [href for href in links if href]
    if not links:
        raise CapInvalid(where, "neither embeds an <alert> nor links a CAP document", ACCEPTED)
    if beside is None:
        raise CapInvalid(
            where,
            f"links {links[0]!r}: linked documents are never fetched",
            "entries that embed their <alert> (or load the feed file with the CAP files "
            "beside it: gisserver etl load hazard_zones feed.atom)",
        )
    name = links[0].rstrip("/").rsplit("/", 1)[-1].split("?")[0].split("#")[0]
    path = beside / name
    if not _FILE_NAME.match(name) or not path.is_file():
        raise CapInvalid(
            where,
            f"links {links[0]!r} and there is no file {name!r} beside the feed",
            "the CAP file of each linked entry beside the feed file (nothing is downloaded)",
        )
    root = _document(path.read_bytes(), str(path))
    if root.tag != f"{CAP}alert":
        raise CapInvalid(str(path), f"has the root element {root.tag!r}", "a CAP 1.2 <alert>")
    return _message(root, f"{where} ({name})")


def _message(alert: etree._Element, where: str) -> CapMessage:
    """A validated ``<alert>`` element as a CapMessage."""
    if alert.getparent() is not None:  # embedded in a feed: validate a copy of its own
        alert = etree.fromstring(etree.tostring(alert), _parser())
    detail = _schema_problem(alert)
    if detail is not None:
        raise CapInvalid(
            where, f"is not valid CAP 1.2 ({detail})", "a message the OASIS CAP 1.2 schema accepts"
        )
    text = _texts(alert)
    sent = _time(text("sent"), where, "sent")
    assert sent is not None
    references = tuple(_reference(item, where) for item in (text("references") or "").split())
    infos = tuple(
        _info(info, f"{where} info {number}")
        for number, info in enumerate(alert.findall(f"{CAP}info"), start=1)
    )
    return CapMessage(
        identifier=text("identifier") or "",
        sender=text("sender") or "",
        sent=sent,
        status=text("status") or "",
        msg_type=text("msgType") or "",
        scope=text("scope") or "",
        references=references,
        note=text("note"),
        infos=infos,
        origin=where,
    )


def _texts(element: etree._Element) -> Callable[[str], str | None]:
    def text(name: str) -> str | None:
        child = element.find(f"{CAP}{name}")
        if child is None or child.text is None:
            return None
        value = child.text.strip()
        return value or None

    return text


def _time(value: str | None, where: str, name: str) -> dt.datetime | None:
    if value is None:
        return None
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        raise CapInvalid(
            f"{where} {name}",
            f"{value!r} is not a time",
            "CAP 1.2 dateTime (2026-12-03T14:00:00-05:00)",
        ) from None


def _reference(item: str, where: str) -> Reference:
    parts = item.split(",")
    if len(parts) != 3 or not all(parts):
        raise CapInvalid(
            f"{where} references",
            f"{item!r} is not sender,identifier,sent",
            "space-separated sender,identifier,sent triplets",
        )
    return Reference(*parts)


def _info(info: etree._Element, where: str) -> CapInfo:
    text = _texts(info)
    areas = tuple(
        _area(area, f"{where} area {number}")
        for number, area in enumerate(info.findall(f"{CAP}area"), start=1)
    )
    return CapInfo(
        language=text("language") or "en-US",
        categories=tuple((c.text or "").strip() for c in info.findall(f"{CAP}category")),
        event=text("event") or "",
        urgency=text("urgency") or "Unknown",
        severity=text("severity") or "Unknown",
        certainty=text("certainty") or "Unknown",
        effective=_time(text("effective"), where, "effective"),
        onset=_time(text("onset"), where, "onset"),
        expires=_time(text("expires"), where, "expires"),
        sender_name=text("senderName"),
        headline=text("headline"),
        description=text("description"),
        instruction=text("instruction"),
        web=text("web"),
        areas=areas,
    )


def _area(area: etree._Element, where: str) -> CapArea:
    polygons = tuple(
        polygon(p.text or "", f"{where} polygon {n}")
        for n, p in enumerate(area.findall(f"{CAP}polygon"), start=1)
    )
    circles = tuple(
        circle(c.text or "", f"{where} circle {n}")
        for n, c in enumerate(area.findall(f"{CAP}circle"), start=1)
    )
    geocodes = tuple(
        (_texts(g)("valueName") or "", _texts(g)("value") or "")
        for g in area.findall(f"{CAP}geocode")
    )
    return CapArea(
        desc=_texts(area)("areaDesc") or "",
        polygons=polygons,
        circles=circles,
        geocodes=geocodes,
    )


def _pair(text: str, where: str) -> tuple[float, float]:
    lat_text, comma, lon_text = text.partition(",")
    try:
        if not comma:
            raise ValueError
        lat, lon = float(lat_text), float(lon_text)
    except ValueError:
        raise CapInvalid(
            where,
            f"{text!r} is not a lat,lon pair",
            "WGS 84 'lat,lon' in decimal degrees, e.g. 42.37,-71.11",
        ) from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise CapInvalid(
            where,
            f"{text!r} is out of range",
            "latitude within ±90, longitude within ±180 (lat first)",
        )
    return lat, lon


def polygon(text: str, where: str) -> tuple[tuple[float, float], ...]:
    """A CAP polygon's (lat, lon) points: at least four, the first equal to the last."""
    points = tuple(_pair(pair, where) for pair in text.split())
    if len(points) < 4:
        raise CapInvalid(
            where,
            f"has {len(points)} points",
            "a closed ring of at least 4 'lat,lon' points, the first equal to the last",
        )
    if points[0] != points[-1]:
        raise CapInvalid(
            where,
            "is not closed (the first point differs from the last)",
            "a closed ring of at least 4 'lat,lon' points, the first equal to the last",
        )
    return points


def circle(text: str, where: str) -> Circle:
    """A CAP circle, ``lat,lon radius_km``; a zone needs a radius above 0."""
    parts = text.split()
    if len(parts) != 2:
        raise CapInvalid(
            where, f"{text!r} is not 'lat,lon radius'", "'lat,lon radius_km', e.g. 42.37,-71.11 2.5"
        )
    lat, lon = _pair(parts[0], where)
    try:
        radius = float(parts[1])
    except ValueError:
        raise CapInvalid(where, f"radius {parts[1]!r} is not a number", "kilometres") from None
    if not 0 < radius <= 5000:
        raise CapInvalid(where, f"radius {radius} km", "a radius above 0 and up to 5000 km")
    return Circle(lat, lon, radius)
