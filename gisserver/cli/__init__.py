"""The ``gisserver`` command: a click group, one module per command group.

The command modules are imported only when their command runs or its help is shown, and they
import their heavy dependencies inside the command functions: ``gisserver etl load`` is timed
against ogr2ogr, so start-up counts, and it should not pay for Flask, pygeoapi or the analyses.
"""

from __future__ import annotations

import importlib
import logging
import sys
from typing import Any

import click

from gisserver.errors import GisServerError

# Each is the click command of the same name in the module of the same name under gisserver.cli.
_COMMANDS = ("analyse", "audit", "check", "db", "etl", "keys", "serve", "tiles", "worker")


class _Group(click.Group):
    """Loads a command's module on first use; errors a user can act on become one line."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in _COMMANDS and cmd_name not in self.commands:
            module = importlib.import_module(f"{__name__}.{cmd_name}")
            self.add_command(getattr(module, cmd_name))
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except GisServerError as exc:
            click.echo(f"gisserver: error: {exc.message}", err=True)
            sys.exit(1)


@click.group(cls=_Group)
@click.option("-v", "--verbose", count=True, help="more log output (repeatable)")
@click.option("-q", "--quiet", is_flag=True, help="only errors")
@click.version_option(package_name="gisserver")
@click.pass_context
def main(ctx: click.Context, verbose: int, quiet: bool) -> None:
    """gisserver: situational awareness for emergency command centres."""
    level = (
        logging.ERROR if quiet else (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    )
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    ctx.ensure_object(dict)
    ctx.obj["quiet"] = quiet
