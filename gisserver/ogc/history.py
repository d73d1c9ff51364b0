"""``GET /ogc/collections/{collectionId}/items/{featureId}/history``: every version of a feature,
oldest first, as a GeoJSON FeatureCollection; a deleted feature keeps its history, a feature
that never existed is a 404.

Each version is a Feature with the feature's id, its public properties (and derived fields) and
geometry as they were, and beside them (members of the Feature, not properties: a layer may have
fields of the same names, as hazard_zones has valid_from and valid_to) ``version``,
``valid_from``, ``valid_to`` (null for the current version), ``ended_by`` (what ended it:
update, replace, delete), ``operation`` (what made it: create, update, replace) and ``actor``.
The actor is a key's name, ``etl`` or a database user: an internal name (a key's name is half of
its Basic credentials), given only to callers that present a key.

Precedence over pygeoapi's item rule ``/collections/<path:collection_id>/items/<path:item_id>``,
which also matches ``.../items/5/history``: both parts use converters shaped like pygeoapi's
path converter but lighter (``gisserver.tiles.routes.CollectionIdConverter``), which Werkzeug
sorts before pygeoapi's rules, whichever is registered first.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from flask import Blueprint, Flask, Response, request

from gisserver.audit import FeatureVersion, feature_versions
from gisserver.context import public_base_url, state
from gisserver.errors import InvalidParameter, NotFound
from gisserver.tiles.routes import CollectionIdConverter
from gisserver.web import auth

OGC_PREFIX = "/ogc"
MEDIA_TYPE = "application/geo+json"
# Feature ids are bigint identities.
MAX_ID = 2**63 - 1


class FeatureIdConverter(CollectionIdConverter):
    """A feature id, matched like pygeoapi's ``<path:item_id>`` but sorted before it."""


def init_app(app: Flask) -> None:
    install(app)


def install(app: Flask) -> None:
    """Register the history route (before or after pygeoapi's blueprint: either way it wins)."""
    app.url_map.converters.setdefault("collection_id", CollectionIdConverter)
    app.url_map.converters["feature_id"] = FeatureIdConverter
    bp = Blueprint("history", __name__, url_prefix=OGC_PREFIX)
    bp.add_url_rule(
        "/collections/<collection_id:collection_id>/items/<feature_id:feature_id>/history",
        "feature_history",
        feature_history,
    )
    app.register_blueprint(bp)


def feature_history(collection_id: str, feature_id: str) -> Response:
    st = state()
    f = request.args.get("f", "json")
    if f not in ("json", "geojson"):
        raise InvalidParameter("f", f"{f!r} is not offered here", "json, geojson")
    if collection_id not in st.layers:
        raise NotFound(
            f"collection {collection_id!r} does not exist; accepted: {', '.join(st.layers.ids())}"
        )
    layer = st.layers[collection_id]
    number = _feature_number(feature_id)
    versions: list[FeatureVersion] = []
    if number is not None:
        with st.database().read() as conn:
            versions = feature_versions(conn, layer, number)
    if number is None or not versions:
        raise NotFound(f"feature {feature_id!r} of collection {collection_id!r} never existed")
    with_actor = auth.principal().authenticated
    base = f"{public_base_url()}{OGC_PREFIX}/collections/{collection_id}"
    links = [
        {"rel": "self", "type": MEDIA_TYPE, "href": f"{base}/items/{number}/history"},
        {"rel": "collection", "type": "application/json", "href": base},
    ]
    if versions[-1].valid_to is None:
        links.append(
            {"rel": "latest-version", "type": MEDIA_TYPE, "href": f"{base}/items/{number}"}
        )
    body = {
        "type": "FeatureCollection",
        "features": [_feature(number, v, with_actor) for v in versions],
        "numberReturned": len(versions),
        "links": links,
    }
    return Response(json.dumps(body, ensure_ascii=False, default=str), mimetype=MEDIA_TYPE)


def _feature_number(text: str) -> int | None:
    """The id as the layers number their features, or None (no such feature)."""
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def _when(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(dt.UTC).isoformat() if moment is not None else None


def _feature(feature_id: int, version: FeatureVersion, with_actor: bool) -> dict[str, Any]:
    feature: dict[str, Any] = {
        "type": "Feature",
        "id": feature_id,
        "version": version.version,
        "valid_from": _when(version.valid_from),
        "valid_to": _when(version.valid_to),
        "ended_by": version.ended_by,
        "operation": version.operation,
    }
    if with_actor:
        feature["actor"] = version.actor
    feature["geometry"] = version.geometry
    feature["properties"] = version.properties
    return feature
