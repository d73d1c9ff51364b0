"""The pygeoapi configuration, generated from layers/ and the settings (never hand-written)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from psycopg import sql

from gisserver.db import Database, load_sql
from gisserver.errors import GisServerError
from gisserver.layers import Layer, LayerRegistry
from gisserver.settings import Settings

log = logging.getLogger(__name__)

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
EPSG_URI = "http://www.opengis.net/def/crs/EPSG/0/{code}"
PROVIDER = "gisserver.ogc.provider.PostGISProvider"
# The whole world, for a layer whose table is empty or unreachable at start-up.
WORLD = (-180.0, -90.0, 180.0, 90.0)
# Our copies of the pygeoapi templates we change (see templates/ and ogc/__init__.py); pygeoapi
# falls back to its own for every other page.
TEMPLATES = Path(__file__).resolve().parent / "templates"


def pygeoapi_static_dir() -> Path:
    """pygeoapi's own static files (its CSS, logo, favicon), by absolute path: its blueprint
    otherwise looks for "static" in the working directory, as our copy of its module has no
    package directory of its own."""
    import pygeoapi

    return Path(pygeoapi.__file__).resolve().parent / "static"


STYLE_MEDIA_TYPES = {
    "json": ("application/vnd.mapbox.style+json", "MapLibre style"),
    "sld": ("application/vnd.ogc.sld+xml", "OGC SLD 1.1 style"),
    "qml": ("application/xml", "QGIS style (QML)"),
}


@dataclass(frozen=True)
class LayerExtent:
    bbox: tuple[float, float, float, float] = WORLD
    begin: datetime | None = None


def server_url(settings: Settings) -> str:
    """The base URL clients see, without the /ogc prefix."""
    base = settings.public_url or f"http://{settings.host}:{settings.port}"
    return base.rstrip("/")


def crs_uris(layer: Layer) -> list[str]:
    """CRS84 first (the default), then EPSG:4326 (lat/lon), Web Mercator and the layer's own."""
    codes = ["EPSG:4326", "EPSG:3857", *layer.crs]
    uris = [CRS84]
    for code in dict.fromkeys(codes):
        uris.append(EPSG_URI.format(code=code.split(":")[1]))
    return uris


def layer_extents(db: Database | None, layers: LayerRegistry) -> dict[str, LayerExtent]:
    """Spatial and temporal extent per layer from the tables, falling back to the world."""
    extents = {layer.id: LayerExtent() for layer in layers}
    if db is None:
        return extents
    template = load_sql("features/extent.sql")
    try:
        with db.cursor() as cur:
            for layer in layers:
                begin = (
                    sql.SQL("(SELECT min({}) FROM {})").format(
                        sql.Identifier(layer.temporal_start), sql.Identifier(layer.table)
                    )
                    if layer.temporal_start
                    else sql.SQL("NULL::timestamptz")
                )
                query = sql.SQL(template).format(
                    table=sql.Identifier(layer.table),
                    table_name=sql.Literal(layer.table),
                    begin=begin,
                )
                cur.execute(query)
                row = cur.fetchone()
                if row and row["xmin"] is not None:
                    bbox = (
                        round(row["xmin"], 6),
                        round(row["ymin"], 6),
                        round(row["xmax"], 6),
                        round(row["ymax"], 6),
                    )
                    extents[layer.id] = LayerExtent(bbox, row["begin"])
                elif row:
                    extents[layer.id] = LayerExtent(WORLD, row["begin"])
    except GisServerError as exc:
        log.warning("collection extents default to the world: %s", exc.message)
    except Exception as exc:  # a missing table must not stop the app from starting
        log.warning("collection extents default to the world: %s", exc)
    return extents


PROCESS_LIST_ROOM = 100


def _feature_limits(settings: Settings) -> dict[str, Any]:
    return {
        "default_items": settings.features_default_limit,
        "max_items": settings.features_max_limit,
        "on_exceed": "throttle",
    }


def _collection(
    layer: Layer, extent: LayerExtent, settings: Settings, tiles: dict[str, Any] | None
) -> dict[str, Any]:
    base = server_url(settings)
    extents: dict[str, Any] = {"spatial": {"bbox": list(extent.bbox), "crs": CRS84}}
    if layer.temporal_start:
        # Open end: situational data keeps arriving, and pygeoapi rejects datetimes after 'end'.
        extents["temporal"] = {"begin": extent.begin, "end": None}
    links = [
        {
            "type": media_type,
            "rel": "stylesheet" if ext != "json" else "describedby",
            "title": title,
            "href": f"{base}/styles/{layer.style or layer.id}.{ext}",
        }
        for ext, (media_type, title) in STYLE_MEDIA_TYPES.items()
    ]
    feature_provider: dict[str, Any] = {
        "type": "feature",
        "name": PROVIDER,
        "data": layer.id,
        "id_field": "id",
        "geom_field": "geom",
        "title_field": "name" if "name" in layer.public_fields else None,
        "time_field": layer.temporal_start,
        "storage_crs": CRS84,
        "crs": crs_uris(layer),
    }
    # pygeoapi's config schema has no null here; an unset title or time field is left out.
    providers = [{key: value for key, value in feature_provider.items() if value is not None}]
    if tiles is not None:
        providers.append(tiles)
    resource: dict[str, Any] = {
        "type": "collection",
        "title": layer.title,
        "description": layer.description,
        "keywords": list(layer.keywords),
        "links": links,
        "extents": extents,
        "providers": providers,
        # A page of features: the deployment's limits (the server's own default is for the
        # process list, which pygeoapi cuts at it with no link to the rest).
        "limits": _feature_limits(settings),
    }
    if layer.licence or layer.attribution:
        resource["links"].append(
            {
                "type": "text/html",
                "rel": "license",
                "title": layer.licence or layer.attribution,
                "href": f"{base}/ogc/collections/{layer.id}",
            }
        )
    return resource


def pygeoapi_config(
    settings: Settings,
    layers: LayerRegistry,
    extents: dict[str, LayerExtent],
    processes: Mapping[str, str | Mapping[str, Any]],
) -> dict[str, Any]:
    """The whole pygeoapi configuration document."""
    from gisserver.tiles import tile_provider_config

    resources_: dict[str, Any] = {}
    for layer in layers:
        resources_[layer.id] = _collection(
            layer, extents[layer.id], settings, tile_provider_config(layer, settings)
        )
    for process_id, processor in processes.items():
        # a dotted path, or a processor definition with more keys (our one AnalysisProcessor)
        definition = {"name": processor} if isinstance(processor, str) else dict(processor)
        resources_[process_id] = {"type": "process", "processor": definition}
    return {
        "server": {
            "bind": {"host": settings.host, "port": settings.port},
            "url": server_url(settings) + "/ogc",
            "mimetype": "application/json; charset=UTF-8",
            "encoding": "utf-8",
            # gzip, CORS and caching headers are ours (gisserver.web.http), not pygeoapi's.
            "gzip": False,
            "cors": False,
            "pretty_print": False,
            "templates": {"path": str(TEMPLATES), "static": str(pygeoapi_static_dir())},
            "languages": ["en-US"],
            # pygeoapi lists at most default_items processes, silently (11 answered 10): the
            # list needs room for all of them; feature pages have their own (_feature_limits).
            "limits": {
                **_feature_limits(settings),
                "default_items": max(settings.features_default_limit, PROCESS_LIST_ROOM),
            },
            "map": {
                "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                "attribution": "&copy; OpenStreetMap contributors",
            },
            # No "manager": pygeoapi's default is its Dummy manager (processes run synchronously
            # inside the request; no job store is kept). Its schema wants a connection and an
            # output_dir, which the Dummy manager has no use for.
        },
        "logging": {"level": "WARNING"},
        "metadata": {
            "identification": {
                "title": "gisserver: emergency situational awareness",
                "description": (
                    "Hazard zones, shelters, stockpiles, cameras and incidents for the "
                    "city's emergency command centre, over OGC API - Features."
                ),
                "keywords": ["emergency", "situational awareness", "hazard", "shelter"],
                "keywords_type": "theme",
                "terms_of_service": "https://creativecommons.org/licenses/by/4.0/",
                "url": server_url(settings),
            },
            "license": {
                "name": "CC-BY 4.0",
                "url": "https://creativecommons.org/licenses/by/4.0/",
            },
            "provider": {"name": "gisserver", "url": server_url(settings)},
            "contact": {
                "name": "Emergency command centre GIS desk",
                "position": "GIS analyst",
                "role": "pointOfContact",
            },
        },
        "resources": resources_,
    }
