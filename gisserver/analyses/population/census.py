"""Census sources: areal-weighted interpolation, Σ pop × area(unit ∩ area) / area(unit), with
geodesic areas."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.rows import dict_row

from gisserver.analyses.area import Area
from gisserver.analyses.population.query import BREAKDOWN_LIMIT, CENSUS_METHOD, SourceReloaded
from gisserver.db import load_sql


def census_population(
    conn: psycopg.Connection[Any], source: dict[str, Any], area: Area
) -> dict[str, Any]:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(load_sql("population/census.sql"), {"wkb": area.wkb, "source_id": source["id"]})
        rows = cur.fetchall()
    if not rows or rows[0]["loaded_at"] != source["loaded_at"]:
        raise SourceReloaded(source["name"])
    units = []
    total = 0.0
    for row in rows:
        if row["id"] is None:  # the one row of a source with no unit in the area
            continue
        unit_m2 = float(row["unit_m2"])
        inside_m2 = float(row["inside_m2"])
        if unit_m2 <= 0 or inside_m2 <= 0:
            continue
        share = min(inside_m2 / unit_m2, 1.0)
        contribution = float(row["population"]) * share
        total += contribution
        units.append(
            {
                "unit_id": row["unit_id"],
                "unit_population": float(row["population"]),
                "share": share,
                "population": contribution,
            }
        )
    units.sort(key=lambda u: (-u["population"], u["unit_id"]))
    return {
        "method": CENSUS_METHOD,
        "population": total,
        "unit_count": len(units),
        "units": units[:BREAKDOWN_LIMIT],
    }
