"""OGC API - Features - Part 4 on /ogc: create (POST), replace (PUT), update (PATCH, a JSON Merge
Patch) and delete (DELETE) features, and OPTIONS with a true ``Allow``.

This module is the HTTP side: who is asking (``gisserver.web.auth``: 401 without a key, 403 with
a role the layer's ``editing:`` does not name, recorded in the security log), the headers
(``Content-Type``, ``Content-Crs``, ``If-Match``, ``Idempotency-Key``) and the answer (the
feature as GET serves it, its ETag, ``Location``). The writes themselves, their checks and their
transactions are ``gisserver.edits``'.

It wraps pygeoapi's items endpoint like ``gisserver.ogc.items`` does (after it): a POST whose body
is a GeoJSON Feature creates one; any other POST is the CQL2 JSON search it was.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import psycopg
from flask import Flask, Response, request
from psycopg import sql
from werkzeug.exceptions import MethodNotAllowed

from gisserver.context import state
from gisserver.edits import features
from gisserver.edits.features import IfMatch, Writer
from gisserver.edits.idempotency import Answer, IdempotencyKey
from gisserver.edits.permissions import Permission, refusal_roles
from gisserver.edits.validation import parse_json
from gisserver.errors import (
    Forbidden,
    InvalidParameter,
    NotFound,
    PreconditionRequired,
    Unauthorized,
    UnsupportedMediaType,
)
from gisserver.layers import Layer, LayerRegistry
from gisserver.ogc.config import CRS84
from gisserver.ogc.crs import crs_srid
from gisserver.ogc.items import ItemsPage
from gisserver.ogc.layer_sql import layer_sql_for
from gisserver.web import auth
from gisserver.web.http import feature_tag, feature_tag_versions

FEATURE_TYPES = ("application/geo+json", "application/json")
MERGE_PATCH = "application/merge-patch+json"
READS = ("GET", "HEAD", "OPTIONS")
IDEMPOTENCY_KEY = "Idempotency-Key"


def feature_post() -> bool:
    """Whether this POST on an items URL asks to create a feature (a GeoJSON body, a JSON
    Feature, or a body without a media type) rather than to search with a CQL2 JSON filter."""
    if request.method != "POST" or (request.view_args or {}).get("item_id") is not None:
        return False
    if request.mimetype in ("application/geo+json", ""):
        return True
    try:
        document = json.loads(request.get_data(cache=True))
    except (ValueError, RecursionError):
        return False
    return isinstance(document, dict) and document.get("type") == "Feature"


def allowed_methods(layer: Layer, item: bool) -> list[str]:
    """What an items (item) URL of ``layer`` answers, whoever asks: on every collection, POST
    searches with a CQL2 JSON filter (and creates, where the layer is editable)."""
    if not item:
        return [*READS, "POST"]
    return [*READS, *(("PUT", "PATCH", "DELETE") if layer.editing else ())]


class Transactions:
    """The write views of one app's collections."""

    def __init__(self, layers: LayerRegistry, config: dict[str, Any], pages: ItemsPage) -> None:
        self.layers = layers
        self.pages = pages
        self.crs_lists = {
            layer.id: list(config["resources"][layer.id]["providers"][0]["crs"]) for layer in layers
        }

    # --- the request ----------------------------------------------------------------------

    def layer(self, collection_id: str) -> Layer:
        if collection_id not in self.layers:
            raise NotFound(
                f"collection {collection_id!r} not found; accepted: {', '.join(self.layers.ids())}"
            )
        layer = self.layers[collection_id]
        if layer.editing is None:
            raise MethodNotAllowed(valid_methods=allowed_methods(layer, item=True))
        return layer

    def permission(self, layer: Layer, action: str) -> Permission:
        """The caller's rights on ``layer``, refusing (401, or 403 recorded) one who may not do
        ``action`` (create, change, delete) at all."""
        who = auth.principal()
        permission = Permission(layer, who.has, who.name)
        allowed = {
            "create": lambda: permission.fields() is None,
            "change": permission.may_edit,
            "delete": lambda: permission.holds(layer.editing.delete if layer.editing else "admin"),
        }[action]
        if allowed():
            return permission
        needed = refusal_roles(layer, action)
        verb = {"create": "creating", "change": "changing", "delete": "deleting"}[action]
        if not who.authenticated:
            raise Unauthorized(
                f"{verb} {layer.id} features needs {needed}: send an API key "
                "(Authorization: Bearer <secret>, X-API-Key, or Basic NAME:SECRET)"
            )
        message = f"{who.name} may not do this: {verb} {layer.id} features needs {needed}"
        auth.record("forbidden", message, who.name)
        raise Forbidden(message)

    def content_crs(self, layer: Layer) -> tuple[str, tuple[int, bool] | None]:
        """The CRS of the geometry sent (``Content-Crs``; CRS84 without it): its URI and
        (SRID, northing first), None for CRS84."""
        header = request.headers.get("Content-Crs")
        if header is None:
            return CRS84, None
        uri = header.strip()
        if uri.startswith("<") and uri.endswith(">"):
            uri = uri[1:-1].strip()
        offered = self.crs_lists[layer.id]
        if uri not in offered:
            raise InvalidParameter(
                "Content-Crs",
                f"{header!r} is not a CRS of {layer.id}",
                ", ".join(f"<{u}>" for u in offered),
            )
        return uri, crs_srid(uri)

    def document(self, media_types: tuple[str, ...]) -> Any:
        if request.mimetype not in media_types:
            raise UnsupportedMediaType(
                "Content-Type",
                f"{request.mimetype or 'none'} is not accepted here",
                ", ".join(media_types),
            )
        return parse_json(request.get_data(cache=True), f"a JSON body ({', '.join(media_types)})")

    def if_match(self, feature_id: int) -> IfMatch | None:
        header = request.headers.get("If-Match")
        if header is None:
            if state().settings.require_if_match:
                raise PreconditionRequired(
                    "If-Match: this server requires it on every change (GISSERVER_REQUIRE_IF_MATCH)"
                    "; accepted: the ETag of the feature as GET sends it, or * for any version"
                )
            return None
        try:
            versions = feature_tag_versions(header, feature_id)
        except ValueError:
            raise InvalidParameter(
                "If-Match",
                f"{header!r} is not a list of quoted entity tags",
                'the ETag of the feature as GET sends it (e.g. "42-3"), or *',
            ) from None
        return IfMatch(header, versions)

    def writer(self, layer: Layer, permission: Permission, crs: tuple[int, bool] | None) -> Writer:
        flag = request.args.get(features.OVER_LIMIT_PARAMETER)
        if flag is not None and flag not in ("true", "false"):
            raise InvalidParameter(features.OVER_LIMIT_PARAMETER, f"{flag!r}", "true, false")
        return Writer(auth.actor(), permission, crs, over_limit=flag == "true")

    # --- the answer -----------------------------------------------------------------------

    def respond(
        self, layer: Layer, status: int, crs_uri: str, target: tuple[int, bool] | None
    ) -> features.Respond:
        """Makes a write's answer: the feature as GET serves it, in the request's CRS."""
        # The writer holds a key: the answer is the feature as a GET with a key shows it.
        feature_sql = layer_sql_for(layer, bool(layer.private_fields)).feature(None, False, target)

        def answer(conn: psycopg.Connection[Any], feature_id: int, version: int) -> Answer:
            row = conn.execute(
                sql.SQL("SELECT {}::text FROM {} AS t WHERE t.id = %s").format(
                    feature_sql, sql.Identifier(layer.table)
                ),
                (feature_id,),
            ).fetchone()
            assert row is not None
            headers = {
                "Content-Type": "application/geo+json",
                "Content-Crs": f"<{crs_uri}>",
                "ETag": feature_tag(feature_id, version),
            }
            if status == 201:
                headers["Location"] = self.pages.item_url(layer.id, feature_id)
            return Answer(status, headers, self.pages.item_body(layer.id, feature_id, row[0]))

        return answer

    @staticmethod
    def send(answer: Answer) -> Response:
        response = Response(answer.body, status=answer.status, headers=answer.headers)
        if answer.replayed:
            response.headers["Idempotent-Replayed"] = "true"
        return response

    @staticmethod
    def _recorded(permission: Permission, write: Callable[[], Any]) -> Any:
        """A refusal of the domain (a field the role may not change) goes to the security log."""
        try:
            return write()
        except Forbidden as exc:
            auth.record("forbidden", exc.message, permission.who)
            raise

    # --- the views ------------------------------------------------------------------------

    def create(self, collection_id: str) -> Response:
        layer = self.layer(collection_id)
        permission = self.permission(layer, "create")
        document = self.document(FEATURE_TYPES)
        crs_uri, crs = self.content_crs(layer)
        writer = self.writer(layer, permission, crs)
        key = None
        if IDEMPOTENCY_KEY in request.headers:
            key = IdempotencyKey.of(
                permission.who,
                request.headers[IDEMPOTENCY_KEY],
                request.path.encode(),
                request.query_string,
                crs_uri.encode(),
                request.get_data(cache=True),
            )
        respond = self.respond(layer, 201, crs_uri, crs)
        answer = self._recorded(
            permission,
            lambda: features.create(state().edits(), document, writer, respond, key),
        )
        return self.send(answer)

    def change(self, collection_id: str, item_id: str) -> Response:
        layer = self.layer(collection_id)
        permission = self.permission(layer, "change")
        feature_id = features.feature_id_of(layer, item_id)
        patch = request.method == "PATCH"
        document = self.document((MERGE_PATCH,) if patch else FEATURE_TYPES)
        crs_uri, crs = self.content_crs(layer)
        writer = self.writer(layer, permission, crs)
        if_match = self.if_match(feature_id)
        respond = self.respond(layer, 200, crs_uri, crs)
        write = features.update if patch else features.replace
        answer = self._recorded(
            permission,
            lambda: write(state().edits(), feature_id, document, writer, respond, if_match),
        )
        return self.send(answer)

    def delete(self, collection_id: str, item_id: str) -> Response:
        layer = self.layer(collection_id)
        permission = self.permission(layer, "delete")
        feature_id = features.feature_id_of(layer, item_id)
        writer = self.writer(layer, permission, None)
        if_match = self.if_match(feature_id)
        features.delete(state().edits(), feature_id, writer, if_match)
        return Response(status=204)

    def options(self, collection_id: str, item_id: str | None) -> Response:
        if collection_id not in self.layers:
            raise NotFound(
                f"collection {collection_id!r} not found; accepted: {', '.join(self.layers.ids())}"
            )
        methods = allowed_methods(self.layers[collection_id], item=item_id is not None)
        return Response(status=204, headers={"Allow": ", ".join(methods)})


def install(
    app: Flask, blueprint: str, layers: LayerRegistry, config: dict[str, Any], pages: ItemsPage
) -> None:
    """Answer writes and OPTIONS on ``blueprint``'s items endpoint; everything else goes to the
    view it had."""
    endpoint = f"{blueprint}.collection_items"
    for rule in app.url_map.iter_rules(endpoint):
        if rule.methods is not None and "item_id" in rule.arguments:
            rule.methods |= {"PUT", "PATCH", "DELETE"}
    reads: Callable[..., Any] = app.view_functions[endpoint]
    views = Transactions(layers, config, pages)

    def collection_items(collection_id: str, item_id: str | None = None) -> Any:
        method = request.method
        if method == "OPTIONS":
            return views.options(collection_id, item_id)
        if item_id is None and method == "POST" and feature_post():
            return views.create(collection_id)
        if item_id is not None and method in ("PUT", "PATCH"):
            return views.change(collection_id, item_id)
        if item_id is not None and method == "DELETE":
            return views.delete(collection_id, item_id)
        return reads(collection_id, item_id)

    collection_items.__wrapped__ = reads  # type: ignore[attr-defined]
    app.view_functions[endpoint] = collection_items
