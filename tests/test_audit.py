"""The audit trail and the feature history (migration 0006) as the roles of the application meet
them: append-only for every one of them, written by the layers' triggers with the actor that
``act_as`` names, and read back by ``gisserver.audit.trail`` and ``feature_versions`` with
each version's validity, who made it and only the fields the reader may see."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from psycopg import sql

from gisserver.audit import (
    Actor,
    AuditEntry,
    TrailQuery,
    act_as,
    feature_versions,
    parse_time,
    trail,
)
from gisserver.cluster import LOGIN_ROLES, PrivateCluster
from gisserver.errors import InvalidParameter
from gisserver.layers import LAYER_IDS, LayerRegistry

APPEND_ONLY = ("audit_log", "feature_history")


@pytest.fixture()
def cluster(test_cluster: PrivateCluster | None, database_url: str) -> PrivateCluster:
    """The session's cluster, migrated (``database_url``), with its login roles."""
    if test_cluster is None:
        pytest.skip("needs the session's own cluster (its login roles)")
    return test_cluster


@pytest.mark.parametrize("purpose", sorted(LOGIN_ROLES))
def test_no_application_role_can_change_the_trail_or_the_history(
    cluster: PrivateCluster, purpose: str
):
    """gisserver_web (reads), gisserver_api (API edits) and gisserver_etl (owns the layers):
    none may update, delete or truncate the append-only tables, disable their triggers, turn
    triggers off for its session, drop the tables or take them over."""
    statements = []
    for table in APPEND_ONLY:
        name = sql.Identifier(table)
        statements += [
            sql.SQL(
                "UPDATE {} SET valid_to = valid_to"
                if table == "feature_history"
                else "UPDATE {} SET actor = actor"
            ).format(name),
            sql.SQL("DELETE FROM {}").format(name),
            sql.SQL("TRUNCATE {}").format(name),
            sql.SQL("ALTER TABLE {} DISABLE TRIGGER ALL").format(name),
            sql.SQL("ALTER TABLE {} DISABLE TRIGGER USER").format(name),
            sql.SQL("ALTER TABLE {} DISABLE TRIGGER {}").format(
                name, sql.Identifier(f"{table}_append_only")
            ),
            sql.SQL("DROP TRIGGER {} ON {}").format(sql.Identifier(f"{table}_no_truncate"), name),
            sql.SQL("ALTER TABLE {} OWNER TO CURRENT_USER").format(name),
            sql.SQL("DROP TABLE {}").format(name),
        ]
    statements += [
        sql.SQL("SET session_replication_role = replica"),
        sql.SQL(
            "CREATE OR REPLACE FUNCTION refuse_append_only_change() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$"
        ),
    ]
    with psycopg.connect(cluster.url(purpose), autocommit=True) as conn:
        assert conn.execute("SELECT session_user").fetchone() == (LOGIN_ROLES[purpose],)
        for statement in statements:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
                pytest.fail(f"{statement.as_string(conn)} was allowed")
        # a GRANT by a role without the grant option grants nothing (a warning, no error)
        for table in APPEND_ONLY:
            conn.execute(
                sql.SQL("GRANT UPDATE, DELETE, TRUNCATE ON {} TO CURRENT_USER").format(
                    sql.Identifier(table)
                )
            )
            allowed = conn.execute(
                "SELECT has_table_privilege(%s, 'UPDATE'), has_table_privilege(%s, 'DELETE'),"
                " has_table_privilege(%s, 'TRUNCATE'), has_table_privilege(%s, 'SELECT')",
                (table,) * 4,
            ).fetchone()
            assert allowed == (False, False, False, True)
    with psycopg.connect(cluster.url()) as admin:
        triggers = admin.execute(
            "SELECT tgrelid::regclass::text, tgname, tgenabled FROM pg_trigger "
            "WHERE tgrelid IN ('audit_log'::regclass, 'feature_history'::regclass,"
            " 'events'::regclass) ORDER BY 1, 2"
        ).fetchall()
    assert triggers == [
        ("audit_log", "audit_log_append_only", "O"),
        ("audit_log", "audit_log_no_truncate", "O"),
        ("audit_log", "audit_log_publish", "O"),  # the change feed (migration 0008)
        ("events", "events_append_only", "O"),
        ("events", "events_no_truncate", "O"),
        ("feature_history", "feature_history_append_only", "O"),
        ("feature_history", "feature_history_no_truncate", "O"),
    ]


@pytest.mark.parametrize("purpose", ["read", "edit"])
def test_the_web_tier_cannot_turn_a_layers_audit_off(cluster: PrivateCluster, purpose: str):
    """The roles the server runs as do not own the layers: their audit triggers stay on.
    (The ETL's role owns them, for its bulk swap: see the report of issue 14.)"""
    with psycopg.connect(cluster.url(purpose), autocommit=True) as conn:
        for layer in LAYER_IDS:
            for statement in (
                sql.SQL("ALTER TABLE {} DISABLE TRIGGER {}").format(
                    sql.Identifier(layer), sql.Identifier(f"{layer}_audit_update")
                ),
                sql.SQL("DROP TRIGGER {} ON {}").format(
                    sql.Identifier(f"{layer}_audit_delete"), sql.Identifier(layer)
                ),
                sql.SQL("TRUNCATE {}").format(sql.Identifier(layer)),
            ):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    conn.execute(statement)


# ---------------------------------------------------------------------------------------------
# Versions made by the edit role with act_as


@pytest.fixture()
def editor(cluster: PrivateCluster) -> Iterator[psycopg.Connection[Any]]:
    """A connection as the API's edit role (gisserver_api)."""
    with psycopg.connect(cluster.url("edit")) as conn:
        yield conn


@pytest.fixture()
def source(conn: psycopg.Connection[Any]) -> Iterator[str]:
    name = f"test-audit-{uuid.uuid4().hex[:8]}"
    yield name
    conn.rollback()
    with conn.transaction():
        for layer in LAYER_IDS:
            conn.execute(
                sql.SQL("DELETE FROM {} WHERE source = %s").format(sql.Identifier(layer)), (name,)
            )


def _write(
    conn: psycopg.Connection[Any],
    actor: Actor,
    statement: str,
    params: tuple[Any, ...],
    **context: Any,
) -> Any:
    """One transaction as ``actor``; the statement's first row."""
    with conn.transaction():
        act_as(conn, actor, **context)
        row = conn.execute(statement, params).fetchone()
    time.sleep(0.01)  # the next transaction's now() is later
    return row


def _camera_versions(editor: psycopg.Connection[Any], source: str) -> tuple[int, list[dt.datetime]]:
    """A camera created, updated twice (one a replace) and deleted by three actors; its id
    and the commit times (each transaction's now())."""
    dispatcher = Actor("dispatch-1", "operator", request_id="req-1", client_address="10.0.0.7")
    field = Actor("field-2", "operator", request_id="req-2")
    admin = Actor("chief", "admin", request_id="req-3")
    row = _write(
        editor,
        dispatcher,
        "INSERT INTO cameras (source, source_id, name, stream_url, geom) VALUES "
        "(%s, 'cam-1', 'Bridge', 'rtsp://viewer:hunter2@cam.example/1', "
        "ST_SetSRID(ST_MakePoint(-71.1, 42.36), 4326)) RETURNING id, now()",
        (source,),
    )
    camera, times = row[0], [row[1]]
    row = _write(
        editor,
        field,
        "UPDATE cameras SET status = 'offline', direction = 'N' WHERE id = %s RETURNING now()",
        (camera,),
        if_match='"1"',
    )
    times.append(row[0])
    row = _write(
        editor,
        admin,
        "UPDATE cameras SET name = 'Bridge east', geom = ST_SetSRID(ST_MakePoint(-71.2, 42.3),"
        " 4326) WHERE id = %s RETURNING now()",
        (camera,),
        operation="replace",
    )
    times.append(row[0])
    return camera, times


def test_versions_have_their_validity_their_maker_and_only_public_fields(
    editor: psycopg.Connection[Any], conn: psycopg.Connection[Any], source: str, layers
):
    camera, (created, updated, replaced) = _camera_versions(editor, source)
    versions = feature_versions(conn, layers["cameras"], camera)
    assert [v.version for v in versions] == [1, 2, 3]
    assert [(v.valid_from, v.valid_to) for v in versions] == [
        (created, updated),
        (updated, replaced),
        (replaced, None),
    ]
    assert [(v.operation, v.actor, v.actor_role) for v in versions] == [
        ("create", "dispatch-1", "operator"),
        ("update", "field-2", "operator"),
        ("replace", "chief", "admin"),
    ]
    assert [v.ended_by for v in versions] == ["update", "replace", None]
    assert [v.properties["status"] for v in versions] == ["online", "offline", "offline"]
    assert [v.properties["name"] for v in versions] == ["Bridge", "Bridge", "Bridge east"]
    assert versions[0].geometry == {"type": "Point", "coordinates": [-71.1, 42.36]}
    assert versions[2].geometry == {"type": "Point", "coordinates": [-71.2, 42.3]}
    for version in versions:
        assert set(version.properties) == set(layers["cameras"].public_fields)
        assert "stream_url" not in version.properties
    # with private fields: the declared ones, still never the bookkeeping columns, and the
    # password in the stream's URL masked
    private = feature_versions(conn, layers["cameras"], camera, private=True)
    assert private[0].properties["stream_url"] == "rtsp://viewer:***@cam.example/1"
    assert not {"source_id", "properties", "loaded_at"} & set(private[0].properties)


def test_a_deleted_feature_keeps_its_versions(
    editor: psycopg.Connection[Any], conn: psycopg.Connection[Any], source: str, layers
):
    camera, (_, _, replaced) = _camera_versions(editor, source)
    row = _write(
        editor,
        Actor("chief", "admin"),
        "DELETE FROM cameras WHERE id = %s RETURNING now()",
        (camera,),
    )
    versions = feature_versions(conn, layers["cameras"], camera)
    assert [(v.version, v.ended_by, v.operation) for v in versions] == [
        (1, "update", "create"),
        (2, "replace", "update"),
        (3, "delete", "replace"),  # the delete ended version 3, which the replace made
    ]
    assert (versions[-1].valid_from, versions[-1].valid_to) == (replaced, row[0])
    assert feature_versions(conn, layers["cameras"], camera + 10_000_000) == []


def test_the_trail_of_a_feature_with_its_context_and_what_changed(
    editor: psycopg.Connection[Any], conn: psycopg.Connection[Any], source: str
):
    camera, (created, _, _) = _camera_versions(editor, source)
    entries = trail(conn, TrailQuery(layer="cameras", feature=camera))
    assert [(e.operation, e.version, e.actor) for e in entries] == [
        ("create", 1, "dispatch-1"),
        ("update", 2, "field-2"),
        ("replace", 3, "chief"),
    ]
    first, second, third = entries
    assert (first.at, first.request_id, first.client_address) == (created, "req-1", "10.0.0.7")
    assert (second.if_match, first.if_match) == ('"1"', None)
    assert first.changed == [] and first.before is None
    assert second.changed == ["status", "direction"]
    assert third.changed == ["name", "geometry"]
    # the whole row is kept (for analysts and admins), its credentials are not
    assert first.after is not None
    assert first.after["properties"]["stream_url"] == "rtsp://viewer:***@cam.example/1"
    assert "hunter2" not in repr(entries)
    assert second.as_dict()["at"] == second.at.isoformat()
    # filters and paging
    assert [e.id for e in trail(conn, TrailQuery(layer="cameras", feature=camera, limit=2))] == [
        first.id,
        second.id,
    ]
    assert [
        e.id for e in trail(conn, TrailQuery(layer="cameras", feature=camera, after=second.id))
    ] == [third.id]
    latest = trail(conn, TrailQuery(layer="cameras", feature=camera, limit=2, latest=True))
    assert [e.id for e in latest] == [second.id, third.id]
    by_actor = trail(conn, TrailQuery(actor="field-2", since=created))
    assert second.id in [e.id for e in by_actor]
    assert {e.actor for e in by_actor} == {"field-2"}
    assert trail(conn, TrailQuery(layer="cameras", feature=camera, until=created)) == []
    assert trail(conn, TrailQuery(layer="shelters", feature=camera, since=created)) == []


def test_a_change_without_act_as_names_the_database_user(
    conn: psycopg.Connection[Any], source: str
):
    row = conn.execute(
        "INSERT INTO incidents (source, source_id, incident_type, reported_at, geom) VALUES "
        "(%s, 'i1', 'fire', now(), ST_SetSRID(ST_MakePoint(-71, 42), 4326)) RETURNING id",
        (source,),
    ).fetchone()
    conn.commit()
    user = conn.execute("SELECT session_user").fetchone()
    (entry,) = trail(conn, TrailQuery(layer="incidents", feature=row[0]))
    assert (entry.actor, entry.actor_role, entry.etl_run_id) == (user[0], None, None)


def test_trail_queries_from_text_name_what_is_wrong():
    ids = LAYER_IDS
    query = TrailQuery.parse(
        {"layer": "shelters", "feature": "12", "since": "2026-12-03", "limit": "5", "after": "9"},
        layer_ids=ids,
    )
    assert query == TrailQuery(
        "shelters", 12, None, dt.datetime(2026, 12, 3, tzinfo=dt.UTC), None, 5, 9
    )
    assert TrailQuery.parse({}, layer_ids=ids, latest=True).latest
    assert not TrailQuery.parse({"after": "3"}, layer_ids=ids, latest=True).latest
    cases = {
        ("layer", "roads"): "layer: 'roads' is not a layer; accepted: hazard_zones, shelters",
        ("feature", "x"): "feature: needs a layer",
        ("since", "yesterday"): "since: 'yesterday' is not a time; accepted: an ISO 8601 time",
        ("until", "2026-13-01"): "until: '2026-13-01' is not a time",
        ("limit", "0"): "limit: 0 is out of range; accepted: a whole number from 1 to 1000",
        ("limit", "ten"): "limit: 'ten' is not a whole number",
        ("after", "-1"): "after: -1 is out of range",
        ("after", "9" * 19): "after: 9999999999999999999 is out of range; accepted: a whole number "
        "from 0 to 9223372036854775807",
        ("actor", "a\x00b"): "actor: is not plain text",
        ("colour", "red"): "colour: is not a parameter",
    }
    for (name, value), message in cases.items():
        with pytest.raises(InvalidParameter) as caught:
            TrailQuery.parse({name: value}, layer_ids=ids)
        assert caught.value.message.startswith(message), caught.value.message
    with pytest.raises(InvalidParameter, match="^--feature: 'x' is not a whole number"):
        TrailQuery.parse({"layer": "shelters", "feature": "x"}, layer_ids=ids, prefix="--")
    with pytest.raises(InvalidParameter, match="^until: is before since"):
        TrailQuery.parse({"since": "2026-12-03", "until": "2026-12-02"}, layer_ids=ids)


def test_times_are_iso_or_a_time_ago():
    now = dt.datetime(2026, 12, 3, 12, tzinfo=dt.UTC)
    assert parse_time("2026-12-03T10:00:00Z", "since") == dt.datetime(
        2026, 12, 3, 10, tzinfo=dt.UTC
    )
    assert parse_time("2026-12-03 10:00+01:00", "since").utcoffset() == dt.timedelta(hours=1)
    assert parse_time("90m", "since", now=now) == now - dt.timedelta(minutes=90)
    assert parse_time("2w", "since", now=now) == now - dt.timedelta(weeks=2)


def test_what_changed_leaves_out_the_update_time():
    def entry(before: dict[str, Any], after: dict[str, Any]) -> AuditEntry:
        geometry = {"type": "Point", "coordinates": [0, 0]}
        return AuditEntry(
            1, dt.datetime.now(dt.UTC), "a", None, None, "shelters", 1, "update", 2,
            {"geometry": geometry, "properties": before},
            {"geometry": geometry, "properties": after},
            None, None, None,
        )  # fmt: skip

    assert entry({"a": 1, "updated_at": "x"}, {"a": 1, "updated_at": "y"}).changed == []
    assert entry({"a": 1}, {"a": 1, "b": None}).changed == []
    assert entry({"a": 1}, {"a": 2, "b": 3}).changed == ["a", "b"]


def test_layers_fixture_matches_the_trail(layers: LayerRegistry):
    # the trail names layers by table; readers accept the layer ids: the same names
    assert all(layers[layer_id].table == layer_id for layer_id in LAYER_IDS)
