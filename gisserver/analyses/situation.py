"""The situation report: what there is, in what state, and who lives in the hazard zones."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from typing import Any

from psycopg import sql

from gisserver.analyses import as_of as replay
from gisserver.analyses.area import Area, parse_bbox
from gisserver.analyses.parameters import reject_unknown
from gisserver.analyses.population import population_in_area
from gisserver.db import Database, load_sql
from gisserver.errors import GisServerError
from gisserver.layers import LayerRegistry
from gisserver.lru import ByteLRU

log = logging.getLogger(__name__)
WORLD = (-180.0, -90.0, 180.0, 90.0)
# What the report reads, replayed for as_of: (layer id, table) pairs.
READS = tuple(
    (name, name) for name in ("shelters", "stockpiles", "cameras", "incidents", "hazard_zones")
) + (("stock", replay.STOCK_TABLE),)
ZONES = (("hazard_zones", "hazard_zones"),)


def _query(db: Database, name: str, tables: tuple[tuple[str, str], ...], as_of: bool) -> Any:
    """The report's SQL ``name``, reading ``tables`` as of ``%(as_of)s`` when ``as_of``."""
    text = load_sql(name)
    return replay.replayed(db, tables, sql.SQL(text)) if as_of else text


# The population at risk, by what it depends on (situation_zones_key.sql) and the box: the
# union of the zones and the areal weighting take seconds over a city's zones, and the answer
# changes only when a zone is written, comes into force or ends, or population is loaded.
_at_risk: ByteLRU[tuple[Any, ...], dict[str, Any]] = ByteLRU(8_000_000, lambda a: len(repr(a)))


def _population_in_zones(
    db: Database, bounds: tuple[float, float, float, float], at: dt.datetime, as_of: bool
) -> dict[str, Any]:
    """Population inside the union of the zones in force, via the affected-population module;
    now (not replayed), kept until the zones, the zones in force or the population change."""
    params = dict(zip(("minx", "miny", "maxx", "maxy"), bounds, strict=True)) | {
        "at": at,
        "as_of": at,
    }
    key = None
    if not as_of:
        with db.read_cursor() as cur:
            found = cur.execute(load_sql("analyses/situation_zones_key.sql"), params).fetchone()
        assert found is not None
        key = (
            id(db),
            bounds,
            found["zones_version"],
            found["population_version"],
            tuple(found["zone_ids"]),
        )
        known = _at_risk.get(key)
        if known is not None:
            return dict(known)
    answer = _population_now(db, params, as_of)
    if key is not None and not (answer.get("population") is None and "reason" in answer):
        _at_risk.put(key, answer)  # not a failure (e.g. a source being reloaded): asked again
    return dict(answer)


def _population_now(db: Database, params: dict[str, Any], as_of: bool) -> dict[str, Any]:
    with db.read_cursor() as cur:
        cur.execute(_query(db, "analyses/situation_hazard_area.sql", ZONES, as_of), params)
        row = cur.fetchone()
    zones = row["zones"] if row else 0
    if not zones or row is None or row["wkb"] is None:
        return {"zones_in_force": 0, "population": 0, "reason": "no hazard zone is in force here"}
    try:
        answer = population_in_area(db, bytes(row["wkb"]))
    except GisServerError as exc:
        return {"zones_in_force": zones, "population": None, "reason": exc.message}
    return {"zones_in_force": zones, **answer}


def situation(
    db: Database, bbox: Area | None = None, *, as_of: dt.datetime | None = None
) -> dict[str, Any]:
    """Counts, shelter places, stock, open incidents and population at risk, now or (``as_of``)
    as the layers were at that instant.

    ``bbox`` is an Area from ``parse_bbox``; features touching it count (none: everything).
    """
    at = as_of or dt.datetime.now(dt.UTC)
    bounds = tuple(bbox.geometry.bounds) if bbox is not None else WORLD
    params = dict(zip(("minx", "miny", "maxx", "maxy"), bounds, strict=True)) | {
        "at": at,
        "as_of": at,
        "today": at.date(),
    }
    with db.read_cursor() as cur:
        cur.execute(_query(db, "analyses/situation.sql", READS, as_of is not None), params)
        row = cur.fetchone()
    report: dict[str, Any] = {
        "bbox": list(bounds) if bbox is not None else None,
        "at": at.isoformat(),
        "as_of": at.isoformat() if as_of is not None else None,
        **(row["situation"] if row else {}),
    }
    report["population_in_hazard_zones"] = _population_in_zones(db, bounds, at, as_of is not None)
    return report


def answer(db: Database, params: Mapping[str, Any], *, layers: LayerRegistry) -> dict[str, Any]:
    """The situation report (registry entry ``situation``): ``bbox`` and ``as_of`` optional."""
    params = {key: value for key, value in params.items() if value is not None}
    reject_unknown(params, ("bbox", replay.PARAMETER), where="situation")
    return situation(
        db,
        parse_bbox(params["bbox"]) if "bbox" in params else None,
        as_of=replay.parse_as_of(params[replay.PARAMETER]) if replay.PARAMETER in params else None,
    )
