"""OGC API - Features - Part 4 writes over real HTTP, on the session's PostGIS: create, replace,
update and delete with OWSLib's client and with plain HTTP; who may (401/403 from the layers'
``editing:``); optimistic locking (ETag, If-Match, 412, 428); idempotent creates (also two at
once); and the audit trail, history and reads that follow each write."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
import requests
from editing import Api, Key, api_keys, audit_rows, feature, feature_id, snapshot
from flask import Flask
from live import serving
from owslib.ogcapi.features import Features
from owslib.util import Authentication

from gisserver.cluster import free_port
from gisserver.settings import Settings
from gisserver.web import auth

HERE = (-71.0589, 42.3601)  # Boston City Hall
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"


@pytest.fixture(scope="module")
def keys(database_url: str) -> Iterator[dict[str, Key]]:
    with api_keys(database_url) as made:
        yield made


def _app(settings: Settings, **changes: Any) -> tuple[Flask, int]:
    from gisserver.app import create_app

    port = free_port()
    update = {"public_url": f"http://127.0.0.1:{port}", **changes}
    return create_app(settings.model_copy(update=update)), port


@pytest.fixture(scope="module")
def api(settings: Settings, keys: dict[str, Key]) -> Iterator[Api]:
    app, port = _app(settings)
    with serving(app, port) as base:
        yield Api(base, keys)
    app.extensions["gisserver"].db.close()
    app.extensions["gisserver"].editor.close()


@pytest.fixture(autouse=True)
def fresh_limiter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "LIMITER", auth.FailureLimiter())


@pytest.fixture()
def owslib_headers(monkeypatch: pytest.MonkeyPatch) -> None:
    """OWSLib 0.35's clients share one module-level headers dict, and its create sets
    Content-Type: application/geo+json in it for good: every later client of the process would
    send that with its CQL2 JSON searches. This test's clients get a dict of their own."""
    import owslib.ogcapi

    monkeypatch.setattr(owslib.ogcapi, "REQUEST_HEADERS", dict(owslib.ogcapi.REQUEST_HEADERS))


def incident(**properties: Any) -> dict[str, Any]:
    given = {"incident_type": "fire", "reported_at": "2026-11-25T20:00:00Z"} | properties
    return feature(HERE, **given)


def shelter(**properties: Any) -> dict[str, Any]:
    return feature(HERE, **({"name": f"Test shelter {uuid.uuid4().hex[:6]}"} | properties))


# --- the round trip ---------------------------------------------------------------------------


def test_owslib_creates_replaces_and_deletes_an_incident(
    api: Api, keys, database_url: str, owslib_headers: None
):
    operator, admin = keys["operator"], keys["admin"]
    client = Features(f"{api.base}/ogc", auth=Authentication(operator.name, operator.secret))
    assert client.collection_item_create("incidents", incident(description="kitchen fire"))
    created = client.response_headers
    fid = int(created["Location"].rsplit("/", 1)[1])
    assert created["ETag"] == f'"{fid}-1"'
    item = client.collection_item("incidents", str(fid))
    assert item["properties"]["description"] == "kitchen fire"
    assert item["properties"]["status"] == "reported"  # the layer's default
    assert item["properties"]["severity"] == "moderate"
    assert item["properties"]["source"] == "api"
    # QGIS-like: the whole feature back, changed, read-only properties included
    item["properties"]["status"] = "responding"
    assert client.collection_item_update("incidents", str(fid), item)
    assert client.response_headers["ETag"] == f'"{fid}-2"'
    assert client.collection_item("incidents", str(fid))["properties"]["status"] == "responding"
    remover = Features(f"{api.base}/ogc", auth=Authentication(admin.name, admin.secret))
    assert remover.collection_item_delete("incidents", str(fid))
    assert api("GET", f"incidents/items/{fid}").status_code == 404
    trail = audit_rows(database_url, "incidents", fid)
    assert [(r["operation"], r["actor"], r["actor_role"], r["version"]) for r in trail] == [
        ("create", operator.name, "operator", 1),
        ("replace", operator.name, "operator", 2),
        ("delete", admin.name, "admin", 2),
    ]
    assert all(r["if_match"] is None for r in trail)  # OWSLib sends none
    assert all(r["client_address"] == "127.0.0.1" and r["request_id"] for r in trail)
    assert trail[1]["before"]["properties"]["status"] == "reported"
    assert trail[1]["after"]["properties"]["status"] == "responding"
    with psycopg.connect(database_url) as conn:
        history = conn.execute(
            "SELECT version, ended_by, properties->>'status' FROM feature_history"
            " WHERE layer = 'incidents' AND feature_id = %s ORDER BY id",
            (fid,),
        ).fetchall()
    assert history == [(1, "replace", "reported"), (2, "delete", "responding")]


def test_create_answers_201_with_location_etag_and_the_feature(api: Api, database_url: str):
    response = api(
        "POST",
        "incidents/items",
        "operator",
        json=incident(severity="high"),
        headers={"X-Request-Id": "desk-42-create"},
    )
    fid = feature_id(response)
    assert response.headers["Location"] == f"{api.base}/ogc/collections/incidents/items/{fid}"
    assert response.headers["Content-Type"] == "application/geo+json"
    assert response.headers["Content-Crs"] == f"<{CRS84}>"
    assert response.headers["X-Request-Id"] == "desk-42-create"
    body = response.json()
    assert body["id"] == fid and body["type"] == "Feature"
    assert body["geometry"] == {"type": "Point", "coordinates": list(HERE)}
    assert body["properties"]["severity"] == "high"
    assert any(link["rel"] == "self" for link in body["links"])
    read = api("GET", f"incidents/items/{fid}")
    assert read.headers["ETag"] == response.headers["ETag"] == f'"{fid}-1"'
    assert read.json() == body  # the answer is the feature as GET serves it
    with psycopg.connect(database_url) as conn:
        source, source_id = conn.execute(
            "SELECT source, source_id FROM incidents WHERE id = %s", (fid,)
        ).fetchone()
    assert source == "api" and uuid.UUID(source_id)
    (row,) = audit_rows(database_url, "incidents", fid)
    assert row["request_id"] == "desk-42-create" and row["operation"] == "create"


# --- who may ----------------------------------------------------------------------------------


def _events(database_url: str, name: str) -> list[tuple[str, str, str]]:
    with psycopg.connect(database_url) as conn:
        return conn.execute(
            "SELECT event, method, detail FROM security_events WHERE key_name = %s ORDER BY id",
            (name,),
        ).fetchall()


def test_without_a_key_401_with_a_challenge(api: Api, database_url: str):
    before = snapshot(database_url, "incidents")
    for method, path, needed in [
        ("POST", "incidents/items", "the operator or analyst role"),
        ("PUT", "incidents/items/1", "the operator or analyst role"),
        ("PATCH", "incidents/items/1", "the operator or analyst role"),
        ("DELETE", "incidents/items/1", "the admin role"),
    ]:
        response = api(method, path, json=incident())
        assert response.status_code == 401, (method, response.text)
        assert "Bearer" in response.headers["WWW-Authenticate"]
        assert needed in response.json()["description"]
    bad = api("POST", "incidents/items", json=incident(), headers={"X-API-Key": "gsk_nonsense"})
    assert bad.status_code == 401
    assert snapshot(database_url, "incidents") == before


def test_roles_from_the_layer_files_403_naming_the_role(api: Api, keys, database_url: str):
    before = snapshot(database_url, "shelters")
    viewer = api("POST", "incidents/items", "viewer", json=incident())
    assert viewer.status_code == 403
    assert "operator or analyst role" in viewer.json()["description"]
    logistics = api("POST", "incidents/items", "logistics", json=incident())
    assert logistics.status_code == 403
    # operators keep status and occupancy of shelters; creating one is the analysts'
    refused = api("POST", "shelters/items", "operator", json=shelter(capacity=10))
    assert refused.status_code == 403
    assert "needs the analyst role" in refused.json()["description"]
    assert snapshot(database_url, "shelters") == before
    assert ("forbidden", "POST") in [
        (e, m) for e, m, _ in _events(database_url, keys["viewer"].name)
    ]
    assert any("analyst" in d for _, _, d in _events(database_url, keys["operator"].name))

    fid = feature_id(api("POST", "shelters/items", "analyst", json=shelter(capacity=100)))
    status = api(
        "PATCH",
        f"shelters/items/{fid}",
        "operator",
        json={"properties": {"status": "open", "occupancy": 12}},
        content_type="application/merge-patch+json",
    )
    assert status.status_code == 200, status.text
    assert status.json()["properties"]["free_capacity"] == 88
    name = api(
        "PATCH",
        f"shelters/items/{fid}",
        "operator",
        json={"properties": {"name": "Renamed"}},
        content_type="application/merge-patch+json",
    )
    assert name.status_code == 403
    assert "changing 'name' needs the analyst role" in name.json()["description"]
    # the whole feature back as read, only the occupancy changed: allowed (QGIS saves so)
    whole = api("GET", f"shelters/items/{fid}").json()
    whole["properties"]["occupancy"] = 20
    assert api("PUT", f"shelters/items/{fid}", "operator", json=whole).status_code == 200
    whole["geometry"]["coordinates"] = [-71.0, 42.0]
    moved = api("PUT", f"shelters/items/{fid}", "operator", json=whole)
    assert moved.status_code == 403 and "the geometry" in moved.json()["description"]
    deleted = api("DELETE", f"shelters/items/{fid}", "analyst")
    assert deleted.status_code == 403 and "admin role" in deleted.json()["description"]
    assert api("DELETE", f"shelters/items/{fid}", "admin").status_code == 204
    assert [r["operation"] for r in audit_rows(database_url, "shelters", fid)] == [
        "create",
        "update",
        "replace",
        "delete",
    ]


def test_each_layer_is_written_by_its_roles(api: Api):
    cases = [
        ("stockpiles", "logistics", feature(HERE, name="Depot", kind="cache")),
        ("hazard_zones", "analyst", _zone()),
        ("cameras", "analyst", feature(HERE, name="Cam", stream_url="rtsp://cam.example/1")),
        ("incidents", "analyst", incident()),
    ]
    for layer, role, sent in cases:
        created = api("POST", f"{layer}/items", role, json=sent)
        fid = feature_id(created)
        for other in ("viewer", "operator", "logistics"):
            if other != role and not (layer == "incidents" and other == "operator"):
                refused = api(
                    "PATCH",
                    f"{layer}/items/{fid}",
                    other,
                    json={"properties": {}},
                    content_type="application/merge-patch+json",
                )
                assert refused.status_code == 403, (layer, other)
        assert api("DELETE", f"{layer}/items/{fid}", "admin").status_code == 204


def _zone() -> dict[str, Any]:
    x, y = HERE
    ring = [[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]]
    return feature({"type": "Polygon", "coordinates": [ring]}, hazard_type="flood", severity="high")


# --- optimistic locking -----------------------------------------------------------------------


def test_if_match_with_a_stale_etag_is_412_and_writes_nothing(api: Api, database_url: str):
    fid = feature_id(api("POST", "incidents/items", "operator", json=incident()))
    first = api("GET", f"incidents/items/{fid}").headers["ETag"]
    changed = api(
        "PATCH",
        f"incidents/items/{fid}",
        "operator",
        json={"properties": {"status": "verified"}},
        content_type="application/merge-patch+json",
        headers={"If-Match": first},
    )
    assert changed.status_code == 200, changed.text
    second = changed.headers["ETag"]
    assert second == f'"{fid}-2"' != first
    assert api("GET", f"incidents/items/{fid}").headers["ETag"] == second
    before = snapshot(database_url, "incidents")
    for method, body, media in [
        ("PATCH", {"properties": {"status": "contained"}}, "application/merge-patch+json"),
        ("PUT", incident(status="contained"), "application/geo+json"),
        ("DELETE", None, None),
    ]:
        stale = api(
            method,
            f"incidents/items/{fid}",
            "admin",
            json=body,
            content_type=media,
            headers={"If-Match": first},
        )
        assert stale.status_code == 412, (method, stale.text)
        assert "now version 2" in stale.json()["description"]
    assert snapshot(database_url, "incidents") == before
    weak = api("DELETE", f"incidents/items/{fid}", "admin", headers={"If-Match": f"W/{second}"})
    assert weak.status_code == 412  # If-Match compares strongly
    malformed = api("DELETE", f"incidents/items/{fid}", "admin", headers={"If-Match": "2"})
    assert malformed.status_code == 400 and "If-Match" in malformed.json()["description"]
    trail = audit_rows(database_url, "incidents", fid)
    assert trail[-1]["operation"] == "update" and trail[-1]["if_match"] == first
    # a list of tags matches when one of them is the current one
    both = f'"{fid}-1", {second}'
    gone = api("DELETE", f"incidents/items/{fid}", "admin", headers={"If-Match": both})
    assert gone.status_code == 204


def test_item_etag_304_and_the_pages_still_revalidate(api: Api):
    fid = feature_id(api("POST", "incidents/items", "operator", json=incident()))
    item = api("GET", f"incidents/items/{fid}")
    tag = item.headers["ETag"]
    assert not tag.startswith("W/")
    gzipped = api("GET", f"incidents/items/{fid}", headers={"Accept-Encoding": "gzip"})
    assert gzipped.headers["ETag"] == tag
    assert api("GET", f"incidents/items/{fid}", headers={"If-None-Match": tag}).status_code == 304
    page_url = "incidents/items?limit=5"
    page = api("GET", page_url)
    assert page.headers["ETag"].startswith("W/")
    assert api("GET", page_url, headers={"If-None-Match": page.headers["ETag"]}).status_code == 304
    api(
        "PATCH",
        f"incidents/items/{fid}",
        "operator",
        json={"properties": {"severity": "extreme"}},
        content_type="application/merge-patch+json",
    )
    assert api("GET", f"incidents/items/{fid}", headers={"If-None-Match": tag}).status_code == 200
    again = api("GET", page_url, headers={"If-None-Match": page.headers["ETag"]})
    assert again.status_code == 200 and again.headers["ETag"] != page.headers["ETag"]


def test_a_write_that_changes_nothing_keeps_the_version(api: Api, database_url: str):
    fid = feature_id(api("POST", "stockpiles/items", "logistics", json=feature(HERE, name="D")))
    read = api("GET", f"stockpiles/items/{fid}").json()
    assert read["properties"]["items"] == []
    read["properties"]["items"] = [{"item": "water", "quantity": 5}]  # read-only: ignored
    same = api("PUT", f"stockpiles/items/{fid}", "logistics", json=read)
    assert same.status_code == 200 and same.headers["ETag"] == f'"{fid}-1"'
    assert same.json()["properties"]["items"] == []
    assert [r["operation"] for r in audit_rows(database_url, "stockpiles", fid)] == ["create"]


def test_if_match_can_be_required(settings: Settings, keys, database_url: str):
    app, port = _app(settings, require_if_match=True)
    with serving(app, port) as base:
        strict = Api(base, keys)
        fid = feature_id(strict("POST", "incidents/items", "operator", json=incident()))
        before = snapshot(database_url, "incidents")
        for method, body, media in [
            ("PATCH", {"properties": {"status": "verified"}}, "application/merge-patch+json"),
            ("PUT", incident(), "application/geo+json"),
            ("DELETE", None, None),
        ]:
            response = strict(
                method, f"incidents/items/{fid}", "admin", json=body, content_type=media
            )
            assert response.status_code == 428, (method, response.text)
            assert "If-Match" in response.json()["description"]
        assert snapshot(database_url, "incidents") == before
        tag = strict("GET", f"incidents/items/{fid}").headers["ETag"]
        assert (
            strict(
                "DELETE", f"incidents/items/{fid}", "admin", headers={"If-Match": tag}
            ).status_code
            == 204
        )
    app.extensions["gisserver"].db.close()
    app.extensions["gisserver"].editor.close()


def _waiting_for_locks(database_url: str, count: int) -> None:
    """Wait until ``count`` backends wait for a lock (the requests are both inside)."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        for _ in range(200):
            waiting = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                " AND datname = current_database()"
            ).fetchone()[0]
            if waiting >= count:
                return
            time.sleep(0.05)
    raise AssertionError(f"{waiting} backends wait for a lock, not {count}")


def _at_once(calls: list[Any], hold: str, database_url: str) -> list[requests.Response]:
    """Run the calls in threads while a transaction holds ``hold`` (SQL taking a lock), so that
    all of them are inside the server at the same time; then let them go."""
    answers: list[Any] = [None] * len(calls)

    def run(i: int) -> None:
        answers[i] = calls[i]()

    with psycopg.connect(database_url) as blocker:
        blocker.execute(hold)
        threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
        for thread in threads:
            thread.start()
        _waiting_for_locks(database_url, len(calls))
        blocker.rollback()
    for thread in threads:
        thread.join(60)
    return answers


def test_two_changes_with_the_same_etag_one_wins(api: Api, database_url: str):
    fid = feature_id(api("POST", "incidents/items", "operator", json=incident()))
    tag = api("GET", f"incidents/items/{fid}").headers["ETag"]

    def patch(status: str) -> Any:
        return lambda: api(
            "PATCH",
            f"incidents/items/{fid}",
            "operator",
            json={"properties": {"status": status}},
            content_type="application/merge-patch+json",
            headers={"If-Match": tag},
        )

    answers = _at_once(
        [patch("verified"), patch("responding")],
        f"SELECT 1 FROM incidents WHERE id = {fid} FOR UPDATE",
        database_url,
    )
    assert sorted(a.status_code for a in answers) == [200, 412]
    assert len(audit_rows(database_url, "incidents", fid)) == 2  # the create and one update


# --- idempotency --------------------------------------------------------------------------------


def test_a_retried_create_returns_the_first_answer(api: Api, database_url: str):
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = api("POST", "incidents/items", "operator", json=incident(), headers=key)
    before = snapshot(database_url, "incidents")
    retry = api("POST", "incidents/items", "operator", json=incident(), headers=key)
    assert retry.status_code == 201
    for name in ("Location", "ETag", "Content-Crs", "Content-Type"):
        assert retry.headers[name] == first.headers[name]
    assert retry.content == first.content
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert snapshot(database_url, "incidents") == before
    other = api("POST", "incidents/items", "operator", json=incident(severity="low"), headers=key)
    assert other.status_code == 422
    assert "another body" in other.json()["description"]
    # another caller's key of the same name is its own
    theirs = api("POST", "incidents/items", "analyst", json=incident(), headers=key)
    assert feature_id(theirs) != feature_id(first)
    assert (
        api(
            "POST",
            "incidents/items",
            "operator",
            json=incident(),
            headers={"Idempotency-Key": "x" * 256},
        ).status_code
        == 400
    )


def test_two_creates_with_one_key_at_once_make_one_feature(api: Api, database_url: str):
    key = {"Idempotency-Key": str(uuid.uuid4())}
    before = snapshot(database_url, "incidents")

    def create() -> requests.Response:
        return api("POST", "incidents/items", "operator", json=incident(), headers=key)

    # the first waits inside its transaction (the layer's version row is held), the second on
    # the first's claim of the key
    answers = _at_once(
        [create, create],
        "SELECT 1 FROM layer_versions WHERE layer = 'incidents' FOR UPDATE",
        database_url,
    )
    assert [a.status_code for a in answers] == [201, 201]
    assert answers[0].headers["Location"] == answers[1].headers["Location"]
    assert answers[0].content == answers[1].content
    assert sorted(a.headers.get("Idempotent-Replayed", "") for a in answers) == ["", "true"]
    assert snapshot(database_url, "incidents").rows == before.rows + 1


def test_a_key_is_kept_24_hours(api: Api, keys, database_url: str):
    key = str(uuid.uuid4())
    first = feature_id(
        api(
            "POST", "incidents/items", "operator", json=incident(), headers={"Idempotency-Key": key}
        )
    )
    with psycopg.connect(database_url) as conn:
        conn.execute(
            "UPDATE idempotency_keys SET created_at = now() - interval '25 hours'"
            " WHERE actor = %s AND key = %s",
            (keys["operator"].name, key),
        )
    later = api(
        "POST", "incidents/items", "operator", json=incident(), headers={"Idempotency-Key": key}
    )
    assert feature_id(later) != first
