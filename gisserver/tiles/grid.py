"""The WebMercatorQuad tile grid: tile addresses, their checks, and the per-zoom tile rules.

Axis order is the OGC one, ``{tileMatrix}/{tileRow}/{tileCol}`` = ``z/y/x``, with row 0 at the
north edge (the XYZ / "slippy map" convention, not TMS).
"""

from __future__ import annotations

from dataclasses import dataclass

from gisserver.errors import InvalidParameter, NotFound

TILE_MATRIX_SET = "WebMercatorQuad"
TILE_MATRIX_SET_URI = "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad"
CRS_URI = "http://www.opengis.net/def/crs/EPSG/0/3857"
MIN_ZOOM = 0
MAX_ZOOM = 22
# MVT grid: 4096 units across a tile; the buffer is the margin around the tile whose features
# are also drawn so that point symbols and outlines are not cut at tile edges.
EXTENT = 4096
BUFFER = 64
WORLD_HALF_WIDTH = 20037508.342789244  # metres, EPSG:3857
# Features per layer per tile: 500 up to zoom 4, doubling each zoom from 5, at most 10,000.
BASE_FEATURE_LIMIT = 500
MAX_FEATURE_LIMIT = 10_000


def feature_limit(z: int) -> int:
    """The most features one layer may put in one tile at zoom ``z`` (the thinning rule)."""
    return min(MAX_FEATURE_LIMIT, BASE_FEATURE_LIMIT * 2 ** max(0, z - 4))


def simplify_tolerance(z: int) -> float:
    """Polygon simplification tolerance in EPSG:3857 metres: 1/1024 of the tile width.

    That is four units of the 4096 MVT grid, half a CSS pixel on MapLibre's 512-pixel tiles, so
    the simplification is invisible while large zones lose most of their vertices at low zoom.
    """
    return 2 * WORLD_HALF_WIDTH / 2**z / 1024


@dataclass(frozen=True)
class TileAddress:
    """One tile of WebMercatorQuad: zoom ``z``, column ``x`` (west to east), row ``y``
    (north to south)."""

    z: int
    x: int
    y: int

    def bounds(self) -> tuple[float, float, float, float]:
        """The tile's (xmin, ymin, xmax, ymax) in EPSG:3857 metres."""
        size = 2 * WORLD_HALF_WIDTH / 2**self.z
        xmin = -WORLD_HALF_WIDTH + self.x * size
        ymax = WORLD_HALF_WIDTH - self.y * size
        return xmin, ymax - size, xmin + size, ymax

    def __str__(self) -> str:
        return f"{self.z}/{self.y}/{self.x}"


def _index(name: str, text: str) -> int:
    if not text.isdigit() or len(text) > 9:
        raise InvalidParameter(name, f"{text!r} is not a tile index", "a non-negative integer")
    return int(text)


def check_tile_matrix_set(tile_matrix_set: str) -> None:
    if tile_matrix_set != TILE_MATRIX_SET:
        raise NotFound(
            f"tileMatrixSetId: {tile_matrix_set!r} is not offered; accepted: {TILE_MATRIX_SET}"
        )


def parse_tile(tile_matrix_set: str, tile_matrix: str, tile_row: str, tile_col: str) -> TileAddress:
    """The tile addressed by a ``{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}`` path.

    Malformed indices are 400; a tile matrix set, zoom, row or column that does not exist is 404.
    """
    check_tile_matrix_set(tile_matrix_set)
    z = _index("tileMatrix", tile_matrix)
    y = _index("tileRow", tile_row)
    x = _index("tileCol", tile_col)
    if not MIN_ZOOM <= z <= MAX_ZOOM:
        raise NotFound(
            f"tileMatrix: zoom {z} is not served; accepted: {MIN_ZOOM} to {MAX_ZOOM}",
        )
    last = 2**z - 1
    if y > last:
        raise NotFound(f"tileRow: {y} is outside tile matrix {z}; accepted: 0 to {last}")
    if x > last:
        raise NotFound(f"tileCol: {x} is outside tile matrix {z}; accepted: 0 to {last}")
    return TileAddress(z=z, x=x, y=y)
