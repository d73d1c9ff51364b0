"""The ``gisserver`` command: a click group, one module per command group."""

from __future__ import annotations

import logging
import sys
from typing import Any

import click

from gisserver.errors import GisServerError


class _Group(click.Group):
    """Turns the errors a user can act on into one line and a non-zero exit, no traceback."""

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


def _register() -> None:
    from gisserver.cli import analyse, check, db, etl, serve

    main.add_command(db.db)
    main.add_command(serve.serve)
    main.add_command(check.check)
    main.add_command(etl.etl)
    main.add_command(analyse.analyse)


_register()
