"""``gisserver analyse``: the analyses from the command line. Issue #5 fills this in."""

from __future__ import annotations

import click


@click.group()
def analyse() -> None:
    """Risk areas, nearest resources and affected population, as JSON on stdout."""
