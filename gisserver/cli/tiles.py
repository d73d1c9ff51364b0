"""``gisserver tiles``: the vector tile SQL, for psql or a benchmark of the raw query."""

from __future__ import annotations

import click

from gisserver.cli.options import settings_of
from gisserver.errors import NotFound


@click.group()
def tiles() -> None:
    """Vector tiles: print the exact SQL the server runs for a tile."""


@tiles.command("sql")
@click.argument("z", type=click.IntRange(0, 30))
@click.argument("x", type=click.IntRange(0))
@click.argument("y", type=click.IntRange(0))
@click.argument("collection", required=False)
def sql_command(z: int, x: int, y: int, collection: str | None) -> None:
    """The tile statement for tile Z/X/Y (every layer, or one COLLECTION) with its values
    filled in. Note the order: zoom, column (x), row (y), like ST_TileEnvelope(z, x, y); the
    URLs are z/y/x.

    \b
        gisserver tiles sql 14 4955 6059
        gisserver tiles sql 14 4955 6059 shelters
        gisserver tiles sql 14 4955 6059 | psql "$(gisserver db url)" -At -c '\\timing' -f -
    """
    click.echo(raw_sql(z, x, y, collection))


def raw_sql(z: int, x: int, y: int, collection: str | None = None) -> str:
    """The tile statement for tile z/x/y with its parameters inlined (no connection needed)."""
    import re

    from psycopg import sql

    from gisserver.layers import load_layers
    from gisserver.tiles.grid import TILE_MATRIX_SET, parse_tile
    from gisserver.tiles.mvt import Tileset

    layers = load_layers(settings_of().layers_dir)
    if collection is not None and collection not in layers:
        raise NotFound(
            f"collection {collection!r} does not exist; accepted: {', '.join(layers.ids())}"
        )
    tileset = Tileset([layers[collection]] if collection else list(layers))
    tile = parse_tile(TILE_MATRIX_SET, str(z), str(y), str(x))
    values = {
        name: sql.Literal(value).as_string(None)
        for name, value in tileset.parameters(tile.z, tile.x, tile.y).items()
    }
    return re.sub(r"%\((\w+)\)s", lambda m: values[m[1]], tileset.statement.decode())
