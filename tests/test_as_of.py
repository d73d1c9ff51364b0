"""``as_of=`` over real HTTP: the items pages, single items and the situation report as the layers
were at an instant, checked against the history this module writes itself (creates, updates, a
move, a delete, an ETL-style load whose updated_at is older than the load), with the instants
between the steps read from the database clock."""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from flask import Flask
from live import serving

from gisserver.audit import Actor, act_as
from gisserver.settings import Settings

BBOX = (151.0, -61.0, 151.2, -60.8)  # nobody else's features are here
ACTOR = Actor(name="as-of-test", role="operator")


@pytest.fixture(scope="module")
def app(settings: Settings) -> Iterator[Flask]:
    from gisserver.app import create_app

    application = create_app(settings)
    yield application
    application.extensions["gisserver"].db.close()


@pytest.fixture(scope="module")
def server(app: Flask) -> Iterator[str]:
    with serving(app) as base:
        yield base


class Story:
    """What the module wrote and when: ids by letter, the database clock between the steps."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.at: dict[str, str] = {}


@pytest.fixture(scope="module")
def story(database_url: str) -> Iterator[Story]:
    source = f"as-of-{uuid.uuid4().hex[:8]}"
    told = Story()
    with psycopg.connect(database_url) as conn:

        def step(statement: str, *params: Any) -> Any:
            with conn.transaction():
                act_as(conn, ACTOR)
                cursor = conn.execute(statement, params)
                return cursor.fetchone() if cursor.description else None

        def clock(name: str) -> None:
            told.at[name] = conn.execute(
                "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', "
                '\'YYYY-MM-DD"T"HH24:MI:SS.US"Z"\')'
            ).fetchone()[0]

        def shelter(letter: str, lon: float, lat: float, **values: Any) -> None:
            columns = {"name": letter, "source": source, "source_id": letter, **values}
            names = ", ".join(columns)
            marks = ", ".join(["%s"] * len(columns))
            told.ids[letter] = step(
                f"INSERT INTO shelters ({names}, geom) VALUES ({marks}, "
                "ST_SetSRID(ST_MakePoint(%s, %s), 4326)) RETURNING id",
                *columns.values(),
                lon,
                lat,
            )[0]

        conn.autocommit = True
        clock("before")
        shelter("a", 151.05, -60.9, capacity=100, occupancy=10, status="open")
        shelter("b", 151.06, -60.91, capacity=50, occupancy=0, status="closed")
        shelter("c", 151.07, -60.92, capacity=20, occupancy=5, status="open")
        clock("t1")
        step("UPDATE shelters SET occupancy = 60, status = 'full' WHERE id = %s", told.ids["a"])
        step(
            "UPDATE shelters SET geom = ST_SetSRID(ST_MakePoint(151.15, -60.85), 4326) "
            "WHERE id = %s",
            told.ids["b"],
        )
        step("DELETE FROM shelters WHERE id = %s", told.ids["c"])
        shelter("d", 151.08, -60.93, capacity=30, occupancy=0, status="standby")
        # An ETL load carries its source's time: updated_at says a day before t1, but the row
        # came into the database after t1.
        shelter(
            "e",
            151.09,
            -60.94,
            capacity=40,
            occupancy=0,
            status="open",
            updated_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=1),
        )
        clock("t2")
        step("UPDATE shelters SET occupancy = 80 WHERE id = %s", told.ids["a"])
        clock("t3")
        yield told
        conn.execute("DELETE FROM shelters WHERE source = %s", (source,))


def _get(url: str) -> tuple[int, dict[str, str], Any]:
    try:
        with urllib.request.urlopen(url) as response:
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read())


def _items(server: str, **params: Any) -> tuple[int, dict[str, str], Any]:
    query = urllib.parse.urlencode({"bbox": ",".join(map(str, BBOX)), "f": "json", **params})
    return _get(f"{server}/ogc/collections/shelters/items?{query}")


def _by_name(page: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["properties"]["name"]: f for f in page["features"]}


def test_items_as_of_each_instant_are_what_was_written_by_then(server: str, story: Story) -> None:
    status, _, before = _items(server, as_of=story.at["before"])
    assert status == 200 and before["features"] == []

    _, _, at_t1 = _items(server, as_of=story.at["t1"])
    features = _by_name(at_t1)
    assert sorted(features) == ["a", "b", "c"]  # c deleted later is there; d and e are not
    assert at_t1["numberMatched"] == 3
    assert features["a"]["properties"]["occupancy"] == 10
    assert features["a"]["properties"]["status"] == "open"
    assert features["b"]["geometry"]["coordinates"] == [151.06, -60.91]
    assert features["c"]["id"] == story.ids["c"]

    _, _, at_t2 = _items(server, as_of=story.at["t2"])
    features = _by_name(at_t2)
    assert sorted(features) == ["a", "b", "d", "e"]
    assert (features["a"]["properties"]["occupancy"], features["a"]["properties"]["status"]) == (
        60,
        "full",
    )
    assert features["b"]["geometry"]["coordinates"] == [151.15, -60.85]

    _, _, now = _items(server)
    assert _by_name(now)["a"]["properties"]["occupancy"] == 80


def test_as_of_combines_with_filters_paging_and_crs(server: str, story: Story) -> None:
    _, _, opened = _items(server, as_of=story.at["t1"], filter="status = 'open'")
    assert sorted(_by_name(opened)) == ["a", "c"]

    _, _, first = _items(server, as_of=story.at["t1"], limit=2, sortby="name")
    assert [f["properties"]["name"] for f in first["features"]] == ["a", "b"]
    following = next(link["href"] for link in first["links"] if link["rel"] == "next")
    assert "as_of=" in following
    # the links name the configured public URL: the same path and query on the test server
    parts = urllib.parse.urlsplit(following)
    _, _, second = _get(f"{server}{parts.path}?{parts.query}")
    assert [f["properties"]["name"] for f in second["features"]] == ["c"]

    _, headers, projected = _items(
        server, as_of=story.at["t1"], crs="http://www.opengis.net/def/crs/EPSG/0/3857"
    )
    x, _ = _by_name(projected)["c"]["geometry"]["coordinates"]
    assert x == pytest.approx(151.07 * 20037508.342789244 / 180, abs=0.01)
    assert "3857" in headers["Content-Crs"]


def test_other_formats_replay_too(server: str, story: Story) -> None:
    query = urllib.parse.urlencode(
        {"bbox": ",".join(map(str, BBOX)), "f": "jsonld", "as_of": story.at["t1"]}
    )
    status, _, document = _get(f"{server}/ogc/collections/shelters/items?{query}")
    assert status == 200
    text = json.dumps(document)
    assert f'/items/{story.ids["c"]}"' in text and f'/items/{story.ids["d"]}"' not in text


def test_single_items_as_of(server: str, story: Story) -> None:
    def item(letter: str, **params: Any) -> tuple[int, dict[str, str], Any]:
        query = urllib.parse.urlencode({"f": "json", **params})
        return _get(f"{server}/ogc/collections/shelters/items/{story.ids[letter]}?{query}")

    status, headers, deleted = item("c", as_of=story.at["t1"])
    assert status == 200
    assert deleted["properties"]["occupancy"] == 5
    assert not headers["ETag"].startswith('"')  # no write's If-Match: a weak tag
    assert item("c")[0] == 404
    assert item("d", as_of=story.at["t1"])[0] == 404  # created later
    assert item("e", as_of=story.at["t1"])[0] == 404  # its updated_at is older than its load
    _, then_headers, then = item("a", as_of=story.at["t1"])
    _, now_headers, now = item("a")
    assert then["properties"]["occupancy"] == 10 and now["properties"]["occupancy"] == 80
    assert then_headers["ETag"] != now_headers["ETag"]


def test_situation_as_of_counts_what_was_there(server: str, story: Story) -> None:
    bbox = ",".join(map(str, BBOX))

    def report(**params: Any) -> dict[str, Any]:
        query = urllib.parse.urlencode({"bbox": bbox, **params})
        status, _, body = _get(f"{server}/api/situation?{query}")
        assert status == 200, body
        return body

    at_t1 = report(as_of=story.at["t1"])
    assert at_t1["layers"]["shelters"] == {"total": 3, "by_status": {"closed": 1, "open": 2}}
    assert at_t1["shelters"]["capacity"] == 100 + 50 + 20
    assert at_t1["shelters"]["occupancy"] == 10 + 0 + 5
    assert at_t1["as_of"] is not None

    at_t2 = report(as_of=story.at["t2"])
    assert at_t2["layers"]["shelters"] == {
        "total": 4,
        "by_status": {"closed": 1, "full": 1, "open": 1, "standby": 1},
    }
    assert at_t2["shelters"]["occupancy"] == 60

    now = report()
    assert now["shelters"]["occupancy"] == 80 and now["as_of"] is None
    assert report(as_of=story.at["before"])["layers"]["shelters"]["total"] == 0


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("2026-12-03T14:05:00", "no time zone"),
        ("2026-12-03", "a date, not an instant"),
        ("yesterday", "not an RFC 3339 instant"),
        ("2999-01-01T00:00:00Z", "in the future"),
    ],
)
def test_a_bad_as_of_is_a_400_naming_it(server: str, value: str, says: str) -> None:
    for url in (
        f"{server}/ogc/collections/shelters/items?as_of={urllib.parse.quote(value)}",
        f"{server}/ogc/collections/shelters/items/1?as_of={urllib.parse.quote(value)}",
        f"{server}/api/situation?as_of={urllib.parse.quote(value)}",
    ):
        status, _, body = _get(url)
        assert status == 400, url
        assert "as_of" in body["description"] and says in body["description"]
        assert "2026-12-03T14:05:00Z" in body["description"]


def test_the_process_and_the_command_take_as_of_too(
    server: str, story: Story, database_url: str
) -> None:
    from click.testing import CliRunner

    from gisserver.cli import main

    body = json.dumps({"inputs": {"bbox": list(BBOX), "as_of": story.at["t1"]}}).encode()
    request = urllib.request.Request(
        f"{server}/ogc/processes/situation/execution",
        data=body,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as response:
        answer = json.loads(response.read())
    assert answer["layers"]["shelters"]["total"] == 3

    result = CliRunner(env={"DATABASE_URL": database_url}).invoke(
        main,
        ["analyse", "situation", "--bbox", ",".join(map(str, BBOX)), "--as-of", story.at["t2"]],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["layers"]["shelters"]["total"] == 4


def test_each_history_row_begins_where_its_previous_version_ended(
    database_url: str, story: Story
) -> None:
    """recorded_from (migration 0011: set by the audit trigger's INSERT ... SELECT): a feature's
    first history row begins at its creation in the audit trail, each later one where the
    previous one ended."""
    with psycopg.connect(database_url) as conn:
        for letter in ("a", "b", "c"):
            feature = story.ids[letter]
            created = conn.execute(
                "SELECT at FROM audit_log WHERE layer = 'shelters' AND feature_id = %s"
                " AND operation = 'create'",
                (feature,),
            ).fetchone()[0]
            versions = conn.execute(
                "SELECT recorded_from, valid_to FROM feature_history"
                " WHERE layer = 'shelters' AND feature_id = %s ORDER BY version",
                (feature,),
            ).fetchall()
            assert versions, letter
            starts = [created] + [ended for _, ended in versions[:-1]]
            assert [begun for begun, _ in versions] == starts, letter
