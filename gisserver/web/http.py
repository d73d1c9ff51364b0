"""HTTP behaviour web clients expect. On every response (``init_app``): CORS (reads open to the
configured origins, ``*`` by default; writes to none unless configured), and the headers that
keep a browser safe (a Content-Security-Policy on HTML pages, nosniff, no framing, a referrer
policy). For /ogc and /styles (``install``): ETag + Last-Modified from the layer_versions table
(304 on a match), gzip, and Cache-Control that always revalidates. One feature's JSON carries a
strong ETag of its own instead (``feature_tag``: its version), which a write names in If-Match.

Situational data must never be served stale, so responses say ``no-cache`` (store, but ask
every time); the ETag makes that question cheap: a 304 costs one tiny query, no feature SQL.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import secrets
from collections.abc import Iterable
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, g, request
from werkzeug.datastructures import Headers
from werkzeug.http import http_date

from gisserver.errors import (
    DatabaseUnavailable,
    InvalidParameter,
    InvalidValue,
    UnsupportedMediaType,
    exception_document,
)
from gisserver.layers import LayerRegistry
from gisserver.settings import Settings

GZIP_MIN_BYTES = 1024
RETRY_AFTER_S = 5
RATE_LIMIT_RETRY_S = 60
# Methods a page of another origin may use with only GISSERVER_CORS_ORIGINS allowing it; any
# other needs its origin in GISSERVER_CORS_WRITE_ORIGINS, for its preflight to pass.
READ_METHODS = frozenset(("GET", "HEAD", "OPTIONS"))
# Request headers a cross-origin request may carry (the preflight's Access-Control-Allow-Headers).
REQUEST_HEADERS = (
    "Accept, Accept-Language, Authorization, Content-Crs, Content-Type, Idempotency-Key, "
    "If-Match, If-Modified-Since, If-None-Match, X-API-Key, X-Request-Id"
)
PREFLIGHT_MAX_AGE = "600"
# Headers a browser script may read from our answers (tiles add X-Tile-Thinned; a create its
# Location; every write its X-Request-Id, the audit trail's key).
EXPOSED_HEADERS = "ETag, Last-Modified, Link, Content-Crs, Location, X-Request-Id, X-Tile-Thinned"
VERSIONS_SQL = "SELECT layer, version, changed_at FROM layer_versions ORDER BY layer"
# Where an HTML page may load from: this server only. No inline script runs except one carrying
# the response's nonce (our own templates, ``csp_nonce()``); pygeoapi's pages use script files.
# style-src allows inline styles: pygeoapi's templates and Swagger UI use style attributes.
# MapLibre and Leaflet.VectorGrid start their web workers from blob: URLs. img-src adds the
# origins of basemap tiles (``allow_images_from``).
PAGE_POLICY = (
    "default-src 'self'",
    "script-src 'self'{nonce}",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:{images}",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "child-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
)
# Anything else (JSON, tiles, styles) is no page: it may load nothing and be framed by nobody.
DOCUMENT_POLICY = "default-src 'none'; frame-ancestors 'none'"
IMAGE_ORIGINS = "gisserver.image_origins"


def _versions(layer_id: str | None) -> tuple[str, datetime | None]:
    """A version token and the last change time, for one layer or (None) for all of them."""
    from gisserver.context import state

    remembered = g.get("gisserver_layer_version")
    if layer_id is not None and remembered and remembered[0] == layer_id:
        return f"{remembered[0]}:{remembered[1]}", remembered[2]
    with state().database().read_cursor() as cur:
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


def json_object(fields: Iterable[str]) -> dict[str, Any]:
    """The request's body as a JSON object (415 unless it is JSON; 400 unless it parses; 422
    unless it is an object of ``fields``, which the answer names)."""
    if not request.is_json:
        raise UnsupportedMediaType(
            "Content-Type", f"{request.mimetype or 'none'} is not accepted", "application/json"
        )
    try:
        body = json.loads(request.get_data(cache=True))
    except ValueError as exc:
        raise InvalidParameter("body", f"is not JSON ({exc})", "a JSON object") from exc
    if not isinstance(body, dict):
        raise InvalidValue(
            "body", f"is a JSON {type(body).__name__}", f"a JSON object of {', '.join(fields)}"
        )
    return body


def query_args() -> dict[str, str]:
    """The query string as single values; a repeated parameter is refused, not half-ignored."""
    args: dict[str, str] = {}
    for key in request.args:
        values = request.args.getlist(key)
        if len(values) > 1:
            raise InvalidParameter(key, "is given more than once", "one value")
        args[key] = values[0]
    return args


def entity_tag(token: str, salt: str) -> str:
    """A weak ETag over the data version, the URL and the negotiated representation (which
    includes whether the caller has a key: keys see the private fields)."""
    principal = g.get("principal")
    digest = hashlib.sha1(
        "|".join(
            (
                salt,
                token,
                request.full_path,
                request.headers.get("Accept", ""),
                request.headers.get("Accept-Language", ""),
                "key" if principal is not None and principal.authenticated else "",
            )
        ).encode()
    ).hexdigest()[:32]
    return f'W/"{digest}"'


def _matches(header: str, tag: str) -> bool:
    opaque = tag.removeprefix("W/")
    return header.strip() == "*" or any(
        t.strip().removeprefix("W/") == opaque for t in header.split(",")
    )


def feature_tag(feature_id: int, version: int) -> str:
    """The strong ETag of one version of a feature: of its JSON item, of a write's answer.

    The same tag goes out gzipped or not: this server answers no byte ranges, the one thing a
    strong tag shared by two content codings could mislead.
    """
    return f'"{feature_id}-{version}"'


_ENTITY_TAG = r'\s*(W/)?"([\x21\x23-\x7e\x80-\xff]*)"\s*'
_ENTITY_TAGS = re.compile(rf"^{_ENTITY_TAG}(,{_ENTITY_TAG})*$")


def entity_tags(header: str) -> list[tuple[bool, str]] | None:
    """An If-Match/If-None-Match list as (weak?, opaque tag) pairs; None for ``*``.
    ValueError if it is not a list of quoted entity tags."""
    if header.strip() == "*":
        return None
    if not _ENTITY_TAGS.match(header):
        raise ValueError(header)
    return [(bool(weak), tag) for weak, tag in re.findall(_ENTITY_TAG, header)]


def feature_tag_versions(header: str, feature_id: int) -> frozenset[int] | None:
    """The versions of feature ``feature_id`` an If-Match names (strong comparison: a weak tag
    names none); None for ``*``. ValueError if the header is not a list of entity tags."""
    tags = entity_tags(header)
    if tags is None:
        return None
    versions = set()
    for weak, tag in tags:
        named, _, version = tag.partition("-")
        if not weak and named == str(feature_id) and version.isdigit():
            versions.add(int(version))
    return frozenset(versions)


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


def _vary(
    response: Response,
    names: tuple[str, ...] = ("Accept", "Accept-Encoding", "Accept-Language", "Authorization"),
) -> None:
    vary = {v.strip() for v in response.headers.get("Vary", "").split(",") if v.strip()}
    vary |= set(names)
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
            # a view that knows better (one feature's version) has set its own
            response.headers.setdefault("ETag", entity_tag(token, salt))
            if changed is not None:
                response.headers["Last-Modified"] = http_date(changed)
        return compress(response)

    # Registered on the app under the blueprint's name: pygeoapi registers its blueprint on
    # its own Flask app at import, after which the blueprint itself takes no more hooks.
    app.before_request_funcs.setdefault(blueprint, []).append(_not_modified)
    app.after_request_funcs.setdefault(blueprint, []).append(_caching)


def csp_nonce() -> str:
    """This response's script nonce, for the one inline ``<script nonce=...>`` of a template."""
    nonce: str | None = g.get("gisserver_csp_nonce")
    if nonce is None:
        nonce = g.gisserver_csp_nonce = secrets.token_urlsafe(18)
    return nonce


def allow_images_from(app: Flask, url: str) -> None:
    """Let the app's pages show images from url's origin (e.g. a basemap's tile server)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"url: {url!r} is not an http(s) URL with a host")
    known: list[str] = app.extensions.setdefault(IMAGE_ORIGINS, [])
    origin = f"{parts.scheme}://{parts.netloc}"
    if origin not in known:
        known.append(origin)


def content_security_policy(image_origins: list[str], nonce: str | None) -> str:
    """The policy of an HTML page: only this server's scripts (and the nonce's, if any)."""
    return "; ".join(PAGE_POLICY).format(
        nonce=f" 'nonce-{nonce}'" if nonce else "",
        images="".join(f" {origin}" for origin in image_origins),
    )


def _normalised(response: Response) -> Response:
    """The response with real Headers: pygeoapi's views replace them with a dict, whose keys
    are case-sensitive and which ``mimetype`` cannot read."""
    if not isinstance(response.headers, Headers):
        response.headers = Headers(response.headers)
    return response


def _browser_safety(app: Flask) -> None:
    """Headers that stop a page of ours from being framed, sniffed or made to run others' code."""

    def _headers(response: Response) -> Response:
        headers = _normalised(response).headers
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        # The basemap's tile server asks for a Referer (its usage policy); it gets the origin only.
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        if response.mimetype == "text/html":
            policy = content_security_policy(
                app.extensions.get(IMAGE_ORIGINS, []), g.get("gisserver_csp_nonce")
            )
        else:
            policy = DOCUMENT_POLICY
        headers.setdefault("Content-Security-Policy", policy)
        return response

    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.after_request(_headers)


def _allow_on_405(app: Flask) -> None:
    """A 405 says which methods the URL takes (RFC 9110 15.5.6), on every surface: pygeoapi's
    views answer some 405s themselves, without it."""

    def _allow(response: Response) -> Response:
        response = _normalised(response)
        if response.status_code == 405 and "Allow" not in response.headers:
            methods = app.url_map.bind_to_environ(request.environ).allowed_methods()
            if methods:
                response.headers["Allow"] = ", ".join(sorted(methods))
        return response

    app.after_request(_allow)


def origins(text: str) -> frozenset[str]:
    """A setting's comma-separated origins (``*`` stands for any)."""
    return frozenset(o.strip().rstrip("/") for o in text.split(",") if o.strip())


def _allowed_origin(origin: str | None, allowed: frozenset[str]) -> str | None:
    """The Access-Control-Allow-Origin for a request's Origin, or None (not allowed)."""
    if "*" in allowed:
        return "*"
    return origin if origin is not None and origin in allowed else None


def _cors(app: Flask, settings: Settings) -> None:
    """Reads from the pages of ``cors_origins``; writes only from those of
    ``cors_write_origins`` (a browser preflights every cross-origin write our endpoints take:
    they take JSON bodies only, so a refused preflight stops the request before it is sent)."""
    read_origins = origins(settings.cors_origins)
    write_origins = origins(settings.cors_write_origins)

    def _allowed(method: str) -> tuple[frozenset[str], str]:
        if method.upper() in READ_METHODS:
            return read_origins, "GISSERVER_CORS_ORIGINS"
        return write_origins, "GISSERVER_CORS_WRITE_ORIGINS"

    def _preflight() -> Response | None:
        method = request.headers.get("Access-Control-Request-Method")
        origin = request.headers.get("Origin")
        if request.method != "OPTIONS" or not method or not origin:
            return None
        allowed, setting = _allowed(method)
        allow = _allowed_origin(origin, allowed)
        g.gisserver_cors_preflight = True
        if allow is None:
            refusal = (
                f"origin {origin!r} may not send {method.upper()} requests to this server; "
                f"accepted: the origins in {setting}"
            )
            return Response(
                exception_document("Forbidden", refusal), status=403, mimetype="application/json"
            )
        response = Response(status=204)
        response.headers["Access-Control-Allow-Origin"] = allow
        response.headers["Access-Control-Allow-Methods"] = method.upper()
        response.headers["Access-Control-Allow-Headers"] = REQUEST_HEADERS
        response.headers["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
        return response

    def _headers(response: Response) -> Response:
        response = _normalised(response)
        allowed, _ = _allowed(request.method)
        if "*" not in allowed:
            _vary(response, ("Origin",))  # the answer depends on who asks
        if g.get("gisserver_cors_preflight"):
            return response  # answered whole by _preflight
        allow = _allowed_origin(request.headers.get("Origin"), allowed)
        if allow is not None:
            response.headers.setdefault("Access-Control-Allow-Origin", allow)
            response.headers.setdefault("Access-Control-Expose-Headers", EXPOSED_HEADERS)
        return response

    # First of the app's hooks, before who-is-asking: a preflight carries no credentials.
    app.before_request_funcs.setdefault(None, []).insert(0, _preflight)
    app.after_request(_headers)


def init_app(app: Flask, settings: Settings) -> None:
    """CORS, the browser-safety headers, a 405's Allow and a 503's or 429's Retry-After on every
    response."""
    _browser_safety(app)
    _allow_on_405(app)
    _cors(app, settings)
    _retry_after(app)


def _retry_after(app: Flask) -> None:
    """``Retry-After`` on a 503 (an outage or an overload heals by itself: come back shortly)
    and on a 429 (too many failed authentications: after the window)."""

    def _hint(response: Response) -> Response:
        response = _normalised(response)
        if response.status_code == 503:
            response.headers.setdefault("Retry-After", str(RETRY_AFTER_S))
        elif response.status_code == 429:
            response.headers.setdefault("Retry-After", str(RATE_LIMIT_RETRY_S))
        return response

    app.after_request(_hint)
