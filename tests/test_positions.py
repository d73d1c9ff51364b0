"""AVL positions over real HTTP: every position in its month's partition of the track, units at
their newest position (an older one kept but not moving it, also when concurrent batches commit
in any order), refusals that write nothing, one audit row and one ``positions`` event per batch,
arrival (assignment and unit on scene at the right time, distances from pyproj's geodesic), and
a unit's track. Units and assignments are written here directly in SQL as the edit role."""

from __future__ import annotations

import datetime as dt
import json
import random
import threading
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
import requests
from editing import Key, api_keys
from flask import Flask
from live import serving
from pyproj import Geod

from gisserver.app import create_app
from gisserver.audit import Actor, act_as
from gisserver.feed.events import EventFilter
from gisserver.feed.webhooks import NewSubscription, allowed_networks
from gisserver.settings import Settings
from gisserver.web import auth

GEOD = Geod(ellps="WGS84")
# Far from every other test's data (the feed's bbox filters tell our events apart).
HOME = (151.2093, -33.8688)
HOME_BBOX = "150.5,-34.5,152.0,-33.0"
PATH = "/api/units/positions"


@pytest.fixture(scope="module")
def keys(database_url: str) -> Iterator[dict[str, Key]]:
    with api_keys(database_url, "positions") as made:
        yield made


@pytest.fixture(autouse=True)
def fresh_limiter(monkeypatch: pytest.MonkeyPatch) -> None:
    """Other tests' failed authentications from 127.0.0.1 must not make ours a 429."""
    monkeypatch.setattr(auth, "LIMITER", auth.FailureLimiter())


@pytest.fixture(scope="module")
def long_settings(settings: Settings) -> Settings:
    """Positions up to a year old are accepted: the track's months can be tested any day."""
    return settings.model_copy(update={"positions_max_age_hours": 24 * 365})


@pytest.fixture(scope="module")
def live(long_settings: Settings) -> Iterator[str]:
    app: Flask = create_app(long_settings)
    with serving(app) as base:
        yield base
    app.extensions["gisserver"].db.close()
    if app.extensions["gisserver"].editor is not None:
        app.extensions["gisserver"].editor.close()


@pytest.fixture(scope="module")
def edit_url(settings: Settings, database_url: str) -> str:
    return settings.edit_database_url or database_url


@pytest.fixture()
def units(edit_url: str, database_url: str) -> Iterator[list[int]]:
    """Five units of a source of this test's own, at HOME (no position yet); deleted after."""
    source = f"test-positions-{uuid.uuid4().hex[:8]}"
    with psycopg.connect(edit_url) as conn:
        act_as(conn, Actor("test-positions", "operator"))
        ids = [
            row[0]
            for row in conn.execute(
                "INSERT INTO units (source, source_id, name, unit_type, geom)"
                " SELECT %s, 'u' || n, 'Engine ' || n, 'fire_engine',"
                " ST_SetSRID(ST_MakePoint(%s, %s), 4326) FROM generate_series(1, 5) AS n"
                " RETURNING id",
                (source, *HOME),
            ).fetchall()
        ]
    yield sorted(ids)
    with psycopg.connect(database_url) as conn:
        conn.execute("DELETE FROM assignments WHERE unit_id = ANY(%s)", (ids,))
        conn.execute("DELETE FROM units WHERE source = %s", (source,))


@pytest.fixture()
def db(database_url: str) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(database_url, autocommit=True) as connection:
        yield connection


def clock(db: psycopg.Connection[Any]) -> dt.datetime:
    row = db.execute("SELECT now()").fetchone()
    assert row is not None
    return row[0].astimezone(dt.UTC)


def text(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def position(
    unit_id: int, at: dt.datetime, lon: float = HOME[0], lat: float = HOME[1], **more: Any
):
    return {"unit_id": unit_id, "lon": lon, "lat": lat, "time": text(at), **more}


def when(p: dict[str, Any]) -> dt.datetime:
    return dt.datetime.fromisoformat(p["time"])


def send(live: str, key: Key | None, body: Any, raw: bytes | None = None) -> requests.Response:
    headers = {"Content-Type": "application/json"}
    if key is not None:
        headers["Authorization"] = f"Bearer {key.secret}"
    data = raw if raw is not None else json.dumps(body).encode()
    return requests.post(live + PATH, data=data, headers=headers, timeout=60)


def accepted(live: str, key: Key, positions: list[dict[str, Any]]) -> dict[str, Any]:
    answer = send(live, key, {"positions": positions})
    assert answer.status_code == 200, answer.text
    return answer.json()


def unit_rows(db: psycopg.Connection[Any], ids: list[int]) -> dict[int, tuple[Any, ...]]:
    """id -> (lon, lat, position_at, speed, heading, version, status)."""
    return {
        row[0]: row[1:]
        for row in db.execute(
            "SELECT id, ST_X(geom), ST_Y(geom), position_at, speed, heading, version, status"
            " FROM units WHERE id = ANY(%s)",
            (ids,),
        ).fetchall()
    }


def track_rows(db: psycopg.Connection[Any], ids: list[int]) -> list[tuple[Any, ...]]:
    """(unit_id, at, lon, lat, partition) of every kept position of these units."""
    return db.execute(
        "SELECT unit_id, at, ST_X(geom), ST_Y(geom), tableoid::regclass::text"
        " FROM unit_positions WHERE unit_id = ANY(%s) ORDER BY unit_id, at",
        (ids,),
    ).fetchall()


# ---------------------------------------------------------------------------------------------
# The track's months, the units' positions


def test_positions_land_in_their_months_partition_and_move_the_unit_to_the_newest(
    live: str, keys: dict[str, Key], units: list[int], db: psycopg.Connection[Any]
) -> None:
    now = clock(db)
    # Months back: partitions that may not exist yet are made by the batch itself.
    times = [now - dt.timedelta(days=d) for d in (200, 95, 40, 0)] + [now - dt.timedelta(hours=1)]
    unit = units[0]
    sent = [
        position(unit, at, HOME[0] + i / 1000, HOME[1], speed=float(i), heading=10.0 * i)
        for i, at in enumerate(times)
    ]
    random.Random(3).shuffle(sent)
    answer = accepted(live, keys["operator"], sent)
    assert answer == {"accepted": 5, "moved": [unit], "stale": 0, "arrived": []}

    kept = track_rows(db, [unit])
    assert len(kept) == 5
    for _, at, _, _, partition in kept:
        utc = at.astimezone(dt.UTC)
        assert partition == f"unit_positions_y{utc.year:04d}m{utc.month:02d}"
    # The newest is the one of d=0 (index 3 before the shuffle).
    lon, lat, position_at, speed, heading, _, _ = unit_rows(db, [unit])[unit]
    assert position_at == times[3]
    assert (lon, lat, speed, heading) == (pytest.approx(HOME[0] + 0.003), HOME[1], 3.0, 30.0)


def test_an_older_position_is_kept_in_the_track_and_does_not_move_the_unit(
    live: str, keys: dict[str, Key], units: list[int], db: psycopg.Connection[Any]
) -> None:
    now = clock(db)
    unit = units[1]
    first = accepted(live, keys["operator"], [position(unit, now, 151.3, -33.9)])
    assert first["moved"] == [unit] and first["stale"] == 0
    version = unit_rows(db, [unit])[unit][5]

    late = accepted(
        live,
        keys["operator"],
        [
            position(unit, now - dt.timedelta(minutes=5), 151.1, -33.8),
            position(unit, now, 151.0, -33.7),  # the same time again: not newer either
        ],
    )
    assert late == {"accepted": 2, "moved": [], "stale": 2, "arrived": []}
    lon, lat, position_at, *_ = unit_rows(db, [unit])[unit]
    assert (lon, lat, position_at) == (151.3, -33.9, now)
    assert unit_rows(db, [unit])[unit][5] == version  # not moved: no new version
    assert sorted((r[2], r[3]) for r in track_rows(db, [unit])) == sorted(
        [(151.1, -33.8), (151.3, -33.9), (151.0, -33.7)]
    )


def test_a_move_bumps_the_unit_version_and_the_layer_version_without_an_audit_row_per_unit(
    live: str, keys: dict[str, Key], units: list[int], db: psycopg.Connection[Any]
) -> None:
    now = clock(db)
    before = unit_rows(db, units)
    layer_before = db.execute(
        "SELECT version FROM layer_versions WHERE layer = 'units'"
    ).fetchone()[0]  # type: ignore[index]
    audit_before = db.execute("SELECT max(id) FROM audit_log").fetchone()[0]  # type: ignore[index]
    accepted(live, keys["operator"], [position(u, now) for u in units])
    after = unit_rows(db, units)
    assert all(after[u][5] == before[u][5] + 1 for u in units)
    layer_after = db.execute("SELECT version FROM layer_versions WHERE layer = 'units'").fetchone()[
        0
    ]  # type: ignore[index]
    assert layer_after > layer_before
    written = db.execute(
        "SELECT layer, feature_id, operation FROM audit_log WHERE id > %s", (audit_before,)
    ).fetchall()
    assert ("units", None, "positions") in written
    assert not [w for w in written if w[0] == "units" and w[1] in units]


def test_concurrent_batches_end_at_the_newest_position_whatever_the_commit_order(
    live: str, keys: dict[str, Key], units: list[int], db: psycopg.Connection[Any]
) -> None:
    now = clock(db)
    rng = random.Random(11)
    batches = []
    for _ in range(16):
        batch = []
        for _ in range(40):
            unit = rng.choice(units)
            at = now - dt.timedelta(
                seconds=rng.randrange(0, 3600), microseconds=rng.randrange(1000)
            )
            batch.append(position(unit, at, 151.0 + rng.random(), -34.0 + rng.random()))
        batches.append(batch)
    answers: list[requests.Response] = []
    lock = threading.Lock()

    def post(batch: list[dict[str, Any]]) -> None:
        answer = send(live, keys["operator"], {"positions": batch})
        with lock:
            answers.append(answer)

    threads = [threading.Thread(target=post, args=(b,)) for b in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert [a.status_code for a in answers] == [200] * len(batches), [a.text for a in answers]

    # The newest position of each unit over every batch, in plain Python (no two alike).
    newest: dict[int, dict[str, Any]] = {}
    for p in (p for b in batches for p in b):
        if p["unit_id"] not in newest or when(p) > when(newest[p["unit_id"]]):
            newest[p["unit_id"]] = p
    rows = unit_rows(db, units)
    for unit, p in newest.items():
        lon, lat, position_at, *_ = rows[unit]
        assert text(position_at) == p["time"]
        assert (lon, lat) == (p["lon"], p["lat"])
    assert len(track_rows(db, units)) == sum(len(b) for b in batches)
    # Every position counted once as moving or stale by exactly one batch each.
    assert sum(a.json()["accepted"] for a in answers) == 16 * 40


# ---------------------------------------------------------------------------------------------
# Refusals


def _ahead(now: dt.datetime) -> dt.datetime:
    return now + dt.timedelta(seconds=600)


REFUSED = [
    ("unit_id", lambda u, now: position(u, now) | {"unit_id": "12"}, "unit_id"),
    ("unit_id", lambda u, now: position(u, now) | {"unit_id": True}, "unit_id"),
    ("unknown unit", lambda u, now: position(u, now) | {"unit_id": 2**62}, "there is no unit"),
    ("lon", lambda u, now: position(u, now, 180.5), "lon"),
    ("lat", lambda u, now: position(u, now, 0.0, -90.01), "lat"),
    ("time", lambda u, now: position(u, now) | {"time": "2026-12-03T10:00:00"}, "time"),
    ("time", lambda u, now: position(u, now) | {"time": "yesterday"}, "time"),
    ("too old", lambda u, now: position(u, now - dt.timedelta(days=400)), "older than"),
    ("ahead", lambda u, now: position(u, _ahead(now)), "ahead of"),
    ("speed", lambda u, now: position(u, now, speed=-1), "speed"),
    ("speed", lambda u, now: position(u, now, speed="fast"), "speed"),
    ("heading", lambda u, now: position(u, now, heading=360), "heading"),
    ("heading", lambda u, now: position(u, now, heading=-0.5), "heading"),
    ("field", lambda u, now: position(u, now, altitude=12), "altitude"),
    ("missing", lambda u, now: {"unit_id": u, "lon": 1.0, "lat": 1.0}, "time"),
]


@pytest.mark.parametrize(("rule", "make", "named"), REFUSED, ids=[r[0] for r in REFUSED])
def test_a_batch_with_one_wrong_position_is_refused_whole_naming_it(
    live: str,
    keys: dict[str, Key],
    units: list[int],
    db: psycopg.Connection[Any],
    rule: str,
    make: Any,
    named: str,
) -> None:
    now = clock(db)
    good = [position(u, now - dt.timedelta(seconds=1)) for u in units]
    batch = [*good[:2], make(units[2], now), *good[2:]]
    audit = db.execute("SELECT max(id) FROM audit_log").fetchone()[0]  # type: ignore[index]
    before = unit_rows(db, units)
    answer = send(live, keys["operator"], {"positions": batch})
    assert answer.status_code == 422, answer.text
    description = answer.json()["description"]
    assert "positions[2]." in description and named in description
    assert "accepted" in description and "nothing was written" in description
    assert track_rows(db, units) == []
    assert unit_rows(db, units) == before
    assert db.execute("SELECT max(id) FROM audit_log").fetchone()[0] == audit  # type: ignore[index]


@pytest.mark.parametrize(
    ("body", "status", "named"),
    [
        ({"positions": []}, 422, "positions"),
        ({"positions": {}}, 422, "positions"),
        ({"position": []}, 422, "body"),
        ([1, 2], 422, "body"),
        ({"positions": [1]}, 422, "positions[0]"),
    ],
)
def test_a_body_of_the_wrong_shape_is_refused(
    live: str, keys: dict[str, Key], body: Any, status: int, named: str
) -> None:
    answer = send(live, keys["operator"], body)
    assert answer.status_code == status, answer.text
    assert named in answer.json()["description"]


def test_not_json_and_too_many_positions_are_refused(
    settings: Settings, keys: dict[str, Key], units: list[int], db: psycopg.Connection[Any]
) -> None:
    now = clock(db)
    app = create_app(settings.model_copy(update={"positions_per_request": 3}))
    try:
        with serving(app) as base:
            four = [position(units[0], now - dt.timedelta(seconds=s)) for s in range(4)]
            answer = send(base, keys["operator"], {"positions": four})
            assert answer.status_code == 413, answer.text
            assert "1 to 3 positions" in answer.json()["description"]
            answer = send(base, keys["operator"], None, raw=b"{not json")
            assert answer.status_code == 400
            answer = requests.post(
                base + PATH,
                data=b"positions",
                headers={"Authorization": f"Bearer {keys['operator'].secret}"},
                timeout=30,
            )
            assert answer.status_code == 415
            assert accepted(base, keys["operator"], four[:3])["accepted"] == 3
    finally:
        app.extensions["gisserver"].db.close()
    assert len(track_rows(db, units)) == 3


def test_without_a_key_401_and_with_a_viewer_key_403_nothing_written(
    live: str, keys: dict[str, Key], units: list[int], db: psycopg.Connection[Any]
) -> None:
    body = {"positions": [position(units[0], clock(db))]}
    assert send(live, None, body).status_code == 401
    refused = send(live, keys["viewer"], body)
    assert refused.status_code == 403
    assert "operator" in refused.json()["description"]
    assert track_rows(db, units) == []
    assert send(live, keys["admin"], body).status_code == 200


# ---------------------------------------------------------------------------------------------
# The audit trail and the feed


def test_one_audit_row_and_one_positions_event_per_batch(
    live: str, keys: dict[str, Key], units: list[int], db: psycopg.Connection[Any]
) -> None:
    now = clock(db)
    since = db.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0]  # type: ignore[index]
    first = [
        position(u, now - dt.timedelta(seconds=10), 151.0 + i / 100, -33.5)
        for i, u in enumerate(units)
    ]
    second = [
        position(units[0], now, 151.4, -33.6),
        position(units[1], now - dt.timedelta(hours=1)),
    ]
    accepted(live, keys["operator"], first)
    accepted(live, keys["operator"], second)

    audit = db.execute(
        "SELECT a.id, a.actor, a.actor_role, a.feature_id, a.after FROM audit_log AS a"
        " JOIN events AS e ON e.audit_id = a.id WHERE e.id > %s AND a.operation = 'positions'"
        " ORDER BY a.id",
        (since,),
    ).fetchall()
    ours = [row for row in audit if row[4]["units"] and row[4]["units"][0]["id"] in units]
    assert len(ours) == 2
    assert {(r[1], r[2], r[3]) for r in ours} == {(keys["operator"].name, "operator", None)}
    after = ours[0][4]
    assert after["count"] == 5 and after["stale"] == 0
    assert after["geometry"]["type"] == "MultiPoint"
    assert sorted(map(tuple, after["geometry"]["coordinates"])) == sorted(
        (p["lon"], p["lat"]) for p in first
    )
    assert [u["id"] for u in after["units"]] == units
    # Every position of a batch points at its batch's audit row.
    counted = dict(
        db.execute(
            "SELECT audit_id, count(*) FROM unit_positions WHERE unit_id = ANY(%s)"
            " GROUP BY audit_id",
            (units,),
        ).fetchall()
    )
    assert counted == {ours[0][0]: 5, ours[1][0]: 2}

    changes = requests.get(
        f"{live}/api/changes",
        params={"since": since, "types": "positions", "bbox": HOME_BBOX, "limit": 1000},
        timeout=30,
    )
    assert changes.status_code == 200, changes.text
    events = [e for e in changes.json()["events"]]
    assert [e["type"] for e in events] == ["positions", "positions"]
    assert [e["count"] for e in events] == [5, 2]
    assert events[1]["stale"] == 1  # units[1] was at now - 10 s already
    moved = events[1]["units"]["features"]
    assert [(f["id"], f["geometry"]["coordinates"]) for f in moved] == [(units[0], [151.4, -33.6])]
    assert moved[0]["properties"]["time"] == text(now)
    # Feature events only: no positions.
    features = requests.get(
        f"{live}/api/changes", params={"since": since, "types": "feature"}, timeout=30
    ).json()["events"]
    assert all(e["type"] == "feature" for e in features)
    # Elsewhere: not in the box.
    elsewhere = requests.get(
        f"{live}/api/changes",
        params={"since": since, "types": "positions", "bbox": "-10,-10,10,10"},
        timeout=30,
    ).json()["events"]
    assert elsewhere == []


def test_positions_is_an_event_type_of_the_streams_and_the_webhooks_but_not_a_default() -> None:
    assert EventFilter.parse({"types": "positions"}, ["incidents"]).types == {"positions"}
    allowed = allowed_networks("127.0.0.1/32")
    asked = NewSubscription.from_json(
        {"url": "http://127.0.0.1:9/hook", "types": ["positions"]}, layer_ids=[], allowed=allowed
    )
    assert asked.types == ("positions",)


def test_a_subscription_without_types_gets_features_and_alerts_only(
    database_url: str,
) -> None:
    from gisserver.feed.webhooks import create_subscription

    new = NewSubscription.from_json(
        {"url": "http://127.0.0.1:9/hook"}, layer_ids=[], allowed=allowed_networks("127.0.0.1/32")
    )
    with psycopg.connect(database_url) as conn:
        row = create_subscription(conn, new, "test-positions")
        conn.rollback()
    assert row["types"] == ["feature", "alert"]


# ---------------------------------------------------------------------------------------------
# Arrival


def test_arrival_puts_the_assignment_and_the_unit_on_scene_at_the_first_position_near(
    live: str,
    keys: dict[str, Key],
    units: list[int],
    db: psycopg.Connection[Any],
    edit_url: str,
) -> None:
    now = clock(db)
    scene = (151.25, -33.88)
    unit, other = units[3], units[4]
    assigned_at = now - dt.timedelta(minutes=10)
    with psycopg.connect(edit_url) as conn:
        act_as(conn, Actor("test-dispatcher", "operator"))
        rows = conn.execute(
            "INSERT INTO assignments (incident_id, unit_id, assigned_by, assigned_at, geom)"
            " VALUES (%s, %s, 'test-dispatcher', %s, ST_SetSRID(ST_MakePoint(%s, %s), 4326)),"
            " (%s, %s, 'test-dispatcher', %s, ST_SetSRID(ST_MakePoint(%s, %s), 4326))"
            " RETURNING id",
            (990001, unit, assigned_at, *scene, 990001, other, assigned_at, *scene),
        ).fetchall()
        conn.execute("UPDATE units SET status = 'en_route' WHERE id = ANY(%s)", ([unit, other],))
    assignment, other_assignment = rows[0][0], rows[1][0]

    def at_distance(metres: float) -> tuple[float, float]:
        lon, lat, _ = GEOD.fwd(scene[0], scene[1], 45.0, metres)
        return lon, lat

    near, nearer, far = at_distance(80), at_distance(20), at_distance(130)
    # the radius is 100 m: check the test's own points with pyproj before trusting them
    assert GEOD.inv(*scene, *near)[2] < 100 < GEOD.inv(*scene, *far)[2]
    t = [now - dt.timedelta(minutes=m) for m in (15, 6, 4, 2)]
    answer = accepted(
        live,
        keys["operator"],
        [
            position(unit, t[0], *nearer),  # near, but before it was assigned
            position(unit, t[3], *nearer),
            position(unit, t[2], *near),  # the first near after the assignment
            position(unit, t[1], *far),
            position(other, t[3], *far),  # never near: stays en route
        ],
    )
    assert answer["arrived"] == [{"assignment": assignment, "unit": unit, "at": text(t[2])}]
    status = dict(
        db.execute(
            "SELECT id, status FROM assignments WHERE id = ANY(%s)",
            ([assignment, other_assignment],),
        ).fetchall()
    )
    assert status == {assignment: "on_scene", other_assignment: "assigned"}
    on_scene_at = db.execute(
        "SELECT on_scene_at FROM assignments WHERE id = %s", (assignment,)
    ).fetchone()[0]  # type: ignore[index]
    assert on_scene_at == t[2]
    assert unit_rows(db, [unit, other])[unit][6] == "on_scene"
    assert unit_rows(db, [unit, other])[other][6] == "en_route"
    # both audited as the key that sent the positions
    audited = db.execute(
        "SELECT layer, feature_id, actor FROM audit_log WHERE operation = 'update'"
        " AND ((layer = 'assignments' AND feature_id = %s) OR (layer = 'units' AND"
        " feature_id = %s AND after -> 'properties' ->> 'status' = 'on_scene'))",
        (assignment, unit),
    ).fetchall()
    assert sorted(audited) == [
        ("assignments", assignment, keys["operator"].name),
        ("units", unit, keys["operator"].name),
    ]
    # A second batch near the scene changes nothing more.
    again = accepted(live, keys["operator"], [position(unit, now, *nearer)])
    assert again["arrived"] == []


# ---------------------------------------------------------------------------------------------
# The track


def test_the_track_of_a_unit_in_a_window_oldest_first_with_its_line(
    live: str, keys: dict[str, Key], units: list[int], db: psycopg.Connection[Any]
) -> None:
    now = clock(db)
    unit = units[2]
    sent = [
        position(unit, now - dt.timedelta(minutes=m), 151.0 + m / 100, -33.0 - m / 100, speed=m)
        for m in range(0, 120, 7)
    ]
    random.Random(5).shuffle(sent)
    accepted(live, keys["operator"], sent)
    start, end = now - dt.timedelta(minutes=60), now - dt.timedelta(minutes=10)
    answer = requests.get(
        f"{live}/api/units/{unit}/track", params={"from": text(start), "to": text(end)}, timeout=30
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["Content-Type"].startswith("application/geo+json")
    track = answer.json()
    expected = sorted((p for p in sent if start <= when(p) < end), key=when)
    assert [f["properties"]["time"] for f in track["features"]] == [p["time"] for p in expected]
    assert [f["geometry"]["coordinates"] for f in track["features"]] == [
        [p["lon"], p["lat"]] for p in expected
    ]
    assert track["line"]["geometry"] == {
        "type": "LineString",
        "coordinates": [[p["lon"], p["lat"]] for p in expected],
    }
    assert track["numberReturned"] == len(expected) and track["truncated"] is False

    limited = requests.get(
        f"{live}/api/units/{unit}/track",
        params={"from": text(start), "to": text(end), "limit": 2},
        timeout=30,
    ).json()
    assert [f["properties"]["time"] for f in limited["features"]] == [
        p["time"] for p in expected[:2]
    ]
    assert limited["truncated"] is True
    rest = requests.get(f"{live}/api/units/{unit}/track", params=limited["next"], timeout=30)
    assert [f["properties"]["time"] for f in rest.json()["features"]] == [
        p["time"] for p in expected[2:]
    ]
    # the default window: the last 24 hours
    default = requests.get(f"{live}/api/units/{unit}/track", timeout=30).json()
    assert default["numberReturned"] == len(sent)


@pytest.mark.parametrize(
    ("path", "status", "named"),
    [
        ("/api/units/{unit}/track?from=2026-12-03T10:00:00Z&to=2026-12-03T09:00:00Z", 400, "from"),
        ("/api/units/{unit}/track?limit=0", 400, "limit"),
        ("/api/units/{unit}/track?since=1h", 400, "since"),
        ("/api/units/{unit}/track?from=soon", 400, "from"),
        ("/api/units/999999999999/track", 404, "no unit"),
    ],
)
def test_bad_track_requests_are_named(
    live: str, units: list[int], path: str, status: int, named: str
) -> None:
    answer = requests.get(live + path.format(unit=units[0]), timeout=30)
    assert answer.status_code == status, answer.text
    assert named in answer.json()["description"]


def test_fuzzed_batches_with_an_operator_key_never_answer_a_server_error(
    app: Flask, keys: dict[str, Key], units: list[int]
) -> None:
    """Schema-valid and schema-invalid bodies (schemathesis) reach the checks and, naming our
    units, the database: answered 200 or 4xx, never 5xx."""
    import schemathesis
    from schemathesis.generation import GenerationMode
    from test_faults_schemathesis import _fuzz

    def ours(case: Any) -> None:
        body = case.body
        if isinstance(body, dict) and isinstance(body.get("positions"), list):
            for n, item in enumerate(body["positions"]):
                if isinstance(item, dict) and n % 2 == 0 and "unit_id" in item:
                    item["unit_id"] = units[n % len(units)]

    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    statuses: dict[int, int] = {}
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        failures, seen = _fuzz(
            schema,
            mode,
            headers={"Authorization": f"Bearer {keys['operator'].secret}"},
            accept=lambda operation: operation.path.startswith("/api/units"),
            adjust=ours,
        )
        assert failures == [], failures[:5]
        for (_, _, status), count in seen.items():
            statuses[status] = statuses.get(status, 0) + count
    assert statuses.get(422) and (statuses.get(200) or statuses.get(404)), statuses
