"""API keys: created, listed and revoked with the CLI (only a hash is stored), presented as
Bearer, X-API-Key or HTTP Basic, checked on every surface; failures are 401, a missing role 403,
both in the security log; repeated failures 429; reads can require a key, and GDAL's OAPIF
driver and QGIS 3.22 then read with Basic authentication."""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner
from flask import Flask
from live import serving

from gisserver.cli import main
from gisserver.cluster import free_port
from gisserver.settings import Settings
from gisserver.web import auth


@pytest.fixture()
def cli(database_url: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("DATABASE_URL", database_url)

    def run(*args: str) -> Any:
        return CliRunner().invoke(main, ["keys", *args])

    return run


@pytest.fixture()
def new_key(cli, database_url: str) -> Iterator[Any]:
    """Makes keys with unique names through the CLI; deletes them afterwards."""
    made: list[str] = []

    def make(role: str, *extra: str) -> tuple[str, str]:
        name = f"test-{role}-{uuid.uuid4().hex[:6]}"
        result = cli("create", name, "--role", role, *extra)
        assert result.exit_code == 0, result.output
        made.append(name)
        return name, result.stdout.strip().splitlines()[-1]

    yield make
    with psycopg.connect(database_url) as conn:
        conn.execute("DELETE FROM api_keys WHERE name = ANY(%s)", (made,))
        conn.execute("DELETE FROM security_events WHERE key_name = ANY(%s)", (made,))


@pytest.fixture(scope="module")
def keyed_app(settings: Settings) -> Iterator[Flask]:
    from gisserver.app import create_app

    application = create_app(settings)

    @application.get("/probe/operator")
    @auth.requires("operator")
    def operator_only() -> str:
        return auth.principal().name

    yield application
    application.extensions["gisserver"].db.close()


@pytest.fixture(autouse=True)
def fresh_limiter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "LIMITER", auth.FailureLimiter())


def _basic(name: str, secret: str) -> dict[str, str]:
    token = base64.b64encode(f"{name}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def _events(database_url: str, name: str) -> list[tuple[str, str]]:
    with psycopg.connect(database_url) as conn:
        return conn.execute(
            "SELECT event, detail FROM security_events WHERE key_name = %s ORDER BY id", (name,)
        ).fetchall()


def test_create_list_revoke_and_only_a_hash_is_kept(cli, new_key, database_url: str):
    name, secret = new_key("operator", "--expires", "30d")
    assert secret.startswith("gsk_") and len(secret) > 40
    with psycopg.connect(database_url) as conn:
        row = conn.execute(
            "SELECT secret_sha256, expires_at - created_at FROM api_keys WHERE name = %s",
            (name,),
        ).fetchone()
        dump = conn.execute("SELECT api_keys::text FROM api_keys WHERE name = %s", (name,))
        assert secret not in dump.fetchone()[0]
    assert bytes(row[0]) == hashlib.sha256(secret.encode()).digest()
    assert abs(row[1].total_seconds() - 30 * 86400) < 60
    listed = cli("list")
    assert listed.exit_code == 0
    line = next(ln for ln in listed.output.splitlines() if ln.startswith(name))
    assert line.split()[1:3] == ["operator", "active"] and secret not in listed.output
    assert cli("revoke", name).output == f"revoked key {name}\n"
    line = next(ln for ln in cli("list").output.splitlines() if ln.startswith(name))
    assert line.split()[2] == "revoked"


@pytest.mark.parametrize(
    ("args", "start"),
    [
        (["create", "bad name", "--role", "viewer"], "gisserver: error: NAME: 'bad name'"),
        (["create", "ok", "--role", "viewer", "--expires", "soon"], "gisserver: error: --expires"),
        (["revoke", "nobody-at-all"], "gisserver: error: NAME: no key named 'nobody-at-all'"),
    ],
)
def test_key_mistakes_are_one_line(cli, args: list[str], start: str):
    result = cli(*args)
    assert result.exit_code == 1 and result.stderr.startswith(start), result.output
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_name_is_one_key(cli, new_key):
    name, _ = new_key("viewer")
    again = cli("create", name, "--role", "admin")
    assert again.exit_code == 1 and "exists already" in again.stderr


def test_the_three_ways_to_present_a_key(keyed_app: Flask, new_key):
    name, secret = new_key("operator")
    client = keyed_app.test_client()
    for headers in (
        {"Authorization": f"Bearer {secret}"},
        {"X-API-Key": secret},
        _basic(name, secret),
    ):
        response = client.get("/probe/operator", headers=headers)
        assert response.status_code == 200 and response.data == name.encode(), headers
    admin, admin_secret = new_key("admin")  # admin holds every role
    assert client.get("/probe/operator", headers={"X-API-Key": admin_secret}).data == admin.encode()


def test_bad_keys_are_401_and_a_missing_role_403_all_recorded(
    keyed_app: Flask, new_key, database_url: str
):
    client = keyed_app.test_client()
    viewer, viewer_secret = new_key("viewer")
    forbidden = client.get("/probe/operator", headers={"X-API-Key": viewer_secret})
    assert forbidden.status_code == 403
    assert forbidden.json["description"] == f"{viewer} does not hold the operator role this needs"
    assert _events(database_url, viewer) == [("forbidden", "needs the operator role")]

    operator, secret = new_key("operator")
    wrong_name = client.get("/probe/operator", headers=_basic(viewer, secret))
    assert wrong_name.status_code == 401
    with psycopg.connect(database_url) as conn:
        conn.execute(
            "UPDATE api_keys SET expires_at = now() - interval '1 s' WHERE name = %s", (operator,)
        )
    expired = client.get("/ogc/collections?f=json", headers={"Authorization": f"Bearer {secret}"})
    assert expired.status_code == 401  # a bad key is refused even where no key is needed
    assert expired.headers["WWW-Authenticate"] == auth.CHALLENGE
    assert expired.json["description"].startswith("the API key is not valid")
    assert ("unauthenticated", "expired key") in _events(database_url, operator)
    unknown = client.get("/probe/operator", headers={"Authorization": "Bearer gsk_nothing"})
    assert unknown.status_code == 401


def test_repeated_failures_from_one_address_are_429(keyed_app: Flask, new_key):
    client = keyed_app.test_client()
    _, secret = new_key("operator")
    for _ in range(auth.MAX_FAILURES):
        assert client.get("/healthz", headers={"X-API-Key": "gsk_guess"}).status_code == 401
    limited = client.get("/probe/operator", headers={"X-API-Key": secret})
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
    other = client.get(
        "/probe/operator", headers={"X-API-Key": secret}, environ_base={"REMOTE_ADDR": "10.9.9.9"}
    )
    assert other.status_code == 200  # another address is not held back


@pytest.fixture(scope="module")
def locked_server(settings: Settings) -> Iterator[str]:
    """A real HTTP server that requires a key for every read."""
    from gisserver.app import create_app

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    app = create_app(settings.model_copy(update={"reads_require_key": True, "public_url": base}))
    with serving(app, port):
        yield base
    app.extensions["gisserver"].db.close()


def test_reads_can_require_a_key_and_gdal_reads_with_basic_auth(locked_server: str, new_key):
    import urllib.error
    import urllib.request

    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{locked_server}/ogc/collections?f=json", timeout=30)
    with refused.value:  # closes the answer's connection
        assert refused.value.code == 401
        assert "Basic" in refused.value.headers["WWW-Authenticate"]
    with urllib.request.urlopen(f"{locked_server}/healthz", timeout=30) as probe:
        assert probe.status == 200  # probes stay open
    name, secret = new_key("viewer")
    command = ["ogrinfo", "-ro", "-so", f"OAPIF:{locked_server}/ogc", "shelters"]
    without = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert without.returncode != 0
    with_key = subprocess.run(
        [*command, "--config", "GDAL_HTTP_USERPWD", f"{name}:{secret}"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert with_key.returncode == 0, with_key.stderr
    assert "Layer name: shelters" in with_key.stdout


def _qgis_reads(base: str, *credentials: str) -> dict[str, Any]:
    """What QGIS 3.22's OAPIF provider reads of the shelters (tests/clients/qgis_read.py)."""
    script = Path(__file__).parent / "clients" / "qgis_read.py"
    done = subprocess.run(
        ["/usr/bin/python3", str(script), f"{base}/ogc", "shelters", *credentials],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_qgis_reads_with_basic_authentication_when_reads_require_a_key(
    locked_server: str, new_key, conn: psycopg.Connection, rows
):
    for number in range(3):
        rows.shelter(-71.1 + number / 100, 42.37, name=f"QGIS shelter {number}", capacity=50)
    assert _qgis_reads(locked_server)["valid"] is False  # no key: QGIS gets 401s
    name, secret = new_key("viewer")
    read = _qgis_reads(locked_server, name, secret)
    assert read["valid"] is True, read["errors"]
    names = sorted(str(n) for (n,) in conn.execute("SELECT name FROM shelters").fetchall())
    assert len(names) >= 3 and read["names"] == names
    assert "stream_url" not in read["fields"] and "name" in read["fields"]


def test_a_key_reads_the_private_fields_anonymous_callers_never_see(
    client, new_key, rows, database_url: str
):
    camera = rows.camera(-71.1, 42.37, name="private stream", stream_url="rtsp://cam.example/7")
    _, secret = new_key("viewer")
    keyed = {"Authorization": f"Bearer {secret}"}
    url = f"/ogc/collections/cameras/items/{camera}?f=json"
    anonymous = client.get(url)
    assert anonymous.status_code == 200
    assert "stream_url" not in anonymous.get_json()["properties"]
    with_key = client.get(url, headers=keyed)
    assert with_key.get_json()["properties"]["stream_url"] == "rtsp://cam.example/7"
    page = client.get("/ogc/collections/cameras/items?f=json&limit=10000", headers=keyed)
    mine = [f for f in page.get_json()["features"] if f["id"] == camera]
    assert mine[0]["properties"]["stream_url"] == "rtsp://cam.example/7"
    public_page = client.get("/ogc/collections/cameras/items?f=json&limit=10000")
    assert all("stream_url" not in f["properties"] for f in public_page.get_json()["features"])
    # a cache must not answer one caller with the other's page
    assert "Authorization" in page.headers["Vary"]
    assert page.headers["ETag"] != public_page.headers["ETag"]
    revalidated = client.get(
        "/ogc/collections/cameras/items?f=json&limit=10000",
        headers={"If-None-Match": page.headers["ETag"]},
    )
    assert revalidated.status_code == 200  # anonymous: not the keyed page's validator
