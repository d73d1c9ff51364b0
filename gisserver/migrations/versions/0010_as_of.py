"""As-of replay: when each previous version of a feature really began, and the indexes that find
the versions in force at an instant (``gisserver.analyses.as_of``, ``docs/replay.md``).

``feature_history.valid_from`` is ``least(updated_at, now())`` of the version it keeps: a version
loaded by the ETL starts at the time its source says (often before the load, sometimes after),
and an update that changes nothing but the version (a stock move on a stockpile) moves
``updated_at`` without a history row, so the versions' periods have gaps. ``recorded_from`` is
when the version became the database's: the end of the feature's previous version in the
history, or its creation in the audit trail (``audit_log`` operation ``create``), whichever is
later; ``valid_from`` where neither is known (a feature older than the audit trail). A version
was the database's during ``[recorded_from, valid_to)``.

A trigger sets it on every history row (the history stays append-only: the rows written before
this migration are given theirs here once, with the append-only trigger held off for it).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-17
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# The start of a history row h: the end of the feature's latest earlier version, or its latest
# creation, or (neither known) the version's own valid_from; never after its end.
START = """least({h}.valid_to, coalesce(greatest(
    (SELECT max(p.valid_to) FROM feature_history AS p
      WHERE p.layer = {h}.layer AND p.feature_id = {h}.feature_id {earlier}),
    (SELECT max(c.at) FROM audit_log AS c
      WHERE c.operation = 'create' AND c.layer = {h}.layer AND c.feature_id = {h}.feature_id
        AND c.at <= {h}.valid_to)),
    {h}.valid_from))"""


def upgrade() -> None:
    op.execute(
        f"""
CREATE INDEX audit_log_created_idx ON audit_log (layer, feature_id, at)
    WHERE operation = 'create';

ALTER TABLE feature_history ADD COLUMN recorded_from timestamptz;
ALTER TABLE feature_history DISABLE TRIGGER feature_history_append_only;
UPDATE feature_history AS h SET recorded_from = {START.format(h="h", earlier="AND p.id < h.id")};
ALTER TABLE feature_history ENABLE TRIGGER feature_history_append_only;
ALTER TABLE feature_history ALTER COLUMN recorded_from SET NOT NULL;
COMMENT ON COLUMN feature_history.recorded_from IS
    'when this version became the database''s (the previous version''s end or the feature''s '
    'creation in the audit trail): it was in force during [recorded_from, valid_to)';

CREATE FUNCTION feature_history_recorded_from() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.recorded_from := {START.format(h="NEW", earlier="")};
    RETURN NEW;
END $$;
CREATE TRIGGER feature_history_recorded_from BEFORE INSERT ON feature_history
    FOR EACH ROW EXECUTE FUNCTION feature_history_recorded_from();

-- The versions in force at an instant (a stab of their periods), with or without an area.
CREATE INDEX feature_history_in_force_idx ON feature_history
    USING gist (tstzrange(recorded_from, valid_to), geom);
-- The features changed after an instant (their current row is newer than it).
CREATE INDEX feature_history_ended_idx ON feature_history (layer, valid_to) INCLUDE (feature_id);
ANALYZE feature_history;
"""
    )


def downgrade() -> None:
    op.execute(
        """
DROP INDEX IF EXISTS feature_history_ended_idx;
DROP INDEX IF EXISTS feature_history_in_force_idx;
DROP TRIGGER IF EXISTS feature_history_recorded_from ON feature_history;
DROP FUNCTION IF EXISTS feature_history_recorded_from();
ALTER TABLE feature_history DROP COLUMN IF EXISTS recorded_from;
DROP INDEX IF EXISTS audit_log_created_idx;
"""
    )
