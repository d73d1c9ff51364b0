"""A CQL2 AST compiled to psycopg SQL: quoted identifiers and bound parameters only."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from psycopg import sql
from pygeofilter import ast, values

from gisserver.ogc.cql2.parser import ACCEPTED_TEXT, CQL2Error, TimeIntersects


class Binder:
    """Collects the values of one statement as named parameters (a clause may appear twice)."""

    def __init__(self) -> None:
        self.params: dict[str, Any] = {}

    def __call__(self, value: Any) -> sql.Placeholder:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return sql.Placeholder(name)


@dataclass(frozen=True)
class Queryable:
    """A property a filter may use: its SQL expression and JSON-schema-like type."""

    expression: sql.Composable
    type: str  # string, integer, number, boolean, datetime, date, list (of strings)


_UNITS_IN_METRES = {
    "meters": 1.0,
    "metres": 1.0,
    "m": 1.0,
    "kilometers": 1000.0,
    "kilometres": 1000.0,
    "km": 1000.0,
    "feet": 0.3048,
    "ft": 0.3048,
    "miles": 1609.344,
    "mi": 1609.344,
    "nautical_miles": 1852.0,
}
_COMPARISONS = {
    ast.Equal: "=",
    ast.NotEqual: "<>",
    ast.LessThan: "<",
    ast.LessEqual: "<=",
    ast.GreaterThan: ">",
    ast.GreaterEqual: ">=",
}
_SPATIAL = {
    ast.GeometryIntersects: "ST_Intersects",
    ast.GeometryDisjoint: "ST_Disjoint",
    ast.GeometryContains: "ST_Contains",
    ast.GeometryWithin: "ST_Within",
    ast.GeometryTouches: "ST_Touches",
    ast.GeometryCrosses: "ST_Crosses",
    ast.GeometryOverlaps: "ST_Overlaps",
    ast.GeometryEquals: "ST_Equals",
}
_ARITHMETIC = {ast.Add: "+", ast.Sub: "-", ast.Mul: "*", ast.Div: "/"}
_FAMILY = {
    "string": "text",
    "integer": "number",
    "number": "number",
    "boolean": "boolean",
    "datetime": "time",
    "date": "time",
    "list": "list",
}
GEOMETRY_NAMES = ("geom", "geometry")
MAX_DISTANCE_M = 20_000_000.0  # about half the Earth's circumference


class FilterCompiler:
    """Compiles a pygeofilter AST to a psycopg SQL condition over one layer's queryables.

    ``geometry_sql`` turns a GeoJSON geometry literal into SQL in the storage CRS (it applies
    filter-crs); ``geometry`` is the layer's geometry column expression.
    """

    def __init__(
        self,
        queryables: Mapping[str, Queryable],
        geometry: sql.Composable,
        geometry_sql: Callable[[dict[str, Any]], sql.Composable],
        bind: Binder,
    ) -> None:
        self.bind = bind
        self.queryables = queryables
        self.geometry = geometry
        self.geometry_sql = geometry_sql

    def compile(self, node: Any) -> sql.Composable:
        if isinstance(node, ast.Not):
            return sql.SQL("(NOT {})").format(self.compile(node.sub_node))
        if isinstance(node, ast.And | ast.Or):
            word = " AND " if isinstance(node, ast.And) else " OR "
            return sql.SQL("({})").format(
                sql.SQL(word).join([self.compile(node.lhs), self.compile(node.rhs)])
            )
        if isinstance(node, ast.Include):
            return sql.SQL("FALSE" if node.not_ else "TRUE")
        op = _COMPARISONS.get(type(node))
        if op is not None:
            lhs, rhs = self._pair(node.lhs, node.rhs)
            return sql.SQL("({} {} {})").format(lhs, sql.SQL(op), rhs)
        if isinstance(node, ast.Between):
            kind = self._type_of(node.lhs)
            return sql.SQL("({} {}BETWEEN {} AND {})").format(
                self.scalar(node.lhs),
                sql.SQL("NOT " if node.not_ else ""),
                self.scalar(node.low, kind),
                self.scalar(node.high, kind),
            )
        if isinstance(node, ast.Like):
            if not isinstance(node.pattern, str):
                raise CQL2Error("LIKE needs a quoted pattern, e.g. name LIKE 'Saint%'")
            return sql.SQL("({}::text {}{} {})").format(
                self.scalar(node.lhs),
                sql.SQL("NOT " if node.not_ else ""),
                sql.SQL("ILIKE" if node.nocase else "LIKE"),
                self.bind(node.pattern),
            )
        if isinstance(node, ast.In):
            kind = self._type_of(node.lhs)
            options = [self.scalar(v, kind) for v in node.sub_nodes]
            if not options:
                raise CQL2Error("IN needs at least one value")
            return sql.SQL("({} {}IN ({}))").format(
                self.scalar(node.lhs),
                sql.SQL("NOT " if node.not_ else ""),
                sql.SQL(", ").join(options),
            )
        if isinstance(node, ast.IsNull):
            return sql.SQL("({} IS {}NULL)").format(
                self.scalar(node.lhs), sql.SQL("NOT " if node.not_ else "")
            )
        spatial = _SPATIAL.get(type(node))
        if spatial is not None:
            return sql.SQL("{}({}, {})").format(
                sql.SQL(spatial), self.spatial(node.lhs), self.spatial(node.rhs)
            )
        if isinstance(node, ast.DistanceWithin):
            return self._dwithin(node)
        if isinstance(node, ast.BBox):
            box = values.Envelope(node.minx, node.maxx, node.miny, node.maxy)
            return sql.SQL("ST_Intersects({}, {})").format(
                self.spatial(node.lhs), self.spatial(box)
            )
        if isinstance(node, ast.TemporalPredicate):
            return self._temporal(node)
        raise CQL2Error(f"{type(node).__name__} is not supported; accepted: {ACCEPTED_TEXT}")

    # --- operands ------------------------------------------------------------------------

    def _type_of(self, node: Any) -> str | None:
        if isinstance(node, ast.Attribute):
            return self._queryable(node.name).type
        return None

    def _queryable(self, name: str) -> Queryable:
        if name in self.queryables:
            q = self.queryables[name]
            if q.type == "list":
                # pygeofilter's CQL2 text has no array functions (A_CONTAINS ...) to build on
                raise CQL2Error(
                    f"{name!r} is a list; filters on a list property are not supported: "
                    f"use the query parameter {name}=VALUE (features whose {name} holds VALUE)"
                )
            return q
        raise CQL2Error(
            f"unknown property {name!r}; accepted: {', '.join(self.queryables)}"
            f" (and {GEOMETRY_NAMES[0]} for the geometry)"
        )

    def _pair(self, lhs: Any, rhs: Any) -> tuple[sql.Composable, sql.Composable]:
        left, right = self._type_of(lhs), self._type_of(rhs)
        if left and right and _FAMILY[left] != _FAMILY[right]:
            raise CQL2Error(f"{lhs.name!r} ({left}) and {rhs.name!r} ({right}) cannot be compared")
        kind = left or right
        return self.scalar(lhs, kind), self.scalar(rhs, kind)

    def scalar(self, node: Any, kind: str | None = None) -> sql.Composable:
        """A scalar operand; a literal is checked against the type of the property it meets."""
        if isinstance(node, ast.Attribute):
            if node.name in GEOMETRY_NAMES:
                raise CQL2Error(f"{node.name} is a geometry; compare it with S_INTERSECTS etc.")
            return self._queryable(node.name).expression
        if isinstance(node, ast.Function):
            if node.name.lower() in ("lower", "casei"):
                if len(node.arguments) != 1:
                    raise CQL2Error("CASEI takes one argument, e.g. CASEI(name) = CASEI('x')")
                (arg,) = node.arguments
                return sql.SQL("lower({}::text)").format(self.scalar(arg, "string"))
            raise CQL2Error(f"function {node.name!r} is not supported; accepted: CASEI")
        if isinstance(node, ast.Arithmetic):
            for operand in (node.lhs, node.rhs):
                operand_type = self._type_of(operand)
                if operand_type is not None and operand_type not in ("integer", "number"):
                    raise CQL2Error(
                        f"arithmetic needs numbers; {operand.name!r} is a {operand_type}"
                    )
            return sql.SQL("({} {} {})").format(
                self.scalar(node.lhs, "number"),
                sql.SQL(_ARITHMETIC[type(node)]),
                self.scalar(node.rhs, "number"),
            )
        return self.bind(_literal(node, kind))

    def spatial(self, node: Any) -> sql.Composable:
        if isinstance(node, ast.Attribute):
            if node.name in GEOMETRY_NAMES:
                return self.geometry
            raise CQL2Error(
                f"{node.name!r} is not a geometry; spatial predicates take "
                f"{GEOMETRY_NAMES[0]} and a geometry literal"
            )
        if isinstance(node, values.Geometry):
            return self.geometry_sql(node.geometry)
        if isinstance(node, values.Envelope):
            ring = [
                [node.x1, node.y1],
                [node.x2, node.y1],
                [node.x2, node.y2],
                [node.x1, node.y2],
                [node.x1, node.y1],
            ]
            return self.geometry_sql({"type": "Polygon", "coordinates": [ring]})
        raise CQL2Error(f"{node!r} is not a geometry")

    def _dwithin(self, node: ast.DistanceWithin) -> sql.Composable:
        units = str(node.units).lower()
        if units not in _UNITS_IN_METRES or not isinstance(node.distance, int | float):
            raise CQL2Error(
                "S_DWITHIN takes a geometry, a number and units; accepted units: "
                + ", ".join(_UNITS_IN_METRES)
            )
        metres = float(node.distance) * _UNITS_IN_METRES[units]
        if not 0 <= metres <= MAX_DISTANCE_M:
            raise CQL2Error(
                f"S_DWITHIN distance {node.distance} {units} is out of range; accepted: "
                f"0 to {MAX_DISTANCE_M:.0f} meters"
            )
        lhs, rhs = self.spatial(node.lhs), self.spatial(node.rhs)
        # The geography test is exact (metres on the ellipsoid); the bounding-box test before it
        # lets the GiST index on the geometry column do the first cut.
        return sql.SQL(
            "({lhs} && ST_Envelope(ST_Buffer({rhs}::geography, {d})::geometry) "
            "AND ST_DWithin({lhs}::geography, {rhs}::geography, {d}))"
        ).format(lhs=lhs, rhs=rhs, d=self.bind(metres))

    def _temporal(self, node: ast.TemporalPredicate) -> sql.Composable:
        if not isinstance(node.lhs, ast.Attribute):
            raise CQL2Error("temporal predicates take a time property first, e.g. reported_at")
        q = self._queryable(node.lhs.name)
        if q.type not in ("datetime", "date"):
            raise CQL2Error(f"{node.lhs.name!r} is not a date or time property")
        column = q.expression
        rhs = node.rhs
        if isinstance(rhs, values.Interval):
            start, end = _instant(rhs.start), _instant(rhs.end)
        else:
            start = end = _instant(rhs)
            if start is None:
                raise CQL2Error("a temporal predicate needs a TIMESTAMP, DATE or INTERVAL")
        parts: list[sql.Composable] = []

        def bound(op: str, value: datetime | None) -> None:
            if value is not None:
                parts.append(sql.SQL("{} {} {}").format(column, sql.SQL(op), self.bind(value)))

        if isinstance(node, TimeIntersects | ast.TimeOverlaps | ast.TimeEquals):
            # The properties are instants: intersecting (or overlapping) an interval means
            # lying inside it, inclusive.
            bound(">=", start)
            bound("<=", end)
            if isinstance(node, ast.TimeEquals) and start != end:
                raise CQL2Error("T_EQUALS on an instant property takes an instant")
        elif isinstance(node, ast.TimeDuring):
            bound(">", start)
            bound("<", end)
        elif isinstance(node, ast.TimeBefore):
            bound("<", start)
        elif isinstance(node, ast.TimeAfter):
            bound(">", end)
        elif isinstance(node, ast.TimeDisjoint):
            outside: list[sql.Composable] = []
            if start is not None:
                outside.append(sql.SQL("{} < {}").format(column, self.bind(start)))
            if end is not None:
                outside.append(sql.SQL("{} > {}").format(column, self.bind(end)))
            return sql.SQL("({})").format(sql.SQL(" OR ").join(outside or [sql.SQL("FALSE")]))
        else:
            raise CQL2Error(
                f"{type(node).__name__} does not apply to the instant property "
                f"{node.lhs.name!r}; accepted: T_INTERSECTS, T_DURING, T_BEFORE, T_AFTER, "
                "T_EQUALS, T_DISJOINT"
            )
        parts.append(sql.SQL("{} IS NOT NULL").format(column))
        return sql.SQL("({})").format(sql.SQL(" AND ").join(parts))


def _instant(value: Any) -> datetime | None:
    if value is None or value == "..":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime.combine(value, time.min, tzinfo=UTC)
    if isinstance(value, str):
        try:
            return _instant(datetime.fromisoformat(value.replace("Z", "+00:00")))
        except ValueError as exc:
            raise CQL2Error(f"{value!r} is not an RFC 3339 date or time") from exc
    raise CQL2Error(f"{value!r} is not a date or time")


def _literal(value: Any, kind: str | None) -> Any:
    """The Python value to bind, checked against the property's type."""
    if isinstance(value, values.Geometry | values.Envelope | values.Interval):
        raise CQL2Error("a geometry or interval cannot be compared with =, <, IN, ...")
    if kind in ("integer", "number"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise CQL2Error(f"{value!r} is not a number")
        return value
    if kind == "boolean":
        if not isinstance(value, bool):
            raise CQL2Error(f"{value!r} is not TRUE or FALSE")
        return value
    if kind in ("datetime", "date"):
        instant = _instant(value)
        return instant.date() if kind == "date" and instant else instant
    if kind == "string" and not isinstance(value, str):
        raise CQL2Error(f"{value!r} is not a quoted string")
    if isinstance(value, list | dict):
        raise CQL2Error(f"{value!r} is not a scalar value")
    return value
