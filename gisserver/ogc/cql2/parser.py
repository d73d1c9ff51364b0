"""CQL2 text and JSON parsed into pygeofilter's AST (see the package docstring)."""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Mapping
from typing import Any

import pygeofilter.parsers
from lark import Lark, v_args
from lark.exceptions import LarkError
from pygeofilter import ast, values
from pygeofilter.cql2 import SPATIAL_PREDICATES_MAP, TEMPORAL_PREDICATES_MAP
from pygeofilter.parsers.cql2_json import parse as parse_cql2_json
from pygeofilter.parsers.cql2_text.parser import CQLTransformer

ACCEPTED_TEXT = (
    "CQL2 text, e.g. status = 'open' AND capacity > 100, name LIKE 'St%', "
    "status IN ('open','full'), capacity BETWEEN 10 AND 50, phone IS NULL, "
    "S_INTERSECTS(geom, POLYGON((...))), S_DWITHIN(geom, POINT(-71.06 42.36), 500, meters), "
    "T_INTERSECTS(reported_at, INTERVAL('2026-11-01T00:00:00Z', '..'))"
)
ACCEPTED_JSON = 'CQL2 JSON, e.g. {"op": "=", "args": [{"property": "status"}, "open"]}'
# Cost caps: a filter nested deeper, or holding more values (IN-list members, coordinates of its
# geometries), is refused before it reaches PostgreSQL (a deep one would exhaust the parser's
# recursion, a huge one PostgreSQL's 65,535 parameters of a statement).
MAX_DEPTH = 32
MAX_VALUES = 10_000

GRAMMAR = r"""
?start: condition

?condition: condition_1
          | condition "AND"i condition_1                                    -> and_
          | condition "OR"i condition_1                                     -> or_

?condition_1: predicate
            | "NOT"i predicate                                              -> not_
            | "NOT"i "(" condition ")"                                      -> not_
            | "(" condition ")"

?predicate: expression "=" expression                                       -> eq
          | expression "<>" expression                                      -> ne
          | expression "!=" expression                                      -> ne
          | expression "<" expression                                       -> lt
          | expression "<=" expression                                      -> lte
          | expression ">" expression                                       -> gt
          | expression ">=" expression                                      -> gte
          | expression "BETWEEN"i expression "AND"i expression              -> between
          | expression "NOT"i "BETWEEN"i expression "AND"i expression       -> not_between
          | expression "LIKE"i expression                                   -> like
          | expression "NOT"i "LIKE"i expression                            -> not_like
          | expression "IN"i "(" expression ( "," expression )* ")"         -> in_
          | expression "NOT"i "IN"i "(" expression ( "," expression )* ")"  -> not_in
          | expression "IS"i "NULL"i                                        -> null
          | expression "IS"i "NOT"i "NULL"i                                 -> not_null
          | "INCLUDE"i                                                      -> include
          | "EXCLUDE"i                                                      -> exclude
          | spatial_predicate
          | temporal_predicate

?temporal_predicate: TEMPORAL_OP "(" expression "," expression ")"          -> temporal_fn
                   | expression TEMPORAL_OP expression                      -> temporal_infix

TEMPORAL_OP.2: /T_(BEFORE|AFTER|MEETS|METBY|OVERLAPS|OVERLAPPEDBY|BEGINS|BEGUNBY)/i
             | /T_(DURING|CONTAINS|ENDS|ENDEDBY|EQUALS|INTERSECTS)/i

?spatial_predicate: SPATIAL_OP "(" expression "," expression ")"           -> spatial
                  | dwithin

dwithin: DWITHIN_OP "(" expression "," expression "," full_number "," UNITS ")"

SPATIAL_OP.2: /S_(INTERSECTS|DISJOINT|CONTAINS|WITHIN|TOUCHES|CROSSES|OVERLAPS|EQUALS)/i
DWITHIN_OP.2: /S_DWITHIN/i
UNITS: /(meters|metres|m|kilometers|kilometres|km|feet|ft|miles|mi|nautical_miles)/i

?expression: sum

?sum: product
    | sum "+" product                                                       -> add
    | sum "-" product                                                       -> sub

?product: atom
        | product "*" atom                                                  -> mul
        | product "/" atom                                                  -> div

?atom: func
     | attribute
     | literal
     | "-" atom                                                             -> neg
     | "(" expression ")"

func.2: attribute "(" expression ("," expression)* ")"                      -> function

?literal: timestamp
        | interval
        | date
        | number
        | BOOLEAN
        | SINGLE_QUOTED
        | ewkt_geometry                                                     -> geometry
        | envelope

?full_number: number
            | "-" number                                                    -> neg

?number: FLOAT | INT

envelope: "BBOX"i "(" full_number "," full_number "," full_number "," full_number ")"

BOOLEAN.2: ( "TRUE"i | "FALSE"i )

DOUBLE_QUOTED: "\"" /.*?/ "\""
SINGLE_QUOTED: "'" /(''|[^'])*/ "'"

DATE: /[0-9]{4}-[0-1][0-9]-[0-3][0-9]/
DATETIME: DATE /[T ][0-2][0-9]:[0-5][0-9]:[0-5][0-9]/ /\.[0-9]+/? /Z|[+-][0-9]{2}:[0-9]{2}/?
OPEN_END: "'..'"
timestamp: "TIMESTAMP"i "(" "'" DATETIME "'" ")"
date: "DATE"i "(" "'" DATE "'" ")"
interval: "INTERVAL"i "(" bound "," bound ")"
?bound: "'" DATETIME "'"
      | "'" DATE "'"
      | OPEN_END                                                            -> open_end

attribute: /[a-zA-Z_][a-zA-Z_:0-9.]*/
         | DOUBLE_QUOTED

%import wkt.ewkt_geometry
%import common.INT
%import common.FLOAT
%import common.WS
%ignore WS
"""


class CQL2Error(ValueError):
    """The filter cannot be parsed or does not fit the collection; the message says why."""


class TimeIntersects(ast.TemporalPredicate):
    """T_INTERSECTS, which pygeofilter folds into T_OVERLAPS."""


@v_args(inline=True)
class _Transformer(CQLTransformer):
    def temporal_fn(self, op, lhs, rhs):
        return _temporal(str(op), lhs, rhs)

    def temporal_infix(self, lhs, op, rhs):
        return _temporal(str(op), lhs, rhs)

    def spatial(self, op, lhs, rhs):
        return SPATIAL_PREDICATES_MAP[str(op).lower()](lhs, rhs)

    def dwithin(self, _op, lhs, rhs, distance, units):
        return ast.DistanceWithin(lhs, rhs, distance, str(units).lower())

    def timestamp(self, value):
        return value

    def date(self, value):
        return value

    def open_end(self, _token):
        return None

    def neg(self, value):
        return -value if isinstance(value, int | float) else ast.Sub(0, value)

    def envelope(self, x1, y1, x2, y2):
        return values.Envelope(x1, x2, y1, y2)

    def SINGLE_QUOTED(self, token):
        return token[1:-1].replace("''", "'")


def _temporal(op: str, lhs: Any, rhs: Any) -> ast.TemporalPredicate:
    name = op.lower()
    if name == "t_intersects":
        return TimeIntersects(lhs, rhs)
    return TEMPORAL_PREDICATES_MAP[name](lhs, rhs)


_parser: Lark | None = None


@functools.lru_cache(maxsize=256)
def parse_text(text: str) -> ast.Node:
    """Parse CQL2 text; raises CQL2Error with the position of the problem.

    Cached by text: a map client repeats the same filter with every page it asks for, and
    parsing costs more than the rest of the request's Python; the compiler only reads the AST.
    """
    global _parser
    if _parser is None:
        _parser = Lark(
            GRAMMAR,
            parser="lalr",
            maybe_placeholders=False,
            transformer=_Transformer(),
            import_paths=[os.path.dirname(pygeofilter.parsers.__file__)],
        )
    try:
        tree = _parser.parse(text)
    except (LarkError, TypeError, ValueError, KeyError) as exc:
        # Transformer callbacks (pygeofilter's) raise plain Python errors on odd input.
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise CQL2Error(f"cannot parse CQL2 text ({first})") from exc
    except RecursionError as exc:
        raise CQL2Error(f"the filter is nested too deeply (at most {MAX_DEPTH} levels)") from exc
    check_size(tree)
    return tree


def parse_json(document: str | Mapping[str, Any]) -> ast.Node:
    """Parse CQL2 JSON (a string or an already decoded mapping)."""
    try:
        doc = json.loads(document) if isinstance(document, str | bytes) else document
        if not isinstance(doc, dict):
            raise CQL2Error("a CQL2 JSON filter is an object with 'op' and 'args'")
        _check_json(doc)
        tree = parse_cql2_json(_bbox_as_polygon(doc))
    except CQL2Error:
        raise
    except RecursionError as exc:
        raise CQL2Error(f"the filter is nested too deeply (at most {MAX_DEPTH} levels)") from exc
    except (ValueError, TypeError, KeyError, AttributeError, NotImplementedError) as exc:
        raise CQL2Error(f"cannot parse CQL2 JSON ({exc})") from exc
    check_size(tree)
    return tree


def _check_json(doc: Any) -> None:
    """Depth and size of a decoded CQL2 JSON document, without recursion."""
    stack: list[tuple[Any, int]] = [(doc, 0)]
    values_seen = 0
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH * 3:  # JSON nests op, args and a geometry's arrays per level
            raise CQL2Error(f"the filter is nested too deeply (at most {MAX_DEPTH} levels)")
        if isinstance(node, dict):
            stack.extend((child, depth + 1) for child in node.values())
        elif isinstance(node, list):
            stack.extend((child, depth + 1) for child in node)
        else:
            values_seen += 1
            if values_seen > MAX_VALUES * 2:  # a coordinate pair is two numbers
                raise CQL2Error(f"the filter holds too many values (at most {MAX_VALUES})")


def check_size(tree: Any) -> None:
    """Refuse a parsed filter nested deeper than MAX_DEPTH predicates or holding more than
    MAX_VALUES values (list members and geometry vertices count one each)."""
    stack: list[tuple[Any, int]] = [(tree, 1)]
    count = 0
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise CQL2Error(f"the filter is nested too deeply (at most {MAX_DEPTH} levels)")
        if isinstance(node, values.Geometry):
            count += _vertices(node.geometry)
        elif isinstance(node, ast.Node):
            children = node.get_sub_nodes()
            stack.extend((child, depth + 1) for child in children)
            count += 1
        elif isinstance(node, list | tuple):
            stack.extend((child, depth) for child in node)
        else:
            count += 1
        if count > MAX_VALUES:
            raise CQL2Error(f"the filter holds too many values (at most {MAX_VALUES})")


def _vertices(geometry: Any) -> int:
    """How many positions a GeoJSON-like geometry mapping holds."""
    count = 0
    stack = [geometry.get("coordinates", []) if isinstance(geometry, dict) else []]
    if isinstance(geometry, dict) and "geometries" in geometry:
        stack.extend(g.get("coordinates", []) for g in geometry["geometries"])
    while stack:
        item = stack.pop()
        if isinstance(item, list | tuple) and item and isinstance(item[0], list | tuple):
            stack.extend(item)
        else:
            count += 1
    return count


def _bbox_as_polygon(node: Any) -> Any:
    """pygeofilter 0.4 reads {"bbox": [minx, miny, maxx, maxy]} with x and y mixed up."""
    if isinstance(node, list):
        return [_bbox_as_polygon(n) for n in node]
    if isinstance(node, dict):
        box = node.get("bbox")
        if set(node) == {"bbox"} and isinstance(box, list) and len(box) in (4, 6):
            x1, y1, x2, y2 = (box[0], box[1], box[3], box[4]) if len(box) == 6 else box
            ring = [[x1, y1], [x2, y1], [x2, y2], [x1, y2], [x1, y1]]
            return {"type": "Polygon", "coordinates": [ring]}
        return {k: _bbox_as_polygon(v) for k, v in node.items()}
    return node
