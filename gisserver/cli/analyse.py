"""``gisserver analyse``: the analyses from the command line, as JSON on stdout.

One command per analysis of ``gisserver.analyses.registry``, with one option per input, built
from the same declarations as the /api endpoints and the OGC processes and answered by the same
functions. Arrays are typed as text (``--point LON,LAT``, ``--bbox W,S,E,N``), a geometry is a
GeoJSON file (``-`` reads stdin), a list input is a repeatable option.
"""

from __future__ import annotations

import json
from typing import IO, TYPE_CHECKING, Any

import click

from gisserver.cli.options import settings_of
from gisserver.errors import InvalidParameter

# The registry (and through it the analyses, psycopg and pydantic) is imported when a command is
# listed or runs: `gisserver --help` shows this group without it.
if TYPE_CHECKING:
    from gisserver.analyses.registry import Analysis, Input
    from gisserver.layers import LayerRegistry


class _Analyses(click.Group):
    """Commands made from the analysis registry when asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        from gisserver.analyses.registry import ANALYSES

        return [analysis.id for analysis in ANALYSES]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        from gisserver.analyses.registry import get
        from gisserver.errors import ConfigError
        from gisserver.layers import load_layers

        try:
            analysis = get(cmd_name)
        except KeyError:
            return None
        try:  # the layer files' enums become the options' choices
            layers = load_layers(settings_of(ctx).layers_dir)
        except ConfigError:
            layers = None  # the command then says what is wrong with them when it runs
        return command(analysis, layers)


@click.group(cls=_Analyses)
def analyse() -> None:
    """The analyses (risk, resources, population, situation, dispatch, response): JSON on stdout."""


def _option(item: Input, layers: LayerRegistry | None) -> click.Option:
    schema = item.published_schema(layers)
    kind = schema.get("type")
    names = [item.flag, item.name]
    help_text = item.description or None
    if kind == "boolean":
        # --x/--no-x: a flag whose default is true (avoid_hazards) can be turned off
        pair = f"{item.flag}/--no-{item.flag.removeprefix('--')}"
        return click.Option([pair, item.name], default=None, help=help_text)
    if kind == "object":
        return click.Option(names, type=click.File("r"), metavar=item.cli_metavar, help=help_text)
    if kind == "array" and schema.get("items", {}).get("type") == "string":
        choices = schema["items"].get("enum")
        return click.Option(
            names,
            multiple=True,
            type=click.Choice(choices) if choices else str,
            help=(help_text or "") + " (repeat)",
        )
    click_type: Any = {"number": float, "integer": int}.get(str(kind), str)
    if schema.get("enum") and kind == "string":
        click_type = click.Choice([str(v) for v in schema["enum"]])
    return click.Option(
        names,
        type=click_type,
        required=item.required,
        metavar=item.cli_metavar,
        help=help_text,
    )


def _read_geometry(stream: IO[str], flag: str) -> Any:
    try:
        return json.load(stream)
    except json.JSONDecodeError as exc:
        raise InvalidParameter(
            flag, f"{stream.name} is not JSON ({exc})", "a GeoJSON file"
        ) from exc


def _params(analysis: Analysis, values: dict[str, Any]) -> dict[str, Any]:
    """The inputs the user gave (click passes None, or () for a repeatable option, otherwise)."""
    params: dict[str, Any] = {}
    for item in analysis.inputs:
        value = values.get(item.name)
        if value is None or value == ():
            continue
        if item.schema.get("type") == "object":
            value = _read_geometry(value, item.flag)
        elif isinstance(value, tuple):
            value = list(value)
        params[item.name] = value
    return params


def command(analysis: Analysis, layers: LayerRegistry | None = None) -> click.Command:
    """The click command of one analysis (with the layer files' enums as choices, if given)."""

    def run(**values: Any) -> None:
        from gisserver.db import Database, database_url
        from gisserver.layers import load_layers

        params = _params(analysis, values)
        settings = settings_of()
        layers = load_layers(settings.layers_dir)
        db = Database(
            database_url(settings, "read"),
            min_size=1,
            max_size=1,
            statement_timeout_ms=settings.statement_timeout_ms,
        )
        try:
            answer = analysis.run(db, params, layers=layers, settings=settings)
        finally:
            db.close()
        click.echo(json.dumps(answer, indent=2, ensure_ascii=False))

    return click.Command(
        analysis.id,
        params=[_option(item, layers) for item in analysis.inputs],
        callback=run,
        help=f"{analysis.title}. {analysis.description}",
        short_help=analysis.title,
    )
