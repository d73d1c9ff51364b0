"""The road network in figures (``road-network``) and the roads the hazard zones in force close
or slow (``road-closures``): the same closures every route, isochrone and drive-time answer is
computed with (``gisserver.routing.network``), drawn as lines for a map or checked by hand."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from gisserver.analyses.area import parse_bbox
from gisserver.analyses.network_declarations import ROAD_CLOSURES_LIMIT
from gisserver.analyses.parameters import parse_time, reject_unknown
from gisserver.db import Database, load_sql
from gisserver.layers import LayerRegistry
from gisserver.routing.network import network_of
from gisserver.routing.profile import profile_of
from gisserver.settings import Settings


def network_answer(
    db: Database, params: Mapping[str, Any], *, layers: LayerRegistry, settings: Settings
) -> dict[str, Any]:
    reject_unknown(params, (), where="road-network")
    profile = profile_of(settings)
    with db.read_cursor() as cur:
        row = cur.execute(load_sql("analyses/road_network.sql")).fetchone()
    assert row is not None
    classes = {
        name: {
            "segments": count,
            "speed_kmh": profile.speeds_kmh.get(name, profile.default_speed_kmh),
        }
        for name, count in sorted(row["classes"].items())
    }
    return {
        "version": row["version"],
        "changed_at": row["changed_at"].isoformat() if row["changed_at"] else None,
        "segments": sum(s["segments"] for s in row["sources"]),
        "junctions": row["junctions"],
        "one_way_segments": row["one_way_segments"],
        "bbox": None if row["empty"] else row["bbox"],
        "sources": row["sources"],
        "classes": classes,
        "profile": profile.source,
    }


def closures_answer(
    db: Database, params: Mapping[str, Any], *, layers: LayerRegistry, settings: Settings
) -> dict[str, Any]:
    reject_unknown(params, ("at", "bbox"), where="road-closures")
    at = parse_time(params["at"]) if params.get("at") not in (None, "") else None
    moment = at or dt.datetime.now(dt.UTC)
    bbox = None
    if params.get("bbox") not in (None, ""):
        bbox = list(parse_bbox(params["bbox"]).geometry.bounds)
    profile = profile_of(settings)
    network = network_of(db, profile)
    closures = network.closures(profile, moment)
    zones_of: dict[int, list[int]] = {}
    for zone in network.zone_roads:
        if zone.zone_id in closures.zones:
            for road in zone.road_ids:
                zones_of.setdefault(road, []).append(zone.zone_id)
    with db.read_cursor() as cur:
        rows = cur.execute(
            load_sql("analyses/road_closures.sql"),
            {"ids": sorted(closures.factors), "bbox": bbox, "limit": ROAD_CLOSURES_LIMIT},
        ).fetchall()
    features = [
        {
            "type": "Feature",
            "id": row["id"],
            "geometry": json.loads(row["geometry"]),
            "properties": {
                "name": row["name"],
                "road_class": row["road_class"],
                "one_way": row["one_way"],
                "length_m": round(row["length_m"], 1),
                "source": row["source"],
                "effect": profile.describe_effect(closures.factors[row["id"]]),
                "hazard_zones": zones_of.get(row["id"], []),
            },
        }
        for row in rows
    ]
    return {
        "type": "FeatureCollection",
        "features": features,
        "numberReturned": len(features),
        "at": moment.isoformat(),
        "hazard_zones": [
            {"id": zone, "effect": profile.describe_effect(effect)}
            for zone, effect in sorted(closures.zones.items())
        ],
        "roads_closed": len(closures.closed),
        "roads_slowed": len(closures.factors) - len(closures.closed),
    }
