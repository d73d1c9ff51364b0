"""CAP 1.2 (OASIS Common Alerting Protocol) documents: reading them (``parse``), what they
become in the hazard zones layer (``zone_drafts``), and writing the alerts as CAP
(``alert_document``, ``atom_feed``). Pure: lxml, shapely and pyproj, no database and no web
framework; the ETL applies the messages to the database (``gisserver.etl.cap_messages``).
"""

from gisserver.cap.model import (
    MEDIA_TYPE,
    CapArea,
    CapInfo,
    CapInvalid,
    CapMalformed,
    CapMessage,
    Circle,
    Reference,
    message_key,
)
from gisserver.cap.parse import parse, root_kind, schema
from gisserver.cap.write import AlertVersion, Shape, alert_document, atom_feed, identifier
from gisserver.cap.zones import ZoneDraft, zone_drafts

__all__ = [
    "MEDIA_TYPE",
    "AlertVersion",
    "CapArea",
    "CapInfo",
    "CapInvalid",
    "CapMalformed",
    "CapMessage",
    "Circle",
    "Reference",
    "Shape",
    "ZoneDraft",
    "alert_document",
    "atom_feed",
    "identifier",
    "message_key",
    "parse",
    "root_kind",
    "schema",
    "zone_drafts",
]
