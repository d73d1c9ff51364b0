"""Vector tiles from PostGIS: the tile SQL (gisserver/sql/tiles/*.sql) composed per layer, and
its execution.

Each MVT layer is named after its collection id and carries ``id``, the layer's public fields
whose ``in_tiles`` is true, and its derived fields (``derived:`` in ``layers/<id>.yaml``, e.g.
shelters' ``free_capacity``). When a layer has more features in a tile than
``grid.feature_limit(z)`` it keeps the most important ones by the layer's ``tiles.priority`` (all
its terms, then id, so that the subset is deterministic) and is reported as thinned.

Each layer's priority is also a btree index (migrations 0002 and 0003) on the very same
expressions, so that a dense tile walks the index: a change of a layer's ``tiles.priority`` needs a
new migration with the new index (tests/test_tiles.py checks that they match).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

from gisserver.db import Database, load_sql
from gisserver.layers import Layer, LayerField

_POINT_TYPES = {"Point", "MultiPoint"}

# Tiles below this zoom get a plan of their own (see Tileset.fetch).
PLANNED_BELOW_ZOOM = 12


def _without_comments(text: str) -> str:
    """The SQL without its whole-line comments (they would repeat once per layer)."""
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("--"))


def tile_fields(layer: Layer) -> list[LayerField]:
    """The layer's fields that go into its tiles: public and ``in_tiles``."""
    return [f for f in layer.public_fields.values() if f.in_tiles]


def tile_attribute_names(layer: Layer) -> list[str]:
    """Every attribute a feature of this layer carries in a tile, in order."""
    return ["id", *(f.name for f in tile_fields(layer)), *layer.derived]


def _attribute(field: LayerField) -> sql.Composable:
    column = sql.SQL("t.") + sql.Identifier(field.name)
    # MVT has no date type: send ISO 8601 text in UTC whatever the session time zone.
    if field.type == "datetime":
        value: sql.Composable = sql.SQL(
            """to_char({} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')"""
        ).format(column)
    elif field.type == "date":
        value = sql.SQL("to_char({}, 'YYYY-MM-DD')").format(column)
    elif field.type == "number":
        value = sql.SQL("{}::double precision").format(column)
    elif field.is_list:
        # MVT values are scalars: a list goes as its items joined by commas ("fire,rescue")
        value = sql.SQL("array_to_string({}, ',')").format(column)
    else:
        value = column
    return sql.SQL("{} AS {}").format(value, sql.Identifier(field.name))


def _tile_filter() -> sql.SQL:
    """The tile's search box in EPSG:4326 as an expression of z, x, y (tiles/filter.sql)."""
    return sql.SQL(_without_comments(load_sql("tiles/filter.sql")).strip())


def _cte_name(layer: Layer, part: str) -> sql.Identifier:
    return sql.Identifier(f"{layer.id}_{part}")


def layer_sql(layer: Layer) -> sql.Composed:
    """The two CTEs of one layer (tiles/layer.sql), ready to go into tiles/tile.sql."""
    attributes: list[sql.Composable] = [sql.SQL("t.id AS id")]
    attributes += [_attribute(f) for f in tile_fields(layer)]
    attributes += [
        sql.SQL("{} AS {}").format(sql.SQL(derived.sql("t")), sql.Identifier(name))
        for name, derived in layer.derived.items()
    ]
    priority = [(term.sql("t"), term.direction) for term in layer.tile_priority]
    priority.append(("t.id", "ASC"))
    priority_columns = []
    priority_order = []
    for i, (expr, direction) in enumerate(priority):
        name = sql.Identifier(f"_p{i}")
        priority_columns.append(sql.SQL("{} AS {}").format(sql.SQL(expr), name))
        priority_order.append(sql.SQL("{} {}").format(name, sql.SQL(direction)))
    points_only = set(layer.geometry_types) <= _POINT_TYPES
    if points_only:
        geometry = sql.SQL("ST_Transform(t.geom, 3857)")
        exact_filter: sql.Composable = sql.SQL("")
    else:
        # Cut to the (grown) tile in 4326 before transforming, so big zones are not transformed
        # whole and parts near the poles (no Mercator there) never reach ST_Transform; then
        # simplify to the zoom's tolerance. Plain Douglas-Peucker keeping collapsed parts
        # (about 2.5x cheaper than ST_SimplifyPreserveTopology): ST_AsMVTGeom makes what it
        # outputs valid anyway.
        geometry = sql.SQL(
            "ST_Simplify("
            "ST_Transform(ST_ClipByBox2D(t.geom, tile.filter::box2d), 3857), %(tolerance)s, true)"
        )
        # The index filter is by bounding box only; a zone whose box touches the tile but
        # whose shape does not must neither appear nor take a place under the limit.
        exact_filter = sql.SQL(" AND ST_Intersects(t.geom, {})").format(_tile_filter())
    return sql.SQL(_without_comments(load_sql("tiles/layer.sql"))).format(
        rows=_cte_name(layer, "rows"),
        layer=_cte_name(layer, "layer"),
        table=sql.Identifier(layer.table),
        layer_name=sql.Literal(layer.id),
        attributes=sql.SQL(", ").join(attributes),
        priority_columns=sql.SQL(", ").join(priority_columns),
        priority_order=sql.SQL(", ").join(priority_order),
        filter=_tile_filter(),
        exact_filter=exact_filter,
        geometry=geometry,
    )


def tile_sql(layers: Sequence[Layer]) -> sql.Composed:
    """The whole tile statement (tiles/tile.sql) for these layers, in this order."""
    return sql.SQL(load_sql("tiles/tile.sql")).format(
        filter=_tile_filter(),
        layers=sql.SQL(",\n").join(layer_sql(layer) for layer in layers),
        mvt=sql.SQL(" || ").join(
            sql.SQL("(SELECT mvt FROM {})").format(_cte_name(layer, "layer")) for layer in layers
        ),
        thinned=sql.SQL(", ").join(
            sql.SQL("(SELECT thinned FROM {})").format(_cte_name(layer, "layer"))
            for layer in layers
        ),
    )


@dataclass(frozen=True)
class RenderedTile:
    """A tile's bytes (empty when no layer has a feature there), the layers that were thinned,
    and the change version of each layer read in the same snapshot as the features."""

    content: bytes
    thinned: tuple[str, ...]
    versions: Mapping[str, int]


class Tileset:
    """A set of layers served as one vector tileset: a single collection or the combined one."""

    def __init__(self, layers: Sequence[Layer]) -> None:
        self.layers = tuple(layers)
        self.layer_ids = [layer.id for layer in self.layers]
        self.statement = tile_sql(self.layers).as_bytes(None)
        # Part of every ETag: a new server version with other SQL or fields refreshes caches.
        self.revision = hashlib.sha1(self.statement, usedforsecurity=False).hexdigest()[:8]

    def parameters(self, z: int, x: int, y: int) -> dict[str, Any]:
        """The statement's parameters for tile z/x/y (see tiles/tile.sql)."""
        from gisserver.tiles.grid import feature_limit, simplify_tolerance

        return {
            "z": z,
            "x": x,
            "y": y,
            "limit": feature_limit(z),
            "tolerance": simplify_tolerance(z),
            "layers": self.layer_ids,
        }

    def fetch(self, conn: psycopg.Connection[Any], z: int, x: int, y: int) -> tuple[Any, ...]:
        """Run the statement for tile z/x/y: the row (mvt, thinned, versions).

        Below PLANNED_BELOW_ZOOM, unprepared: psycopg would prepare it after five runs and
        PostgreSQL would then soon switch to a generic plan, blind to how many features the tile
        holds (tiles/filter.sql), i.e. sort every feature of a dense tile again. From that zoom
        on, prepared as usual, which saves parsing the statement each time (about half of the
        0.3 ms per layer that parsing and planning cost): a tile is at most ~10 km wide and
        rarely holds most of a layer, so a generic plan (GIST index, then sort) would do, and
        while PostgreSQL finds custom plans cheaper it still plans per tile. Binary: the
        MVT bytes as they are, not as hex text of twice their size. Compare the raw SQL with the
        app through this method.
        """
        prepare = None if z >= PLANNED_BELOW_ZOOM else False  # None: psycopg's default
        row = conn.execute(
            self.statement, self.parameters(z, x, y), prepare=prepare, binary=True
        ).fetchone()
        assert row is not None  # the statement always returns one row
        return tuple(row)

    def render(self, db: Database, z: int, x: int, y: int) -> RenderedTile:
        with db.read() as conn:
            row = self.fetch(conn, z, x, y)
        content, thinned, versions = row
        return RenderedTile(
            content=bytes(content),
            thinned=tuple(lid for lid, t in zip(self.layer_ids, thinned, strict=True) if t),
            versions=versions or {},
        )

    def versions(self, db: Database) -> dict[str, int]:
        """The layers' current change versions (for a conditional request)."""
        with db.read() as conn:
            rows = conn.execute(
                "SELECT layer, version FROM layer_versions WHERE layer = ANY(%s)",
                [self.layer_ids],
            ).fetchall()
        return {layer: version for layer, version in rows}

    def etag(self, versions: Mapping[str, int], z: int, x: int, y: int) -> str:
        """The (unquoted, strong) ETag of tile z/x/y given the layers' versions."""
        key = ".".join(str(versions.get(lid, 0)) for lid in self.layer_ids)
        return f"{self.revision}-{key}-{z}.{x}.{y}"
