"""What the feature-write tests share: API keys of every role (made with ``gisserver keys
create``, as an operator makes them), a client that speaks HTTP to a live server with one of
them, what the API created (removed afterwards), and a snapshot of a layer that shows whether a
refused request wrote anything."""

from __future__ import annotations

import json as jsonlib
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest
import requests
from click.testing import CliRunner

from gisserver.cli import main
from gisserver.layers import LAYER_IDS

ROLES = ("viewer", "operator", "logistics", "analyst", "admin")


@dataclass(frozen=True)
class Key:
    name: str
    secret: str
    role: str


@contextmanager
def api_keys(database_url: str, purpose: str = "edits") -> Iterator[dict[str, Key]]:
    """A key per role, named ``test-<purpose>-<role>-<random>``; afterwards the keys, their
    security events and every feature they created are removed."""
    label = uuid.uuid4().hex[:6]
    keys: dict[str, Key] = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATABASE_URL", database_url)
        for role in ROLES:
            name = f"test-{purpose}-{role}-{label}"
            result = CliRunner().invoke(main, ["keys", "create", name, "--role", role])
            assert result.exit_code == 0, result.output
            keys[role] = Key(name, result.stdout.strip().splitlines()[-1], role)
    try:
        yield keys
    finally:
        names = [key.name for key in keys.values()]
        with psycopg.connect(database_url) as conn:
            for layer in LAYER_IDS:
                conn.execute(
                    f"DELETE FROM {layer} WHERE source = 'api' AND id IN (SELECT feature_id"
                    " FROM audit_log WHERE layer = %s AND operation = 'create'"
                    " AND actor = ANY(%s))",
                    (layer, names),
                )
            conn.execute("DELETE FROM api_keys WHERE name = ANY(%s)", (names,))
            conn.execute("DELETE FROM security_events WHERE key_name = ANY(%s)", (names,))


class Api:
    """HTTP to a live server, as a role (or anonymous)."""

    def __init__(self, base: str, keys: dict[str, Key]) -> None:
        self.base = base
        self.keys = keys

    def __call__(
        self,
        method: str,
        path: str,
        role: str | None = None,
        *,
        json: Any = None,
        data: str | bytes | None = None,
        content_type: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> requests.Response:
        sent = dict(headers or {})
        if role is not None:
            sent["Authorization"] = f"Bearer {self.keys[role].secret}"
        if json is not None:
            data = jsonlib.dumps(json)
            content_type = content_type or "application/geo+json"
        if content_type is not None:
            sent["Content-Type"] = content_type
        url = path if path.startswith("http") else f"{self.base}/ogc/collections/{path}"
        return requests.request(method, url, data=data, headers=sent, timeout=60)


def feature(geometry: dict[str, Any] | tuple[float, float], **properties: Any) -> dict[str, Any]:
    """A GeoJSON Feature (a point given as (lon, lat))."""
    if isinstance(geometry, tuple):
        geometry = {"type": "Point", "coordinates": list(geometry)}
    return {"type": "Feature", "geometry": geometry, "properties": properties}


@dataclass(frozen=True)
class Snapshot:
    """A layer's rows and change version, and the audit trail's length."""

    rows: int
    version: int
    audit: int
    history: int


def snapshot(database_url: str, layer: str) -> Snapshot:
    with psycopg.connect(database_url) as conn:
        row = conn.execute(
            f"SELECT (SELECT count(*) FROM {layer}),"
            " (SELECT version FROM layer_versions WHERE layer = %s),"
            " (SELECT count(*) FROM audit_log), (SELECT count(*) FROM feature_history)",
            (layer,),
        ).fetchone()
    assert row is not None
    return Snapshot(*row)


def audit_rows(database_url: str, layer: str, feature_id: int) -> list[dict[str, Any]]:
    """The audit trail of one feature, oldest first."""
    from psycopg.rows import dict_row

    with psycopg.connect(database_url, row_factory=dict_row) as conn:
        return conn.execute(
            "SELECT actor, actor_role, operation, version, request_id, if_match,"
            " host(client_address) AS client_address, before, after"
            " FROM audit_log WHERE layer = %s AND feature_id = %s ORDER BY id",
            (layer, feature_id),
        ).fetchall()


def feature_id(response: requests.Response) -> int:
    """The id of the feature a 201 created, from its Location."""
    assert response.status_code == 201, response.text
    return int(response.headers["Location"].rsplit("/", 1)[1])
