"""Nearest resources: the k shelters, stockpiles or cameras nearest to a point.

Distances are geodesic on the WGS84 ellipsoid (PostGIS geography); the search goes through the
layer's GIST index (KNN ``<->``) and is then made exact, see ``gisserver/sql/analyses/nearest.sql``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import lru_cache
from typing import Any

from psycopg import sql

from gisserver.analyses import as_of as replay
from gisserver.analyses.area import parse_lon_lat
from gisserver.analyses.parameters import (
    parse_bool,
    parse_choice,
    parse_int,
    parse_number,
    reject_unknown,
)
from gisserver.analyses.registry import K_DEFAULT, K_MAX, MAX_DISTANCE_M, RESOURCE_LAYERS
from gisserver.analyses.rows import (
    column_list,
    json_value,
)
from gisserver.db import Database, load_sql
from gisserver.errors import InvalidParameter
from gisserver.layers import STOCK_ITEMS, Layer, LayerRegistry

COMMON_PARAMETERS = (
    "layer",
    "lon",
    "lat",
    "k",
    "max_distance_m",
    "status",
    replay.PARAMETER,
    "by",
    "route",
    "avoid_hazards",
)
# How "nearest" is measured: the geodesic distance, or the travel time by road
# (gisserver.analyses.drive_nearest).
BY = ("distance", "drive_time")
LAYER_PARAMETERS: dict[str, tuple[str, ...]] = {
    "shelters": ("min_free_capacity", "exclude_hazard"),
    "stockpiles": ("item", "min_quantity"),
    "cameras": (),
}


@dataclass(frozen=True)
class NearestQuery:
    """A validated nearest-resources question."""

    layer: str
    lon: float
    lat: float
    k: int = K_DEFAULT
    max_distance_m: float | None = None
    status: str | None = None
    min_free_capacity: int | None = None
    exclude_hazard: bool = False
    item: str | None = None
    min_quantity: float | None = None
    as_of: dt.datetime | None = None
    by: str = "distance"
    route: bool = False
    avoid_hazards: bool = True
    # only these features (drive-time nearest reads the properties of the few it keeps)
    ids: tuple[int, ...] | None = None

    @classmethod
    def from_params(cls, params: Mapping[str, Any], *, layers: LayerRegistry) -> NearestQuery:
        """Parse query-string or JSON parameters; InvalidParameter names what is wrong."""
        params = {key: value for key, value in params.items() if value is not None}
        if "layer" not in params:
            raise InvalidParameter("layer", "is required", ", ".join(RESOURCE_LAYERS))
        layer = parse_choice(params["layer"], parameter="layer", choices=RESOURCE_LAYERS)
        reject_unknown(
            params, COMMON_PARAMETERS + LAYER_PARAMETERS[layer], where=f"nearest {layer}"
        )
        for required in ("lon", "lat"):
            if required not in params:
                raise InvalidParameter(required, "is required", "decimal degrees (WGS84)")
        lon, lat = parse_lon_lat(params["lon"], params["lat"])
        k = parse_int(params.get("k", K_DEFAULT), parameter="k", minimum=1, maximum=K_MAX)
        max_distance = None
        if "max_distance_m" in params:
            max_distance = parse_number(params["max_distance_m"], parameter="max_distance_m")
            if max_distance <= 0 or max_distance > MAX_DISTANCE_M:
                raise InvalidParameter(
                    "max_distance_m", f"{max_distance:g} is out of range", "metres, 0 < d <= 2e7"
                )
        status = None
        if "status" in params:
            statuses = layers[layer].fields["status"].enum or ()
            status = parse_choice(params["status"], parameter="status", choices=statuses)
        min_free = None
        if "min_free_capacity" in params:
            min_free = parse_int(
                params["min_free_capacity"], parameter="min_free_capacity", minimum=0
            )
        exclude_hazard = False
        if "exclude_hazard" in params:
            exclude_hazard = parse_bool(params["exclude_hazard"], parameter="exclude_hazard")
        item = None
        if "item" in params:
            item = parse_choice(params["item"], parameter="item", choices=STOCK_ITEMS)
        min_quantity = None
        if "min_quantity" in params:
            if item is None:
                raise InvalidParameter("min_quantity", "needs item", "item=<name>&min_quantity=n")
            min_quantity = parse_number(params["min_quantity"], parameter="min_quantity")
        as_of = None
        if replay.PARAMETER in params:
            as_of = replay.parse_as_of(params[replay.PARAMETER])
        by = parse_choice(params.get("by", "distance"), parameter="by", choices=BY)
        drive: dict[str, bool] = {}
        for name in ("route", "avoid_hazards"):
            if name in params:
                if by != "drive_time":
                    raise InvalidParameter(name, "is for by=drive_time", "by=drive_time&" + name)
                drive[name] = parse_bool(params[name], parameter=name)
        if by == "drive_time" and as_of is not None:
            raise InvalidParameter(
                replay.PARAMETER,
                "is not answered by drive time (the road network keeps no history)",
                "by=distance with as_of, or by=drive_time without it",
            )
        return cls(
            by=by,
            route=drive.get("route", False),
            avoid_hazards=drive.get("avoid_hazards", True),
            layer=layer,
            lon=lon,
            lat=lat,
            k=k,
            max_distance_m=max_distance,
            status=status,
            min_free_capacity=min_free,
            exclude_hazard=exclude_hazard,
            item=item,
            min_quantity=min_quantity,
            as_of=as_of,
        )


DRIVE_FIELDS = ("by", "route", "avoid_hazards", "ids")


def _query_values(query: NearestQuery) -> dict[str, Any]:
    """The query's fields by name (``dataclasses.asdict`` deep-copies: slower, same result);
    the drive-time ones only when it is answered by drive time."""
    return {
        f.name: getattr(query, f.name)
        for f in fields(query)
        if query.by != "distance" or f.name not in DRIVE_FIELDS
    }


@dataclass(frozen=True)
class _Filters:
    """Which filters a query uses: the SQL text depends on these only (values are bound)."""

    status: bool
    min_free_capacity: bool
    exclude_hazard: bool
    item: bool
    min_quantity: bool
    ids: bool = False

    @classmethod
    def of(cls, query: NearestQuery) -> _Filters:
        return cls(
            status=query.status is not None,
            min_free_capacity=query.min_free_capacity is not None,
            exclude_hazard=query.exclude_hazard,
            item=query.item is not None,
            min_quantity=query.min_quantity is not None,
            ids=query.ids is not None,
        )


def _filters(filters: _Filters, derived: Mapping[str, str]) -> sql.Composable:
    """The WHERE clause of the given filters, over the table aliased ``t`` (``derived``: the
    layer's derived fields as SQL over ``t``)."""
    clauses: list[sql.Composable] = []
    if filters.ids:
        clauses.append(sql.SQL("t.id = ANY (%(ids)s::bigint[])"))
    if filters.status:
        clauses.append(sql.SQL("t.status = %(status)s"))
    if filters.min_free_capacity:
        # the layer's own free_capacity (layers/shelters.yaml), as its features carry it
        clauses.append(
            sql.SQL("{} >= %(min_free_capacity)s").format(sql.SQL(derived["free_capacity"]))
        )
    if filters.exclude_hazard:
        clauses.append(
            sql.SQL(
                "NOT EXISTS (SELECT 1 FROM hazard_zones AS z"
                " WHERE z.geom && t.geom AND ST_Intersects(z.geom, t.geom)"
                " AND (z.valid_from IS NULL OR z.valid_from <= %(at)s)"
                " AND (z.valid_to IS NULL OR z.valid_to > %(at)s))"
            )
        )
    if filters.item:
        # stock counts only while unexpired: expires_on null (does not expire) or today or later
        clauses.append(
            sql.SQL(
                "(SELECT coalesce(sum(i.quantity), 0) FROM stockpile_items AS i"
                " WHERE i.stockpile_id = t.id AND i.item = %(item)s"
                " AND (i.expires_on IS NULL OR i.expires_on >= %(today)s))"
                " > 0"
            )
        )
        if filters.min_quantity:
            clauses.append(
                sql.SQL(
                    "(SELECT coalesce(sum(i.quantity), 0) FROM stockpile_items AS i"
                    " WHERE i.stockpile_id = t.id AND i.item = %(item)s"
                    " AND (i.expires_on IS NULL OR i.expires_on >= %(today)s))"
                    " >= %(min_quantity)s"
                )
            )
    return sql.SQL(" AND ").join(clauses) if clauses else sql.SQL("TRUE")


def _extra_columns(layer: str, derived: Mapping[str, str]) -> sql.Composable:
    """The layer's derived fields (layers/*.yaml), and the unexpired stock of a stockpile."""
    columns = sql.SQL("").join(
        sql.SQL("{} AS {},").format(sql.SQL(expression), sql.Identifier(name))
        for name, expression in derived.items()
    )
    if layer == "stockpiles":
        return columns + sql.SQL(
            "(SELECT coalesce(jsonb_agg(jsonb_build_object("
            "'item', s.item, 'unit', s.unit, 'quantity', s.quantity)"
            " ORDER BY s.item, s.unit), '[]'::jsonb)"
            " FROM (SELECT i.item, i.unit, sum(i.quantity) AS quantity"
            " FROM stockpile_items AS i WHERE i.stockpile_id = t.id"
            " AND (i.expires_on IS NULL OR i.expires_on >= %(today)s)"
            " GROUP BY i.item, i.unit) AS s) AS items,"
        )
    return columns


def _extra_fields(layer: Layer) -> tuple[str, ...]:
    """The properties _extra_columns adds, in order."""
    return (*layer.derived, *(("items",) if layer.id == "stockpiles" else ()))


@lru_cache(maxsize=256)
def _statement_text(
    layer_id: str,
    table: str,
    columns: tuple[str, ...],
    derived: tuple[tuple[str, str], ...],
    filters: _Filters,
) -> str:
    """The filled-in SQL text; cached, and a text lets psycopg reuse its prepared statement."""
    statement = sql.SQL(load_sql("analyses/nearest.sql")).format(
        table=sql.Identifier(table),
        columns=column_list(columns, "t"),
        extra=_extra_columns(layer_id, dict(derived)),
        filters=_filters(filters, dict(derived)),
    )
    return statement.as_string(None)


def nearest_statement(
    query: NearestQuery,
    *,
    layers: LayerRegistry,
    now: dt.datetime | None = None,
    db: Database | None = None,
) -> tuple[str, dict[str, Any]]:
    """The SQL (``sql/analyses/nearest.sql`` filled in) and its parameters (benchmarks).

    With ``as_of`` the same SQL reads the layer (and the hazard zones, the stock) as they were
    at that instant (``gisserver.analyses.as_of``), and "in force" and "unexpired" are judged
    then."""
    layer = layers[query.layer]
    now = query.as_of or now or dt.datetime.now(dt.UTC)
    derived = tuple((name, d.sql("t")) for name, d in layer.derived.items())
    filters = _Filters.of(query)
    text = _statement_text(query.layer, layer.table, tuple(layer.public_fields), derived, filters)
    if query.as_of is not None:
        if db is None:
            raise ValueError("an as_of question needs the database (the tables' columns)")
        text = _replayed_text(db, query.layer, layer.table, filters, text)
    params = {
        **_query_values(query),
        "ids": list(query.ids) if query.ids is not None else None,
        # more candidates than k make the step-1 bound tighter, so step 2 reads fewer rows
        "candidates": 2 * query.k + 8,
        "at": now,
        "today": now.astimezone(dt.UTC).date(),
        replay.PARAMETER: query.as_of,
    }
    return text, params


def candidate_places(
    db: Database, query: NearestQuery, *, layers: LayerRegistry, limit: int
) -> list[tuple[int, float, float]]:
    """Up to ``limit`` (id, lon, lat) of the layer's features that pass the query's filters,
    nearest first by the index (sql/analyses/nearest_candidates.sql): the candidates of a
    drive-time question, without their properties."""
    layer = layers[query.layer]
    derived = {name: d.sql("t") for name, d in layer.derived.items()}
    now = dt.datetime.now(dt.UTC)
    statement = sql.SQL(load_sql("analyses/nearest_candidates.sql")).format(
        table=sql.Identifier(layer.table), filters=_filters(_Filters.of(query), derived)
    )
    params = {**_query_values(query), "limit": limit, "at": now, "today": now.date()}
    with db.read_cursor() as cur:
        rows = cur.execute(statement, params).fetchall()
    return [(int(r["id"]), float(r["lon"]), float(r["lat"])) for r in rows]


def _replayed_text(db: Database, layer: str, table: str, filters: _Filters, text: str) -> str:
    """``text`` reading the tables it reads as of ``%(as_of)s``."""
    tables = [(layer, table)]
    if filters.exclude_hazard:
        tables.append(("hazard_zones", "hazard_zones"))
    if layer == "stockpiles":
        tables.append(("stock", replay.STOCK_TABLE))
    return replay.replayed(db, tables, sql.SQL(text)).as_string(None)


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def nearest_resources_json(db: Database, query: NearestQuery, *, layers: LayerRegistry) -> str:
    """``nearest_resources`` as GeoJSON text, for the HTTP answer.

    The geometries are PostGIS's own GeoJSON text, put in as they are: parsing them only to
    serialise them again was most of the Python time of an answer.
    """
    statement, params = nearest_statement(query, layers=layers, db=db)
    names = (*layers[query.layer].public_fields, *_extra_fields(layers[query.layer]))
    with db.read_cursor() as cur:
        cur.execute(statement, params)
        rows = cur.fetchall()
    features = []
    for row in rows:
        properties = {name: json_value(row[name]) for name in names}
        properties["distance_m"] = row["distance_m"]
        bearing = row["bearing_deg"]
        properties["bearing_deg"] = None if bearing is None else bearing % 360.0
        features.append(
            f'{{"type":"Feature","id":{_dump(row["id"])},"geometry":{row["geometry"] or "null"},'
            f'"properties":{_dump(properties)}}}'
        )
    echoed = {
        name: json_value(value) for name, value in _query_values(query).items() if value is not None
    }
    return (
        f'{{"type":"FeatureCollection","features":[{",".join(features)}],'
        f'"numberReturned":{len(features)},"query":{_dump(echoed)}}}'
    )


def nearest_resources(
    db: Database, query: NearestQuery, *, layers: LayerRegistry
) -> dict[str, Any]:
    """The nearest features as a GeoJSON FeatureCollection ordered by geodesic distance.

    Properties: the layer's public fields, ``distance_m``, ``bearing_deg`` (initial bearing
    from the point, degrees clockwise from north, 0..360; null at distance 0), plus
    ``free_capacity`` (shelters, negative when over capacity) or ``items`` (stockpiles:
    unexpired stock per item and unit).
    """
    answer: dict[str, Any] = json.loads(nearest_resources_json(db, query, layers=layers))
    return answer


def answer(db: Database, params: Mapping[str, Any], *, layers: LayerRegistry) -> dict[str, Any]:
    """The nearest-resources analysis (registry entry ``nearest-resources``)."""
    return nearest_resources(db, NearestQuery.from_params(params, layers=layers), layers=layers)


def answer_text(db: Database, params: Mapping[str, Any], *, layers: LayerRegistry) -> str:
    """The same answer as GeoJSON text (the HTTP answer: no parse and dump of the geometries)."""
    query = NearestQuery.from_params(params, layers=layers)
    return nearest_resources_json(db, query, layers=layers)
