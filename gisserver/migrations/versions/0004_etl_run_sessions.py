"""ETL runs record the database session running them (backend pid and its start time), so that a
run whose process was killed can be told from one still running (gisserver.etl.runs).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "ALTER TABLE etl_runs ADD COLUMN backend_pid integer, ADD COLUMN backend_start timestamptz"
    )


def downgrade() -> None:
    op.execute("ALTER TABLE etl_runs DROP COLUMN backend_pid, DROP COLUMN backend_start")
