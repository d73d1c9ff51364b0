"""``gisserver check``: validate layers/, styles/ and the routing profile."""

from __future__ import annotations

import click

from gisserver.cli.options import quiet_of, settings_of
from gisserver.errors import ConfigError


@click.command()
@click.pass_context
def check(ctx: click.Context) -> None:
    """Validate layers/*.yaml, styles/ and the routing profile: names the file, the key and
    what is wrong."""
    from gisserver.layers import load_layers
    from gisserver.routing.profile import profile_of
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
    try:
        profile = profile_of(settings)
    except ConfigError as exc:
        problems.extend(exc.message.splitlines())
    else:
        hazard_types = (
            set(layers["hazard_zones"].fields["hazard_type"].enum or ()) if layers else set()
        )
        for name in profile.hazard_effects:
            if name != "*" and hazard_types and name not in hazard_types:
                problems.append(
                    f"{profile.source}: hazards.by_hazard_type.{name}: not a hazard type of "
                    f"layers/hazard_zones.yaml; accepted: {', '.join(sorted(hazard_types))}"
                )
    if problems:
        for line in problems:
            click.echo(line, err=True)
        click.echo(f"{len(problems)} problem(s) found", err=True)
        raise SystemExit(1)
    if not quiet_of(ctx):
        click.echo(
            f"ok: {len(layers.ids()) if layers else 0} layers, styles consistent, routing "
            "profile valid"
        )
