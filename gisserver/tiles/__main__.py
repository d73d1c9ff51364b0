"""Print the exact tile SQL the server runs, with a tile's values filled in, for psql or a
benchmark of the raw query:

    python -m gisserver.tiles Z X Y                 # the combined tileset (every layer)
    python -m gisserver.tiles Z X Y shelters        # one collection
    python -m gisserver.tiles 14 4892 6112 | psql "$DATABASE_URL" -At -c '\\timing' -f -

Note the order: zoom, column (x), row (y), like ST_TileEnvelope(z, x, y); the URLs are z/y/x.
"""

from __future__ import annotations

import re
import sys

from psycopg import sql

from gisserver.errors import GisServerError
from gisserver.layers import load_layers
from gisserver.settings import Settings
from gisserver.tiles.grid import TILE_MATRIX_SET, parse_tile
from gisserver.tiles.mvt import Tileset


def raw_sql(z: int, x: int, y: int, collection: str | None = None) -> str:
    """The tile statement for tile z/x/y with its parameters inlined (no connection needed)."""
    layers = load_layers(Settings().layers_dir)
    if collection is not None and collection not in layers:
        raise GisServerError(
            f"collection {collection!r} does not exist; accepted: {', '.join(layers.ids())}"
        )
    tileset = Tileset([layers[collection]] if collection else list(layers))
    tile = parse_tile(TILE_MATRIX_SET, str(z), str(y), str(x))
    values = {
        name: sql.Literal(value).as_string(None)
        for name, value in tileset.parameters(tile.z, tile.x, tile.y).items()
    }
    return re.sub(r"%\((\w+)\)s", lambda m: values[m[1]], tileset.statement.decode())


def main(argv: list[str]) -> int:
    if len(argv) not in (3, 4) or not all(a.isdigit() for a in argv[:3]):
        print(__doc__, file=sys.stderr)
        return 2
    try:
        print(raw_sql(int(argv[0]), int(argv[1]), int(argv[2]), argv[3] if argv[3:] else None))
    except GisServerError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
