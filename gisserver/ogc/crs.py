"""CRS URIs of OGC API requests (``crs``, ``bbox-crs``, ``filter-crs``) and geometries
transformed between them and the storage CRS (CRS84) in SQL."""

from __future__ import annotations

import functools
import json
from typing import Any

import pyproj
from psycopg import sql

from gisserver.ogc.cql2 import Binder


@functools.cache
def output_crs(uri: str) -> tuple[int, bool]:
    """(SRID, northing first?) of a CRS URI; EPSG:4326 is latitude first."""
    crs = pyproj.CRS.from_user_input(
        uri.replace("http://www.opengis.net/def/crs/", "").replace("/0/", ":")
    )
    epsg = crs.to_epsg()
    if epsg is None:
        raise ValueError(f"{uri} has no EPSG code")
    return epsg, crs.axis_info[0].direction.lower() in ("north", "south")


def crs_srid(uri: str | None) -> tuple[int, bool] | None:
    """None for CRS84 (the storage CRS), else (SRID, flip axes)."""
    if uri is None or uri.endswith(("CRS84", "CRS84h")):
        return None
    return output_crs(uri)


def geometry_in(expression: sql.Composable, target: tuple[int, bool] | None) -> sql.Composable:
    """The geometry column transformed from storage (CRS84) to an output CRS."""
    if target is None:
        return expression
    srid, flip = target
    out = (
        expression
        if srid == 4326
        else sql.SQL("ST_Transform({}, {})").format(expression, sql.Literal(srid))
    )
    return sql.SQL("ST_FlipCoordinates({})").format(out) if flip else out


def geometry_literal(
    geometry: dict[str, Any], source: tuple[int, bool] | None, bind: Binder
) -> sql.Composable:
    """A GeoJSON geometry given in ``source`` CRS (None = CRS84) as SQL in CRS84."""
    geom = sql.SQL("ST_SetSRID(ST_GeomFromGeoJSON({}::text), {})").format(
        bind(json.dumps(geometry)), sql.Literal(4326 if source is None else source[0])
    )
    if source is None:
        return geom
    srid, flip = source
    if flip:
        geom = sql.SQL("ST_FlipCoordinates({})").format(geom)
    if srid != 4326:
        geom = sql.SQL("ST_SetSRID(ST_Transform({}, 4326), 4326)").format(geom)
    return geom
