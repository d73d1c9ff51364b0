"""The audit trail through its two doors, over real HTTP and the real command: ``GET /api/audit``
for analysts and admins only (no key 401, other roles 403), its filters, paging and 400s naming
the parameter; ``gisserver audit`` as a table or JSON lines, with one-line errors. The changes
are made as the API's edit role (act_as) and by an ETL load, in the shared database under a
source of this module's own."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner
from flask import Flask
from live import serving
from psycopg import sql

from gisserver.audit import ETL_ACTOR, Actor, act_as
from gisserver.cli import main
from gisserver.cluster import PrivateCluster, free_port
from gisserver.etl import load_file
from gisserver.layers import LAYER_IDS
from gisserver.settings import Settings
from gisserver.web import auth


@dataclass(frozen=True)
class Changes:
    """What this module's fixture changed: a camera (made, changed twice) and a load's run."""

    source: str
    camera: int
    entries: list[int]  # the camera's entry ids, oldest first
    run_id: int
    loaded: int  # features the load created


@pytest.fixture(scope="module")
def changes(
    settings: Settings,
    database_url: str,
    test_cluster: PrivateCluster | None,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Changes]:
    if test_cluster is None:
        pytest.skip("needs the session's own cluster (its edit role)")
    source = f"test-audit-api-{uuid.uuid4().hex[:8]}"
    with psycopg.connect(test_cluster.url("edit")) as editor:
        steps = [
            (
                Actor("desk-7", "operator", request_id="r-1"),
                "INSERT INTO cameras (source, source_id, name, stream_url, geom) VALUES (%s,"
                " 'c1', 'Gate', 'rtsp://ops:s3cret@cam.example/9',"
                " ST_SetSRID(ST_MakePoint(-71.05, 42.35), 4326)) RETURNING id",
                (source,),
            ),
            (
                Actor("desk-7", "operator"),
                "UPDATE cameras SET status = 'offline' WHERE source = %s RETURNING id",
                (source,),
            ),
            (
                Actor("chief-1", "admin"),
                "UPDATE cameras SET name = 'Gate north', direction = 'N' WHERE source = %s"
                " RETURNING id",
                (source,),
            ),
        ]
        camera = 0
        for actor, statement, params in steps:
            with editor.transaction():
                act_as(editor, actor)
                camera = editor.execute(statement, params).fetchone()[0]
            time.sleep(0.01)
    path = tmp_path_factory.mktemp("audit-api") / "incidents.geojson"
    features = [
        {
            "type": "Feature",
            "properties": {"source_id": f"i{i}", "incident_type": "fire", "reported_at":
                           "2026-12-03T08:00:00Z"},
            "geometry": {"type": "Point", "coordinates": [-71.0 + i / 100, 42.3]},
        }
        for i in range(3)
    ]  # fmt: skip
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    with psycopg.connect(test_cluster.url("write")) as etl:
        report = load_file(etl, "incidents", path, source=source, settings=settings)
    with psycopg.connect(database_url) as conn:
        entries = conn.execute(
            "SELECT id FROM audit_log WHERE layer = 'cameras' AND feature_id = %s ORDER BY id",
            (camera,),
        ).fetchall()
    yield Changes(source, camera, [e[0] for e in entries], report.run_id, len(features))
    with psycopg.connect(database_url) as conn:
        for layer in ("cameras", "incidents"):
            conn.execute(
                sql.SQL("DELETE FROM {} WHERE source = %s").format(sql.Identifier(layer)),
                (source,),
            )


@pytest.fixture(scope="module")
def keys(database_url: str) -> Iterator[dict[str, str]]:
    """A key per role, made with the CLI: role -> secret."""
    made: dict[str, str] = {}
    runner = CliRunner(env={"DATABASE_URL": database_url})
    suffix = uuid.uuid4().hex[:6]
    for role in ("viewer", "operator", "logistics", "analyst", "admin"):
        result = runner.invoke(main, ["keys", "create", f"audit-{role}-{suffix}", "--role", role])
        assert result.exit_code == 0, result.output
        made[role] = result.stdout.strip().splitlines()[-1]
    yield made
    with psycopg.connect(database_url) as conn:
        names = [f"audit-{role}-{suffix}" for role in made]
        conn.execute("DELETE FROM api_keys WHERE name = ANY(%s)", (names,))
        conn.execute("DELETE FROM security_events WHERE key_name = ANY(%s)", (names,))


@pytest.fixture(scope="module")
def server(settings: Settings) -> Iterator[str]:
    from gisserver.app import create_app

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    app: Flask = create_app(settings.model_copy(update={"public_url": base}))
    with serving(app, port):
        yield base
    app.extensions["gisserver"].db.close()


@pytest.fixture(autouse=True)
def fresh_limiter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "LIMITER", auth.FailureLimiter())


def get(url: str, secret: str | None = None) -> tuple[int, dict[str, str], Any]:
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as r:
            return r.status, dict(r.headers), json.loads(r.read())
    except urllib.error.HTTPError as error:
        with error:
            return error.code, dict(error.headers), json.loads(error.read())


def test_only_analysts_and_admins_read_the_trail(server: str, keys: dict[str, str], changes):
    url = f"{server}/api/audit?layer=cameras&feature={changes.camera}"
    status, headers, body = get(url)
    assert status == 401 and "Bearer" in headers["WWW-Authenticate"]
    for role in ("viewer", "operator", "logistics"):
        status, _, body = get(url, keys[role])
        assert status == 403, (role, body)
        assert "analyst" in body["description"]
    for role in ("analyst", "admin"):
        status, headers, body = get(url, keys[role])
        assert status == 200
        assert headers["Cache-Control"] == "no-store"
        assert [e["id"] for e in body["entries"]] == changes.entries


def test_the_trail_of_a_feature_and_of_a_load(server: str, keys: dict[str, str], changes):
    analyst = keys["analyst"]
    _, _, body = get(f"{server}/api/audit?layer=cameras&feature={changes.camera}", analyst)
    created, offline, renamed = body["entries"]
    made = [(e["operation"], e["version"], e["actor"], e["actor_role"]) for e in body["entries"]]
    assert made == [
        ("create", 1, "desk-7", "operator"),
        ("update", 2, "desk-7", "operator"),
        ("update", 3, "chief-1", "admin"),
    ]
    assert (offline["changed"], renamed["changed"]) == (["status"], ["name", "direction"])
    assert created["request_id"] == "r-1" and created["before"] is None
    assert renamed["before"]["properties"]["name"] == "Gate"
    assert renamed["after"]["geometry"] == {"type": "Point", "coordinates": [-71.05, 42.35]}
    # analysts see private fields, never the credentials in them
    assert created["after"]["properties"]["stream_url"] == "rtsp://ops:***@cam.example/9"
    assert "s3cret" not in json.dumps(body)

    _, _, body = get(f"{server}/api/audit?actor={ETL_ACTOR}&layer=incidents&limit=1000", analyst)
    mine = [e for e in body["entries"] if e["etl_run_id"] == changes.run_id]
    assert len(mine) == changes.loaded
    assert {(e["operation"], e["actor"]) for e in mine} == {("create", ETL_ACTOR)}


def test_paging_after_the_last_entry(server: str, keys: dict[str, str], changes):
    analyst = keys["analyst"]
    url = f"{server}/api/audit?layer=cameras&feature={changes.camera}&limit=2"
    _, _, first = get(url, analyst)
    assert [e["id"] for e in first["entries"]] == changes.entries[:2]
    (following,) = [link["href"] for link in first["links"] if link["rel"] == "next"]
    assert following.startswith(server) and f"after={changes.entries[1]}" in following
    _, _, second = get(following, analyst)
    assert [e["id"] for e in second["entries"]] == changes.entries[2:]
    assert not [link for link in second["links"] if link["rel"] == "next"]
    _, _, later = get(f"{server}/api/audit?layer=cameras&since=1m&after={changes.entries[-1]}"
                      f"&feature={changes.camera}", analyst)  # fmt: skip
    assert later["entries"] == [] and later["numberReturned"] == 0
    _, _, none = get(f"{server}/api/audit?actor=nobody-{uuid.uuid4().hex}", analyst)
    assert none["entries"] == []


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("layer=roads", "layer: 'roads' is not a layer; accepted: hazard_zones"),
        ("layer=shelters&feature=first", "feature: 'first' is not a whole number"),
        ("feature=3", "feature: needs a layer"),
        ("since=yesterday", "since: 'yesterday' is not a time"),
        ("until=2026-02-30", "until: '2026-02-30' is not a time"),
        ("limit=5000", "limit: 5000 is out of range; accepted: a whole number from 1 to 1000"),
        ("after=x", "after: 'x' is not a whole number"),
        ("layer=shelters&layer=cameras", "layer: is given more than once"),
        ("sort=id", "sort: is not a parameter"),
    ],
)
def test_a_wrong_parameter_is_a_400_that_names_it(
    server: str, keys: dict[str, str], query: str, parameter: str
):
    status, _, body = get(f"{server}/api/audit?{query}", keys["admin"])
    assert status == 400
    assert body["code"] == "InvalidParameterValue"
    assert body["description"].startswith(parameter), body["description"]


def test_the_openapi_document_describes_the_trail(server: str):
    from openapi_spec_validator import validate

    _, _, document = get(f"{server}/api/openapi.json")
    validate(document)
    operation = document["paths"]["/api/audit"]["get"]
    assert [p["name"] for p in operation["parameters"]] == [
        "layer", "feature", "actor", "since", "until", "limit", "after"
    ]  # fmt: skip
    assert operation["parameters"][0]["schema"]["enum"] == list(LAYER_IDS)
    assert set(operation["responses"]) == {"200", "400", "401", "403", "503"}


# ---------------------------------------------------------------------------------------------
# gisserver audit


@pytest.fixture()
def audit_cli(database_url: str):
    def run(*args: str) -> Any:
        return CliRunner(env={"DATABASE_URL": database_url}).invoke(main, ["audit", *args])

    return run


def test_the_command_shows_who_changed_what(audit_cli, changes):
    result = audit_cli("--layer", "cameras", "--feature", str(changes.camera))
    assert result.exit_code == 0, result.output
    header, *lines = result.stdout.splitlines()
    assert header.split() == [
        "entry", "time", "(UTC)", "actor", "layer", "feature", "operation", "version", "changed"
    ]  # fmt: skip
    assert [line.split()[0] for line in lines] == [str(e) for e in changes.entries]
    created, offline, renamed = lines
    assert "desk-7 (operator)" in created and " create " in created
    assert offline.rstrip().endswith("update           2  status")
    assert "chief-1 (admin)" in renamed and renamed.rstrip().endswith("name, direction")
    assert "s3cret" not in result.stdout and "rtsp" not in result.stdout

    # the latest N (oldest of them first)
    last = audit_cli("--layer", "cameras", "--feature", str(changes.camera), "--limit", "1")
    assert [line.split()[0] for line in last.stdout.splitlines()[1:]] == [str(changes.entries[-1])]
    etl = audit_cli(
        "--actor", ETL_ACTOR, "--layer", "incidents", "--since", "1h", "--limit", "1000"
    )
    assert etl.exit_code == 0
    run = f"{ETL_ACTOR} (run {changes.run_id})"
    assert sum(run in line for line in etl.stdout.splitlines()) == changes.loaded
    nothing = audit_cli("--actor", f"nobody-{uuid.uuid4().hex}")
    assert nothing.stdout.splitlines()[1:] == ["(no entries)"]


def test_the_command_writes_json_lines(audit_cli, changes):
    result = audit_cli("--layer", "cameras", "--feature", str(changes.camera), "--json")
    assert result.exit_code == 0, result.output
    entries = [json.loads(line) for line in result.stdout.splitlines()]
    assert [e["id"] for e in entries] == changes.entries
    assert entries[1]["changed"] == ["status"]
    assert entries[0]["after"]["properties"]["stream_url"] == "rtsp://ops:***@cam.example/9"
    after = audit_cli("--layer", "cameras", "--feature", str(changes.camera), "--json",
                      "--after", str(changes.entries[0]), "--limit", "1")  # fmt: skip
    assert [json.loads(line)["id"] for line in after.stdout.splitlines()] == [changes.entries[1]]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--layer", "roads"], "--layer: 'roads' is not a layer; accepted: hazard_zones, "),
        (["--since", "last tuesday"], "--since: 'last tuesday' is not a time; accepted: an ISO"),
        (["--until", "soon"], "--until: 'soon' is not a time"),
        (["--limit", "0"], "--limit: 0 is out of range"),
        (["--feature", "4"], "--feature: needs a layer"),
    ],
)
def test_command_mistakes_are_one_line(audit_cli, args: list[str], message: str):
    result = audit_cli(*args)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"gisserver: error: {message}"), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
