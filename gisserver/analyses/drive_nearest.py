"""Nearest by drive time: the k resources reached soonest by road from a point, with the same
filters as the nearest by distance (``gisserver.analyses.nearest``), which picks the candidates.

The candidates are the ``CANDIDATES`` nearest by geodesic distance that pass the filters (and
``max_distance_m``); each is reached through its nearest road segment, all of them in one
search from the point (``gisserver.routing.search.travel_times``), and the k soonest get their
route (length, roads, and the line itself with ``route=true``). A resource whose street is
closed by a hazard zone in force, or which no road comes within GISSERVER_ROUTE_MAX_SNAP_M of,
is not reached: the answer counts them.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from typing import Any

from gisserver.analyses import nearest
from gisserver.analyses.drive import Conditions, path_geometry, path_properties
from gisserver.db import Database
from gisserver.layers import LayerRegistry
from gisserver.routing.search import paths, snap_or_refuse, travel_times
from gisserver.settings import Settings

CANDIDATES = 2000


def drive_time_nearest(
    db: Database, query: nearest.NearestQuery, *, layers: LayerRegistry, settings: Settings
) -> dict[str, Any]:
    """The k resources soonest reached by road, soonest first: the nearest answer's
    properties plus travel_time_s, length_m (by road), snap_m, the roads taken, and ``route``
    (a LineString) when asked."""
    candidates = nearest.candidate_places(db, query, layers=layers, limit=CANDIDATES)
    conditions = Conditions(avoid_hazards=query.avoid_hazards)
    search = conditions.search(db, settings)
    places = [(lon, lat) for _, lon, lat in candidates]
    with db.read_cursor() as cur:
        origin = snap_or_refuse(cur, search, (query.lon, query.lat), "lon/lat")
        reaches = travel_times(cur, search, origin, places, enough=query.k)
        reached = sorted(
            (r.seconds, index) for index, r in enumerate(reaches) if r.seconds is not None
        )[: query.k]
        found = paths(cur, search, origin, [reaches[i].snap for _, i in reached])
    # the properties of the few kept, as the nearest by distance gives them
    kept = tuple(candidates[index][0] for _, index in reached)
    records = (
        {
            feature["id"]: feature
            for feature in nearest.nearest_resources(
                db,
                dataclasses.replace(query, k=max(1, len(kept)), by="distance", ids=kept),
                layers=layers,
            )["features"]
        }
        if kept
        else {}
    )
    features = []
    for (seconds, index), path in zip(reached, found, strict=True):
        feature = records[candidates[index][0]]
        properties = dict(feature["properties"])
        properties["travel_time_s"] = round(seconds, 1)
        properties["snap_m"] = round(reaches[index].snap.distance_m, 1)
        if path is not None:
            described = path_properties(path)
            properties["length_m"] = described["length_m"]
            properties["roads"] = [road["name"] for road in described["roads"]]
            if query.route:
                properties["route"] = path_geometry(path)
        features.append({**feature, "properties": properties})
    echoed = {
        name: value
        for name, value in dataclasses.asdict(query).items()
        if value is not None and name not in ("as_of", "ids")
    }
    return {
        "type": "FeatureCollection",
        "features": features,
        "numberReturned": len(features),
        "query": echoed,
        "origin": {
            "snap_m": round(origin.distance_m, 1),
            "point": [round(origin.lon, 7), round(origin.lat, 7)],
        },
        "candidates": len(candidates),
        # not reached within the time searched (the search goes as far as it must to reach k)
        "not_reached": sum(1 for r in reaches if r.seconds is None),
        "searched_s": reaches[0].searched if reaches else None,
        **conditions.describe(search),
    }


def answer(
    db: Database, params: Mapping[str, Any], *, layers: LayerRegistry, settings: Settings
) -> dict[str, Any]:
    """The nearest-resources analysis, by distance or by drive time (``by``)."""
    query = nearest.NearestQuery.from_params(params, layers=layers)
    if query.by == "drive_time":
        return drive_time_nearest(db, query, layers=layers, settings=settings)
    return nearest.nearest_resources(db, query, layers=layers)


def answer_text(
    db: Database, params: Mapping[str, Any], *, layers: LayerRegistry, settings: Settings
) -> str:
    """The same answer as GeoJSON text (by distance: without parsing the geometries)."""
    query = nearest.NearestQuery.from_params(params, layers=layers)
    if query.by == "drive_time":
        return json.dumps(
            drive_time_nearest(db, query, layers=layers, settings=settings),
            ensure_ascii=False,
            allow_nan=False,
        )
    return nearest.nearest_resources_json(db, query, layers=layers)
