"""The question: an area (a GeoJSON polygon, a hazard zone, an incident plus a buffer) and
optionally a source; the area resolved to a polygon in EPSG:4326."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import psycopg
import shapely
from psycopg import sql
from psycopg.rows import dict_row

from gisserver.analyses import as_of as replay
from gisserver.analyses.area import Area, parse_geometry, parse_radius
from gisserver.db import Database, load_sql
from gisserver.errors import InvalidParameter, NotFound
from gisserver.layers import LayerRegistry

RASTER_METHOD = "raster-cell-centre"
CENSUS_METHOD = "areal-weighted"
# Below this covered fraction the answer says the coverage is partial (float noise aside).
FULL_COVERAGE = 0.999999
# The breakdown lists at most this many units or tiles, the largest contributions first.
BREAKDOWN_LIMIT = 1000
MAX_ID = 2**63 - 1  # ids are bigint
QUERY_KEYS = ("geometry", "hazard_zone_id", "incident_id", "buffer_m", "source", replay.PARAMETER)
AREA_KEYS = "'geometry' (a GeoJSON Polygon/MultiPolygon), 'hazard_zone_id', or 'incident_id'"


def _parse_id(value: Any, parameter: str) -> int:
    if isinstance(value, bool):
        value = None
    try:
        number = int(value)
        if isinstance(value, float) and value != number:
            raise ValueError
    except (TypeError, ValueError) as exc:
        raise InvalidParameter(
            parameter, f"{value!r} is not an integer id", "a positive integer"
        ) from exc
    if not 0 < number <= MAX_ID:
        raise InvalidParameter(
            parameter, f"{value!r} is not a valid id", f"a positive integer up to {MAX_ID}"
        )
    return number


@dataclass(frozen=True)
class AffectedPopulationQuery:
    """One area (exactly one of geometry, hazard_zone_id, incident_id) and optionally a source."""

    geometry: Area | None = None
    hazard_zone_id: int | None = None
    incident_id: int | None = None
    buffer_m: float | None = None
    source: str | None = None
    # the hazard zone or incident as it was at this instant (the population is today's data)
    as_of: dt.datetime | None = None

    @classmethod
    def from_params(
        cls, body: Any, *, layers: LayerRegistry | None = None
    ) -> AffectedPopulationQuery:
        """Validate a request body or process inputs; InvalidParameter names what is wrong and
        what is accepted."""
        if isinstance(body, Mapping):
            body = {key: value for key, value in body.items() if value is not None}
        if not isinstance(body, dict):
            raise InvalidParameter("body", "is not a JSON object", f"an object with {AREA_KEYS}")
        unknown = sorted(set(body) - set(QUERY_KEYS))
        if unknown:
            raise InvalidParameter(
                unknown[0], "is not a parameter of affected-population", ", ".join(QUERY_KEYS)
            )
        given = [
            k for k in ("geometry", "hazard_zone_id", "incident_id") if body.get(k) is not None
        ]
        if len(given) != 1:
            problem = "none given" if not given else f"{' and '.join(given)} given together"
            raise InvalidParameter("geometry", f"exactly one area is needed, {problem}", AREA_KEYS)
        source = body.get("source")
        if source is not None and (not isinstance(source, str) or not source.strip()):
            raise InvalidParameter("source", f"{source!r} is not a source name", "a source name")
        buffer_m = body.get("buffer_m")
        if buffer_m is not None and given[0] != "incident_id":
            raise InvalidParameter(
                "buffer_m", "applies only to incident_id", "buffer_m together with incident_id"
            )
        key = given[0]
        as_of = None
        if replay.PARAMETER in body:
            if key == "geometry":
                raise InvalidParameter(
                    replay.PARAMETER,
                    "applies only to a stored area",
                    "as_of together with hazard_zone_id or incident_id",
                )
            as_of = replay.parse_as_of(body[replay.PARAMETER])
        if key == "geometry":
            return cls(geometry=parse_geometry(body["geometry"], areal=True), source=source)
        if key == "hazard_zone_id":
            return cls(hazard_zone_id=_parse_id(body[key], key), source=source, as_of=as_of)
        return cls(
            incident_id=_parse_id(body[key], key),
            buffer_m=None if buffer_m is None else parse_radius(buffer_m, parameter="buffer_m"),
            source=source,
            as_of=as_of,
        )

    def describe(self) -> dict[str, Any]:
        """The area as the request named it, echoed in the answer."""
        as_of = {replay.PARAMETER: self.as_of.isoformat()} if self.as_of else {}
        if self.hazard_zone_id is not None:
            return {"hazard_zone_id": self.hazard_zone_id, **as_of}
        if self.incident_id is not None:
            return {"incident_id": self.incident_id, "buffer_m": self.buffer_m, **as_of}
        return {"geometry": "GeoJSON"}


ZONE_AREA = "SELECT ST_AsBinary(geom) AS wkb FROM hazard_zones WHERE id = %(id)s"


def area_statements(db: Database, query: AffectedPopulationQuery) -> dict[str, Any]:
    """The statements reading a hazard zone's and an incident's area: as they are, or (the
    query's ``as_of``) as they were then (``gisserver.analyses.as_of``)."""
    zone: Any = ZONE_AREA
    incident: Any = load_sql("population/incident_area.sql")
    if query.as_of is not None:
        # one statement under the as-of WITH: without its closing semicolon
        incident = incident.strip().rstrip(";")
        zone = replay.replayed(db, (("hazard_zones", "hazard_zones"),), sql.SQL(zone))
        incident = replay.replayed(db, (("incidents", "incidents"),), sql.SQL(incident))
    return {"zone": zone, "incident": incident}


# ---------------------------------------------------------------------------------------------
# The area


def resolve_area(
    conn: psycopg.Connection[Any],
    query: AffectedPopulationQuery,
    statements: Mapping[str, Any] | None = None,
) -> Area:
    """The query's area; a stored one read with ``statements`` (``area_statements``: needed
    with ``as_of``)."""
    if query.geometry is not None:
        return query.geometry
    if statements is None:
        if query.as_of is not None:
            raise ValueError("an as_of area needs area_statements(db, query)")
        statements = {"zone": ZONE_AREA, "incident": load_sql("population/incident_area.sql")}
    when = f" at {query.as_of.isoformat()}" if query.as_of else ""
    with conn.cursor(row_factory=dict_row) as cur:
        if query.hazard_zone_id is not None:
            cur.execute(
                statements["zone"],
                {"id": query.hazard_zone_id, replay.PARAMETER: query.as_of},
            )
            row = cur.fetchone()
            if row is None:
                raise NotFound(
                    f"hazard_zone_id: no hazard zone with id {query.hazard_zone_id}{when}"
                )
            return _stored_area(bytes(row["wkb"]))
        cur.execute(
            statements["incident"],
            {"id": query.incident_id, "buffer_m": query.buffer_m, replay.PARAMETER: query.as_of},
        )
        row = cur.fetchone()
        if row is None:
            raise NotFound(f"incident_id: no incident with id {query.incident_id}{when}")
        if query.buffer_m is None and row["geometry_type"] not in ("POLYGON", "MULTIPOLYGON"):
            raise InvalidParameter(
                "buffer_m",
                f"incident {query.incident_id} is a point, so a buffer is needed",
                "metres, 0 < buffer_m <= 500000",
            )
        return _stored_area(bytes(row["wkb"]))


def _stored_area(wkb: bytes) -> Area:
    """A stored zone or incident area; repaired (and said so) if it was stored invalid."""
    area = area_from_wkb(wkb)
    if area is None:
        raise InvalidParameter("geometry", "the stored area is empty", "a polygonal area")
    return area


def area_from_wkb(geometry_wkb: bytes) -> Area | None:
    """The polygonal part of a WKB geometry (repaired if invalid), None when it has no area."""
    try:
        geom = shapely.from_wkb(geometry_wkb)
    except shapely.errors.GEOSException as exc:
        raise InvalidParameter("geometry", f"is not valid WKB ({exc})", "WKB polygon") from exc
    repaired = False
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
        repaired = True
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    parts = [g for g in parts if not g.is_empty]
    if not parts:
        return None
    merged = parts[0] if len(parts) == 1 else shapely.unary_union(parts)
    return Area(
        merged,
        repaired=repaired,
        repair_note="geometry was invalid and was repaired with make_valid" if repaired else None,
    )


class SourceReloaded(Exception):
    """A source was reloaded between two statements of one answer: the answer starts again."""
