"""Tile priority indexes: each layer's thinning order (``tiles.priority`` in layers/*.yaml, then
gisserver.tiles.mvt.PRIORITY) as a btree.

A dense low-zoom tile keeps its most important features; with these indexes the planner can walk
the layer in that order and stop once the tile's limit is reached, instead of reading and sorting
every feature in the tile. The expressions must stay exactly those of the priority (then id) for
the planner to match them; tests/test_tiles.py checks that it does. Migration 0003 rebuilds the
indexes of hazard_zones and incidents on severity_rank().

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SEVERITY_RANK = "array_position(ARRAY['extreme', 'high', 'moderate', 'low'], severity)"

INDEXES = {
    "hazard_zones_tile_priority_idx": f"hazard_zones (({SEVERITY_RANK}), id)",
    "incidents_tile_priority_idx": (
        f"incidents ((status = 'resolved'), ({SEVERITY_RANK}), reported_at DESC, id)"
    ),
    "shelters_tile_priority_idx": (
        "shelters ((array_position(ARRAY['open', 'standby', 'full', 'closed'], status)), "
        "(capacity - occupancy) DESC NULLS LAST, id)"
    ),
    "stockpiles_tile_priority_idx": "stockpiles ((status <> 'active'), id)",
    "cameras_tile_priority_idx": "cameras ((status <> 'online'), id)",
}


def upgrade() -> None:
    for name, target in INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON {target}")


def downgrade() -> None:
    for name in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
