"""The SQL vocabulary of one published layer: its queryables (public fields, derived fields),
the properties object and the GeoJSON feature object, composed with quoted identifiers."""

from __future__ import annotations

from typing import Any

from flask import current_app
from psycopg import sql

from gisserver.layers import Layer
from gisserver.ogc.cql2 import Queryable
from gisserver.ogc.crs import geometry_in

JSON_TYPES: dict[str, dict[str, Any]] = {
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "number": {"type": "number"},
    "boolean": {"type": "boolean"},
    "datetime": {"type": "string", "format": "date-time"},
    "date": {"type": "string", "format": "date"},
    "list": {"type": "array", "items": {"type": "string"}},
}
ITEMS_SQL = (
    "(SELECT COALESCE(json_agg(json_build_object('item', i.item, 'quantity', i.quantity, "
    "'unit', i.unit, 'expires_on', i.expires_on) ORDER BY i.item, i.expires_on), '[]'::json) "
    "FROM stockpile_items AS i WHERE i.stockpile_id = t.id)"
)


class LayerSQL:
    """The SQL pieces of one layer: queryables, the property object, the feature object."""

    def __init__(self, layer: Layer, private: bool = False) -> None:
        self.layer = layer
        self.private = private
        self.queryables: dict[str, Queryable] = {"id": Queryable(sql.SQL("t.id"), "integer")}
        # Private fields (``public: false``) only for callers with a key (viewer and up).
        fields = layer.fields if private else layer.public_fields
        for name, field in fields.items():
            self.queryables[name] = Queryable(
                sql.SQL("t.{}").format(sql.Identifier(name)), field.type
            )
        # Properties computed for every feature besides its public fields (layers/*.yaml).
        for name, derived in layer.derived.items():
            self.queryables[name] = Queryable(sql.SQL(derived.sql("t")), derived.type)
        self.properties: dict[str, sql.Composable] = {
            name: q.expression for name, q in self.queryables.items() if name != "id"
        }
        if layer.id == "stockpiles":
            self.properties["items"] = sql.SQL(ITEMS_SQL)

    def fields(self) -> dict[str, dict[str, Any]]:
        """pygeoapi field descriptions (JSON schema types, enum values)."""
        out: dict[str, dict[str, Any]] = {}
        for name, q in self.queryables.items():
            entry: dict[str, Any] = dict(JSON_TYPES[q.type])
            field = self.layer.fields.get(name)
            if field is not None:
                entry["title"] = field.title
                if field.enum and field.is_list:
                    entry["items"] = {"type": "string", "enum": list(field.enum)}
                elif field.enum:
                    entry["values"] = list(field.enum)
            out[name] = entry
        if "items" in self.properties:
            out["items"] = {"type": "array", "title": "Inventory (item, quantity, unit, expiry)"}
        return out

    def feature(
        self,
        select: list[str] | None,
        skip_geometry: bool,
        target: tuple[int, bool] | None,
    ) -> sql.Composable:
        names = select or list(self.properties)
        columns = [
            sql.SQL("{} AS {}").format(self.properties[name], sql.Identifier(name))
            for name in names
        ]
        digits = 7 if target is None or target[0] == 4326 else 3
        geometry: sql.Composable = (
            sql.SQL("NULL::json")
            if skip_geometry
            else sql.SQL("ST_AsGeoJSON({}, {}, 0)::json").format(
                geometry_in(sql.SQL("t.geom"), target), sql.Literal(digits)
            )
        )
        # row_to_json of a row of named columns rather than json_build_object of pairs: about
        # a third less work per feature in PostgreSQL, and compact text (no " : "), which goes
        # into the response body as it is.
        return sql.SQL(
            "(SELECT row_to_json(f) FROM (SELECT 'Feature' AS type, t.id, {} AS geometry, "
            "(SELECT row_to_json(p) FROM (SELECT {}) AS p) AS properties) AS f)"
        ).format(geometry, sql.SQL(", ").join(columns))


def layer_sql_for(layer: Layer, private: bool = False) -> LayerSQL:
    """The layer's SQL vocabulary: its public fields, or (``private``) every field."""
    # Per app (its layers are fixed when it is created), not per request: building the SQL
    # pieces cost a noticeable share of a page's Python.
    cache: dict[tuple[str, bool], LayerSQL] = current_app.extensions.setdefault(
        "gisserver.ogc.layer_sql", {}
    )
    if (layer.id, private) not in cache:
        cache[layer.id, private] = LayerSQL(layer, private)
    return cache[layer.id, private]
