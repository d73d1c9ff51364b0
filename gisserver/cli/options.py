"""What the command modules share: the run's Settings (built once per invocation, like
rasterio's ``ctx.obj["env"]``) and the options several commands take.

Kept light: ``gisserver --help`` imports this module without pydantic or psycopg.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from gisserver.settings import Settings


def settings_of(ctx: click.Context | None = None) -> Settings:
    """The Settings of this CLI run: read from the environment once, then shared."""
    root = (ctx or click.get_current_context()).find_root()
    root.ensure_object(dict)
    if "settings" not in root.obj:
        from gisserver.settings import Settings

        root.obj["settings"] = Settings()
    settings: Settings = root.obj["settings"]
    return settings


def quiet_of(ctx: click.Context | None = None) -> bool:
    """Whether ``gisserver -q`` asked for errors only."""
    root = (ctx or click.get_current_context()).find_root()
    return bool((root.obj or {}).get("quiet"))
