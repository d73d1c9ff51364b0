"""``gisserver etl``: load files into the layers. Issue #3 fills this in."""

from __future__ import annotations

import click


@click.group()
def etl() -> None:
    """Load hazard zones, shelters, stockpiles, cameras, incidents and population."""
