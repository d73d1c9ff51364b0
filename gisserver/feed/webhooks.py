"""Webhook subscriptions (migration 0008's ``subscriptions`` and ``deliveries``): made, listed,
resumed and deleted by an admin (``/api/subscriptions``), delivered by the worker
(``gisserver.feed.delivery``). No HTTP here.

A subscription names a URL, the events it wants (``types``, ``layers``, ``bbox``: the feed's
``EventFilter``) and the secret its deliveries are signed with (HMAC-SHA256, ``signature``). Its
cursor starts at the newest event when it is made: it gets what happens from then on.

**The server never calls a URL a client chose unless an admin allowed it**: a URL is http or
https without user or password, and the address it leads to must be public (not loopback,
private, link-local, multicast, reserved nor unspecified) unless it is in the setting
``webhook_allowed_networks``. A literal address is checked when the subscription is made; every
address is checked again when a delivery resolves the host (``destination_addresses``), and the
delivery connects to the address that was checked.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import math
import secrets
import socket
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import SplitResult, urlsplit

from gisserver.errors import ConfigError, InvalidParameter, InvalidValue, NotFound
from gisserver.feed.events import TYPES, EventFilter, last_event_id, utc_text

if TYPE_CHECKING:
    import psycopg
    from psycopg.sql import Composed

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

FIELDS = ("url", "secret", "types", "layers", "bbox")
# What a subscription gets unless it names its types: the positions (AVL batches, many a second)
# only when asked for.
DEFAULT_TYPES = ("feature", "alert")
SCHEMES = ("http", "https")
MAX_URL = 2000
MIN_SECRET, MAX_SECRET = 16, 200
STATUSES = ("active", "suspended", "deleted")
MAX_DELIVERIES_PAGE = 1000
MAX_ID = 2**63 - 1
DELIVERIES_PAGE = 100
SIGNATURE_HEADER = "X-Gisserver-Signature"
URL_ACCEPTED = (
    "an http or https URL without user or password, of a host at a public address (or one "
    "the setting GISSERVER_WEBHOOK_ALLOWED_NETWORKS allows)"
)
# Host names that are the machine itself whatever DNS says (RFC 6761).
_LOCAL_NAMES = ("localhost", "localhost.localdomain")

# What an admin sees of a subscription: every column but the secret (the read role cannot read
# it either: migration 0008's grants).
_SHOWN = (
    "id",
    "url",
    "types",
    "layers",
    "bbox",
    "status",
    "cursor",
    "failing_since",
    "next_attempt_at",
    "attempts",
    "created_by",
    "created_at",
    "updated_at",
)


def _statement(text: str) -> Composed:
    """``text`` with ``{columns}``: the columns an admin sees."""
    from psycopg import sql

    return sql.SQL(text).format(columns=sql.SQL(", ").join(map(sql.Identifier, _SHOWN)))


def signature(secret: str, body: bytes) -> str:
    """The ``X-Gisserver-Signature`` of ``body``: ``sha256=`` and the hex HMAC-SHA256 of the
    raw body with the subscription's secret."""
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


# ---------------------------------------------------------------------------------------------
# Where a delivery may go


def allowed_networks(text: str) -> tuple[IPNetwork, ...]:
    """The setting ``webhook_allowed_networks``: comma-separated CIDRs or addresses."""
    networks: list[IPNetwork] = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError as exc:
            raise ConfigError(
                f"GISSERVER_WEBHOOK_ALLOWED_NETWORKS: {part!r} is not an address or network; "
                "accepted: comma-separated CIDRs or addresses (10.20.0.0/16, 127.0.0.1, ::1)"
            ) from exc
    return tuple(networks)


def refusal(address: IPAddress, allowed: Iterable[IPNetwork] = ()) -> str | None:
    """Why a delivery may not go to ``address`` (None: it may): not a public address, and not
    in ``allowed``."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    if any(address in network for network in allowed):
        return None
    for kind in ("loopback", "link_local", "multicast", "unspecified", "reserved", "private"):
        if getattr(address, f"is_{kind}"):
            return f"{address} is a {kind.replace('_', '-')} address"
    if not address.is_global:
        return f"{address} is not a public address"
    return None


def destination_addresses(
    host: str, port: int, allowed: Iterable[IPNetwork] = ()
) -> list[IPAddress]:
    """The addresses ``host`` resolves to now that a delivery may connect to, in the
    resolver's order; OSError (with the reason) when there is none."""
    networks = tuple(allowed)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise OSError(f"cannot resolve {host}: {exc.strerror or exc}") from exc
    addresses: list[IPAddress] = []
    refused: list[str] = []
    for *_, sockaddr in infos:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        why = refusal(address, networks)
        if why is not None:
            refused.append(why)
        elif address not in addresses:
            addresses.append(address)
    if not addresses:
        raise OSError(
            f"refused: {host} resolves to {'; '.join(dict.fromkeys(refused)) or 'nothing'} "
            "(only public addresses, or those of GISSERVER_WEBHOOK_ALLOWED_NETWORKS)"
        )
    return addresses


def parse_url(text: Any, allowed: Iterable[IPNetwork] = ()) -> SplitResult:
    """A subscription's URL, checked as far as it can be without resolving its host."""
    if not isinstance(text, str) or not text.strip():
        raise InvalidValue("url", "is missing or not a string", URL_ACCEPTED)
    if len(text) > MAX_URL or not text.isascii() or any(c.isspace() or ord(c) < 32 for c in text):
        raise InvalidValue(
            "url",
            "is too long, or holds spaces or characters that are not ASCII",
            f"{URL_ACCEPTED}, at most {MAX_URL} ASCII characters (a name in punycode, a path "
            "%-encoded)",
        )
    parts = urlsplit(text)
    if parts.scheme.lower() not in SCHEMES:
        raise InvalidValue(
            "url", f"the scheme {parts.scheme or '(none)'!r} is refused", URL_ACCEPTED
        )
    if parts.username is not None or parts.password is not None:
        raise InvalidValue("url", "holds a user or password", URL_ACCEPTED)
    if parts.fragment:
        raise InvalidValue("url", "holds a #fragment", URL_ACCEPTED)
    try:
        parts.port  # noqa: B018  (raises on a port out of range)
    except ValueError as exc:
        raise InvalidValue("url", "has a port that is not 1-65535", URL_ACCEPTED) from exc
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise InvalidValue("url", "has no host", URL_ACCEPTED)
    if host.lower() in _LOCAL_NAMES or host.lower().endswith(".localhost"):
        host = "127.0.0.1"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return parts  # a name: checked at each delivery, when it is resolved
    why = refusal(address, tuple(allowed))
    if why is not None:
        raise InvalidValue("url", f"refused: {why}", URL_ACCEPTED)
    return parts


# ---------------------------------------------------------------------------------------------
# Subscriptions


@dataclass(frozen=True)
class NewSubscription:
    """A subscription as an admin asks for it (``POST /api/subscriptions``); ``generated``:
    the secret was made by the server (so it is shown once, in the answer)."""

    url: str
    secret: str
    types: tuple[str, ...] | None
    layers: tuple[str, ...] | None
    bbox: tuple[float, float, float, float] | None
    generated: bool

    @classmethod
    def from_json(
        cls, body: Mapping[str, Any], *, layer_ids: Iterable[str], allowed: Iterable[IPNetwork]
    ) -> NewSubscription:
        """Checked field by field; an InvalidValue (422) names the field and what it accepts."""
        unknown = sorted(set(body) - set(FIELDS))
        if unknown:
            raise InvalidValue(unknown[0], "is not a field of a subscription", ", ".join(FIELDS))
        url = parse_url(body.get("url"), allowed).geturl()
        secret, generated = body.get("secret"), False
        if secret is None:
            secret, generated = secrets.token_urlsafe(32), True
        elif (
            not isinstance(secret, str)
            or not MIN_SECRET <= len(secret) <= MAX_SECRET
            or not secret.isprintable()
        ):
            raise InvalidValue(
                "secret",
                "is not a string of printable characters of the accepted length",
                f"{MIN_SECRET} to {MAX_SECRET} printable characters, or none (then the server "
                "makes one and answers it once)",
            )
        types = _names(body.get("types"), "types", TYPES)
        layers = _names(body.get("layers"), "layers", tuple(layer_ids))
        return cls(url, secret, types, layers, _bbox(body.get("bbox")), generated)


def _names(value: Any, field: str, accepted: tuple[str, ...]) -> tuple[str, ...] | None:
    text = f"a non-empty list of {', '.join(accepted)}, or null for the default"
    if value is None:
        return None
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise InvalidValue(field, "is not a non-empty list of names", text)
    unknown = [v for v in value if v not in accepted]
    if unknown:
        raise InvalidValue(field, f"{', '.join(map(repr, unknown))} not known", text)
    return tuple(dict.fromkeys(value))


def _bbox(value: Any) -> tuple[float, float, float, float] | None:
    accepted = "null, or [minLon, minLat, maxLon, maxLat] in degrees (CRS84), min below max"
    if value is None:
        return None
    if (
        not isinstance(value, list)
        or len(value) != 4
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        or not all(math.isfinite(v) for v in value)
    ):
        raise InvalidValue("bbox", "is not a list of four numbers", accepted)
    x0, y0, x1, y1 = (float(v) for v in value)
    if not (-180 <= x0 <= x1 <= 180 and -90 <= y0 <= y1 <= 90):
        raise InvalidValue("bbox", f"{value!r} is not a box on the globe", accepted)
    return (x0, y0, x1, y1)


def event_filter(row: Mapping[str, Any]) -> EventFilter:
    """The EventFilter of a subscription's row."""
    bbox = row.get("bbox")
    return EventFilter(
        frozenset(row["types"]) if row.get("types") is not None else None,
        frozenset(row["layers"]) if row.get("layers") is not None else None,
        (bbox[0], bbox[1], bbox[2], bbox[3]) if bbox is not None else None,
    )


def _time(value: dt.datetime | None) -> str | None:
    return None if value is None else utc_text(value)


def subscription_document(row: Mapping[str, Any], base: str = "") -> dict[str, Any]:
    """A subscription as the API shows it: never its secret."""
    path = f"{base}/api/subscriptions/{row['id']}"
    return {
        "id": row["id"],
        "url": row["url"],
        "types": row["types"],
        "layers": row["layers"],
        "bbox": row["bbox"],
        "status": row["status"],
        "cursor": row["cursor"],
        "failingSince": _time(row["failing_since"]),
        "nextAttemptAt": _time(row["next_attempt_at"]),
        "attempts": row["attempts"],
        "createdBy": row["created_by"],
        "createdAt": _time(row["created_at"]),
        "updatedAt": _time(row["updated_at"]),
        "links": [
            {"rel": "self", "type": "application/json", "href": path},
            {"rel": "deliveries", "type": "application/json", "href": f"{path}/deliveries"},
        ],
    }


def create_subscription(
    conn: psycopg.Connection[Any], new: NewSubscription, created_by: str
) -> dict[str, Any]:
    """Insert ``new`` with its cursor at the newest event; the new row (without the secret)."""
    from psycopg.rows import dict_row

    cursor = last_event_id(conn)
    with conn.cursor(row_factory=dict_row) as cur:
        row = cur.execute(
            _statement(
                "INSERT INTO subscriptions (url, secret, types, layers, bbox, cursor, created_by)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING {columns}"
            ),
            (
                new.url,
                new.secret,
                list(new.types or DEFAULT_TYPES),
                None if new.layers is None else list(new.layers),
                None if new.bbox is None else list(new.bbox),
                cursor,
                created_by,
            ),
        ).fetchone()
    assert row is not None
    return row


def list_subscriptions(conn: psycopg.Connection[Any]) -> list[dict[str, Any]]:
    """Every subscription that is not deleted, oldest first."""
    from psycopg.rows import dict_row

    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            _statement("SELECT {columns} FROM subscriptions WHERE status <> 'deleted' ORDER BY id")
        ).fetchall()


def _missing(subscription_id: int) -> NotFound:
    return NotFound(f"subscription {subscription_id}: there is no such subscription")


def get_subscription(conn: psycopg.Connection[Any], subscription_id: int) -> dict[str, Any]:
    """One subscription that is not deleted; NotFound otherwise."""
    from psycopg.rows import dict_row

    if not 0 < subscription_id <= MAX_ID:
        raise _missing(subscription_id)

    with conn.cursor(row_factory=dict_row) as cur:
        row = cur.execute(
            _statement("SELECT {columns} FROM subscriptions WHERE id = %s AND status <> 'deleted'"),
            (subscription_id,),
        ).fetchone()
    if row is None:
        raise _missing(subscription_id)
    return row


def delete_subscription(conn: psycopg.Connection[Any], subscription_id: int) -> None:
    """Mark it deleted: nothing more is delivered, its deliveries stay on record."""
    if not 0 < subscription_id <= MAX_ID:
        raise _missing(subscription_id)
    found = conn.execute(
        "UPDATE subscriptions SET status = 'deleted', next_attempt_at = NULL, updated_at = now()"
        " WHERE id = %s AND status <> 'deleted' RETURNING id",
        (subscription_id,),
    ).fetchone()
    if found is None:
        raise _missing(subscription_id)


def resume_subscription(conn: psycopg.Connection[Any], subscription_id: int) -> dict[str, Any]:
    """Make a suspended (or failing) subscription active and due now: it resumes at its
    cursor, so no event is skipped."""
    from psycopg.rows import dict_row

    if not 0 < subscription_id <= MAX_ID:
        raise _missing(subscription_id)

    with conn.cursor(row_factory=dict_row) as cur:
        row = cur.execute(
            _statement(
                "UPDATE subscriptions SET status = 'active', failing_since = NULL, attempts = 0,"
                " next_attempt_at = NULL, updated_at = now()"
                " WHERE id = %s AND status <> 'deleted' RETURNING {columns}"
            ),
            (subscription_id,),
        ).fetchone()
    if row is None:
        raise _missing(subscription_id)
    return row


def parse_limit(text: str | None) -> int:
    """The ``limit`` of a page of deliveries."""
    if text is None or text == "":
        return DELIVERIES_PAGE
    accepted = f"a whole number from 1 to {MAX_DELIVERIES_PAGE}"
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_DELIVERIES_PAGE:
        raise InvalidParameter("limit", f"{text!r} is out of range", accepted)
    return int(text)


def list_deliveries(
    conn: psycopg.Connection[Any], subscription_id: int, *, limit: int, before: int | None
) -> list[dict[str, Any]]:
    """A subscription's delivery attempts, newest first, ``limit`` of them with an id below
    ``before`` (paging); NotFound if the subscription is unknown or deleted."""
    from psycopg.rows import dict_row

    get_subscription(conn, subscription_id)
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(
            "SELECT id, event_id, attempt, at, delivered, status_code, error, duration_ms"
            "  FROM deliveries WHERE subscription_id = %s AND id < %s"
            " ORDER BY id DESC LIMIT %s",
            (subscription_id, before if before is not None else MAX_ID, limit),
        ).fetchall()
    return [
        {
            "id": row["id"],
            "eventId": row["event_id"],
            "attempt": row["attempt"],
            "at": _time(row["at"]),
            "delivered": row["delivered"],
            "statusCode": row["status_code"],
            "error": row["error"],
            "durationMs": row["duration_ms"],
        }
        for row in rows
    ]
