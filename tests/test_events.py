"""The change feed: every committed change gets an event in the same transaction, ids in commit
order; ``GET /api/events`` streams them (SSE) to a real SSE client over real HTTP, replays
what a client missed after ``Last-Event-ID`` (also from a restarted server), filters by type,
layer and bbox, sends heartbeats; ``GET /api/changes`` pages the same events; a browser's
EventSource uses a short-lived signed token instead of a key."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest
import requests
import sseclient
from editing import Api, Key, api_keys, feature, feature_id
from flask import Flask
from live import serving

from gisserver.app import create_app
from gisserver.keys import sign_token
from gisserver.settings import Settings
from gisserver.web import auth

CAMBRIDGE = (-71.1097, 42.3736)
FAR_AWAY = (-73.9857, 40.7484)  # Manhattan: outside a Cambridge bbox
CAMBRIDGE_BBOX = "-71.16,42.35,-71.06,42.40"


class Listener:
    """A real SSE client (sseclient-py over a streamed requests answer) in a thread, keeping
    every event it gets."""

    def __init__(self, url: str, headers: dict[str, str] | None = None) -> None:
        self.events: list[sseclient.Event] = []
        self.comments = 0
        self.error: BaseException | None = None
        self._changed = threading.Condition()
        self.response = requests.get(
            url,
            headers={"Accept": "text/event-stream", **(headers or {})},
            stream=True,
            timeout=(10, 60),
        )
        self.status = self.response.status_code
        self._thread = threading.Thread(target=self._read, daemon=True)
        if self.status == 200:
            self._thread.start()

    def _read(self) -> None:
        try:
            for event in sseclient.SSEClient(self.response).events():
                with self._changed:
                    self.events.append(event)
                    self._changed.notify_all()
        except BaseException as exc:  # a closed stream ends the thread
            self.error = exc

    def wait_for(self, done: Callable[[list[sseclient.Event]], bool], timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        with self._changed:
            while not done(self.events):
                left = deadline - time.monotonic()
                assert left > 0, f"timed out; got {[(e.id, e.event) for e in self.events]}"
                self._changed.wait(left)

    def ids(self) -> list[int]:
        return [int(e.id) for e in self.events]

    def close(self) -> None:
        self.response.close()


@pytest.fixture(scope="module")
def keys(database_url: str) -> Iterator[dict[str, Key]]:
    with api_keys(database_url) as made:
        yield made


@pytest.fixture(scope="module")
def feed_app(settings: Settings) -> Iterator[Flask]:
    app = create_app(settings.model_copy(update={"events_heartbeat_seconds": 1.0}))
    yield app
    app.extensions["gisserver"].db.close()


@pytest.fixture(scope="module")
def server(feed_app: Flask) -> Iterator[str]:
    with serving(feed_app) as base:
        yield base


@pytest.fixture()
def api(server: str, keys: dict[str, Key]) -> Api:
    return Api(server, keys)


def newest_event(database_url: str) -> int:
    with psycopg.connect(database_url) as conn:
        row = conn.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()
        assert row is not None
        return int(row[0])


def report(api: Api, where: tuple[float, float] = CAMBRIDGE, **properties: Any) -> int:
    body = feature(
        where,
        incident_type=properties.pop("incident_type", "fire"),
        severity=properties.pop("severity", "high"),
        reported_at=dt.datetime.now(dt.UTC).isoformat(),
        **properties,
    )
    created = api("POST", "incidents/items", "operator", json=body)
    assert created.status_code == 201, created.text
    return feature_id(created)


def test_a_write_reaches_an_open_stream_with_its_public_feature(
    api: Api, server: str, database_url: str
) -> None:
    listener = Listener(f"{server}/api/events")
    assert listener.status == 200
    assert listener.response.headers["Content-Type"].startswith("text/event-stream")
    assert listener.response.headers["Cache-Control"] == "no-store"
    try:
        incident = report(api, description="smoke from a basement")
        listener.wait_for(
            lambda events: any(
                json.loads(e.data)["featureId"] == incident
                and json.loads(e.data)["layer"] == "incidents"
                for e in events
            )
        )
        event = next(e for e in listener.events if json.loads(e.data)["featureId"] == incident)
        assert event.event == "feature"
        data = json.loads(event.data)
        assert int(event.id) == data["id"]
        assert data["operation"] == "create" and data["version"] == 1
        assert data["feature"]["geometry"]["coordinates"] == pytest.approx(list(CAMBRIDGE))
        assert data["feature"]["properties"]["description"] == "smoke from a basement"
        assert data["links"][0]["href"].endswith(f"/ogc/collections/incidents/items/{incident}")
        # nothing the audit trail keeps for analysts: who did it, bookkeeping columns
        assert "actor" not in data and "source_id" not in data["feature"]["properties"]
        with psycopg.connect(database_url) as conn:
            row = conn.execute(
                "SELECT e.layer, e.feature_id, e.operation, a.actor FROM events AS e"
                " JOIN audit_log AS a ON a.id = e.audit_id WHERE e.id = %s",
                (data["id"],),
            ).fetchone()
        assert row == ("incidents", incident, "create", api.keys["operator"].name)
    finally:
        listener.close()


def test_private_fields_never_reach_the_feed(server: str, database_url: str, rows) -> None:
    start = newest_event(database_url)
    camera = rows.camera(*CAMBRIDGE, stream_url="rtsp://viewer:hunter2@10.0.0.5/live")
    page = requests.get(f"{server}/api/changes?since={start}&layers=cameras", timeout=30).json()
    mine = [e for e in page["events"] if e["featureId"] == camera]
    assert len(mine) == 1
    properties = mine[0]["feature"]["properties"]
    assert "stream_url" not in properties  # a private field of cameras
    assert "hunter2" not in json.dumps(page)


def test_last_event_id_replays_what_was_missed_in_order_without_duplicates(
    api: Api, server: str, database_url: str
) -> None:
    first = Listener(f"{server}/api/events?layers=incidents")
    made = [report(api, description=f"first stream {i}") for i in range(3)]
    first.wait_for(lambda events: len(events) >= 3)
    first.close()
    last_seen = first.ids()[-1]
    assert [json.loads(e.data)["featureId"] for e in first.events][:3] == made

    missed = [report(api, description=f"while away {i}") for i in range(4)]
    again = Listener(
        f"{server}/api/events?layers=incidents", headers={"Last-Event-ID": str(last_seen)}
    )
    try:
        later = report(api, description="after reconnecting")
        again.wait_for(lambda events: len(events) >= 5)
        got = [json.loads(e.data)["featureId"] for e in again.events]
        assert got[:5] == [*missed, later]
        ids = again.ids()
        assert ids == sorted(set(ids)) and ids[0] > last_seen
    finally:
        again.close()
    # the query parameter does the same (an EventSource's first connection cannot set headers)
    by_query = Listener(f"{server}/api/events?layers=incidents&lastEventId={last_seen}")
    try:
        by_query.wait_for(lambda events: len(events) >= 5)
        assert [json.loads(e.data)["featureId"] for e in by_query.events][:5] == [*missed, later]
    finally:
        by_query.close()


def test_a_restarted_server_resumes_the_stream_without_losing_an_event(
    settings: Settings, keys: dict[str, Key], database_url: str
) -> None:
    first_app = create_app(settings)
    with serving(first_app) as base:
        api = Api(base, keys)
        listener = Listener(f"{base}/api/events?layers=incidents")
        report(api, description="before the restart")
        listener.wait_for(lambda events: len(events) >= 1)
        last_seen = listener.ids()[-1]
        listener.close()
    first_app.extensions["gisserver"].db.close()
    # the server is down: changes still commit (here straight in the database)
    with psycopg.connect(database_url) as conn:
        conn.execute(
            "INSERT INTO incidents (source, source_id, incident_type, reported_at, geom)"
            " SELECT 'test-restart', 'restart-' || n || '-' || %s, 'flood', now(),"
            " ST_SetSRID(ST_MakePoint(-71.11, 42.37), 4326) FROM generate_series(1, 3) AS n",
            (last_seen,),
        )
    second_app = create_app(settings)
    try:
        with serving(second_app) as base:
            resumed = Listener(
                f"{base}/api/events?layers=incidents", headers={"Last-Event-ID": str(last_seen)}
            )
            resumed.wait_for(lambda events: len(events) >= 3)
            resumed.close()
        with psycopg.connect(database_url) as conn:
            expected = [
                r[0]
                for r in conn.execute(
                    "SELECT id FROM events WHERE id > %s AND layer = 'incidents' ORDER BY id",
                    (last_seen,),
                )
            ]
        assert resumed.ids()[: len(expected)] == expected
        assert all(json.loads(e.data)["operation"] == "create" for e in resumed.events[:3])
    finally:
        second_app.extensions["gisserver"].db.close()
        with psycopg.connect(database_url) as conn:
            conn.execute("DELETE FROM incidents WHERE source = 'test-restart'")


def test_filters_by_type_layer_and_bbox(api: Api, server: str, rows) -> None:
    near = Listener(f"{server}/api/events?types=feature&layers=incidents&bbox={CAMBRIDGE_BBOX}")
    shelters = Listener(f"{server}/api/events?layers=shelters")
    alerts_only = Listener(f"{server}/api/events?types=alert")
    try:
        far = report(api, FAR_AWAY, description="in Manhattan")
        close = report(api, CAMBRIDGE, description="in Cambridge")
        shelter = rows.shelter(*CAMBRIDGE, capacity=100)
        near.wait_for(lambda events: len(events) >= 1)
        shelters.wait_for(lambda events: len(events) >= 1)
        time.sleep(1.5)  # the stream had its chance to send the others too
        assert [json.loads(e.data)["featureId"] for e in near.events] == [close]
        assert far not in [json.loads(e.data)["featureId"] for e in near.events]
        assert [json.loads(e.data)["featureId"] for e in shelters.events] == [shelter]
        assert alerts_only.events == []
    finally:
        for listener in (near, shelters, alerts_only):
            listener.close()


def test_a_feature_moved_out_of_the_bbox_is_a_change_of_the_bbox(api: Api, server: str) -> None:
    incident = report(api, CAMBRIDGE, description="will move")
    listener = Listener(f"{server}/api/events?bbox={CAMBRIDGE_BBOX}")
    try:
        moved = api(
            "PATCH",
            f"incidents/items/{incident}",
            "operator",
            json={"geometry": {"type": "Point", "coordinates": list(FAR_AWAY)}},
            content_type="application/merge-patch+json",
        )
        assert moved.status_code == 200, moved.text
        listener.wait_for(
            lambda events: any(json.loads(e.data)["featureId"] == incident for e in events)
        )
    finally:
        listener.close()


def test_an_idle_stream_gets_heartbeats(server: str) -> None:
    response = requests.get(
        f"{server}/api/events?types=alert&layers=cameras", stream=True, timeout=(10, 30)
    )
    try:
        lines: list[bytes] = []
        for line in response.iter_lines():
            lines.append(line)
            if sum(1 for x in lines if x == b": heartbeat") >= 2:
                break
        assert lines[0] == b"retry: 2000"
    finally:
        response.close()


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("types=features", "types"),
        ("layers=roads", "layers"),
        ("bbox=1,2,3", "bbox"),
        ("bbox=10,10,0,0", "bbox"),
        ("lastEventId=abc", "Last-Event-ID"),
        ("lastEventId=%C2%B2", "Last-Event-ID"),  # a superscript 2: a digit to str.isdigit()
    ],
)
def test_bad_stream_parameters_are_named(server: str, query: str, parameter: str) -> None:
    answer = requests.get(f"{server}/api/events?{query}", timeout=30)
    assert answer.status_code == 400
    assert parameter in answer.json()["description"]


def test_changes_pages_the_same_events(api: Api, server: str, database_url: str) -> None:
    start = newest_event(database_url)
    made = [report(api, description=f"paged {i}") for i in range(5)]
    first = requests.get(
        f"{server}/api/changes?since={start}&limit=3&layers=incidents", timeout=30
    ).json()
    assert [e["featureId"] for e in first["events"]] == made[:3]
    assert first["numberReturned"] == 3 and first["since"] == start
    second = requests.get(first["links"][0]["href"], timeout=30).json()
    assert [e["featureId"] for e in second["events"]] == made[3:]
    ids = [e["id"] for e in first["events"] + second["events"]]
    assert ids == sorted(set(ids))
    for bad, parameter in (
        ("since=-1", "since"),
        ("since=%C2%B2", "since"),
        ("limit=0", "limit"),
        ("limit=5000", "limit"),
        ("types=x", "types"),
    ):
        answer = requests.get(f"{server}/api/changes?{bad}", timeout=30)
        assert answer.status_code == 400 and parameter in answer.json()["description"]


def test_concurrent_writers_give_every_event_once_in_commit_order(
    api: Api, server: str, database_url: str
) -> None:
    listener = Listener(f"{server}/api/events?layers=incidents")
    start = newest_event(database_url)
    made: list[int] = []
    lock = threading.Lock()

    def write(n: int) -> None:
        for i in range(10):
            incident = report(api, description=f"writer {n} #{i}")
            with lock:
                made.append(incident)

    writers = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    try:
        for w in writers:
            w.start()
        for w in writers:
            w.join()
        listener.wait_for(lambda events: len(events) >= len(made))
        streamed = [json.loads(e.data)["featureId"] for e in listener.events]
        assert sorted(streamed) == sorted(made)  # every one, once
        assert listener.ids() == sorted(listener.ids())
        with psycopg.connect(database_url) as conn:
            in_table = [
                r[0]
                for r in conn.execute(
                    "SELECT id FROM events WHERE id > %s AND layer = 'incidents' ORDER BY id",
                    (start,),
                )
            ]
        assert listener.ids() == in_table
    finally:
        listener.close()


def test_event_ids_follow_commit_order_not_start_order(database_url: str, rows) -> None:
    """A transaction that wrote first but commits last gets the later id: a reader that has
    seen an id has seen every event before it."""
    shelter = rows.shelter(*CAMBRIDGE, capacity=10)
    other = rows.shelter(*FAR_AWAY, capacity=10)
    start = newest_event(database_url)
    slow = psycopg.connect(database_url)
    fast_done = threading.Event()
    try:
        slow.execute("UPDATE shelters SET occupancy = 1 WHERE id = %s", (shelter,))

        def fast() -> None:
            with psycopg.connect(database_url) as conn:
                conn.execute("UPDATE shelters SET occupancy = 2 WHERE id = %s", (other,))
            fast_done.set()

        thread = threading.Thread(target=fast)
        thread.start()
        # the fast one waits for the feed's lock: it cannot commit an id before ours
        assert not fast_done.wait(1.0)
        slow.commit()
        thread.join(30)
        assert fast_done.is_set()
        with psycopg.connect(database_url) as conn:
            order = [
                r[0]
                for r in conn.execute(
                    "SELECT feature_id FROM events WHERE id > %s AND layer = 'shelters'"
                    " AND feature_id IN (%s, %s) ORDER BY id",
                    (start, shelter, other),
                )
            ]
        assert order == [shelter, other]
    finally:
        slow.close()


def test_a_rolled_back_change_leaves_no_event_and_events_are_append_only(
    database_url: str, rows
) -> None:
    shelter = rows.shelter(*CAMBRIDGE, capacity=10)
    before = newest_event(database_url)
    with psycopg.connect(database_url) as conn:
        conn.execute("UPDATE shelters SET occupancy = 3 WHERE id = %s", (shelter,))
        conn.rollback()
        assert newest_event(database_url) == before
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM events WHERE id = %s", (before,))


@pytest.fixture(scope="module")
def locked(settings: Settings) -> Iterator[tuple[Flask, str]]:
    app = create_app(settings.model_copy(update={"reads_require_key": True}))
    with serving(app) as base:
        yield app, base
    app.extensions["gisserver"].db.close()


def test_where_reads_need_a_key_the_stream_takes_a_token_never_the_key_in_the_url(
    locked: tuple[Flask, str], keys: dict[str, Key], database_url: str
) -> None:
    app, base = locked
    assert requests.get(f"{base}/api/events", timeout=30).status_code == 401
    viewer = keys["viewer"]
    bearer = {"Authorization": f"Bearer {viewer.secret}"}
    with_header = Listener(f"{base}/api/events", headers=bearer)
    assert with_header.status == 200
    with_header.close()
    # the key itself in the URL is not a credential
    assert requests.get(f"{base}/api/events?token={viewer.secret}", timeout=30).status_code == 401
    assert requests.post(f"{base}/api/events/token", timeout=30).status_code == 401
    issued = requests.post(f"{base}/api/events/token", headers=bearer, timeout=30)
    assert issued.status_code == 200
    token = issued.json()["token"]
    assert viewer.secret not in json.dumps(issued.json())
    expires = dt.datetime.fromisoformat(issued.json()["expires"].replace("Z", "+00:00"))
    assert dt.timedelta(0) < expires - dt.datetime.now(dt.UTC) <= dt.timedelta(minutes=5)
    with_token = Listener(issued.json()["stream"])
    assert with_token.status == 200
    with_token.close()
    # altered, expired, or used elsewhere than the stream: refused
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert requests.get(f"{base}/api/events?token={tampered}", timeout=30).status_code == 401
    secret = app.extensions[auth.TOKEN_SECRET]
    old = sign_token(secret, viewer.name, dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))
    assert requests.get(f"{base}/api/events?token={old}", timeout=30).status_code == 401
    assert requests.get(f"{base}/ogc/collections?token={token}", timeout=30).status_code == 401
    # a revoked key's tokens stop working
    with psycopg.connect(database_url) as conn:
        conn.execute("UPDATE api_keys SET revoked_at = now() WHERE name = %s", (viewer.name,))
    try:
        assert requests.get(f"{base}/api/events?token={token}", timeout=30).status_code == 401
    finally:
        with psycopg.connect(database_url) as conn:
            conn.execute("UPDATE api_keys SET revoked_at = NULL WHERE name = %s", (viewer.name,))


def test_streams_beyond_the_limit_get_503_with_retry_after(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"events_max_streams": 1}))
    try:
        with serving(app) as base:
            first = Listener(f"{base}/api/events")
            assert first.status == 200
            second = requests.get(f"{base}/api/events", timeout=30)
            assert second.status_code == 503
            assert "GISSERVER_EVENTS_MAX_STREAMS" in second.json()["description"]
            assert second.headers["Retry-After"]
            first.close()
    finally:
        app.extensions["gisserver"].db.close()


def test_an_etl_load_is_in_the_feed_with_its_run(
    server: str, settings: Settings, database_url: str, sources
) -> None:
    from gisserver.etl import load_file
    from gisserver.settings import PROJECT_ROOT

    start = newest_event(database_url)
    with psycopg.connect(database_url) as conn:
        report = load_file(
            conn,
            "shelters",
            PROJECT_ROOT / "etl" / "data" / "cambridge" / "PUBLICSAFETY_EmergencyShelters.geojson",
            source=sources("feed"),
            mapping=PROJECT_ROOT / "etl" / "mappings" / "cambridge_shelters.yaml",
            settings=settings,
        )
    assert report.inserted == 15
    page = requests.get(
        f"{server}/api/changes?since={start}&layers=shelters&limit=100", timeout=30
    ).json()
    loaded = [e for e in page["events"] if e.get("etlRun") == report.run_id]
    assert len(loaded) == 15
    assert {e["operation"] for e in loaded} == {"create"}
    assert all(e["feature"]["geometry"]["type"] == "Point" for e in loaded)
