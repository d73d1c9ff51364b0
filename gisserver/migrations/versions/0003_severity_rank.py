"""One severity vocabulary in SQL: ``severity_rank(text)``, 1 = low < moderate < high < 4 = extreme
(NULL for anything else), used by the analyses' SQL and by the tile priority of hazard zones and
incidents, whose indexes (migration 0002) are rebuilt on it.

The function is LANGUAGE sql, IMMUTABLE and not STRICT so that PostgreSQL inlines it: a query
pays what the ``array_position`` it replaces cost, and an index on it still matches a query that
orders by it (the planner compares both inlined). Its order must never change in place, as the
indexes store its values: gisserver.layers.SEVERITIES is the same list (tests/test_migrations.py
checks them against each other on the migrated database).

The tile order of hazard zones and incidents is unchanged: ``severity_rank(severity) DESC NULLS
LAST`` is 0002's ``array_position(ARRAY['extreme', ..., 'low'], severity)`` ascending.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

SEVERITY_RANK = """
CREATE FUNCTION severity_rank(severity text) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN array_position(ARRAY['low', 'moderate', 'high', 'extreme'], severity);
COMMENT ON FUNCTION severity_rank(text) IS
    'low 1, moderate 2, high 3, extreme 4, else NULL (gisserver.layers.SEVERITIES)';
"""

# The same expressions as the tile priority in layers/hazard_zones.yaml and layers/incidents.yaml.
INDEXES = {
    "hazard_zones_tile_priority_idx": (
        "hazard_zones (severity_rank(severity) DESC NULLS LAST, id)"
    ),
    "incidents_tile_priority_idx": (
        "incidents ((status = 'resolved'), severity_rank(severity) DESC NULLS LAST, "
        "reported_at DESC, id)"
    ),
}

# Migration 0002's definitions, restored by the downgrade.
_0002_SEVERITY_RANK = "array_position(ARRAY['extreme', 'high', 'moderate', 'low'], severity)"
INDEXES_0002 = {
    "hazard_zones_tile_priority_idx": f"hazard_zones (({_0002_SEVERITY_RANK}), id)",
    "incidents_tile_priority_idx": (
        f"incidents ((status = 'resolved'), ({_0002_SEVERITY_RANK}), reported_at DESC, id)"
    ),
}


def upgrade() -> None:
    op.execute(SEVERITY_RANK)
    for name, target in INDEXES.items():
        op.execute(f"DROP INDEX {name}")
        op.execute(f"CREATE INDEX {name} ON {target}")


def downgrade() -> None:
    for name, target in INDEXES_0002.items():
        op.execute(f"DROP INDEX IF EXISTS {name}")
        op.execute(f"CREATE INDEX {name} ON {target}")
    op.execute("DROP FUNCTION IF EXISTS severity_rank(text)")
