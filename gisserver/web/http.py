"""HTTP behaviour web clients expect: CORS on every response (``init_app``), and for /ogc and
/styles ETag + Last-Modified from the layer_versions table (304 on a match), gzip, and
Cache-Control that always revalidates (``install``).

Situational data must never be served stale, so responses say ``no-cache`` (store, but ask
every time); the ETag makes that question cheap: a 304 costs one tiny query, no feature SQL.
"""

from __future__ import annotations

import gzip
import hashlib
from datetime import datetime

from flask import Flask, Response, g, request
from werkzeug.http import http_date

from gisserver.errors import DatabaseUnavailable
from gisserver.layers import LayerRegistry
from gisserver.settings import Settings

GZIP_MIN_BYTES = 1024
RETRY_AFTER_S = 5
RATE_LIMIT_RETRY_S = 60
# Headers a browser script may read from our answers (tiles add X-Tile-Thinned).
EXPOSED_HEADERS = "ETag, Last-Modified, Link, Content-Crs, X-Tile-Thinned"
VERSIONS_SQL = "SELECT layer, version, changed_at FROM layer_versions ORDER BY layer"


def _versions(layer_id: str | None) -> tuple[str, datetime | None]:
    """A version token and the last change time, for one layer or (None) for all of them."""
    from gisserver.context import state

    remembered = g.get("gisserver_layer_version")
    if layer_id is not None and remembered and remembered[0] == layer_id:
        return f"{remembered[0]}:{remembered[1]}", remembered[2]
    with state().database().cursor() as cur:
        cur.execute(VERSIONS_SQL)
        rows = cur.fetchall()
    if layer_id is not None:
        rows = [r for r in rows if r["layer"] == layer_id]
    token = ",".join(f"{r['layer']}:{r['version']}" for r in rows)
    changed = max((r["changed_at"] for r in rows), default=None)
    return token, changed


def _layer_of_request(layers: LayerRegistry) -> str | None:
    collection_id = (request.view_args or {}).get("collection_id")
    return collection_id if collection_id in layers else None


def entity_tag(token: str, salt: str) -> str:
    """A weak ETag over the data version, the URL and the negotiated representation."""
    digest = hashlib.sha1(
        "|".join(
            (
                salt,
                token,
                request.full_path,
                request.headers.get("Accept", ""),
                request.headers.get("Accept-Language", ""),
            )
        ).encode()
    ).hexdigest()[:32]
    return f'W/"{digest}"'


def _matches(header: str, tag: str) -> bool:
    opaque = tag.removeprefix("W/")
    return header.strip() == "*" or any(
        t.strip().removeprefix("W/") == opaque for t in header.split(",")
    )


def compress(response: Response) -> Response:
    """gzip the body when the client accepts it and it is worth it."""
    if (
        response.direct_passthrough
        or response.status_code < 200
        or response.status_code >= 300
        or "Content-Encoding" in response.headers
        or "gzip" not in request.headers.get("Accept-Encoding", "")
    ):
        return response
    body = response.get_data()
    if len(body) < GZIP_MIN_BYTES:
        return response
    response.set_data(gzip.compress(body, compresslevel=5))
    response.headers["Content-Encoding"] = "gzip"
    return response


def _vary(response: Response) -> None:
    vary = {v.strip() for v in response.headers.get("Vary", "").split(",") if v.strip()}
    vary |= {"Accept", "Accept-Encoding", "Accept-Language"}
    response.headers["Vary"] = ", ".join(sorted(vary))


def install(app: Flask, blueprint: str, layers: LayerRegistry, salt: str) -> None:
    """Conditional requests, caching headers and gzip on one blueprint's responses."""

    def _not_modified() -> Response | None:
        header = request.headers.get("If-None-Match")
        since = request.if_modified_since
        if request.method not in ("GET", "HEAD") or not (header or since):
            return None
        try:
            token, changed = _versions(_layer_of_request(layers))
        except DatabaseUnavailable:
            return None  # no 304 without the versions: the view answers (or says 503) itself
        tag = entity_tag(token, salt)
        # If-None-Match wins over If-Modified-Since (RFC 9110 13.1.3); HTTP dates have whole
        # seconds, so the change time is compared truncated.
        if (header and _matches(header, tag)) or (
            not header
            and since is not None
            and changed is not None
            and changed.replace(microsecond=0) <= since
        ):
            response = Response(status=304)
            response.headers["ETag"] = tag
            response.headers["Cache-Control"] = "no-cache"
            if changed is not None:
                response.headers["Last-Modified"] = http_date(changed)
            _vary(response)
            return response
        return None

    def _caching(response: Response) -> Response:
        if request.method not in ("GET", "HEAD") or response.status_code == 304:
            return response
        response.headers["Cache-Control"] = "no-cache"
        _vary(response)
        if response.status_code == 200:
            try:
                token, changed = _versions(_layer_of_request(layers))
            except DatabaseUnavailable:
                # A page that needs no data (landing page, collections, conformance) is still
                # answered while the database is down, without a validator it cannot compute.
                return compress(response)
            response.headers["ETag"] = entity_tag(token, salt)
            if changed is not None:
                response.headers["Last-Modified"] = http_date(changed)
        return compress(response)

    # Registered on the app under the blueprint's name: pygeoapi registers its blueprint on
    # its own Flask app at import, after which the blueprint itself takes no more hooks.
    app.before_request_funcs.setdefault(blueprint, []).append(_not_modified)
    app.after_request_funcs.setdefault(blueprint, []).append(_caching)


def init_app(app: Flask, settings: Settings) -> None:
    """On every response: CORS (the configured origins, and the headers clients may read), and
    ``Retry-After`` on a 503 (an outage or an overload heals by itself: come back shortly)."""

    def _every_response(response: Response) -> Response:
        response.headers.setdefault("Access-Control-Allow-Origin", settings.cors_origins)
        response.headers.setdefault("Access-Control-Expose-Headers", EXPOSED_HEADERS)
        if response.status_code == 503:
            response.headers.setdefault("Retry-After", str(RETRY_AFTER_S))
        elif response.status_code == 429:
            response.headers.setdefault("Retry-After", str(RATE_LIMIT_RETRY_S))
        return response

    app.after_request(_every_response)
