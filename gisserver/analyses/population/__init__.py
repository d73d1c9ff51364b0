"""Affected population: how many people live in an area.

The area is a GeoJSON polygon, a hazard zone, or an incident plus a buffer in metres. Against a
raster source (people per cell) the answer is the sum of the cells whose centre lies inside the
area, after transforming the area into the raster's CRS, nodata excluded: the same rule and the same
GDAL rasterizer as ``rasterio.mask(..., crop=True, all_touched=False)``. Against census polygons
it is areal-weighted interpolation, Σ pop × area(unit ∩ area) / area(unit), with geodesic areas.
Without an explicit source the source whose footprint covers most of the area is used and named;
an area no source covers gets ``population: null`` and a ``reason``, never a silent zero.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

import psycopg
from psycopg import sql
from psycopg.rows import dict_row

from gisserver.analyses.area import Area
from gisserver.analyses.population.census import census_population
from gisserver.analyses.population.query import (
    CENSUS_METHOD,
    FULL_COVERAGE,
    RASTER_METHOD,
    AffectedPopulationQuery,
    SourceReloaded,
    area_from_wkb,
    area_statements,
    resolve_area,
)
from gisserver.analyses.population.raster import TILE_CACHE, raster_population
from gisserver.db import Database, load_sql
from gisserver.errors import GisServerError, InvalidParameter
from gisserver.layers import LayerRegistry
from gisserver.settings import Settings

__all__ = [
    "TILE_CACHE",
    "AffectedPopulationQuery",
    "SourceReloaded",
    "affected_population",
    "answer",
    "census_population",
    "population_in_area",
    "raster_population",
]


def _source_summary(s: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": s["name"],
        "kind": s["kind"],
        "covered_fraction": s["covered_fraction"],
    }


@cache
def _sources_statement(named: bool) -> str:
    """The sources statement for one named source or for all of them.

    Two texts rather than ``%(name)s IS NULL OR s.name = %(name)s``: with the name alone the
    unique index bounds the row count even in a generic plan, so PostgreSQL can keep the
    prepared statement's generic plan (no planning per call) even before population_sources
    has statistics (a table of a few rows may never be analysed by autovacuum).
    """
    source_filter = sql.SQL("s.name = %(name)s" if named else "TRUE")
    statement = sql.SQL(load_sql("population/sources_for_area.sql")).format(
        source_filter=source_filter
    )
    return statement.as_string(None)


def _population(
    conn: psycopg.Connection[Any], area: Area, source_name: str | None
) -> dict[str, Any]:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(
            _sources_statement(source_name is not None), {"wkb": area.wkb, "name": source_name}
        )
        rows = cur.fetchall()
    area_m2 = float(rows[0]["area_m2"]) if rows else 0.0
    sources = [row for row in rows if row["id"] is not None]
    answer: dict[str, Any] = {"area_m2": area_m2}
    if area.repaired:
        answer |= {"repaired": True, "repair_note": area.repair_note}
    for s in sources:
        s["covered_fraction"] = min(float(s["covered_m2"]) / area_m2, 1.0) if area_m2 > 0 else 0.0
    if source_name is not None:
        chosen = [s for s in sources if s["name"] == source_name]
        if not chosen:
            with conn.cursor() as cur:
                cur.execute("SELECT name FROM population_sources ORDER BY name")
                names = [row[0] for row in cur.fetchall()]
            known = ", ".join(names) or "(no population source is loaded)"
            raise InvalidParameter("source", f"unknown population source {source_name!r}", known)
        source = chosen[0]
        selection = "requested"
    else:
        covering = [s for s in sources if s["covered_fraction"] > 0]
        if not covering:
            known = ", ".join(s["name"] for s in sources) or "none is loaded"
            return answer | {
                "population": None,
                "method": None,
                "source": None,
                "covered_fraction": 0.0,
                "reason": f"no population source covers this area (sources: {known})",
            }
        # Most coverage first; then the newest data; then the name, for a stable answer.
        covering.sort(
            key=lambda s: (-round(s["covered_fraction"], 6), -(s["reference_year"] or 0), s["name"])
        )
        source = covering[0]
        if len(covering) > 1:
            selection = "covers the largest part of the area"
        elif source["covered_fraction"] < FULL_COVERAGE:
            selection = "covers part of the area"
        else:
            selection = "covers the area"
        if len(covering) > 1:
            answer["other_sources"] = [_source_summary(s) for s in covering[1:]]
    answer |= {
        "source": source["name"],
        "source_kind": source["kind"],
        "source_selection": selection,
        "source_info": {
            "title": source["title"],
            "reference_year": source["reference_year"],
            "licence": source["licence"],
            "attribution": source["attribution"],
        },
        "covered_fraction": source["covered_fraction"],
    }
    if source["covered_fraction"] <= 0:
        return answer | {
            "population": None,
            "method": RASTER_METHOD if source["kind"] == "raster" else CENSUS_METHOD,
            "reason": f"population source {source['name']!r} does not cover this area",
        }
    if source["kind"] == "raster":
        answer |= raster_population(conn, source, area.geometry)
    else:
        answer |= census_population(conn, source, area)
    if source["covered_fraction"] < FULL_COVERAGE:
        answer["coverage_note"] = (
            f"only {source['covered_fraction']:.1%} of the area lies inside the footprint of "
            f"{source['name']!r}; people outside it are not counted"
        )
    return answer


# How often an answer starts again when a source is reloaded while it is being read.
RELOAD_ATTEMPTS = 3


def _answer_once_settled(
    answer: Callable[[psycopg.Connection[Any]], dict[str, Any]], db: Database
) -> dict[str, Any]:
    """Run ``answer`` on a pooled connection in autocommit, again if a source was reloaded.

    Each statement is its own snapshot and its own transaction (no BEGIN/COMMIT round trips).
    A source's grid and the ids of its tiles come from one statement; tile cells are then read
    by id, and tiles are never updated in place, so cells from another load cannot be mixed in:
    a reload between the two shows as missing tiles (or, for census units, another
    ``loaded_at``) and the answer is computed again.
    """
    for _ in range(RELOAD_ATTEMPTS - 1):
        try:
            with db.read() as conn:
                return answer(conn)
        except SourceReloaded:
            continue
    try:
        with db.read() as conn:
            return answer(conn)
    except SourceReloaded as exc:
        raise GisServerError(
            f"population source {exc} was reloaded while the answer was computed, "
            f"{RELOAD_ATTEMPTS} times; try again when the load has finished",
            status=503,
        ) from exc


def affected_population(db: Database, query: AffectedPopulationQuery) -> dict[str, Any]:
    """The population inside the query's area: one implementation for API, process and CLI."""

    statements = area_statements(db, query)

    def answer(conn: psycopg.Connection[Any]) -> dict[str, Any]:
        area = resolve_area(conn, query, statements)
        return _population(conn, area, query.source)

    return {"area": query.describe()} | _answer_once_settled(answer, db)


def population_in_area(
    db: Database, geometry_wkb: bytes, *, source: str | None = None
) -> dict[str, Any]:
    """The same answer for a WKB geometry in EPSG:4326 (used by the situation report)."""
    area = area_from_wkb(geometry_wkb)
    if area is None:
        return {
            "population": 0.0,
            "method": None,
            "source": None,
            "area_m2": 0.0,
            "reason": "the area is empty",
        }
    return _answer_once_settled(lambda conn: _population(conn, area, source), db)


def answer(
    db: Database, params: Mapping[str, Any], *, layers: LayerRegistry, settings: Settings
) -> dict[str, Any]:
    """The affected-population analysis (registry entry ``affected-population``); an
    ``isochrone`` area is drawn first (``gisserver.analyses.drive``), then counted as a
    geometry."""
    if isinstance(params, Mapping) and params.get("isochrone") is not None:
        from gisserver.analyses.drive import isochrone_area

        rest = {k: v for k, v in params.items() if k != "isochrone"}
        others = [k for k in ("geometry", "hazard_zone_id", "incident_id") if k in rest]
        if others:
            raise InvalidParameter(
                "isochrone",
                f"exactly one area is needed, isochrone and {others[0]} given",
                "'geometry', 'hazard_zone_id', 'incident_id' or 'isochrone'",
            )
        polygon, described = isochrone_area(db, params["isochrone"], settings=settings)
        if polygon is None:
            return {
                "area": described,
                "population": 0.0,
                "method": None,
                "source": None,
                "area_m2": 0.0,
                "reason": "the isochrone is empty",
            }
        query = AffectedPopulationQuery.from_params({**rest, "geometry": polygon}, layers=layers)
        return affected_population(db, query) | {"area": described}
    return affected_population(db, AffectedPopulationQuery.from_params(params, layers=layers))
