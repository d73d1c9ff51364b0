"""``gisserver worker`` as a real subprocess: one active per database while another stands by
and takes over; at least once across a kill -9 (nothing lost, order kept, at most the event in
flight sent twice); a lost database connection heals by itself; SIGTERM ends it cleanly."""

from __future__ import annotations

import json
import signal
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from webhook_receiver import WorkerProcess, receiving, wait_until, worker_env

from gisserver.feed.webhooks import NewSubscription, allowed_networks, create_subscription
from gisserver.settings import Settings

LON, LAT = -140.0, 55.0
BOX = [LON - 1, LAT - 1, LON + 1, LAT + 1]


@pytest.fixture()
def db(database_url: str) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(database_url, autocommit=True) as connection:
        yield connection


@pytest.fixture()
def subscribe(db: psycopg.Connection[Any]) -> Iterator[Callable[[str], int]]:
    """Subscriptions to our box (as the API makes them); deleted afterwards."""
    made: list[int] = []

    def make(url: str) -> int:
        new = NewSubscription.from_json(
            {"url": url, "secret": "worker-tests-" + uuid.uuid4().hex, "bbox": BOX},
            layer_ids=["shelters"],
            allowed=allowed_networks("127.0.0.1"),
        )
        with db.transaction():
            row = create_subscription(db, new, "test-worker")
        made.append(row["id"])
        return int(row["id"])

    yield make
    db.execute("DELETE FROM subscriptions WHERE id = ANY(%s)", (made,))


@pytest.fixture()
def workers(
    settings: Settings, database_url: str, tmp_path: Path, subscribe: Any, rows: Any
) -> Iterator[Callable[..., WorkerProcess]]:
    """Starts workers; they are killed before the test's rows and subscriptions go."""
    started: list[WorkerProcess] = []

    def start(**overrides: str) -> WorkerProcess:
        env = worker_env(settings, database_url, **overrides)
        process = WorkerProcess(env, tmp_path / f"worker-{len(started)}.log")
        started.append(process)
        return process

    yield start
    for process in started:
        process.stop(signal.SIGKILL)


def test_one_worker_is_active_and_a_second_stands_by_then_takes_over(workers, subscribe, rows, db):
    with receiving() as receiver:
        subscribe(receiver.url)
        first = workers()
        first.wait_log("worker: active")
        second = workers()
        second.wait_log("standby")
        assert "worker: active" not in second.log()
        one = rows.shelter(LON, LAT)
        receiver.wait_for(_last(db))
        assert first.stop(signal.SIGTERM) == 0
        assert "worker: stopped" in first.log()
        second.wait_log("worker: active")
        two = rows.shelter(LON, LAT + 0.1)
        got = receiver.wait_for(_last(db))
        assert [json.loads(c.body)["featureId"] for c in got] == [one, two]  # each once
        third = workers()
        third.wait_log("standby")
        assert third.stop(signal.SIGTERM) == 0  # a standby stops cleanly too
        assert "worker: stopped" in third.log() and "worker: active" not in third.log()


def test_at_least_once_across_a_kill_and_a_restart(workers, subscribe, rows, db):
    with receiving(delay_s=0.1) as receiver:
        subscription = subscribe(receiver.url)
        worker = workers()
        worker.wait_log("worker: active")
        made = [rows.shelter(LON, LAT + i / 1000) for i in range(12)]
        last = _last(db)
        wait_until(lambda: len(receiver.received()) >= 4, "four deliveries")
        worker.stop(signal.SIGKILL)
        workers().wait_log("worker: active")
        got = receiver.wait_for(last)
        ids = [c.event_id for c in got]
        assert ids == sorted(ids), "order kept"
        assert list(dict.fromkeys(ids)) == ids[:1] + [
            i for n, i in enumerate(ids[1:], 1) if i != ids[n - 1]
        ]
        assert len(ids) - len(set(ids)) <= 1, "at most the event in flight sent twice"
        features = list(dict.fromkeys(json.loads(c.body)["featureId"] for c in got))
        assert features == made, "no event lost"
        # the cursor moves when the worker has the receiver's answer, just after it recorded it
        wait_until(
            lambda: (
                db.execute(
                    "SELECT cursor FROM subscriptions WHERE id = %s", (subscription,)
                ).fetchone()[0]
                == last
            ),
            f"the cursor at event {last}",
        )


def test_a_lost_database_connection_heals_by_itself(workers, subscribe, rows, db):
    with receiving() as receiver:
        subscribe(receiver.url)
        worker = workers()
        worker.wait_log("worker: active")
        db.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE application_name = 'gisserver worker'"
        )
        worker.wait_log("database is unavailable")
        worker.wait_log("the database is back")
        one = rows.shelter(LON, LAT)
        got = receiver.wait_for(_last(db))
        assert [json.loads(c.body)["featureId"] for c in got] == [one]
        assert worker.proc.poll() is None
        assert worker.log().count("database is unavailable") == 1  # one line, no traceback
        assert "Traceback" not in worker.log()
        assert worker.stop(signal.SIGINT) == 0


def _last(db: psycopg.Connection[Any]) -> int:
    row = db.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()
    assert row is not None
    return int(row[0])
