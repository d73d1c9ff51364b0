"""Read replicas: a real streaming replica of the session's cluster (``pg_basebackup -R``, as
``gisserver db replica create`` makes it) serving the app's reads; a client that has just
written reads its write; a replica that stops replaying is reported lagging and leaves the
rotation; killing it fails no read.
"""

from __future__ import annotations

import shutil
import time
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from editing import api_keys
from flask import Flask

from gisserver.app import create_app
from gisserver.cluster import PrivateCluster, free_port
from gisserver.settings import Settings

LON, LAT = -71.1050, 42.3700


@pytest.fixture(scope="module")
def replica(test_cluster: PrivateCluster | None, database_url: str) -> Iterator[PrivateCluster]:
    if test_cluster is None:
        pytest.skip("an external test database: no private cluster to replicate")
    made = test_cluster.create_replica(free_port())
    try:
        yield made
    finally:
        made.stop()
        shutil.rmtree(made.root, ignore_errors=True)


def _app(settings: Settings, replica: PrivateCluster, max_lag_s: float) -> Flask:
    return create_app(
        settings.model_copy(
            update={
                "read_replicas": replica.url("read"),
                "replica_max_lag_s": max_lag_s,
                "read_your_writes_s": 30.0,
            }
        )
    )


@pytest.fixture(scope="module")
def replicated_app(settings: Settings, replica: PrivateCluster) -> Iterator[Flask]:
    """A replica that stays in rotation however far behind it falls (an hour)."""
    app = _app(settings, replica, 3600.0)
    yield app
    app.extensions["gisserver"].db.close()


@pytest.fixture(scope="module")
def strict_app(settings: Settings, replica: PrivateCluster) -> Iterator[Flask]:
    """A replica more than a second behind leaves the rotation."""
    app = _app(settings, replica, 1.0)
    yield app
    app.extensions["gisserver"].db.close()


@pytest.fixture(scope="module")
def keys(database_url: str) -> Iterator[dict[str, Any]]:
    with api_keys(database_url, "replicas") as made:
        yield made


def _replicas(app: Flask) -> list[dict[str, Any]]:
    with app.test_client() as client:
        report = client.get("/readyz").get_json()
    assert "replicas" in report, report
    return list(report["replicas"])


def _until(condition: Any, timeout: float = 20.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("the condition did not hold in time")
        time.sleep(0.2)


def _replay(replica: PrivateCluster, paused: bool) -> None:
    with psycopg.connect(replica.url(), autocommit=True) as conn:
        conn.execute("SELECT pg_wal_replay_pause()" if paused else "SELECT pg_wal_replay_resume()")


def _incident(client: Any, secret: str) -> int:
    created = client.post(
        "/ogc/collections/incidents/items",
        json={
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [LON, LAT]},
            "properties": {
                "incident_type": "medical",
                "reported_at": "2026-12-03T10:00:00Z",
                "description": f"replica test {uuid.uuid4().hex[:6]}",
            },
        },
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert created.status_code == 201, created.get_json()
    return int(created.headers["Location"].rstrip("/").rsplit("/", 1)[-1])


def test_reads_are_served_by_the_replica_in_rotation(replicated_app: Flask) -> None:
    _until(lambda: _replicas(replicated_app)[0]["state"] == "in rotation")
    before = _replicas(replicated_app)[0]["reads"]
    with replicated_app.test_client() as client:
        for _ in range(5):
            answer = client.get(f"/api/nearest?layer=shelters&lon={LON}&lat={LAT}&k=1")
            assert answer.status_code == 200
    state = _replicas(replicated_app)[0]
    assert state["reads"] >= before + 5, state  # every read went to the replica
    assert state["lag_bytes"] == 0 and state["lag_s"] == 0.0, state
    assert state["error"] is None


def test_a_client_reads_its_own_write_while_the_replica_is_behind(
    replicated_app: Flask, replica: PrivateCluster, keys: dict[str, Any]
) -> None:
    _until(lambda: _replicas(replicated_app)[0]["state"] == "in rotation")
    _replay(replica, paused=True)
    try:
        with replicated_app.test_client() as writer:
            incident = _incident(writer, keys["operator"].secret)
            # the writer's next read carries its cookie: the primary answers it
            mine = writer.get(f"/ogc/collections/incidents/items/{incident}?f=json")
            assert mine.status_code == 200, mine.get_json()
            position = writer.get_cookie("gisserver_lsn")
            assert position is not None
        # Another client, at once: the replica (still in rotation, replay paused) answers it,
        # and has not replayed the write. That is what read-your-writes is for.
        with replicated_app.test_client() as other:
            theirs = other.get(f"/ogc/collections/incidents/items/{incident}?f=json")
            assert theirs.status_code == 404
            # an API client that sends the position back (X-Gisserver-Min-LSN) sees it
            told = other.get(
                f"/ogc/collections/incidents/items/{incident}?f=json",
                headers={"X-Gisserver-Min-LSN": position.value},
            )
            assert told.status_code == 200
            # and so does a client using the same key, without cookie or header
            keyed = other.get(
                f"/ogc/collections/incidents/items/{incident}?f=json",
                headers={"Authorization": f"Bearer {keys['operator'].secret}"},
            )
            assert keyed.status_code == 200
        # the lag is reported (the replica stays in rotation: this app allows an hour)
        behind = _until(lambda: [r for r in _replicas(replicated_app) if r["lag_bytes"]])
        assert behind[0]["state"] == "in rotation", behind
    finally:
        _replay(replica, paused=False)
    _until(lambda: _replicas(replicated_app)[0]["lag_bytes"] == 0)


def test_a_replica_too_far_behind_leaves_the_rotation_and_comes_back(
    strict_app: Flask, replica: PrivateCluster, keys: dict[str, Any]
) -> None:
    _until(lambda: _replicas(strict_app)[0]["state"] == "in rotation")
    _replay(replica, paused=True)
    try:
        with strict_app.test_client() as writer:
            incident = _incident(writer, keys["operator"].secret)
        lagging = _until(lambda: [r for r in _replicas(strict_app) if r["lag_s"] > 1.0])
        assert lagging[0]["lag_bytes"] > 0
        out = _until(lambda: [r for r in _replicas(strict_app) if r["state"] != "in rotation"])
        assert "lags" in out[0]["error"], out
        # out of rotation: every client reads from the primary, which has the write
        with strict_app.test_client() as other:
            found = other.get(f"/ogc/collections/incidents/items/{incident}?f=json")
            assert found.status_code == 200
    finally:
        _replay(replica, paused=False)
    back = _until(lambda: [r for r in _replicas(strict_app) if r["state"] == "in rotation"])
    assert back[0]["lag_bytes"] == 0 and back[0]["error"] is None


def test_a_key_made_or_revoked_while_the_replica_is_behind_acts_at_once(
    replicated_app: Flask, replica: PrivateCluster, database_url: str
) -> None:
    """Keys are checked on the primary: a lagging replica neither refuses a new key nor lets a
    revoked one in."""
    from gisserver.keys import revoke_key

    _until(lambda: _replicas(replicated_app)[0]["state"] == "in rotation")
    _replay(replica, paused=True)
    try:
        with api_keys(database_url, "replica-keys") as made:
            key = made["operator"]
            with psycopg.connect(replica.url(), autocommit=True) as conn:
                found = conn.execute("SELECT count(*) FROM api_keys WHERE name = %s", (key.name,))
                assert found.fetchone() == (0,)  # the replica has not replayed the new key
            with replicated_app.test_client() as client:
                assert _incident(client, key.secret) > 0  # 201: it was read on the primary
                with psycopg.connect(database_url, autocommit=True) as conn:
                    revoke_key(conn, key.name)
                refused = client.post(
                    "/ogc/collections/incidents/items",
                    json={"type": "Feature", "geometry": None, "properties": {}},
                    headers={"Authorization": f"Bearer {key.secret}"},
                )
                assert refused.status_code == 401, refused.get_json()
    finally:
        _replay(replica, paused=False)
    _until(lambda: _replicas(replicated_app)[0]["lag_bytes"] == 0)


def test_killing_the_replica_fails_no_read(
    replicated_app: Flask, replica: PrivateCluster, test_cluster: PrivateCluster
) -> None:
    _until(lambda: _replicas(replicated_app)[0]["state"] == "in rotation")
    with replicated_app.test_client() as client:
        assert client.get(f"/api/nearest?layer=shelters&lon={LON}&lat={LAT}&k=1").status_code == 200
        replica.stop()
        try:
            statuses = [
                client.get(f"/api/nearest?layer=shelters&lon={LON}&lat={LAT}&k=1").status_code
                for _ in range(10)
            ]
            assert statuses == [200] * 10
            # out of rotation at once (the read that found it gone), then the monitor says why
            assert _replicas(replicated_app)[0]["state"] == "out of rotation"
            _until(lambda: _replicas(replicated_app)[0]["error"] == "unreachable")
        finally:
            test_cluster.create_replica(replica.port)  # starts it again
    _until(lambda: _replicas(replicated_app)[0]["state"] == "in rotation")
