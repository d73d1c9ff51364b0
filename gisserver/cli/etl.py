"""``gisserver etl``: load files into the layers (``load``) or a manifest of loads (``run``)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from gisserver.cli.options import settings_of
from gisserver.layers import LAYER_IDS

if TYPE_CHECKING:
    from gisserver.etl.runs import LoadReport

# gisserver.etl.manifest.LAYERS, spelt out here: importing gisserver.etl loads the whole loader
# (numpy, pyogrio, pyproj, psycopg), which `--help` and the other commands should not wait for.
# tests/test_cli_startup.py checks that the two agree.
LAYERS = (*LAYER_IDS, "stockpile_items", "roads", "population", "basemap")
# gisserver.etl.basemap.KINDS, spelt out for the same reason.
BASEMAP_KINDS = ("boundary", "water", "park")


@click.group()
def etl() -> None:
    """Load hazard zones, shelters, stockpiles, cameras, incidents, roads, population and the
    basemap's areas."""


def _quiet(ctx: click.Context, quiet: bool) -> bool:
    return quiet or bool((ctx.find_root().obj or {}).get("quiet"))


def _echo(report: LoadReport, quiet: bool) -> None:
    if not quiet:
        click.echo(report.summary())


@etl.command()
@click.argument("layer", type=click.Choice(LAYERS))
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--source",
    help="source name (default: the file name; CAP messages: cap); re-loads upsert by it",
)
@click.option(
    "--mapping", type=click.Path(path_type=Path, dir_okay=False), help="mapping YAML file"
)
@click.option("--crs", help="CRS of a file that declares none, e.g. EPSG:2263")
@click.option("--replace", is_flag=True, help="delete this source's rows absent from the file")
@click.option("--dry-run", is_flag=True, help="validate and count, change nothing")
@click.option(
    "--max-reject-ratio",
    type=click.FloatRange(0, 1),
    default=0.1,
    show_default=True,
    help="abort (layer unchanged) when more of the rows are rejected",
)
@click.option("--count-field", help="population census polygons: the head-count field")
@click.option("--unit-id-field", help="population census polygons: the unit id field")
@click.option(
    "--kind",
    type=click.Choice(BASEMAP_KINDS),
    help="basemap areas: what the file's polygons are",
)
@click.option("-q", "--quiet", is_flag=True, help="no progress bar and no report")
@click.pass_context
def load(
    ctx: click.Context,
    layer: str,
    file: Path,
    source: str | None,
    mapping: Path | None,
    crs: str | None,
    replace: bool,
    dry_run: bool,
    max_reject_ratio: float,
    count_field: str | None,
    unit_id_field: str | None,
    kind: str | None,
    quiet: bool,
) -> None:
    """Load FILE into LAYER (a layer, stockpile_items, roads, population or basemap).

    A CAP 1.2 alert or an Atom feed of them loads into hazard_zones (docs/cap.md). Roads: an
    OpenStreetMap .osm.pbf, or street centrelines with a roads --mapping (docs/roads.md).
    Basemap: polygons of one --kind (boundary, water, park) for the offline basemap
    (docs/webmap.md).
    """
    from gisserver.db import connect, database_url
    from gisserver.etl.basemap import load_basemap
    from gisserver.etl.loader import load_file
    from gisserver.etl.population import load_population
    from gisserver.etl.roads import load_roads
    from gisserver.etl.runs import LoadAborted

    quiet = _quiet(ctx, quiet)
    settings = settings_of(ctx)
    if layer != "population" and (count_field or unit_id_field):
        raise click.UsageError("--count-field/--unit-id-field are for the population layer")
    if layer != "basemap" and kind:
        raise click.UsageError("--kind is for basemap loads")
    if layer == "basemap" and (mapping or replace or dry_run):
        raise click.UsageError(
            "basemap loads take --kind, --source, --crs, --max-reject-ratio (not --mapping, "
            "--replace, --dry-run: a load replaces the source's areas)"
        )
    with connect(database_url(settings, "write")) as conn:
        try:
            if layer == "population":
                if not source:
                    raise click.UsageError("population loads need --source NAME")
                if mapping or replace or dry_run:
                    raise click.UsageError(
                        "population loads take --source, --count-field, --unit-id-field, "
                        "--crs (not --mapping, --replace, --dry-run: a load replaces the source)"
                    )
                report = load_population(
                    conn,
                    file,
                    source=source,
                    count_field=count_field,
                    unit_id_field=unit_id_field,
                    crs=crs,
                    settings=settings,
                )
            elif layer == "basemap":
                report = load_basemap(
                    conn,
                    file,
                    kind=kind,
                    source=source,
                    crs=crs,
                    max_reject_ratio=max_reject_ratio,
                    settings=settings,
                )
            elif layer == "roads":
                if replace or dry_run:
                    raise click.UsageError(
                        "roads loads take --source, --mapping, --crs, --max-reject-ratio (not "
                        "--replace, --dry-run: a load replaces the source's segments)"
                    )
                report = load_roads(
                    conn,
                    file,
                    source=source,
                    mapping=mapping,
                    crs=crs,
                    max_reject_ratio=max_reject_ratio,
                    settings=settings,
                )
            else:
                report = load_file(
                    conn,
                    layer,
                    file,
                    source=source,
                    mapping=mapping,
                    crs=crs,
                    replace=replace,
                    dry_run=dry_run,
                    max_reject_ratio=max_reject_ratio,
                    progress=not quiet,
                    settings=settings,
                )
        except LoadAborted as exc:
            _echo(exc.report, quiet)
            raise
        except KeyboardInterrupt:
            click.echo(f"gisserver: interrupted; {layer} left as it was", err=True)
            sys.exit(130)
    _echo(report, quiet)


@etl.command()
@click.argument("manifest", type=click.Path(path_type=Path, dir_okay=False))
@click.option("-q", "--quiet", is_flag=True, help="no progress bar and no reports")
@click.pass_context
def run(ctx: click.Context, manifest: Path, quiet: bool) -> None:
    """Run the loads of MANIFEST (YAML; paths relative to it) in order, one report each."""
    from gisserver.db import connect, database_url
    from gisserver.etl.manifest import read_manifest, run_manifest
    from gisserver.etl.runs import LoadAborted

    quiet = _quiet(ctx, quiet)
    settings = settings_of(ctx)
    read_manifest(manifest)  # report every problem before loading anything
    with connect(database_url(settings, "write")) as conn:
        try:
            reports = run_manifest(
                conn,
                manifest,
                progress=not quiet,
                settings=settings,
                on_report=lambda r: _echo(r, quiet),
            )
        except LoadAborted as exc:
            _echo(exc.report, quiet)
            raise
        except KeyboardInterrupt:
            click.echo("gisserver: interrupted; the load in progress was rolled back", err=True)
            sys.exit(130)
    if not quiet:
        changed = sum(r.inserted + r.updated + r.retired for r in reports)
        rejected = sum(r.rejected for r in reports)
        click.echo(f"{manifest}: {len(reports)} loads, {changed} rows changed, {rejected} rejected")


@etl.command()
@click.option(
    "--limit", type=click.IntRange(1), default=20, show_default=True, help="how many runs"
)
def runs(limit: int) -> None:
    """List the latest loads, newest first (times in UTC); runs whose process is gone are
    marked aborted."""
    import datetime as dt

    from gisserver.db import connect, database_url
    from gisserver.etl.runs import recent_runs

    with connect(database_url(settings_of(), "write")) as conn:
        records = recent_runs(conn, limit)

    def when(value: dt.datetime | None) -> str:
        return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S") if value else "-"

    rows = [
        (
            str(r.id),
            r.job,
            r.layer,
            r.source,
            r.status,
            when(r.started_at),
            when(r.finished_at),
            str(r.rows),
        )
        for r in records
    ]
    header = ("id", "job", "layer", "source", "status", "started", "finished", "rows")
    widths = [max(len(v) for v in column) for column in zip(header, *rows, strict=True)]
    for values, record in zip([header, *rows], [None, *records], strict=True):
        click.echo("  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip())
        if record is not None and record.error and record.status in ("failed", "aborted"):
            click.echo(f"    error: {record.error}")
