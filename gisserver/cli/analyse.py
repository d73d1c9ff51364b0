"""``gisserver analyse``: the analyses from the command line, as JSON on stdout.

The same query classes and functions as the /api endpoints and the OGC processes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING, Any

import click

from gisserver.errors import InvalidParameter

# The analyses, psycopg and pydantic are imported by the commands that run: `gisserver --help`
# lists this group without them.
if TYPE_CHECKING:
    from gisserver.db import Database
    from gisserver.layers import LayerRegistry


@click.group()
def analyse() -> None:
    """Risk areas, nearest resources and affected population, as JSON on stdout."""


@contextmanager
def _database() -> Iterator[tuple[Database, LayerRegistry]]:
    from gisserver.db import Database, database_url
    from gisserver.layers import load_layers
    from gisserver.settings import Settings

    settings = Settings()
    layers = load_layers(settings.layers_dir)
    db = Database(
        database_url(settings),
        min_size=1,
        max_size=1,
        statement_timeout_ms=settings.statement_timeout_ms,
    )
    try:
        yield db, layers
    finally:
        db.close()


def _emit(answer: Any) -> None:
    click.echo(json.dumps(answer, indent=2, ensure_ascii=False))


def _read_geometry(stream: IO[str], option: str) -> Any:
    try:
        return json.load(stream)
    except json.JSONDecodeError as exc:
        raise InvalidParameter(
            option, f"{stream.name} is not JSON ({exc})", "a GeoJSON file"
        ) from exc


def _given(**options: Any) -> dict[str, Any]:
    """The options the user gave (click passes None or False for the others)."""
    return {k: v for k, v in options.items() if v is not None and v is not False}


def _run(function: Callable[[Database, LayerRegistry], Any]) -> None:
    with _database() as (db, layers):
        _emit(function(db, layers))


@analyse.command()
@click.option("--layer", required=True, type=click.Choice(["shelters", "stockpiles", "cameras"]))
@click.option("--lon", required=True, type=float, help="WGS84 longitude of the point")
@click.option("--lat", required=True, type=float, help="WGS84 latitude of the point")
@click.option("-k", "k", type=int, default=5, show_default=True, help="how many (1..100)")
@click.option("--max-distance-m", type=float, help="only within this many metres")
@click.option("--status", help="shelters: open/closed/full/standby; cameras: online/offline; ...")
@click.option("--min-free-capacity", type=int, help="shelters: capacity - occupancy >= n")
@click.option("--exclude-hazard", is_flag=True, help="shelters: skip those in a zone in force")
@click.option("--item", help="stockpiles: holding unexpired stock of this item")
@click.option("--min-quantity", type=float, help="stockpiles, with --item: at least this much")
def nearest(**options: Any) -> None:
    """The k nearest resources to a point, by geodesic distance, with bearings."""
    from gisserver.analyses.nearest import NearestQuery, nearest_resources

    def answer(db: Database, layers: LayerRegistry) -> Any:
        query = NearestQuery.from_params(_given(**options), layers=layers)
        return nearest_resources(db, query, layers=layers)

    _run(answer)


@analyse.command("risk-areas")
@click.option("--point", help="LON,LAT: with --radius, a circle; alone, the zones containing it")
@click.option("--radius", type=float, help="metres, with --point (0 < r <= 500000)")
@click.option("--bbox", help="MINLON,MINLAT,MAXLON,MAXLAT")
@click.option(
    "--geometry", type=click.File("r"), help="a GeoJSON Polygon/MultiPolygon file (- = stdin)"
)
@click.option("--hazard-type", "hazard_types", multiple=True, help="only this type (repeatable)")
@click.option("--min-severity", type=click.Choice(["low", "moderate", "high", "extreme"]))
@click.option("--at", help="ISO 8601 time (default now): zones in force then")
@click.option("--assets-scope", type=click.Choice(["area", "zone"]), help="default: area")
def risk_areas_command(
    point: str | None,
    radius: float | None,
    bbox: str | None,
    geometry: IO[str] | None,
    hazard_types: tuple[str, ...],
    min_severity: str | None,
    at: str | None,
    assets_scope: str | None,
) -> None:
    """Hazard zones in force over an area, with assets at risk (or the zones at a point)."""
    from gisserver.analyses.risk import RiskAreasQuery, parse_time, risk_areas, zones_at_point

    if point is not None and radius is None:
        if bbox or geometry or hazard_types or min_severity or assets_scope:
            raise InvalidParameter(
                "--point", "without --radius asks for the zones at the point only", "--at"
            )
        parts = point.split(",")
        if len(parts) != 2:
            raise InvalidParameter("--point", f"{point!r} is not LON,LAT", "LON,LAT")
        moment = parse_time(at, parameter="--at") if at else None
        _run(lambda db, layers: zones_at_point(db, parts[0], parts[1], moment, layers=layers))
        return
    params = _given(
        point=point,
        radius_m=radius,
        bbox=bbox,
        geometry=_read_geometry(geometry, "--geometry") if geometry else None,
        hazard_types=list(hazard_types) or None,
        min_severity=min_severity,
        at=at,
        assets_scope=assets_scope,
    )

    def answer(db: Database, layers: LayerRegistry) -> Any:
        return risk_areas(db, RiskAreasQuery.from_params(params, layers=layers), layers=layers)

    _run(answer)


@analyse.command("affected-population")
@click.option("--hazard-zone-id", type=int, help="the population inside this hazard zone")
@click.option("--incident-id", type=int, help="the population around this incident")
@click.option("--buffer-m", type=float, help="with --incident-id: metres around it")
@click.option(
    "--geometry", type=click.File("r"), help="a GeoJSON Polygon/MultiPolygon file (- = stdin)"
)
@click.option("--source", help="a named population source (default: the one covering the area)")
def affected_population_command(
    hazard_zone_id: int | None,
    incident_id: int | None,
    buffer_m: float | None,
    geometry: IO[str] | None,
    source: str | None,
) -> None:
    """How many people live in an area, with the method and source used."""
    from gisserver.analyses.population import AffectedPopulationQuery, affected_population

    body = _given(
        hazard_zone_id=hazard_zone_id,
        incident_id=incident_id,
        buffer_m=buffer_m,
        geometry=_read_geometry(geometry, "--geometry") if geometry else None,
        source=source,
    )
    query = AffectedPopulationQuery.from_json(body)
    _run(lambda db, layers: affected_population(db, query))


@analyse.command("situation")
@click.option("--bbox", help="MINLON,MINLAT,MAXLON,MAXLAT (default: everything)")
def situation_command(bbox: str | None) -> None:
    """Counts, shelter places, stock, open incidents and population in hazard zones."""
    from gisserver.analyses.area import parse_bbox
    from gisserver.analyses.situation import situation

    area = parse_bbox(bbox, parameter="--bbox") if bbox else None
    _run(lambda db, layers: situation(db, area))
