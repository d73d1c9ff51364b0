"""What a CAP 1.2 message says, as typed values, and the errors of reading one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gisserver.errors import InvalidParameter, InvalidValue

NS = "urn:oasis:names:tc:emergency:cap:1.2"
ATOM_NS = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/cap+xml"
# Statuses that never make live hazard zones (CAP 1.2 §3.2.1 status).
NOT_LIVE = ("Test", "Exercise", "Draft", "System")
# Message types that carry no hazard of their own.
NO_HAZARD = ("Ack", "Error")


class CapMalformed(InvalidParameter):
    """The document is not well-formed XML, or not XML we read at all (HTTP 400)."""


class CapInvalid(InvalidValue):
    """A well-formed document that is not a valid CAP 1.2 message: the schema refuses it, or a
    polygon or circle cannot be a zone (HTTP 422). The message names what and where."""


@dataclass(frozen=True)
class Circle:
    lat: float
    lon: float
    radius_km: float


@dataclass(frozen=True)
class CapArea:
    """One ``area``: polygons are rings of (lat, lon) pairs, as CAP writes them, closed."""

    desc: str
    polygons: tuple[tuple[tuple[float, float], ...], ...] = ()
    circles: tuple[Circle, ...] = ()
    geocodes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class CapInfo:
    language: str
    categories: tuple[str, ...]
    event: str
    urgency: str
    severity: str
    certainty: str
    effective: dt.datetime | None = None
    onset: dt.datetime | None = None
    expires: dt.datetime | None = None
    sender_name: str | None = None
    headline: str | None = None
    description: str | None = None
    instruction: str | None = None
    web: str | None = None
    areas: tuple[CapArea, ...] = ()


@dataclass(frozen=True)
class Reference:
    """One entry of ``references``: ``sender,identifier,sent``."""

    sender: str
    identifier: str
    sent: str

    @property
    def key(self) -> str:
        return message_key(self.sender, self.identifier)


def message_key(sender: str, identifier: str) -> str:
    """How a message is named among the zones it made: ``sender,identifier``."""
    return f"{sender},{identifier}"


@dataclass(frozen=True)
class CapMessage:
    identifier: str
    sender: str
    sent: dt.datetime
    status: str
    msg_type: str
    scope: str
    references: tuple[Reference, ...] = ()
    note: str | None = None
    infos: tuple[CapInfo, ...] = ()
    # where it was read from: a file, or "entry 2 of feed.atom"
    origin: str = ""

    @property
    def key(self) -> str:
        return message_key(self.sender, self.identifier)

    @property
    def live(self) -> bool:
        """Whether it may change the live hazard zones (Actual, and not an Ack or Error)."""
        return self.status not in NOT_LIVE and self.msg_type not in NO_HAZARD
