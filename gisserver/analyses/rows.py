"""Rows turned into answers: quoted column lists, database values as JSON, GeoJSON features."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from psycopg import sql


def column_list(names: list[str] | tuple[str, ...], alias: str) -> sql.Composable:
    """``alias."a", alias."b"``: quoted columns of one table."""
    return sql.SQL(", ").join(sql.Identifier(alias, name) for name in names)


def json_value(value: Any) -> Any:
    """A database value as JSON: times in ISO 8601, numerics as int or float."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def feature(row: dict[str, Any], fields: list[str] | tuple[str, ...]) -> dict[str, Any]:
    """A GeoJSON Feature from a row carrying ``id``, ``geometry`` (GeoJSON text) and ``fields``."""
    geometry = row["geometry"]
    return {
        "type": "Feature",
        "id": row["id"],
        "geometry": json.loads(geometry) if isinstance(geometry, str) else geometry,
        "properties": {name: json_value(row[name]) for name in fields},
    }
