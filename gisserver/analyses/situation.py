"""The situation report: what there is, in what state, and who lives in the hazard zones."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from typing import Any

from gisserver.analyses.area import Area, parse_bbox
from gisserver.analyses.parameters import reject_unknown
from gisserver.analyses.population import population_in_area
from gisserver.db import Database, load_sql
from gisserver.errors import GisServerError
from gisserver.layers import LayerRegistry

log = logging.getLogger(__name__)
WORLD = (-180.0, -90.0, 180.0, 90.0)


def _population_in_zones(
    db: Database, bounds: tuple[float, float, float, float], at: dt.datetime
) -> dict[str, Any]:
    """Population inside the union of the zones in force, via the affected-population module."""
    params = dict(zip(("minx", "miny", "maxx", "maxy"), bounds, strict=True)) | {"at": at}
    with db.read_cursor() as cur:
        cur.execute(load_sql("analyses/situation_hazard_area.sql"), params)
        row = cur.fetchone()
    zones = row["zones"] if row else 0
    if not zones or row is None or row["wkb"] is None:
        return {"zones_in_force": 0, "population": 0, "reason": "no hazard zone is in force here"}
    try:
        answer = population_in_area(db, bytes(row["wkb"]))
    except GisServerError as exc:
        return {"zones_in_force": zones, "population": None, "reason": exc.message}
    return {"zones_in_force": zones, **answer}


def situation(db: Database, bbox: Area | None = None) -> dict[str, Any]:
    """Counts, shelter places, stock, open incidents and population at risk, now.

    ``bbox`` is an Area from ``parse_bbox``; features touching it count (none: everything).
    """
    now = dt.datetime.now(dt.UTC)
    bounds = tuple(bbox.geometry.bounds) if bbox is not None else WORLD
    params = dict(zip(("minx", "miny", "maxx", "maxy"), bounds, strict=True)) | {
        "at": now,
        "today": now.date(),
    }
    with db.read_cursor() as cur:
        cur.execute(load_sql("analyses/situation.sql"), params)
        row = cur.fetchone()
    report: dict[str, Any] = {
        "bbox": list(bounds) if bbox is not None else None,
        "at": now.isoformat(),
        **(row["situation"] if row else {}),
    }
    report["population_in_hazard_zones"] = _population_in_zones(db, bounds, now)
    return report


def answer(db: Database, params: Mapping[str, Any], *, layers: LayerRegistry) -> dict[str, Any]:
    """The situation report (registry entry ``situation``): ``bbox`` optional."""
    params = {key: value for key, value in params.items() if value is not None}
    reject_unknown(params, ("bbox",), where="situation")
    return situation(db, parse_bbox(params["bbox"]) if "bbox" in params else None)
