"""The live flow end to end, as the README walks it: a duty officer follows ``/api/events`` (a real
SSE client over real HTTP), an analyst draws a hazard zone, an operator logs an incident inside
it, and the feature event and the "incident in hazard zone" alert that the worker (``gisserver
worker``, a real subprocess) raises both arrive on the stream; the alert is acknowledged and
resolved over the API, and each step is an event too; a webhook subscriber gets the same
events, signed."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from editing import Api, Key, api_keys, feature, feature_id
from flask import Flask
from live import serving
from test_events import Listener
from webhook_receiver import WorkerProcess, receiving, worker_env

from gisserver.app import create_app
from gisserver.settings import Settings

# A block of Cambridge by the Charles (the zone) and a point inside it (the incident).
ZONE = [[-71.1180, 42.3660], [-71.1100, 42.3660], [-71.1100, 42.3710], [-71.1180, 42.3710]]
INSIDE = (-71.1140, 42.3685)


@pytest.fixture(scope="module")
def keys(database_url: str) -> Iterator[dict[str, Key]]:
    with api_keys(database_url) as made:
        yield made


@pytest.fixture()
def server(settings: Settings) -> Iterator[str]:
    app: Flask = create_app(
        settings.model_copy(update={"webhook_allowed_networks": "127.0.0.1/32"})
    )
    with serving(app) as base:
        yield base
    app.extensions["gisserver"].db.close()


@pytest.fixture()
def worker(settings: Settings, database_url: str, tmp_path: Path) -> Iterator[WorkerProcess]:
    process = WorkerProcess(worker_env(settings, database_url), tmp_path / "worker.log")
    process.wait_log("active")
    yield process
    assert process.stop(signal.SIGTERM) == 0, process.log()


def test_an_incident_in_a_hazard_zone_reaches_the_stream_and_a_subscriber_with_its_alert(
    server: str, worker: WorkerProcess, keys: dict[str, Key]
) -> None:
    api = Api(server, keys)
    admin = {"Authorization": f"Bearer {keys['admin'].secret}"}
    with receiving() as receiver:
        subscription = requests.post(
            f"{server}/api/subscriptions",
            json={"url": receiver.url, "secret": "live-flow-secret", "layers": ["incidents"]},
            headers=admin,
            timeout=30,
        )
        assert subscription.status_code == 201, subscription.text
        stream = Listener(f"{server}/api/events")
        try:
            zone = api(
                "POST",
                "hazard_zones/items",
                "analyst",
                json=feature(
                    {"type": "Polygon", "coordinates": [[*ZONE, ZONE[0]]]},
                    hazard_type="flood",
                    severity="high",
                    name="Charles River flood warning",
                    valid_from=(dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).isoformat(),
                ),
            )
            assert zone.status_code == 201, zone.text
            logged = api(
                "POST",
                "incidents/items",
                "operator",
                json=feature(
                    INSIDE,
                    incident_type="medical",
                    severity="moderate",
                    reported_at=dt.datetime.now(dt.UTC).isoformat(),
                    description="a person trapped in a flooded basement",
                ),
            )
            assert logged.status_code == 201, logged.text
            committed = time.monotonic()
            incident = feature_id(logged)
            subject = f"incidents/{incident}"

            def alert_of(events: list) -> dict | None:
                for event in events:
                    data = json.loads(event.data)
                    if event.event == "alert" and data["alert"]["properties"]["subject"] == subject:
                        return data
                return None

            stream.wait_for(lambda events: alert_of(events) is not None)
            arrived_s = time.monotonic() - committed
            print(f"the alert reached the stream {arrived_s * 1000:.0f} ms after the commit")
            kinds = [
                (e.event, json.loads(e.data)["layer"], json.loads(e.data)["featureId"])
                for e in stream.events
            ]
            assert ("feature", "incidents", incident) in kinds
            # the feature event comes first: the alert is raised after the change it is about
            assert (
                kinds.index(("feature", "incidents", incident))
                < [i for i, (kind, _, _) in enumerate(kinds) if kind == "alert"][-1]
            )
            raised = alert_of(stream.events)
            assert raised is not None
            properties = raised["alert"]["properties"]
            assert properties["rule"] == "incident_in_hazard_zone"
            assert properties["status"] == "active"
            assert "Charles River flood warning" in properties["headline"]
            alert_id = raised["featureId"]

            # the duty officer acknowledges, then resolves: each an event, audited with who
            operator = {"Authorization": f"Bearer {keys['operator'].secret}"}
            for step, status in (("ack", "acknowledged"), ("resolve", "resolved")):
                answer = requests.post(
                    f"{server}/api/alerts/{alert_id}/{step}",
                    json={"note": f"{step} from the live-flow test"},
                    headers=operator,
                    timeout=30,
                )
                assert answer.status_code == 200, answer.text
                stream.wait_for(
                    lambda events, status=status: any(
                        e.event == "alert"
                        and json.loads(e.data)["featureId"] == alert_id
                        and json.loads(e.data)["alert"]["properties"]["status"] == status
                        for e in events
                    )
                )
            trail = requests.get(
                f"{server}/api/audit?layer=alerts&feature={alert_id}",
                headers={"Authorization": f"Bearer {keys['analyst'].secret}"},
                timeout=30,
            ).json()["entries"]
            assert [entry["actor"] for entry in trail] == [
                "alert-rules",
                keys["operator"].name,
                keys["operator"].name,
            ]

            # the subscriber got the incident's event, signed, and no other layer's
            delivered = receiver.wait_for(
                next(
                    int(e.id)
                    for e in stream.events
                    if e.event == "feature"
                    and json.loads(e.data)["layer"] == "incidents"
                    and json.loads(e.data)["featureId"] == incident
                )
            )
            mine = [
                r
                for r in delivered
                if json.loads(r.body)["layer"] == "incidents"
                and json.loads(r.body)["featureId"] == incident
            ]
            assert mine, [r.body for r in delivered]
            expected = hmac.new(b"live-flow-secret", mine[0].body, hashlib.sha256).hexdigest()
            assert mine[0].headers["X-Gisserver-Signature"] == f"sha256={expected}"
            assert all(
                json.loads(r.body)["layer"] == "incidents"
                for r in delivered
                if json.loads(r.body)["type"] == "feature"
            )
        finally:
            stream.close()
            requests.delete(
                f"{server}/api/subscriptions/{subscription.json()['id']}",
                headers=admin,
                timeout=30,
            )
