"""API keys: created and revoked with ``gisserver keys``, checked by ``gisserver.web.auth``.

A key is a name, one role and a random secret (256 bits, URL-safe text). Only the SHA-256 of the
secret is stored: a random secret needs no slow password hash, and a fast one keeps the check of
every request to one indexed lookup. The secret is shown once, when the key is created.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gisserver.errors import InvalidParameter, NotFound

# psycopg is imported where a key is written: `gisserver --help` reads ROLES without it.
if TYPE_CHECKING:
    import psycopg

# The roles a key can hold (what each may change comes with the live operations).
ROLES = ("viewer", "operator", "logistics", "analyst", "admin")
SECRET_PREFIX = "gsk_"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")
_DURATION = re.compile(r"^(\d+)([mhdw])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


@dataclass(frozen=True)
class ApiKey:
    """A key as stored (its fields in the order the statements below select them)."""

    name: str
    role: str
    created_at: dt.datetime
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None

    def state(self, now: dt.datetime) -> str:
        """``active``, ``revoked`` or ``expired``."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        return "active"


def digest(secret: str) -> bytes:
    return hashlib.sha256(secret.encode("utf-8")).digest()


def parse_duration(text: str, *, parameter: str = "--expires") -> dt.timedelta:
    """``30d``, ``12h``, ``90m`` or ``2w`` as a timedelta."""
    match = _DURATION.match(text.strip())
    if not match or int(match[1]) == 0:
        raise InvalidParameter(
            parameter, f"{text!r} is not a duration", "a number and a unit: 90m, 12h, 30d, 2w"
        )
    return dt.timedelta(**{_UNITS[match[2]]: int(match[1])})


def check_name(name: str) -> str:
    if not _NAME.match(name):
        raise InvalidParameter(
            "NAME",
            f"{name!r} is not a key name",
            "1-64 letters, digits, '_', '.', '@', '-', starting with a letter or digit",
        )
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise InvalidParameter("--role", f"{role!r} is not a role", ", ".join(ROLES))
    return role


def create_key(
    conn: psycopg.Connection[Any], name: str, role: str, expires_in: dt.timedelta | None = None
) -> str:
    """Create a key and return its secret (shown once; only its hash is kept)."""
    check_name(name)
    check_role(role)
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    expires = dt.datetime.now(dt.UTC) + expires_in if expires_in else None
    from psycopg.errors import UniqueViolation

    try:
        conn.execute(
            "INSERT INTO api_keys (name, role, secret_sha256, expires_at) VALUES (%s, %s, %s, %s)",
            (name, role, digest(secret), expires),
        )
    except UniqueViolation as exc:
        raise InvalidParameter(
            "NAME", f"a key named {name!r} exists already", "a new name (or revoke it first)"
        ) from exc
    return secret


def list_keys(conn: psycopg.Connection[Any]) -> list[ApiKey]:
    rows = conn.execute(
        "SELECT name, role, created_at, expires_at, revoked_at, last_used_at FROM api_keys"
        " ORDER BY name"
    ).fetchall()
    return [ApiKey(*row) for row in rows]


def revoke_key(conn: psycopg.Connection[Any], name: str) -> None:
    row = conn.execute(
        "UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE name = %s"
        " RETURNING name",
        (name,),
    ).fetchone()
    if row is None:
        known = [key.name for key in list_keys(conn)]
        raise NotFound(f"NAME: no key named {name!r}; keys: {', '.join(known) or 'none'}")


def find_key(conn: psycopg.Connection[Any], secret: str) -> ApiKey | None:
    """The key whose secret this is, whatever its state (None: no such key)."""
    row = conn.execute(
        "SELECT name, role, created_at, expires_at, revoked_at, last_used_at FROM api_keys"
        " WHERE secret_sha256 = %s",
        (digest(secret),),
    ).fetchone()
    return ApiKey(*row) if row else None


def find_key_named(conn: psycopg.Connection[Any], name: str) -> ApiKey | None:
    row = conn.execute(
        "SELECT name, role, created_at, expires_at, revoked_at, last_used_at FROM api_keys"
        " WHERE name = %s",
        (name,),
    ).fetchone()
    return ApiKey(*row) if row else None


# ---------------------------------------------------------------------------------------------
# Short-lived signed tokens: what a browser's EventSource, which cannot send headers, puts in
# the URL of a stream instead of the key itself. A token names its key and when it expires,
# signed with the server's token secret (HMAC-SHA256); the key is checked again when it is used.

TOKEN_TTL = dt.timedelta(minutes=5)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign_token(secret: bytes, key_name: str, expires: dt.datetime) -> str:
    """A token for the key ``key_name``, valid until ``expires``."""
    payload = _b64(json.dumps({"key": key_name, "exp": int(expires.timestamp())}).encode())
    signature = hmac.new(secret, payload.encode("ascii"), hashlib.sha256).digest()
    return f"{payload}.{_b64(signature)}"


def read_token(secret: bytes, token: str, now: dt.datetime) -> str | None:
    """The key name of a valid, unexpired token signed with ``secret`` (None: not one)."""
    payload, _, signature = token.partition(".")
    if not payload or not signature or len(token) > 1024:
        return None
    expected = hmac.new(secret, payload.encode("ascii", "replace"), hashlib.sha256).digest()
    try:
        if not hmac.compare_digest(_unb64(signature), expected):
            return None
        claims = json.loads(_unb64(payload))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(claims, dict) or not isinstance(claims.get("key"), str):
        return None
    expires = claims.get("exp")
    if not isinstance(expires, int) or expires <= now.timestamp():
        return None
    return str(claims["key"])
