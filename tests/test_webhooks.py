"""Webhook subscriptions over real HTTP and their deliveries by a real ``gisserver worker``
subprocess to a real receiver on 127.0.0.1: signed, every event once and in order, retried after
errors with each attempt on record, filtered, suspended after the retry window and resumed
without a loss; the refusals that keep the server from calling addresses a client chose; admin
only; the secret never served but once."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import shutil
import ssl
import subprocess
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psycopg
import pytest
import schemathesis
from editing import api_keys
from flask import Flask
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from live import serving
from schemathesis.generation import GenerationMode
from webhook_receiver import WorkerProcess, receiving, wait_until, worker_env

from gisserver.feed.delivery import IN_FLIGHT, backoff_seconds, post
from gisserver.feed.events import read_events
from gisserver.feed.webhooks import allowed_networks, refusal
from gisserver.layers import LayerRegistry
from gisserver.settings import Settings
from gisserver.web import auth

# Far from every other test's data: the bbox filters here see only ours.
LON, LAT = -150.0, 50.0


@pytest.fixture(scope="module")
def keys(database_url: str) -> Iterator[dict[str, str]]:
    """A key of every role (`gisserver keys create`, editing.api_keys): role -> secret."""
    with api_keys(database_url, "hooks") as made:
        yield {role: key.secret for role, key in made.items()}


@pytest.fixture(autouse=True)
def fresh_limiter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "LIMITER", auth.FailureLimiter())


@pytest.fixture(scope="module")
def live(app: Flask) -> Iterator[str]:
    """The app as deployed by default: no private address allowed."""
    with serving(app) as base:
        yield base


@pytest.fixture(scope="module")
def hooks_live(settings: Settings) -> Iterator[str]:
    """An app whose admin allowed 127.0.0.1 (the receiver of these tests)."""
    from gisserver.app import create_app

    application = create_app(settings.model_copy(update={"webhook_allowed_networks": "127.0.0.1"}))
    with serving(application) as base:
        yield base
    application.extensions["gisserver"].db.close()
    application.extensions["gisserver"].editor.close()


@pytest.fixture()
def db(database_url: str) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(database_url, autocommit=True) as connection:
        yield connection


def call(url: str, method: str = "GET", body: Any = None, *, key: str | None = None) -> Any:
    """One HTTP request: (status, headers, the JSON body or None, the raw text)."""
    data = None if body is None else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"} if data is not None else {}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, got, text = response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        status, got, text = exc.code, exc.headers, exc.read()
    return status, got, json.loads(text) if text else None, text.decode()


class Admin:
    """The admin's calls to /api/subscriptions on one server; deletes what it made."""

    def __init__(self, base: str, key: str, database_url: str) -> None:
        self.base, self.key, self.database_url = base, key, database_url
        self.made: list[int] = []

    def subscribe(self, **body: Any) -> dict[str, Any]:
        status, headers, document, _ = call(
            f"{self.base}/api/subscriptions", "POST", body, key=self.key
        )
        assert status == 201, document
        assert headers["Location"] == f"/api/subscriptions/{document['id']}"
        self.made.append(document["id"])
        return document

    def get(self, path: str = "") -> Any:
        status, _, document, _ = call(f"{self.base}/api/subscriptions{path}", key=self.key)
        assert status == 200, document
        return document

    def deliveries(self, subscription_id: int) -> list[dict[str, Any]]:
        document = self.get(f"/{subscription_id}/deliveries?limit=1000")
        return document["deliveries"]

    def cleanup(self) -> None:
        with psycopg.connect(self.database_url) as conn:
            conn.execute("DELETE FROM subscriptions WHERE id = ANY(%s)", (self.made,))


@pytest.fixture()
def admin(hooks_live: str, keys: dict[str, str], database_url: str) -> Iterator[Admin]:
    made = Admin(hooks_live, keys["admin"], database_url)
    yield made
    made.cleanup()


@pytest.fixture()
def worker(
    settings: Settings, database_url: str, tmp_path: Path, admin: Admin, rows: Any
) -> Iterator[Callable[..., WorkerProcess]]:
    """Starts ``gisserver worker`` subprocesses (settings as keyword overrides); stops them
    before the test's rows and subscriptions are deleted."""
    started: list[WorkerProcess] = []

    def start(**overrides: str) -> WorkerProcess:
        env = worker_env(settings, database_url, **overrides)
        process = WorkerProcess(env, tmp_path / f"worker-{len(started)}.log")
        started.append(process)
        process.wait_log("worker: active")
        return process

    yield start
    for process in started:
        process.stop()


def last_event(db: psycopg.Connection[Any]) -> int:
    row = db.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()
    assert row is not None
    return int(row[0])


def verify(secret: str, body: bytes, header: str) -> bool:
    """What a receiver does (docs/webhooks.md)."""
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header)


def test_every_event_arrives_once_in_order_signed_as_the_feed_sends_it(
    admin: Admin, worker, rows, db, layers: LayerRegistry
):
    secret = "a-secret-of-the-receiver-" + uuid.uuid4().hex
    with receiving() as receiver:
        subscription = admin.subscribe(url=receiver.url, secret=secret)
        first = subscription["cursor"]
        worker()
        shelter = rows.shelter(LON, LAT, capacity=100, occupancy=0)
        for occupancy in (10, 20, 30):
            db.execute("UPDATE shelters SET occupancy = %s WHERE id = %s", (occupancy, shelter))
        db.execute("DELETE FROM shelters WHERE id = %s", (shelter,))
        last = last_event(db)
        got = receiver.wait_for(last)
        with db.cursor() as cur:
            expected = [
                r[0]
                for r in cur.execute(
                    "SELECT id FROM events WHERE id > %s AND id <= %s ORDER BY id", (first, last)
                )
            ]
        ids = [call.event_id for call in got]
        assert ids[: len(expected)] == expected  # each once, in order
        assert len(receiver.received()) == len(ids)  # no failed call, no repeat
        ours = [c for c in got if json.loads(c.body).get("featureId") == shelter]
        assert [json.loads(c.body)["operation"] for c in ours] == [
            "create",
            "update",
            "update",
            "update",
            "delete",
        ]
        events = {
            e.id: e for e in read_events(db, layers, after=first, base_url="http://gis.example")
        }
        for c in got[: len(expected)]:
            assert c.path == "/hook"
            assert c.headers["Content-Type"] == "application/json"
            assert c.body == events[c.event_id].data.encode()  # what the SSE stream sends
            assert c.headers["X-Gisserver-Event"] == events[c.event_id].type
            assert verify(secret, c.body, c.headers["X-Gisserver-Signature"])
            assert not verify("another secret of 16+", c.body, c.headers["X-Gisserver-Signature"])
        deliveries = admin.deliveries(subscription["id"])
        assert [d["id"] for d in deliveries] == sorted((d["id"] for d in deliveries), reverse=True)
        by_event = {d["eventId"]: d for d in deliveries}
        for c in got[: len(expected)]:
            record = by_event[c.event_id]
            assert record["delivered"] and record["statusCode"] == 204 and record["attempt"] == 1
            assert str(record["id"]) == c.headers["X-Gisserver-Delivery"]
        assert admin.get(f"/{subscription['id']}")["cursor"] >= last


def test_errors_are_retried_with_each_attempt_on_record_and_order_kept(
    admin: Admin, worker, rows, db
):
    with receiving(fail_first=3) as receiver:
        subscription = admin.subscribe(
            url=receiver.url, bbox=[LON - 1, LAT - 1, LON + 1, LAT + 1], types=["feature"]
        )
        worker()
        one = rows.shelter(LON, LAT)
        two = rows.shelter(LON + 0.1, LAT)
        last = last_event(db)
        receiver.wait_for(last)
        calls = receiver.received()
        assert [c.answered for c in calls] == [500, 500, 500, 204, 204]
        ids = [c.event_id for c in calls]
        assert ids == sorted(ids) and len(set(ids)) == 2  # the second waits for the first
        assert [json.loads(c.body)["featureId"] for c in calls[-2:]] == [one, two]
        attempts = sorted(admin.deliveries(subscription["id"]), key=lambda d: d["id"])
        assert [(d["attempt"], d["delivered"], d["statusCode"]) for d in attempts] == [
            (1, False, 500),
            (2, False, 500),
            (3, False, 500),
            (4, True, 204),
            (1, True, 204),
        ]
        assert all(d["error"] == "answered HTTP 500" for d in attempts[:3])
        assert [d["at"] for d in attempts] == sorted(d["at"] for d in attempts)
        shown = admin.get(f"/{subscription['id']}")
        assert shown["attempts"] == 0 and shown["failingSince"] is None
        assert shown["status"] == "active"


def test_the_delay_between_retries_doubles_up_to_its_cap_with_jitter():
    delays = [backoff_seconds(n, 10, 3600) for n in range(1, 12)]
    for n, delay in enumerate(delays, start=1):
        assert 0.75 * min(3600, 10 * 2 ** (n - 1)) <= delay <= min(3600, 10 * 2 ** (n - 1))
    assert max(delays) <= 3600 and delays[0] <= 10


def test_types_layers_and_bbox_filters_are_respected(admin: Admin, worker, rows, db):
    box = [LON - 1, LAT - 1, LON + 1, LAT + 1]
    with receiving() as alerts, receiving() as incidents, receiving() as boxed:
        admin.subscribe(url=alerts.url, types=["alert"], bbox=box)
        admin.subscribe(url=incidents.url, types=["feature"], layers=["incidents"])
        admin.subscribe(url=boxed.url, bbox=box)
        worker()
        inside = rows.shelter(LON, LAT)
        rows.shelter(LON + 20, LAT)  # outside the box
        far_incident = rows.incident((LON + 20, LAT))
        db.execute(
            "INSERT INTO alerts (rule, subject, event, severity, headline, geom) VALUES"
            " ('test-hooks', %s, 'Test', 'minor', 'a test alert',"
            "  ST_SetSRID(ST_MakePoint(%s, %s), 4326))",
            (f"shelters/{inside}", LON, LAT),
        )
        try:
            last = last_event(db)
            ours = {s["id"] for s in admin.get()["subscriptions"]} & set(admin.made)
            wait_until(
                lambda: all(
                    s["cursor"] >= last for s in admin.get()["subscriptions"] if s["id"] in ours
                ),
                "every subscription's cursor past the last event",
            )

            def seen(receiver: Any) -> list[tuple[str, str, int]]:
                documents = [json.loads(c.body) for c in receiver.delivered()]
                return [(d["type"], d["layer"], d["featureId"]) for d in documents]

            assert [(t, layer) for t, layer, _ in seen(alerts)] == [("alert", "alerts")]
            assert seen(incidents) == [("feature", "incidents", far_incident)]
            assert [(t, layer, fid) for t, layer, fid in seen(boxed) if t == "feature"] == [
                ("feature", "shelters", inside)
            ]
            assert [t for t, _, _ in seen(boxed)] == ["feature", "alert"]
        finally:
            db.execute("DELETE FROM alerts WHERE rule = 'test-hooks'")


def test_a_subscription_failing_past_the_retry_window_is_suspended_and_resumes_losing_nothing(
    admin: Admin, worker, rows, db
):
    with receiving() as receiver:
        receiver.failing = True
        subscription = admin.subscribe(url=receiver.url, bbox=[LON - 1, LAT - 1, LON + 1, LAT + 1])
        worker(webhook_retry_hours="0.0003")  # about a second
        made = [rows.shelter(LON, LAT + i / 100) for i in range(3)]
        wait_until(
            lambda: admin.get(f"/{subscription['id']}")["status"] == "suspended", "suspended"
        )
        assert receiver.delivered() == []
        assert all(not d["delivered"] for d in admin.deliveries(subscription["id"]))
        receiver.failing = False
        status, _, resumed, _ = call(
            f"{admin.base}/api/subscriptions/{subscription['id']}/resume", "POST", key=admin.key
        )
        assert status == 200 and resumed["status"] == "active"
        last = last_event(db)
        got = receiver.wait_for(last)
        assert [json.loads(c.body)["featureId"] for c in got] == made


def test_a_slow_receiver_does_not_hold_up_the_others(admin: Admin, worker, rows, db):
    box = [LON - 1, LAT - 1, LON + 1, LAT + 1]
    with receiving(delay_s=1.0) as slow, receiving() as quick:
        admin.subscribe(url=slow.url, bbox=box)
        admin.subscribe(url=quick.url, bbox=box)
        worker()
        made = [rows.shelter(LON, LAT + i / 1000) for i in range(6)]
        got = quick.wait_for(last_event(db))
        assert [json.loads(c.body)["featureId"] for c in got] == made
        assert len(slow.received()) < len(made)  # still at its first events (1 s each)
        got = slow.wait_for(last_event(db))
        assert [json.loads(c.body)["featureId"] for c in got] == made


# ---------------------------------------------------------------------------------------------
# Where the server may send requests


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/hook",
        "http://10.1.2.3/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:8080/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://0.0.0.0/hook",
        "http://localhost:5000/hook",
        "file:///etc/passwd",
        "ftp://example.org/hook",
        "gopher://example.org/",
        "http://user:password@example.org/hook",
        "https:///no-host",
        "not a url",
    ],
)
def test_urls_the_server_must_not_call_are_refused_naming_url(live: str, keys, url: str):
    status, _, document, _ = call(
        f"{live}/api/subscriptions", "POST", {"url": url}, key=keys["admin"]
    )
    assert status == 422, document
    assert document["description"].startswith("url: ")
    assert "accepted: an http or https URL" in document["description"]


def test_addresses_that_are_not_public_are_refused_unless_allowed():
    for text in (
        "127.0.0.1",
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "169.254.169.254",
        "::1",
        "::ffff:10.0.0.1",
        "fe80::1",
        "fc00::1",
        "224.0.0.1",
        "0.0.0.0",
        "100.64.0.1",
        "240.0.0.1",
    ):
        assert refusal(ipaddress.ip_address(text)) is not None, text
    for text in ("8.8.8.8", "2001:4860:4860::8888", "93.184.216.34"):
        assert refusal(ipaddress.ip_address(text)) is None, text
    allowed = allowed_networks("10.20.0.0/16, 127.0.0.1")
    assert refusal(ipaddress.ip_address("10.20.3.4"), allowed) is None
    assert refusal(ipaddress.ip_address("127.0.0.1"), allowed) is None
    assert refusal(ipaddress.ip_address("10.21.0.1"), allowed) is not None


def test_an_address_is_checked_again_at_delivery_time(admin: Admin, worker, rows, db):
    """Allowed when it was made, not by the worker's settings: nothing is sent, each attempt
    says why; a host name is resolved and its addresses checked the same way."""
    with receiving() as receiver:
        port = receiver.server.server_port
        by_address = admin.subscribe(url=receiver.url, bbox=[LON - 1, LAT - 1, LON + 1, LAT + 1])
        by_name = admin.subscribe(
            url=f"http://localhost:{port}/hook", bbox=[LON - 1, LAT - 1, LON + 1, LAT + 1]
        )
        worker(webhook_allowed_networks="")
        rows.shelter(LON, LAT)
        for subscription in (by_address, by_name):
            # An attempt's row is on record (IN_FLIGHT) before its outcome: wait for the outcome.
            attempts = wait_until(
                lambda s=subscription: [
                    a for a in admin.deliveries(s["id"]) if a["error"] != IN_FLIGHT
                ],
                "an attempt with its outcome on record",
            )
            assert not attempts[0]["delivered"] and attempts[0]["statusCode"] is None
            assert "refused" in attempts[0]["error"] and "loopback" in attempts[0]["error"]
        assert receiver.received() == []


def test_redirects_are_not_followed_and_answers_are_read_up_to_64_kb():
    allowed = allowed_networks("127.0.0.1")
    with receiving() as elsewhere, receiving() as redirecting, receiving() as talkative:

        def redirect(handler: Any) -> bool:
            handler.send_response(307)
            handler.send_header("Location", elsewhere.url)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return True

        def large(handler: Any) -> bool:
            handler.send_response(200)
            handler.send_header("Content-Length", str(10 * 1024 * 1024))
            handler.end_headers()
            try:
                for _ in range(160):
                    handler.wfile.write(b"x" * 65536)
            except OSError:
                pass  # the client stopped reading: as it should
            return True

        redirecting.answer, talkative.answer = redirect, large
        options: dict[str, Any] = {"allowed": allowed, "connect_timeout": 5, "timeout": 10}
        moved = post(urlsplit(redirecting.url), b"{}", {}, **options)
        assert not moved.delivered and moved.status_code == 307
        assert "redirects are not followed" in (moved.error or "")
        assert elsewhere.received() == []
        answered = post(urlsplit(talkative.url), b"{}", {}, **options)
        assert answered.delivered and answered.status_code == 200
        refused = post(urlsplit(talkative.url), b"{}", {}, **options | {"allowed": ()})
        assert not refused.delivered and "loopback" in (refused.error or "")


def test_a_receiver_that_does_not_answer_in_time_is_a_failed_attempt():
    with receiving(delay_s=3) as slow:
        outcome = post(
            urlsplit(slow.url),
            b"{}",
            {},
            allowed=allowed_networks("127.0.0.1"),
            connect_timeout=1,
            timeout=0.5,
        )
    assert not outcome.delivered and outcome.status_code is None and outcome.error


# ---------------------------------------------------------------------------------------------
# The API: who may use it, what it accepts, what it shows


def test_only_an_admin_may_use_subscriptions(live: str, keys, admin: Admin):
    made = admin.subscribe(url="https://hooks.example.org/gis")
    paths = [
        ("POST", "", {"url": "https://hooks.example.org/x"}),
        ("GET", "", None),
        ("GET", f"/{made['id']}", None),
        ("DELETE", f"/{made['id']}", None),
        ("POST", f"/{made['id']}/resume", None),
        ("GET", f"/{made['id']}/deliveries", None),
    ]
    for method, path, body in paths:
        status, headers, document, _ = call(f"{live}/api/subscriptions{path}", method, body)
        assert status == 401 and "WWW-Authenticate" in headers, (method, path, document)
        status, _, document, _ = call(
            f"{live}/api/subscriptions{path}", method, body, key=keys["operator"]
        )
        assert status == 403, (method, path, document)


def test_the_secret_is_shown_once_when_the_server_made_it_and_never_again(admin: Admin):
    made = admin.subscribe(url="https://hooks.example.org/gis", types=["alert"])
    secret = made["secret"]
    assert len(secret) >= 32
    given = admin.subscribe(url="https://hooks.example.org/other", secret="s" * 20)
    assert "secret" not in given
    for path in ("", f"/{made['id']}", f"/{given['id']}"):
        status, _, _, text = call(f"{admin.base}/api/subscriptions{path}", key=admin.key)
        assert status == 200 and secret not in text and "s" * 20 not in text
        assert '"secret"' not in text
    shown = admin.get(f"/{made['id']}")
    assert shown["types"] == ["alert"] and shown["status"] == "active"
    assert shown["layers"] is None and shown["bbox"] is None
    assert shown["createdBy"].startswith("test-hooks-admin")


def test_a_new_subscription_starts_at_the_newest_event(admin: Admin, rows, db):
    rows.shelter(LON, LAT)
    made = admin.subscribe(url="https://hooks.example.org/gis")
    assert made["cursor"] == last_event(db)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "url"),
        ({"url": 12}, "url"),
        ({"url": "https://hooks.example.org/x", "secret": "short"}, "secret"),
        ({"url": "https://hooks.example.org/x", "types": ["feature", "weather"]}, "types"),
        ({"url": "https://hooks.example.org/x", "types": "feature"}, "types"),
        ({"url": "https://hooks.example.org/x", "layers": ["no_such_layer"]}, "layers"),
        ({"url": "https://hooks.example.org/x", "bbox": [1, 2, 3]}, "bbox"),
        ({"url": "https://hooks.example.org/x", "bbox": [10, 0, 5, 1]}, "bbox"),
        ({"url": "https://hooks.example.org/x", "colour": "red"}, "colour"),
    ],
)
def test_wrong_fields_are_422_naming_the_field_and_what_is_accepted(
    admin: Admin, body: dict[str, Any], field: str
):
    status, _, document, _ = call(f"{admin.base}/api/subscriptions", "POST", body, key=admin.key)
    assert status == 422, document
    assert document["description"].startswith(f"{field}: ")
    assert "accepted: " in document["description"]


def test_deleted_subscriptions_are_gone_and_deliveries_are_paged(admin: Admin, db):
    made = admin.subscribe(url="https://hooks.example.org/gis")
    with db.transaction():  # three attempts on record, as the worker writes them
        for attempt in (1, 2, 3):
            db.execute(
                "INSERT INTO deliveries (subscription_id, event_id, attempt, delivered,"
                " status_code, error) VALUES (%s, 1, %s, false, 503, 'answered HTTP 503')",
                (made["id"], attempt),
            )
    page = admin.get(f"/{made['id']}/deliveries?limit=2")
    assert [d["attempt"] for d in page["deliveries"]] == [3, 2]
    following = admin.get(page["next"].removeprefix("/api/subscriptions"))
    assert [d["attempt"] for d in following["deliveries"]] == [1]
    status, _, document, _ = call(
        f"{admin.base}/api/subscriptions/{made['id']}/deliveries?limit=0", key=admin.key
    )
    assert status == 400 and document["description"].startswith("limit: ")
    status, _, _, _ = call(f"{admin.base}/api/subscriptions/{made['id']}", "DELETE", key=admin.key)
    assert status == 204
    for path in (f"/{made['id']}", f"/{made['id']}/deliveries"):
        status, _, _, _ = call(f"{admin.base}/api/subscriptions{path}", key=admin.key)
        assert status == 404
    assert made["id"] not in [s["id"] for s in admin.get()["subscriptions"]]


def test_a_deleted_subscription_gets_nothing_more(admin: Admin, worker, rows, db):
    box = [LON - 1, LAT - 1, LON + 1, LAT + 1]
    with receiving() as kept, receiving() as ended:
        admin.subscribe(url=kept.url, bbox=box)
        gone = admin.subscribe(url=ended.url, bbox=box)
        worker()
        one = rows.shelter(LON, LAT)
        ended.wait_for(last_event(db))
        status, _, _, _ = call(
            f"{admin.base}/api/subscriptions/{gone['id']}", "DELETE", key=admin.key
        )
        assert status == 204
        two = rows.shelter(LON, LAT + 0.1)
        got = kept.wait_for(last_event(db))
        assert [json.loads(c.body)["featureId"] for c in got] == [one, two]
        assert [json.loads(c.body)["featureId"] for c in ended.received()] == [one]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_subscriptions_never_answer_a_server_error(
    app: Flask, keys, database_url: str, mode: GenerationMode
):
    """Fuzzed as an admin from the OpenAPI document: 2xx or 4xx, never 5xx."""
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    failures: list[Any] = []
    exercised: set[tuple[str, str]] = set()
    headers = {"Authorization": f"Bearer {keys['admin']}"}
    try:
        for result in schema.get_all_operations():
            operation = result.ok()
            if not operation.path.startswith("/api/subscriptions"):
                continue

            @given(operation.as_strategy(generation_mode=mode))
            @hypothesis_settings(
                max_examples=25,
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def run(case: Any) -> None:
                response = case.call(headers=headers)
                exercised.add((case.method, case.path))
                if response.status_code >= 500:
                    failures.append((case.method, case.path, case.body, response.text[:300]))

            try:
                run()
            except Unsatisfiable:
                if mode is not GenerationMode.NEGATIVE:
                    raise
    finally:
        with psycopg.connect(database_url) as conn:
            conn.execute("DELETE FROM subscriptions WHERE created_by LIKE 'test-hooks-admin-%'")
    assert failures == [], failures[:5]
    assert {
        ("POST", "/api/subscriptions"),
        ("GET", "/api/subscriptions/{id}/deliveries"),
    } <= exercised


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")
def test_https_checks_the_certificate_against_the_host_name(tmp_path: Path):
    """A receiver whose certificate no authority signed is a failed attempt, not a delivery."""
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    with receiving() as receiver:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        receiver.server.socket = context.wrap_socket(receiver.server.socket, server_side=True)
        url = urlsplit(receiver.url.replace("http://", "https://"))
        outcome = post(
            url, b"{}", {}, allowed=allowed_networks("127.0.0.1"), connect_timeout=5, timeout=10
        )
        assert not outcome.delivered and outcome.status_code is None
        assert "TLS" in (outcome.error or "") and "CERTIFICATE_VERIFY_FAILED" in outcome.error
        assert receiver.received() == []
