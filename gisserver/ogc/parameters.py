"""Checks the query parameters of the items endpoints before pygeoapi sees them.

pygeoapi's own messages ("bad sort property", "Bad CQL text") name neither the accepted form
nor, often, the parameter; and it parses ``filter`` as ECQL and refuses ``filter-lang=cql2-text``.
So the items requests pass through here first: every malformed parameter is answered with a 400
that names it and what is accepted, the CQL2 filter is parsed once (text or JSON, GET or POST) and
handed to our provider through ``flask.g``, and the filter parameters are hidden from pygeoapi's
own parser while staying in the query string it copies into the paging links.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from flask import Flask, Response, g, request
from psycopg import sql
from werkzeug.datastructures import ImmutableMultiDict, MultiDict

from gisserver.analyses.as_of import PARAMETER as AS_OF
from gisserver.analyses.as_of import parse_as_of
from gisserver.errors import InvalidParameter, exception_document
from gisserver.layers import LayerRegistry
from gisserver.ogc.cql2 import (
    ACCEPTED_JSON,
    ACCEPTED_TEXT,
    Binder,
    CQL2Error,
    FilterCompiler,
    parse_json,
    parse_text,
)
from gisserver.ogc.crs import crs_srid
from gisserver.ogc.layer_sql import LayerSQL
from gisserver.ogc.provider import datetime_interval
from gisserver.ogc.transactions import feature_post
from gisserver.settings import Settings

FILTER_PARAMETERS = ("filter", "filter-lang", "filter-crs")
FILTER_LANGUAGES = ("cql2-text", "cql2-json", "cql-text", "cql-json")
ITEMS_ENDPOINT = "pygeoapi.collection_items"
# Paging deeper than this reads (and throws away) a million rows per page: narrow the question
# (bbox, filter, datetime) or page with sortby on a property instead.
MAX_OFFSET = 1_000_000


@dataclass(frozen=True)
class ParsedFilter:
    """A filter checked against the collection, and the CRS of its geometries (None = CRS84)."""

    ast: Any
    crs: tuple[int, bool] | None


class _ArgsWithoutFilter(ImmutableMultiDict):
    """Query arguments whose filter parameters pygeoapi's parser does not see (``get``) but its
    link builder still copies (``items``), so next/prev links keep the filter."""

    def get(self, key, default=None, type=None):  # type: ignore[override]
        if key in FILTER_PARAMETERS:
            return default
        return super().get(key, default, type)


def exception(status: int, code: str, description: str) -> Response:
    """An OGC API exception document."""
    return Response(
        exception_document(code, description), status=status, mimetype="application/json"
    )


def _number_list(text: str, parameter: str, accepted: str) -> list[float]:
    try:
        numbers = [float(v) for v in text.split(",")]
    except ValueError:
        raise InvalidParameter(parameter, f"{text!r} is not a list of numbers", accepted) from None
    if not all(math.isfinite(v) for v in numbers):
        raise InvalidParameter(parameter, f"{text!r} holds a non-finite number", accepted)
    return numbers


class ItemsParameters:
    """Checks one items (or item) request against one collection."""

    def __init__(self, settings: Settings, layer_sql: LayerSQL, crs_list: list[str]) -> None:
        self.settings = settings
        self.sql = layer_sql
        self.crs_list = crs_list

    def check(self, args: MultiDict[str, str], single: bool) -> ParsedFilter | None:
        private = [k for k in args if k in self.sql.layer.private_fields]
        if private:
            raise InvalidParameter(private[0], "unknown property", ", ".join(self.sql.queryables))
        for parameter in ("crs",):
            self._crs(args, parameter)
        if single:
            return None
        self._limit(args)
        offset = args.get("offset")
        if offset is not None and (not offset.isdigit() or int(offset) > MAX_OFFSET):
            raise InvalidParameter(
                "offset",
                f"{offset!r} is not a whole number up to {MAX_OFFSET:,}",
                f"0 to {MAX_OFFSET:,}; to go deeper, narrow the request with bbox, filter or "
                "datetime",
            )
        self._bbox(args)
        self._datetime(args)
        self._properties(args)
        self._sortby(args)
        skip = args.get("skipGeometry")
        if skip is not None and skip.lower() not in ("true", "false"):
            raise InvalidParameter("skipGeometry", f"{skip!r} is not a boolean", "true, false")
        result_type = args.get("resulttype")
        if result_type is not None and result_type not in ("results", "hits"):
            raise InvalidParameter("resulttype", f"{result_type!r} is unknown", "results, hits")
        return self._filter(args)

    def _crs(self, args: MultiDict[str, str], parameter: str) -> tuple[int, bool] | None:
        value = args.get(parameter)
        if value is None:
            return None
        if value not in self.crs_list:
            raise InvalidParameter(
                parameter, f"{value!r} is not offered by this collection", ", ".join(self.crs_list)
            )
        return crs_srid(value)

    def _limit(self, args: MultiDict[str, str]) -> None:
        value = args.get("limit")
        if value is None:
            return
        maximum = self.settings.features_max_limit
        if not value.isdigit() or int(value) < 1:
            raise InvalidParameter(
                "limit", f"{value!r} is not a positive whole number", f"1 to {maximum}"
            )
        if int(value) > maximum:
            g.gisserver_limit_capped = (int(value), maximum)

    def _bbox(self, args: MultiDict[str, str]) -> None:
        text = args.get("bbox")
        accepted = (
            "minx,miny,maxx,maxy (or 6 numbers with heights) in CRS84 longitude/latitude, "
            "or in bbox-crs"
        )
        if text is None:
            if args.get("bbox-crs") is not None:
                raise InvalidParameter("bbox-crs", "given without bbox", accepted)
            return
        box = _number_list(text, "bbox", accepted)
        if len(box) not in (4, 6):
            raise InvalidParameter("bbox", f"{text!r} has {len(box)} numbers", accepted)
        x1, y1, x2, y2 = (box[0], box[1], box[3], box[4]) if len(box) == 6 else box
        if y1 > y2:
            raise InvalidParameter("bbox", "miny is greater than maxy", accepted)
        if x1 > x2:
            raise InvalidParameter(
                "bbox",
                "minx is greater than maxx (boxes across the antimeridian are not supported)",
                accepted,
            )
        crs = self._crs(args, "bbox-crs")
        if crs is None and (
            min(x1, x2) < -180 or max(x1, x2) > 180 or min(y1, y2) < -90 or max(y1, y2) > 90
        ):
            raise InvalidParameter(
                "bbox", f"{text!r} is outside longitude -180..180 / latitude -90..90", accepted
            )

    def _datetime(self, args: MultiDict[str, str]) -> None:
        text = args.get("datetime")
        if text is None:
            return
        accepted = (
            "an RFC 3339 instant (2026-11-25T20:00:00Z or 2026-11-25) or an interval "
            "start/end with '..' for an open end"
        )
        from pygeoapi.provider.base import ProviderInvalidQueryError

        try:
            start, end = datetime_interval(text)
        except ProviderInvalidQueryError:
            raise InvalidParameter("datetime", f"{text!r} is not RFC 3339", accepted) from None
        if start is not None and end is not None and start > end:
            raise InvalidParameter("datetime", "the interval ends before it starts", accepted)
        if text == "../.." or text == "/":
            raise InvalidParameter("datetime", "both ends are open", accepted)

    def _properties(self, args: MultiDict[str, str]) -> None:
        text = args.get("properties")
        if text is None:
            return
        names = [n for n in text.split(",")]
        accepted = ", ".join(self.sql.properties)
        for name in names:
            if name not in self.sql.properties and name != "id":
                raise InvalidParameter("properties", f"unknown property {name!r}", accepted)

    def _sortby(self, args: MultiDict[str, str]) -> None:
        text = args.get("sortby")
        if text is None:
            return
        accepted = (
            "comma-separated properties, each optionally prefixed with + (ascending) or - "
            f"(descending), from: {', '.join(self.sql.queryables)}"
        )
        for item in text.split(","):
            name = item.strip()
            if name[:1] in "+-":
                name = name[1:]
            if name not in self.sql.queryables:
                raise InvalidParameter("sortby", f"unknown property {name!r}", accepted)

    def _filter(self, args: MultiDict[str, str]) -> ParsedFilter | None:
        language = args.get("filter-lang")
        if language is not None and language not in FILTER_LANGUAGES:
            raise InvalidParameter(
                "filter-lang", f"{language!r} is unknown", ", ".join(FILTER_LANGUAGES)
            )
        crs = self._crs(args, "filter-crs")
        text = args.get("filter")
        body = request.get_data() if request.method == "POST" else b""
        if text is None and not body:
            return None
        try:
            if text is not None and (language or "").endswith("json"):
                tree = parse_json(text)
            elif text is not None:
                tree = parse_text(text)
            else:
                tree = parse_json(body.decode("utf-8", "replace"))
        except CQL2Error as exc:
            json_form = (language or "").endswith("json") or text is None
            raise InvalidParameter(
                "filter", str(exc), ACCEPTED_JSON if json_form else ACCEPTED_TEXT
            ) from exc
        try:
            # Compiling checks the properties and value types against the collection now.
            FilterCompiler(
                self.sql.queryables, sql.SQL("t.geom"), lambda _: sql.SQL("NULL"), Binder()
            ).compile(tree)
        except CQL2Error as exc:
            raise InvalidParameter("filter", str(exc), None) from exc
        return ParsedFilter(tree, crs)


def install(
    app: Flask, blueprint: str, settings: Settings, layers: LayerRegistry, config: dict[str, Any]
) -> None:
    """Check items/item requests on the pygeoapi blueprint before its views run."""
    crs_lists = {
        layer.id: list(config["resources"][layer.id]["providers"][0]["crs"]) for layer in layers
    }

    def _check_items_parameters() -> Response | None:
        if request.endpoint != ITEMS_ENDPOINT or request.method not in ("GET", "HEAD", "POST"):
            return None
        collection_id = (request.view_args or {}).get("collection_id", "")
        single = (request.view_args or {}).get("item_id") is not None
        if collection_id not in layers:
            return exception(
                404,
                "NotFound",
                f"collection {collection_id!r} not found; accepted: {', '.join(layers.ids())}",
            )
        if feature_post():  # a feature to create (gisserver.ogc.transactions), no search
            return None
        from gisserver.ogc.layer_sql import layer_sql_for

        checker = ItemsParameters(
            settings, layer_sql_for(layers[collection_id]), crs_lists[collection_id]
        )
        try:
            parsed = checker.check(request.args, single)
            if request.args.get(AS_OF) is not None:  # the provider replays the layer
                g.gisserver_as_of = parse_as_of(request.args[AS_OF])
        except InvalidParameter as exc:
            return exception(exc.status, exc.code, exc.message)
        if parsed is not None:
            g.gisserver_filter = parsed
        if any(k in request.args for k in FILTER_PARAMETERS):
            request.args = _ArgsWithoutFilter(request.args)
        return None

    app.before_request_funcs.setdefault(blueprint, []).append(_check_items_parameters)
