"""Our pygeoapi feature provider for PostGIS (psycopg 3, the app's pool, GeoJSON built in SQL).

pygeoapi instantiates a provider per request (our JSON items view, gisserver.ogc.items, keeps one
per layer), so the provider holds no per-request state: the connection comes from the app's pool
(``gisserver.context.state().database()``). One page costs one round trip (features as JSON text,
count and layer version together, with the COMMIT pipelined); a layer above
``settings.exact_count_threshold`` rows first asks the planner (EXPLAIN) and reports its estimate
of the matches, flagged ``numberMatchedEstimated``, unless the query is selective enough to count.
"""

from __future__ import annotations

import functools
import json
import logging
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from http import HTTPStatus
from typing import Any

import psycopg
from flask import g
from psycopg import sql
from pygeoapi.provider.base import (
    BaseProvider,
    ProviderConnectionError,
    ProviderInvalidQueryError,
    ProviderItemNotFoundError,
    ProviderQueryError,
    SchemaType,
)

from gisserver.analyses import as_of
from gisserver.db import load_sql
from gisserver.errors import DatabaseUnavailable
from gisserver.ogc.cql2 import Binder, CQL2Error, FilterCompiler
from gisserver.ogc.crs import crs_srid, geometry_literal
from gisserver.ogc.layer_sql import layer_sql_for

log = logging.getLogger(__name__)

TABLE_ROWS_TTL_S = 60.0
# On a layer above exact_count_threshold rows, queries estimated to match at most this many
# rows are still counted exactly (a few ms at most).
EXACT_COUNT_BELOW_ESTIMATE = 2_000
PAGE_SETTINGS = sql.SQL(
    "SELECT set_config('jit', 'off', true), "
    "set_config('max_parallel_workers_per_gather', '0', true)"
)
END_READ = sql.SQL("COMMIT")
_table_rows: dict[str, tuple[float, int]] = {}


@functools.cache
def _template(name: str) -> sql.SQL:
    return sql.SQL(load_sql(name))


def _parse_instant(text: str, *, end: bool) -> datetime | None:
    if text in ("..", ""):
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ProviderInvalidQueryError(
            user_msg=f"datetime: {text!r} is not RFC 3339; accepted: 2026-11-25T20:00:00Z, "
            "2026-11-25, or an interval start/end with '..' for an open end"
        ) from exc
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    if end and len(text) == 10:  # a date as the end of an interval covers that whole day
        value += timedelta(days=1) - timedelta(microseconds=1)
    return value


def datetime_interval(text: str) -> tuple[datetime | None, datetime | None]:
    """The OGC ``datetime`` parameter as (start, end); an instant date covers the whole day."""
    if "/" in text:
        first, last = text.split("/", 1)
        return _parse_instant(first, end=False), _parse_instant(last, end=True)
    start = _parse_instant(text, end=False)
    return start, _parse_instant(text, end=True) if len(text) == 10 else start


@dataclass(frozen=True)
class FeaturePage:
    """A page of features: GeoJSON feature array text (unparsed) and its counts."""

    features: str
    returned: int
    matched: int
    estimated: bool  # matched is the planner's estimate on a large layer, not a count
    limit_capped: tuple[int, int] | None  # (requested, applied) when over the maximum

    def counts(self) -> dict[str, Any]:
        """numberMatched, numberReturned and their flags, as in the FeatureCollection."""
        out: dict[str, Any] = {"numberMatched": self.matched, "numberReturned": self.returned}
        if self.estimated:
            out["numberMatchedEstimated"] = True
        if self.limit_capped:
            out["limitCapped"] = {
                "requested": self.limit_capped[0],
                "applied": self.limit_capped[1],
            }
        return out


class ProviderUnavailable(ProviderConnectionError):
    """The database is down or too slow: 503, as on every other surface (pygeoapi says 500)."""

    ogc_exception_code = "ServiceUnavailable"
    http_status_code = HTTPStatus.SERVICE_UNAVAILABLE
    default_msg = "the database is unavailable; try again shortly"


class PostGISProvider(BaseProvider):
    """OGC API - Features provider for one gisserver layer (``data`` is the layer id)."""

    def __init__(self, provider_def: dict[str, Any], private: bool = False) -> None:
        """``private``: serve the layer's private fields too (gisserver.ogc.items does for
        callers with a key; pygeoapi's own views never do)."""
        from gisserver.context import state

        super().__init__(provider_def)
        app_state = state()
        self.settings = app_state.settings
        self.layer = app_state.layers[provider_def["data"]]
        self.sql = layer_sql_for(self.layer, private)
        self.id_field = "id"
        self._fields = self.sql.fields()
        self._app_state = app_state

    # --- pygeoapi interface ---------------------------------------------------------------

    def get_fields(self) -> dict[str, dict[str, Any]]:
        return self._fields

    def get_schema(self, schema_type: SchemaType = SchemaType.item):
        properties = {name: dict(v) for name, v in self._fields.items()}
        properties["geometry"] = {"$ref": "https://geojson.org/schema/Geometry.json"}
        return "application/geo+json", {
            "$schema": "http://json-schema.org/draft/2019-09/schema",
            "type": "object",
            "title": self.layer.title,
            "properties": properties,
        }

    def query(
        self,
        offset: int = 0,
        limit: int = 10,
        resulttype: str = "results",
        bbox: list[float] | None = None,
        datetime_: str | None = None,
        properties: list[tuple[str, str]] | None = None,
        sortby: list[dict[str, str]] | None = None,
        select_properties: list[str] | None = None,
        skip_geometry: bool = False,
        crs_transform_spec: Any = None,
        filterq: Any = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        page = self.page(
            offset=offset,
            limit=limit,
            resulttype=resulttype,
            bbox=bbox,
            datetime_=datetime_,
            properties=properties,
            sortby=sortby,
            select_properties=select_properties,
            skip_geometry=skip_geometry,
            target=crs_srid(crs_transform_spec.target_crs_uri) if crs_transform_spec else None,
            filterq=filterq,
        )
        content: dict[str, Any] = {"type": "FeatureCollection"}
        content["features"] = json.loads(page.features)
        content |= page.counts()
        return content

    def page(
        self,
        *,
        offset: int = 0,
        limit: int = 10,
        resulttype: str = "results",
        bbox: list[float] | None = None,
        datetime_: str | None = None,
        properties: list[tuple[str, str]] | None = None,
        sortby: list[dict[str, str]] | None = None,
        select_properties: list[str] | None = None,
        skip_geometry: bool = False,
        target: tuple[int, bool] | None = None,
        filterq: Any = None,
    ) -> FeaturePage:
        """One page of features as GeoJSON text, with its counts (what ``query`` returns)."""
        bind = Binder()
        where = self._where(bbox or [], datetime_, properties or [], filterq, bind)
        select = self._select(select_properties or [])
        order = self._order(sortby or [])
        estimated = self._estimate(where, bind)
        table = sql.Identifier(self.layer.table)
        query = _template("features/page.sql").format(
            matched=sql.SQL("count(*) OVER ()" if estimated is None else "NULL::bigint"),
            count=(
                sql.SQL("(SELECT count(*) FROM {} AS t WHERE {})").format(table, where)
                if estimated is None
                else sql.SQL("NULL::bigint")
            ),
            feature=self.sql.feature(select, skip_geometry, target),
            table=table,
            where=where,
            order=order,
            limit=bind(0 if resulttype == "hits" else int(limit)),
            offset=bind(int(offset)),
            layer=sql.Literal(self.layer.id),
        )
        row = self._fetch(self._replayed(query, bind), bind)
        self._remember_version(row)
        capped = g.get("gisserver_limit_capped")
        return FeaturePage(
            features=row["features"],
            returned=int(row["returned"]),
            matched=int(row["matched"]) if estimated is None else estimated,
            estimated=estimated is not None,
            limit_capped=capped,
        )

    def get(self, identifier: Any, crs_transform_spec: Any = None, **kwargs: Any) -> dict:
        target = crs_srid(crs_transform_spec.target_crs_uri) if crs_transform_spec else None
        feature: dict[str, Any] = json.loads(self.feature_text(identifier, target))
        return feature

    def feature_text(self, identifier: Any, target: tuple[int, bool] | None = None) -> str:
        """One feature as GeoJSON text (what ``get`` returns); not found is a 404 error."""
        return self.item(identifier, target)[0]

    def item(self, identifier: Any, target: tuple[int, bool] | None = None) -> tuple[str, int]:
        """One feature as GeoJSON text and its version (its ETag); not found is a 404 error."""
        try:
            feature_id = int(str(identifier))
        except ValueError as exc:
            raise ProviderItemNotFoundError(
                user_msg=f"feature {identifier!r} not found in {self.layer.id} "
                "(feature ids are integers)"
            ) from exc
        if not -(2**63) <= feature_id < 2**63:
            raise ProviderItemNotFoundError(
                user_msg=f"feature {identifier!r} not found in {self.layer.id}"
            )
        bind = Binder()
        query = _template("features/item.sql").format(
            feature=self.sql.feature(None, False, target),
            table=sql.Identifier(self.layer.table),
            id=bind(feature_id),
            layer=sql.Literal(self.layer.id),
        )
        row = self._fetch(self._replayed(query, bind), bind)
        self._remember_version(row)
        if row.get("feature") is None:
            raise ProviderItemNotFoundError(
                user_msg=f"feature {identifier!r} not found in {self.layer.id}"
            )
        return row["feature"], int(row["feature_version"])

    # --- query parts ----------------------------------------------------------------------

    def _where(
        self,
        bbox: list[float],
        datetime_: str | None,
        properties: list[tuple[str, str]],
        filterq: Any,
        bind: Binder,
    ) -> sql.Composable:
        parts: list[sql.Composable] = []
        if bbox:
            x1, y1, x2, y2 = (bbox[0], bbox[1], bbox[3], bbox[4]) if len(bbox) == 6 else bbox
            # On a point layer a point intersects the box exactly when its box overlaps it,
            # and && is cheap where ST_Intersects is costed so high (COST 10000) that the
            # planner ANDs in any other index to call it on fewer rows: with a filter on
            # status it scanned half the table's status index to save a few dozen calls.
            test = (
                "t.geom && {}"
                if self.layer.geometry_types == ("Point",)
                else "ST_Intersects(t.geom, {})"
            )
            parts.append(
                sql.SQL(test).format(
                    sql.SQL("ST_MakeEnvelope({}, {}, {}, {}, 4326)").format(
                        *(bind(float(v)) for v in (x1, y1, x2, y2))
                    )
                )
            )
        if datetime_:
            parts.append(self._datetime(datetime_, bind))
        for name, value in properties:
            q = self.sql.queryables.get(name)
            if q is None:
                continue
            # a list property (units.capabilities): the features whose list holds the value
            test = "{} @> ARRAY[{}]::text[]" if q.type == "list" else "{} = {}"
            parts.append(sql.SQL(test).format(q.expression, bind(_typed(name, value, q.type))))
        parsed = g.get("gisserver_filter")
        ast_ = parsed.ast if parsed is not None else filterq
        if ast_ is not None:
            source = parsed.crs if parsed is not None else None
            compiler = FilterCompiler(
                self.sql.queryables,
                sql.SQL("t.geom"),
                lambda geometry: geometry_literal(geometry, source, bind),
                bind,
            )
            try:
                parts.append(compiler.compile(ast_))
            except CQL2Error as exc:
                raise ProviderInvalidQueryError(user_msg=f"filter: {exc}") from exc
        return sql.SQL(" AND ").join(parts) if parts else sql.SQL("TRUE")

    def _datetime(self, text: str, bind: Binder) -> sql.Composable:
        start, end = datetime_interval(text)
        first = sql.SQL("t.{}").format(sql.Identifier(self.layer.temporal_start or "updated_at"))
        last = (
            sql.SQL("t.{}").format(sql.Identifier(self.layer.temporal_end))
            if self.layer.temporal_end
            else None
        )
        parts: list[sql.Composable] = []
        if last is None:
            # One instant per feature: it lies inside the requested interval.
            if start is not None:
                parts.append(sql.SQL("{} >= {}").format(first, bind(start)))
            if end is not None:
                parts.append(sql.SQL("{} <= {}").format(first, bind(end)))
            parts.append(sql.SQL("{} IS NOT NULL").format(first))
        else:
            # A validity period per feature (null = open): it overlaps the requested interval.
            if end is not None:
                parts.append(sql.SQL("({0} IS NULL OR {0} <= {1})").format(first, bind(end)))
            if start is not None:
                parts.append(sql.SQL("({0} IS NULL OR {0} >= {1})").format(last, bind(start)))
        return sql.SQL("({})").format(sql.SQL(" AND ").join(parts or [sql.SQL("TRUE")]))

    def _select(self, names: list[str]) -> list[str] | None:
        if not names:
            return None
        unknown = [n for n in names if n not in self.sql.properties and n != "id"]
        if unknown:
            raise ProviderInvalidQueryError(
                user_msg=f"properties: unknown property {unknown[0]!r}; accepted: "
                + ", ".join(self.sql.properties)
            )
        return [n for n in names if n != "id"]

    def _order(self, sortby: list[dict[str, str]]) -> sql.Composable:
        keys: list[sql.Composable] = []
        for spec in sortby:
            q = self.sql.queryables.get(spec["property"])
            if q is None:
                raise ProviderInvalidQueryError(
                    user_msg=f"sortby: unknown property {spec['property']!r}; accepted: "
                    + ", ".join(self.sql.queryables)
                )
            direction = "DESC NULLS LAST" if spec.get("order") == "-" else "ASC NULLS LAST"
            keys.append(sql.SQL("{} {}").format(q.expression, sql.SQL(direction)))
        keys.append(sql.SQL("t.id"))  # stable pages
        return sql.SQL(", ").join(keys)

    # --- database -------------------------------------------------------------------------

    def _replayed(self, query: sql.Composed, bind: Binder) -> sql.Composed:
        """``query`` over the layer as it was at the request's ``as_of`` (checked and kept in
        ``g`` by gisserver.ogc.parameters), or as it is."""
        at = g.get("gisserver_as_of")
        if at is None:
            return query
        bind.params[as_of.PARAMETER] = at
        tables = [(self.layer.id, self.layer.table)]
        if "items" in self.sql.properties:  # a stockpile's lots, from the stock ledger
            tables.append(("stock", as_of.STOCK_TABLE))
        return as_of.replayed(self._app_state.database(), tables, query)

    def _table_rows(self) -> int:
        now = time.monotonic()
        cached = _table_rows.get(self.layer.table)
        if cached and now - cached[0] < TABLE_ROWS_TTL_S:
            return cached[1]
        query = _template("features/table_rows.sql").format(
            table_name=sql.Literal(self.layer.table)
        )
        row = self._fetch(query)
        rows = int(row["rows"]) if row and not row["unanalysed"] else 0
        _table_rows[self.layer.table] = (now, rows)
        return rows

    def _estimate(self, where: sql.Composable, bind: Binder) -> int | None:
        """None when an exact count is affordable, else the planner's estimate of matches.

        A layer of at most ``exact_count_threshold`` rows (planner estimate of the table) is
        always counted. On a bigger one, counting even a bbox's worth of rows costs tens of ms
        (the rows are scattered over the heap), so only a selective query whose estimated
        matches are few is counted; anything else gets the estimate, flagged as such.
        """
        threshold = self.settings.exact_count_threshold
        if self._table_rows() <= threshold:
            return None
        select = sql.SQL("SELECT 1 FROM {} AS t WHERE {}").format(
            sql.Identifier(self.layer.table), where
        )
        plan = self._fetch(
            sql.SQL("EXPLAIN (FORMAT JSON) {}").format(self._replayed(select, bind)), bind
        )
        document = plan["QUERY PLAN"]
        if isinstance(document, str):
            document = json.loads(document)
        estimate = int(document[0]["Plan"]["Plan Rows"])
        return None if estimate <= min(threshold, EXACT_COUNT_BELOW_ESTIMATE) else estimate

    def _fetch(self, query: sql.Composed, bind: Binder | None = None) -> dict[str, Any]:
        try:
            with self._app_state.database().read_transaction_cursor() as cur:
                # Planning-time settings for short, index-driven pages: JIT compilation and
                # parallel workers cost more to start (tens of ms) than these queries run.
                # Sent in one pipeline with the query and the COMMIT that ends the read (and
                # the settings), so neither costs a round trip of its own.
                with cur.connection.pipeline():
                    cur.execute(PAGE_SETTINGS, prepare=False)
                    cur.execute(query, bind.params if bind else None, prepare=False)
                    cur.connection.execute(END_READ, prepare=False)
                row = cur.fetchone()
        except psycopg.errors.DataError as exc:
            # A value of the wrong type that slipped through (e.g. an out-of-range number).
            raise ProviderInvalidQueryError(
                user_msg="a value in the request does not fit its property: "
                f"{exc.diag.message_primary}"
            ) from exc
        except (psycopg.errors.UndefinedFunction, psycopg.errors.DatatypeMismatch) as exc:
            # Operands of different types in an expression the compiler could not type-check.
            raise ProviderInvalidQueryError(
                user_msg="filter: the expression mixes values of different types: "
                f"{exc.diag.message_primary}"
            ) from exc
        except psycopg.errors.QueryCanceled as exc:
            raise ProviderUnavailable(
                user_msg="the query took longer than the statement timeout; narrow it with "
                "bbox, filter or limit, or try again"
            ) from exc
        except DatabaseUnavailable as exc:
            raise ProviderUnavailable(user_msg=exc.message) from exc
        except psycopg.Error as exc:
            log.exception("feature query failed on %s", self.layer.id)
            raise ProviderQueryError(user_msg="the feature query failed (see server log)") from exc
        return row or {}

    def _remember_version(self, row: dict[str, Any]) -> None:
        if row.get("version") is not None:
            g.gisserver_layer_version = (self.layer.id, row["version"], row["changed_at"])


def _typed(name: str, value: str, kind: str) -> Any:
    """A property=value query parameter as the Python value of the property's type."""
    try:
        if kind == "integer":
            return int(value)
        if kind == "number":
            return float(value)
        if kind == "boolean":
            if value.lower() not in ("true", "false"):
                raise ValueError(value)
            return value.lower() == "true"
        if kind == "datetime":
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        if kind == "date":
            return date.fromisoformat(value)
    except ValueError as exc:
        raise ProviderInvalidQueryError(
            user_msg=f"{name}: {value!r} is not a valid {kind}"
        ) from exc
    return value
