"""A retried create (the same ``Idempotency-Key`` from the same caller) gets the first answer.

The key is claimed in the transaction of the create, by inserting its row in
``idempotency_keys`` (migration 0006; primary key (actor, key)): a second request with the same
key waits on that row's lock until the first commits, then finds the stored answer and replays
it; if the first fails, its row goes with its rollback and the second creates. A key is kept for
24 hours, then may be used again.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from gisserver.errors import InvalidParameter, InvalidValue

KEEP_HOURS = 24
_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")
# The header as the OpenAPI documents describe it (what _KEY accepts).
HEADER_SCHEMA = {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[\\x21-\\x7e]+$"}
# Expired keys are removed a few at a time by the creates that use keys (the locked ones are
# someone else's, skipped: two creates never wait on each other's clean-up).
_FORGET_EXPIRED = """
DELETE FROM idempotency_keys
 WHERE (actor, key) IN (
     SELECT actor, key FROM idempotency_keys
      WHERE created_at < now() - make_interval(hours => %s)
      ORDER BY created_at LIMIT 100 FOR UPDATE SKIP LOCKED)
"""
_FORGET_OWN_EXPIRED = (
    "DELETE FROM idempotency_keys WHERE actor = %s AND key = %s"
    " AND created_at < now() - make_interval(hours => %s)"
)
_CLAIM = (
    "INSERT INTO idempotency_keys (actor, key, request_sha256, status) VALUES (%s, %s, %s, 0)"
    " ON CONFLICT (actor, key) DO NOTHING RETURNING created_at"
)
_STORED = (
    "SELECT request_sha256, status, headers, body FROM idempotency_keys"
    " WHERE actor = %s AND key = %s"
)
_KEEP = (
    "UPDATE idempotency_keys SET status = %s, headers = %s, body = %s WHERE actor = %s AND key = %s"
)


@dataclass(frozen=True)
class Answer:
    """An HTTP answer as the domain makes it and the key table keeps it."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: str = ""
    replayed: bool = False


@dataclass(frozen=True)
class IdempotencyKey:
    """A request's key, its caller and a digest of what it asked (to refuse another body)."""

    actor: str
    key: str
    request_sha256: bytes

    @classmethod
    def of(cls, actor: str, key: str, *request_parts: bytes) -> IdempotencyKey:
        if not _KEY.match(key):
            raise InvalidParameter(
                "Idempotency-Key",
                "is not 1 to 255 visible ASCII characters",
                "a unique value per create, e.g. a UUID",
            )
        digest = hashlib.sha256()
        for part in request_parts:
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part)
        return cls(actor, key, digest.digest())

    def claim(self, conn: psycopg.Connection[Any]) -> Answer | None:
        """Take the key for this transaction (None), or the first request's answer."""
        conn.execute(_FORGET_EXPIRED, (KEEP_HOURS,))
        conn.execute(_FORGET_OWN_EXPIRED, (self.actor, self.key, KEEP_HOURS))
        if conn.execute(_CLAIM, (self.actor, self.key, self.request_sha256)).fetchone():
            return None
        row = conn.execute(_STORED, (self.actor, self.key)).fetchone()
        if row is None:  # the first request's row expired in between: a race of 24 hours
            raise InvalidValue("Idempotency-Key", "expired just now", "send the request again")
        sha256, status, headers, body = row
        if bytes(sha256) != self.request_sha256:
            raise InvalidValue(
                "Idempotency-Key",
                f"{self.key!r} was used by an earlier request with another body or URL",
                f"a new key for a new request; a retry sends the same body (keys are kept "
                f"{KEEP_HOURS} h)",
            )
        return Answer(status, dict(headers), body, replayed=True)

    def keep(self, conn: psycopg.Connection[Any], answer: Answer) -> None:
        """Store the answer that a retry with this key gets."""
        conn.execute(
            _KEEP, (answer.status, Jsonb(answer.headers), answer.body, self.actor, self.key)
        )
