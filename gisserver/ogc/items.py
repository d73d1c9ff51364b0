"""The GeoJSON items pages (``/ogc/collections/<id>/items[/<fid>]?f=json``) without pygeoapi.

For each items request pygeoapi 0.21 loads the provider plugin, builds two pyproj CRS objects and
a bbox Transformer (even from CRS84 to CRS84), parses the features our SQL already wrote as JSON
into dicts and serialises them again: together more than the page's query costs. This view
answers the JSON form from the same provider methods (``PostGISProvider.page`` and
``feature_text``), writes the feature text from PostgreSQL into the body unparsed, and builds the
links, counts and timeStamp as pygeoapi does (same keys, hrefs and headers; tests/test_ogc.py
compares the two).

It takes over pygeoapi's endpoint (``pygeoapi.collection_items``) rather than adding a route, so
the parameter checks (gisserver.ogc.parameters) and the ETag/304/gzip hooks (gisserver.web.http)
run before and after it as before. Everything else goes to pygeoapi's view unchanged: other
formats (HTML, JSON-LD, CSV), POST (a CQL2 JSON body), and pages with the parameters whose
pygeoapi handling we do not repeat (``bbox-crs``, ``datetime``, ``lang``, ``q``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from flask import Flask, Response, g, request
from pygeoapi.api import API, FORMAT_TYPES, HEADERS
from pygeoapi.l10n import locale2str
from pygeoapi.provider.base import ProviderGenericError
from pygeoapi.util import get_choice_from_headers

from gisserver.errors import exception_document
from gisserver.layers import LayerRegistry
from gisserver.ogc.crs import crs_srid
from gisserver.ogc.provider import PostGISProvider
from gisserver.web.auth import principal
from gisserver.web.http import entity_tags, feature_tag

# Parameters pygeoapi's items view does not pass on as property filters.
RESERVED = frozenset(
    (
        "bbox",
        "bbox-crs",
        "crs",
        "f",
        "lang",
        "limit",
        "offset",
        "resulttype",
        "datetime",
        "sortby",
        "properties",
        "skipGeometry",
        "q",
        "filter",
        "filter-lang",
        "filter-crs",
        "as_of",
    )
)
# Requests with these go to pygeoapi (transformed bboxes, extent-checked datetimes, languages).
DELEGATED = ("bbox-crs", "datetime", "lang", "q")
_FORMATS, _MEDIA_TYPES = zip(*FORMAT_TYPES.items(), strict=True)


def _requested_format() -> str | None:
    """The format pygeoapi would serve: ``f``, else the first known media type in Accept."""
    explicit = (request.args.get("f") or "").strip()
    if explicit:
        return explicit
    for media_type in get_choice_from_headers(request.headers, "accept", all=True) or ():
        if media_type in _MEDIA_TYPES:
            return str(_FORMATS[_MEDIA_TYPES.index(media_type)])
    return None


def _sort_keys(text: str | None) -> list[dict[str, str]]:
    """``sortby`` as pygeoapi hands it to providers: [{"property": ..., "order": "+"/"-"}]."""
    keys = []
    for key in text.split(",") if text else []:
        order = key[:1] if key[:1] in ("+", "-") else "+"
        keys.append({"property": key[1:] if key[:1] in ("+", "-") else key, "order": order})
    return keys


def _exception(exc: ProviderGenericError, headers: dict[str, str]) -> Response:
    """A provider error as pygeoapi answers it: an OGC exception document."""
    body = exception_document(exc.ogc_exception_code, exc.message)
    return Response(body, status=exc.http_status_code, headers=headers)


def _names(header: str, tag: str) -> bool:
    """If-None-Match names ``tag`` (weak comparison, RFC 9110 13.1.2)."""
    try:
        tags = entity_tags(header)
    except ValueError:
        return False
    return tags is None or any(opaque == tag.strip('"') for _, opaque in tags)


class ItemsPage:
    """Answers the JSON items requests of one app; hands the rest to pygeoapi's view."""

    def __init__(self, api: API, layers: LayerRegistry, config: dict[str, Any]) -> None:
        self.layers = layers
        self.resources = config["resources"]
        self.limits = config["server"].get("limits", {})
        self.collections_url = api.get_collections_url()
        self.base_url = api.base_url
        # One server language: pygeoapi's Content-Language is then always that one.
        self.language = locale2str(api.locales[0]) if len(api.locales) == 1 else None
        self._providers: dict[tuple[str, bool], PostGISProvider] = {}

    def answers(self, collection_id: str, item_id: str | None) -> bool:
        return (
            request.method in ("GET", "HEAD")
            and self.language is not None
            and collection_id in self.layers
            and _requested_format() in (None, "json")
            and (item_id is not None or not any(name in request.args for name in DELEGATED))
        )

    def provider(self, collection_id: str) -> PostGISProvider:
        """The layer's provider for this caller: with the private fields for a caller with a
        key (viewer and up), else the public ones."""
        private = principal().authenticated and bool(self.layers[collection_id].private_fields)
        # Our provider holds nothing per request, so one per layer and access serves them all.
        if (collection_id, private) not in self._providers:
            definition = self.resources[collection_id]["providers"][0]
            self._providers[collection_id, private] = PostGISProvider(definition, private)
        return self._providers[collection_id, private]

    def _headers(self, collection_id: str) -> dict[str, str]:
        """pygeoapi's response headers for a feature (collection) in JSON."""
        headers = dict(HEADERS)
        headers["Content-Language"] = str(self.language)
        storage_crs = self.resources[collection_id]["providers"][0]["storage_crs"]
        headers["Content-Crs"] = f"<{request.args.get('crs') or storage_crs}>"
        return headers

    def item_url(self, collection_id: str, item_id: str | int) -> str:
        return f"{self.collections_url}/{collection_id}/items/{item_id}"

    def item_body(self, collection_id: str, item_id: str | int, feature: str) -> str:
        """A feature's GeoJSON text with pygeoapi's links of an item page put in."""
        uri = self.item_url(collection_id, item_id)
        links = [
            {
                "type": FORMAT_TYPES["json"],
                "rel": "root",
                "title": "The landing page of this server as JSON",
                "href": f"{self.base_url}?f=json",
            },
            {
                "type": FORMAT_TYPES["html"],
                "rel": "root",
                "title": "The landing page of this server as HTML",
                "href": f"{self.base_url}?f=html",
            },
            {
                "rel": "self",
                "type": "application/geo+json",
                "title": "This document as JSON",
                "href": f"{uri}?f=json",
            },
            {
                "rel": "alternate",
                "type": FORMAT_TYPES["jsonld"],
                "title": "This document as RDF (JSON-LD)",
                "href": f"{uri}?f=jsonld",
            },
            {
                "rel": "alternate",
                "type": FORMAT_TYPES["html"],
                "title": "This document as HTML",
                "href": f"{uri}?f=html",
            },
            {
                "rel": "collection",
                "type": FORMAT_TYPES["json"],
                "title": self.resources[collection_id]["title"],
                "href": f"{self.collections_url}/{collection_id}",
            },
        ]
        # The feature object's text ends with its closing brace: the links go in before it.
        return f'{feature[:-1]},"links":{json.dumps(links, separators=(",", ":"))}}}'

    def respond_item(self, collection_id: str, item_id: str) -> Response:
        """One feature with pygeoapi's links (its text from PostgreSQL, unparsed) and a strong
        ETag of its version, which a write's If-Match names; 304 on a matching If-None-Match."""
        headers = self._headers(collection_id)
        crs = request.args.get("crs")
        try:
            feature, version = self.provider(collection_id).item(
                item_id, crs_srid(crs) if crs else None
            )
        except ProviderGenericError as exc:
            return _exception(exc, headers)
        body = self.item_body(collection_id, item_id, feature)
        if g.get("gisserver_as_of") is not None:
            # A past version is no write's If-Match: the weak tag of gisserver.web.http (the
            # layer's version and this URL, as_of included) validates it instead.
            return Response(body, status=200, headers=headers)
        tag = feature_tag(int(item_id), version)
        headers["ETag"] = tag
        known = request.headers.get("If-None-Match")
        if known is not None and _names(known, tag):
            response = Response(status=304, headers={"ETag": tag, "Cache-Control": "no-cache"})
            response.vary.update(("Accept", "Accept-Encoding", "Accept-Language"))
            return response
        return Response(body, status=200, headers=headers)

    def respond(self, collection_id: str) -> Response:
        """A page of features with pygeoapi's counts, links and timeStamp."""
        args = request.args
        crs = args.get("crs")
        headers = self._headers(collection_id)
        provider = self.provider(collection_id)
        offset = int(args.get("offset") or 0)
        limit = self._limit(collection_id, args.get("limit"))
        try:
            page = provider.page(
                offset=offset,
                limit=limit,
                resulttype=args.get("resulttype") or "results",
                bbox=[float(v) for v in args["bbox"].split(",")] if args.get("bbox") else [],
                properties=[
                    (k, v) for k, v in args.items() if k not in RESERVED and k in provider.fields
                ],
                sortby=_sort_keys(args.get("sortby")),
                select_properties=args["properties"].split(",") if "properties" in args else [],
                skip_geometry=(args.get("skipGeometry") or "").lower()
                in ("yes", "true", "t", "1", "on"),
                target=crs_srid(crs) if crs else None,
            )
        except ProviderGenericError as exc:
            return _exception(exc, headers)
        rest = page.counts()
        rest["links"] = self._links(collection_id, offset, limit, page.matched, page.returned)
        rest["timeStamp"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        body = (
            '{"type":"FeatureCollection","features":'
            + page.features
            + ","
            + json.dumps(rest, separators=(",", ":"))[1:]
        )
        return Response(body, status=200, headers=headers)

    def _limit(self, collection_id: str, requested: str | None) -> int:
        limits = self.limits | self.resources[collection_id].get("limits", {})
        if requested is None:
            return int(limits.get("default_items", 10))
        # gisserver.ogc.parameters has refused anything but a positive whole number.
        return min(int(requested), int(limits.get("max_items", 10)))

    def _links(
        self, collection_id: str, offset: int, limit: int, matched: int, returned: int
    ) -> list[dict[str, str]]:
        """pygeoapi 0.21's links of an items page, in its order and with its hrefs."""
        query = "".join(
            f"&{quote(k, safe='')}={quote(str(v), safe=',')}"
            for k, v in request.args.items()
            if k not in ("f", "offset")
        )
        uri = f"{self.collections_url}/{collection_id}/items"
        links = [
            {
                "type": "application/geo+json",
                "rel": "self",
                "title": "This document as GeoJSON",
                "href": f"{uri}?f=json{query}",
            },
            {
                "rel": "alternate",
                "type": FORMAT_TYPES["jsonld"],
                "title": "This document as RDF (JSON-LD)",
                "href": f"{uri}?f=jsonld{query}",
            },
            {
                "type": FORMAT_TYPES["html"],
                "rel": "alternate",
                "title": "This document as HTML",
                "href": f"{uri}?f=html{query}",
            },
        ]
        if offset > 0:
            links.append(
                {
                    "type": "application/geo+json",
                    "rel": "prev",
                    "title": "Items (prev)",
                    "href": f"{uri}?offset={max(0, offset - limit)}{query}",
                }
            )
        if matched > limit + offset or returned == limit:
            links.append(
                {
                    "type": "application/geo+json",
                    "rel": "next",
                    "title": "Items (next)",
                    "href": f"{uri}?offset={offset + limit}{query}",
                }
            )
        links.append(
            {
                "type": FORMAT_TYPES["json"],
                "title": self.resources[collection_id]["title"],
                "rel": "collection",
                "href": uri.rsplit("/", 1)[0],
            }
        )
        return links


def install(
    app: Flask, blueprint: str, api: API, layers: LayerRegistry, config: dict[str, Any]
) -> ItemsPage:
    """Serve the JSON items and item pages of ``blueprint``'s items endpoint via ItemsPage."""
    endpoint = f"{blueprint}.collection_items"
    pygeoapi_view: Callable[..., Any] = app.view_functions[endpoint]
    pages = ItemsPage(api, layers, config)

    def collection_items(collection_id: str, item_id: str | None = None) -> Any:
        if pages.answers(collection_id, item_id):
            if item_id is not None:
                return pages.respond_item(collection_id, item_id)
            return pages.respond(collection_id)
        return pygeoapi_view(collection_id, item_id)

    app.view_functions[endpoint] = collection_items
    return pages
