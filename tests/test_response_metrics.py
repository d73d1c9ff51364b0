"""GET /api/metrics/response: per incident and aggregated, against incidents, transitions and
assignments the test wrote, with the metrics computed here in Python from the times it chose
or observed (the aggregates with statistics); the window and type filters, paging, the open
on-scene time, and 400s."""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterator

import pytest
from conftest import SyntheticRows
from flask.testing import FlaskClient
from records import History, Recorder, recorder

from gisserver.settings import Settings

LON, LAT = 31.0, -31.0
MIN = dt.timedelta(minutes=1)
# A day long ago that no other test reports incidents on.
DAY = dt.datetime(2001, 3, 7, tzinfo=dt.UTC)
FROM, TO = "2001-03-07T00:00:00Z", "2001-03-08T00:00:00Z"


@pytest.fixture()
def record(settings: Settings, database_url: str, rows: SyntheticRows) -> Iterator[Recorder]:
    with recorder(settings, database_url, rows.source) as made:
        yield made


def _seconds(delta: dt.timedelta | None) -> float | None:
    return None if delta is None else delta.total_seconds()


def _expected(history: History, now: dt.datetime | None = None) -> dict[str, object]:
    """The four metrics from what the test wrote (docs/after-action.md)."""
    t0 = history.reported_at
    verified = [at for _, to, at, _ in history.transitions if to == "verified"]
    arrived = [a for a in history.assignments if a.on_scene_at is not None]
    on_scene = None
    open_ = any(a.released_at is None for a in arrived)
    if arrived and not open_:
        on_scene = max(a.released_at for a in arrived) - min(a.on_scene_at for a in arrived)  # type: ignore[type-var]
    elif arrived:
        finished = [at for _, to, at, _ in history.transitions if to == "resolved"]
        end = finished[-1] if finished else now
        on_scene = end - min(a.on_scene_at for a in arrived)  # type: ignore[operator,type-var]
    return {
        "time_to_verify_s": _seconds(min(verified) - t0 if verified else None),
        "time_to_dispatch_s": _seconds(
            min(a.assigned_at for a in history.assignments) - t0 if history.assignments else None
        ),
        "time_to_first_arrival_s": _seconds(
            min(a.on_scene_at for a in arrived) - t0 if arrived else None  # type: ignore[type-var]
        ),
        "on_scene_s": _seconds(on_scene),
        "on_scene_open": open_,
    }


@pytest.fixture()
def histories(record: Recorder) -> list[History]:
    """Four incidents on DAY: complete, without verification, never reached, still on scene
    (the incident resolved with a unit not released); and one on the next day."""
    made = []
    units = [record.unit(f"Unit {i}", "ambulance", LON + i / 100, LAT) for i in range(5)]

    full = record.incident(f"POINT({LON} {LAT})", DAY + 60 * MIN, incident_type="fire")
    record.transition(full, "verified")
    record.transition(full, "responding")
    record.assign(
        full, units[0], DAY + 63 * MIN, on_scene_at=DAY + 71 * MIN, released_at=DAY + 130 * MIN
    )
    record.assign(
        full, units[1], DAY + 65 * MIN, on_scene_at=DAY + 80 * MIN, released_at=DAY + 170 * MIN
    )
    record.assign(full, units[2], DAY + 66 * MIN)  # sent, never arrived: no release counted
    made.append(full)

    skipped = record.incident(f"POINT({LON} {LAT})", DAY + 120 * MIN, incident_type="flood")
    record.transition(skipped, "responding")  # never verified
    record.assign(
        skipped, units[3], DAY + 122 * MIN, on_scene_at=DAY + 140 * MIN, released_at=DAY + 141 * MIN
    )
    made.append(skipped)

    lone = record.incident(f"POINT({LON} {LAT})", DAY + 300 * MIN, incident_type="fire")
    record.transition(lone, "verified")
    record.transition(lone, "cancelled")
    made.append(lone)

    staying = record.incident(f"POINT({LON} {LAT})", DAY + 400 * MIN, incident_type="fire")
    record.assign(staying, units[4], DAY + 401 * MIN, on_scene_at=DAY + 420 * MIN)
    record.transition(staying, "responding")
    record.transition(staying, "resolved")
    made.append(staying)

    record.incident(f"POINT({LON} {LAT})", DAY + dt.timedelta(days=1), incident_type="fire")
    return made


def test_per_incident_and_aggregated(client: FlaskClient, histories: list[History]):
    answer = client.get("/api/metrics/response", query_string={"from": FROM, "to": TO})
    assert answer.status_code == 200, answer.json
    document = answer.json
    assert document["numberMatched"] == document["numberReturned"] == 4
    rows = document["incidents"]
    assert [r["id"] for r in rows] == [h.incident_id for h in histories]
    for row, history in zip(rows, histories, strict=True):
        expected = _expected(history)
        for metric, value in expected.items():
            if isinstance(value, float):
                assert row[metric] == pytest.approx(value, abs=1e-3), (metric, history)
            else:
                assert row[metric] == value, (metric, history)
    assert rows[3]["on_scene_open"] is True  # resolved with a unit never released

    for metric in ("time_to_verify_s", "time_to_dispatch_s", "time_to_first_arrival_s"):
        values = [v for h in histories if (v := _expected(h)[metric]) is not None]
        aggregate = document["aggregates"][metric]
        assert aggregate["count"] == len(values)
        assert aggregate["lacking"] == 4 - len(values)
        assert aggregate["mean"] == pytest.approx(statistics.mean(values))
        assert aggregate["median"] == pytest.approx(statistics.median(values))
        if len(values) > 1:
            p90 = statistics.quantiles(values, n=10, method="inclusive")[8]
            assert aggregate["p90"] == pytest.approx(p90)
        assert aggregate["min"] == pytest.approx(min(values))
        assert aggregate["max"] == pytest.approx(max(values))
    on_scene = document["aggregates"]["on_scene_s"]
    closed = [
        e["on_scene_s"]
        for h in histories
        if not (e := _expected(h))["on_scene_open"] and e["on_scene_s"] is not None
    ]
    assert on_scene["count"] == len(closed) == 2
    assert on_scene["open"] == 1 and on_scene["lacking"] == 1
    assert on_scene["median"] == pytest.approx(statistics.median(closed))  # type: ignore[type-var]


def test_type_filter_and_paging(client: FlaskClient, histories: list[History]):
    fires = client.get(
        "/api/metrics/response", query_string={"from": FROM, "to": TO, "type": "fire"}
    ).json
    assert [r["id"] for r in fires["incidents"]] == [
        histories[0].incident_id,
        histories[2].incident_id,
        histories[3].incident_id,
    ]
    assert fires["aggregates"]["time_to_dispatch_s"]["count"] == 2
    page = client.get(
        "/api/metrics/response",
        query_string={"from": FROM, "to": TO, "limit": 2, "offset": 1},
    ).json
    assert page["numberMatched"] == 4 and page["numberReturned"] == 2
    assert [r["id"] for r in page["incidents"]] == [h.incident_id for h in histories[1:3]]
    # the aggregates are over every incident matched, not the page
    assert page["aggregates"]["time_to_dispatch_s"]["count"] == 3
    empty = client.get(
        "/api/metrics/response", query_string={"from": FROM, "to": TO, "type": "chemical"}
    ).json
    assert empty["numberMatched"] == 0 and empty["incidents"] == []
    assert empty["aggregates"]["time_to_verify_s"]["count"] == 0


def test_an_open_on_scene_time_runs_to_now(client: FlaskClient, record: Recorder):
    start = DAY + dt.timedelta(days=3)
    history = record.incident(f"POINT({LON} {LAT})", start)
    unit = record.unit("Rescue 1", "rescue_team", LON, LAT)
    record.assign(history, unit, start + MIN, on_scene_at=start + 2 * MIN)
    before = dt.datetime.now(dt.UTC)
    answer = client.get(
        "/api/metrics/response",
        query_string={"from": start.isoformat(), "to": (start + MIN).isoformat()},
    ).json
    after = dt.datetime.now(dt.UTC)
    (row,) = answer["incidents"]
    assert row["on_scene_open"] is True
    assert (before - start - 2 * MIN).total_seconds() <= row["on_scene_s"]
    assert row["on_scene_s"] <= (after - start - 2 * MIN).total_seconds()
    assert answer["aggregates"]["on_scene_s"]["count"] == 0


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ({"from": TO, "to": FROM}, "from"),
        ({"from": "2000-01-01T00:00:00Z", "to": "2002-01-01T00:00:00Z"}, "from"),
        ({"from": "yesterday"}, "from"),
        ({"type": "volcano"}, "type"),
        ({"limit": "0"}, "limit"),
        ({"limit": "1001"}, "limit"),
        ({"offset": "-1"}, "offset"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_wrong_parameters(client: FlaskClient, query: dict[str, str], named: str):
    answer = client.get("/api/metrics/response", query_string=query)
    assert answer.status_code == 400, answer.json
    assert named in answer.json["description"]


def test_the_default_window_is_the_last_30_days(client: FlaskClient):
    answer = client.get("/api/metrics/response").json
    start, end = (dt.datetime.fromisoformat(answer[k]) for k in ("from", "to"))
    assert end - start == dt.timedelta(days=30)
