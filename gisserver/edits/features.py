"""Create, replace, update (merge patch) and delete one feature of a layer: each one transaction
on the edit role's connection that first names its actor (``audit.act_as``), so that the
database's triggers write the audit trail, the history and the layer's change version with it.

A change locks the feature (``FOR UPDATE``), so that its ``If-Match`` version is compared with
the one it replaces: two writers with the same ETag cannot both win. A write that changes
nothing (QGIS sends whole features back) writes nothing and keeps the version. What the caller
gets back is made by ``respond`` inside the transaction (the feature as the API serves it), so
that a create's answer is stored with its idempotency key before anyone else can see either.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import psycopg
import shapely
from psycopg import sql
from psycopg.rows import dict_row
from shapely.geometry.base import BaseGeometry

from gisserver.audit import Actor, act_as
from gisserver.db import Database
from gisserver.edits.idempotency import Answer, IdempotencyKey
from gisserver.edits.permissions import Permission
from gisserver.edits.phases import check_initial, check_move
from gisserver.edits.validation import FeatureRules, feature_document, geometry_of, merge_patch
from gisserver.errors import (
    Conflict,
    DatabaseUnavailable,
    Forbidden,
    InvalidValue,
    NotFound,
    PreconditionFailed,
)
from gisserver.layers import GEOMETRY, Layer

# The query parameter by which a request says a field over its ``at_most`` limit is on purpose.
OVER_LIMIT_PARAMETER = "allowOverCapacity"
SOURCE = "api"  # the source of every feature created over the API (source_id: a new UUID)
# Coordinates as served (7 decimals, ~1 cm) count as the stored ones: a client that sends a
# feature back as it read it does not move it.
SAME_POSITION_DEGREES = 1e-7
_MAX_ID = 2**63 - 1

# (the connection of the write, the feature's id, its version) -> the answer
Respond = Callable[[psycopg.Connection[Any], int, int], Answer]


@dataclass(frozen=True)
class IfMatch:
    """An If-Match header: as sent (the audit keeps it) and the versions of this feature it
    names (None: ``*``, any)."""

    header: str
    versions: frozenset[int] | None


@dataclass(frozen=True)
class Writer:
    """Who writes and how the request asked: the same for every write of one request."""

    actor: Actor
    permission: Permission
    crs: tuple[int, bool] | None = None  # of the geometry sent (SRID, northing first); None: CRS84
    over_limit: bool = False  # OVER_LIMIT_PARAMETER was given

    @property
    def rules(self) -> FeatureRules:
        return FeatureRules(self.permission.layer)


@dataclass(frozen=True)
class _Current:
    version: int
    values: dict[str, Any]
    geometry: BaseGeometry


def feature_id_of(layer: Layer, text: str) -> int:
    """A feature id from a URL; 404 for anything that cannot be one."""
    if not text.isdigit() or not 0 < int(text) <= _MAX_ID:
        raise NotFound(f"feature {text!r} not found in {layer.id} (feature ids are integers)")
    return int(text)


@contextlib.contextmanager
def _transaction(db: Database) -> Iterator[psycopg.Connection[Any]]:
    """One transaction; what the database refuses becomes the user's error (never a 500)."""
    try:
        with db.connection() as conn:
            yield conn
    except psycopg.errors.ForeignKeyViolation as exc:
        raise Conflict(f"the feature is still referenced: {exc.diag.message_detail}") from exc
    except psycopg.errors.IntegrityError as exc:  # CHECK, NOT NULL: a rule of the table
        raise InvalidValue(
            exc.diag.column_name or exc.diag.constraint_name or "feature",
            f"refused by the database: {exc.diag.message_primary or exc}",
        ) from exc
    except psycopg.errors.DataError as exc:
        raise InvalidValue(
            "feature", f"refused by the database: {exc.diag.message_primary or exc}"
        ) from exc
    except psycopg.errors.QueryCanceled as exc:
        raise DatabaseUnavailable(
            "the write took longer than the statement timeout (the feature may be locked by "
            "another write); try again"
        ) from exc


def _check_version(layer: Layer, feature_id: int, version: int, if_match: IfMatch | None) -> None:
    if if_match is None or if_match.versions is None or version in if_match.versions:
        return
    raise PreconditionFailed(
        f"If-Match: {if_match.header} is not the current version of {layer.id} feature "
        f"{feature_id} (now version {version}); GET it again, then send your change with its "
        "ETag"
    )


def _check_at_most(writer: Writer, before: dict[str, Any] | None, after: dict[str, Any]) -> None:
    """A field over its limit (occupancy over capacity) is a 409, unless it was already over by
    as much or more, or the request says it is on purpose."""
    editing = writer.permission.layer.editing
    if editing is None or writer.over_limit:
        return
    for name, limit_name in editing.at_most.items():
        value, limit = after.get(name), after.get(limit_name)
        if value is None or limit is None or value <= limit:
            continue
        was = before or {}
        if (
            None not in (was.get(name), was.get(limit_name))
            and value - limit <= was[name] - was[limit_name]
        ):
            continue  # no more over than it was: lowering an over-full shelter's occupancy
        raise Conflict(
            f"{name} {value} is above the {limit_name} {limit}: refused so that a typing error "
            f"does not show a full {writer.permission.layer.id} feature as having room; if it is "
            f"over-full on purpose, send {OVER_LIMIT_PARAMETER}=true"
        )


def _columns(layer: Layer) -> list[str]:
    return list(FeatureRules(layer).writable)


def _lock(conn: psycopg.Connection[Any], layer: Layer, feature_id: int) -> _Current:
    query = sql.SQL(
        "SELECT version, ST_AsBinary(geom) AS wkb, {} FROM {} WHERE id = %s FOR UPDATE"
    ).format(
        sql.SQL(", ").join(sql.Identifier(name) for name in _columns(layer)),
        sql.Identifier(layer.table),
    )
    with conn.cursor(row_factory=dict_row) as cur:
        row = cur.execute(query, (feature_id,)).fetchone()
    if row is None:
        raise NotFound(f"feature {feature_id} not found in {layer.id}")
    version, wkb = row.pop("version"), row.pop("wkb")
    return _Current(int(version), row, shapely.from_wkb(bytes(wkb)))


def _insert(
    conn: psycopg.Connection[Any], layer: Layer, values: dict[str, Any], geom: BaseGeometry
) -> tuple[int, int]:
    names = list(values)
    query = sql.SQL(
        "INSERT INTO {} (source, source_id, {}, geom) VALUES (%s, %s, {}, "
        "ST_GeomFromWKB(%s, 4326)) RETURNING id, version"
    ).format(
        sql.Identifier(layer.table),
        sql.SQL(", ").join(sql.Identifier(name) for name in names),
        sql.SQL(", ").join(sql.Placeholder() for _ in names),
    )
    params = [SOURCE, uuid.uuid4().hex, *values.values(), shapely.to_wkb(geom)]
    row = conn.execute(query, params).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


def _update(
    conn: psycopg.Connection[Any],
    layer: Layer,
    feature_id: int,
    values: dict[str, Any],
    geom: BaseGeometry | None,
) -> int:
    assignments: list[sql.Composable] = [
        sql.SQL("{} = %s").format(sql.Identifier(name)) for name in values
    ]
    params: list[Any] = list(values.values())
    if geom is not None:
        assignments.append(sql.SQL("geom = ST_GeomFromWKB(%s, 4326)"))
        params.append(shapely.to_wkb(geom))
    query = sql.SQL("UPDATE {} SET {} WHERE id = %s RETURNING version").format(
        sql.Identifier(layer.table), sql.SQL(", ").join(assignments)
    )
    row = conn.execute(query, [*params, feature_id]).fetchone()
    assert row is not None
    return int(row[0])


def create(
    db: Database,
    document: Any,
    writer: Writer,
    respond: Respond,
    key: IdempotencyKey | None = None,
) -> Answer:
    """Create the feature ``document`` (a GeoJSON Feature): the answer ``respond`` makes, or
    the first answer given to ``key``."""
    layer, rules = writer.permission.layer, writer.rules
    writer.permission.check_create()
    properties, raw_geometry = feature_document(document)
    values = rules.whole(rules.values(properties, private=writer.permission.may_write_private()))
    geom = geometry_of(raw_geometry, layer, writer.crs)
    rules.check_period(values)
    _check_at_most(writer, None, values)
    check_initial(layer, values)
    with _transaction(db) as conn:
        act_as(conn, writer.actor)
        if key is not None:
            first = key.claim(conn)
            if first is not None:
                return first
        feature_id, version = _insert(conn, layer, values, geom)
        answer = respond(conn, feature_id, version)
        if key is not None:
            key.keep(conn, answer)
        return answer


def _change(
    db: Database,
    feature_id: int,
    writer: Writer,
    respond: Respond,
    if_match: IfMatch | None,
    *,
    operation: str | None,
    values_of: Callable[[_Current], tuple[dict[str, Any], BaseGeometry | None]],
) -> Answer:
    layer, rules, permission = writer.permission.layer, writer.rules, writer.permission
    if not permission.may_edit():
        raise Forbidden(f"{permission.who} may not change {layer.id} features")
    with _transaction(db) as conn:
        act_as(
            conn, writer.actor, if_match=if_match.header if if_match else None, operation=operation
        )
        current = _lock(conn, layer, feature_id)
        _check_version(layer, feature_id, current.version, if_match)
        values, geom = values_of(current)
        changed = {n: v for n, v in values.items() if current.values.get(n) != v}
        if geom is not None and shapely.equals_exact(
            geom, current.geometry, tolerance=SAME_POSITION_DEGREES
        ):
            geom = None
        permission.check_changes([*changed, *([GEOMETRY] if geom is not None else [])])
        after = current.values | changed
        rules.check_period(after)
        _check_at_most(writer, current.values, after)
        if layer.lifecycle is not None and layer.lifecycle.field in changed:
            field = layer.lifecycle.field
            check_move(layer, feature_id, current.values[field], changed[field])
        version = current.version
        if changed or geom is not None:
            version = _update(conn, layer, feature_id, changed, geom)
        return respond(conn, feature_id, version)


def replace(
    db: Database,
    feature_id: int,
    document: Any,
    writer: Writer,
    respond: Respond,
    if_match: IfMatch | None = None,
) -> Answer:
    """Replace a feature by ``document`` (PUT): public fields left out take their defaults."""
    layer, rules = writer.permission.layer, writer.rules
    properties, raw_geometry = feature_document(document)
    values = rules.whole(rules.values(properties, private=writer.permission.may_write_private()))
    geom = geometry_of(raw_geometry, layer, writer.crs)
    return _change(
        db,
        feature_id,
        writer,
        respond,
        if_match,
        operation="replace",
        values_of=lambda _: (values, geom),
    )


def update(
    db: Database,
    feature_id: int,
    patch: Any,
    writer: Writer,
    respond: Respond,
    if_match: IfMatch | None = None,
) -> Answer:
    """Apply a JSON Merge Patch (RFC 7396) to a feature (PATCH): a property set to null takes
    its default; a geometry replaces the coordinates (arrays are replaced whole) and keeps the
    current type unless it names one."""
    layer, rules = writer.permission.layer, writer.rules
    accepted = 'a JSON Merge Patch of the feature, e.g. {"properties": {"status": "open"}}'
    if not isinstance(patch, dict):
        raise InvalidValue("body", "a merge patch of a feature is a JSON object", accepted)
    if patch.get("type", "Feature") != "Feature":
        raise InvalidValue("type", f"{patch['type']!r} is not a Feature", accepted)
    properties = patch.get("properties", {})
    if properties is None:  # removes every property: each takes its default
        properties = {name: None for name in rules.public()}
    values = rules.values(properties, private=writer.permission.may_write_private())

    def values_of(current: _Current) -> tuple[dict[str, Any], BaseGeometry | None]:
        if "geometry" not in patch:
            return values, None
        raw = patch["geometry"]
        if isinstance(raw, dict):
            raw = merge_patch({"type": current.geometry.geom_type}, raw)
        return values, geometry_of(raw, layer, writer.crs)

    return _change(db, feature_id, writer, respond, if_match, operation=None, values_of=values_of)


def delete(db: Database, feature_id: int, writer: Writer, if_match: IfMatch | None = None) -> None:
    """Delete a feature (its history and audit rows stay)."""
    layer = writer.permission.layer
    writer.permission.check_delete()
    with _transaction(db) as conn:
        act_as(conn, writer.actor, if_match=if_match.header if if_match else None)
        row = conn.execute(
            sql.SQL("SELECT version FROM {} WHERE id = %s FOR UPDATE").format(
                sql.Identifier(layer.table)
            ),
            (feature_id,),
        ).fetchone()
        if row is None:
            raise NotFound(f"feature {feature_id} not found in {layer.id}")
        _check_version(layer, feature_id, int(row[0]), if_match)
        conn.execute(
            sql.SQL("DELETE FROM {} WHERE id = %s").format(sql.Identifier(layer.table)),
            (feature_id,),
        )
