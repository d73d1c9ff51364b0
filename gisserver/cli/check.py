"""``gisserver check``: validate layers/ and styles/."""

from __future__ import annotations

import click

from gisserver.cli.options import quiet_of, settings_of
from gisserver.errors import ConfigError


@click.command()
@click.pass_context
def check(ctx: click.Context) -> None:
    """Validate layers/*.yaml and styles/: names the file, the key and what is wrong."""
    from gisserver.layers import load_layers
    from gisserver.styles import check_styles

    settings = settings_of(ctx)
    problems: list[str] = []
    layers = None
    try:
        layers = load_layers(settings.layers_dir)
    except ConfigError as exc:
        problems.extend(exc.message.splitlines())
    if layers is not None:
        problems.extend(check_styles(settings.styles_dir, layers))
    if problems:
        for line in problems:
            click.echo(line, err=True)
        click.echo(f"{len(problems)} problem(s) found", err=True)
        raise SystemExit(1)
    if not quiet_of(ctx):
        click.echo(f"ok: {len(layers.ids()) if layers else 0} layers, styles consistent")
