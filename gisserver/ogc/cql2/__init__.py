"""CQL2 (OGC API - Features Part 3): parse text or JSON with pygeofilter (``parser``), compile to
psycopg SQL (``compiler``).

pygeofilter 0.4's CQL2-text grammar only knows infix temporal predicates
(``reported_at T_INTERSECTS INTERVAL(...)``) and has no ``S_DWITHIN``; the grammar in ``parser``
adds the standard function forms (``T_INTERSECTS(reported_at, INTERVAL('2026-01-01', '..'))``),
``S_DWITHIN(geom, POINT(x y), 500, meters)`` and open interval ends, and reuses pygeofilter's
transformer and AST. The compiler only ever emits quoted identifiers and bound parameters.
"""

from gisserver.ogc.cql2.compiler import Binder, FilterCompiler, Queryable
from gisserver.ogc.cql2.parser import (
    ACCEPTED_JSON,
    ACCEPTED_TEXT,
    CQL2Error,
    parse_json,
    parse_text,
)

__all__ = [
    "ACCEPTED_JSON",
    "ACCEPTED_TEXT",
    "Binder",
    "CQL2Error",
    "FilterCompiler",
    "Queryable",
    "parse_json",
    "parse_text",
]
