"""The stock ledger: every change of a lot's quantity is a line of ``stock_moves``, so that each
lot's quantity in ``stockpile_items`` is the sum of its lines (and its last line's balance).

A line changes one lot (stockpile, item, expiry) by a signed quantity and keeps the lot's
balance after it; the lines of one move share a ``move_id`` (a transfer: lines out of the
source's lots, lines into the destination's lots of the same expiries). Kinds: ``receive``,
``issue``, ``transfer``, ``adjust`` (the API, ``gisserver.edits.stock``), ``count`` (a change
made otherwise: an ETL inventory load, a depot deleted with its lots, psql) and ``opening`` (the
quantities held when this migration ran).

The lines are written by triggers on ``stockpile_items`` (INSERT, UPDATE, DELETE, TRUNCATE), in
the transaction of the change, whoever makes it, so the ledger cannot drift from the lots. What a line is part of comes from
transaction-local settings (``audit_setting``): ``gisserver.stock_move`` (the move id),
``.stock_kind``, ``.stock_to`` and ``.stock_reason``, set by the API; without them a statement's
changes are ``count`` lines, one move per stockpile and item. Who made them comes from the audit
context (``gisserver.audit.act_as``) as in migration 0006.

The ledger is append-only like the audit trail: a trigger refuses UPDATE, DELETE and TRUNCATE,
and its owner is the migrating role (``sql/roles/grants.sql`` lets the application's roles only
INSERT and SELECT it). It has no foreign key to stockpiles: it outlives a deleted depot, and
the ETL's swap of the stockpiles table (``gisserver.etl.bulk``) has no key of it to carry.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-10
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

KINDS = ("opening", "receive", "issue", "transfer", "adjust", "count")
CONTEXT_COLUMNS = "actor, actor_role, etl_run_id, request_id, client_address"
CONTEXT_VALUES = (
    "coalesce(audit_setting('actor'), session_user), audit_setting('actor_role'), "
    "audit_setting('etl_run')::bigint, audit_setting('request_id'), "
    "audit_setting('client_address')::inet"
)
LOT = "{r}.stockpile_id, {r}.item, {r}.expires_on, {r}.unit"
SAME_LOT = "(o.stockpile_id, o.item, o.expires_on, o.unit) IS NOT DISTINCT FROM " + (
    "(n.stockpile_id, n.item, n.expires_on, n.unit)"
)
# (phase, lot, signed quantity, balance after) of each statement's changes; a lot that became
# another (psql changing its expiry or unit) leaves the old one (phase 0) and enters the new.
CHANGES = {
    "INSERT": f"""
        SELECT 1 AS phase, {LOT.format(r="n")}, n.quantity AS quantity, n.quantity AS balance
          FROM new_rows AS n WHERE n.quantity <> 0""",
    "DELETE": f"""
        SELECT 0 AS phase, {LOT.format(r="o")}, -o.quantity AS quantity, 0 AS balance
          FROM old_rows AS o WHERE o.quantity <> 0""",
    "UPDATE": f"""
        SELECT 1 AS phase, {LOT.format(r="n")}, n.quantity - o.quantity AS quantity,
               n.quantity AS balance
          FROM old_rows AS o JOIN new_rows AS n ON n.id = o.id
         WHERE {SAME_LOT} AND n.quantity <> o.quantity
        UNION ALL
        SELECT 0, {LOT.format(r="o")}, -o.quantity, 0
          FROM old_rows AS o JOIN new_rows AS n ON n.id = o.id
         WHERE NOT {SAME_LOT} AND o.quantity <> 0
        UNION ALL
        SELECT 1, {LOT.format(r="n")}, n.quantity, n.quantity
          FROM old_rows AS o JOIN new_rows AS n ON n.id = o.id
         WHERE NOT {SAME_LOT} AND n.quantity <> 0""",
    # before the table is emptied: every lot leaves
    "TRUNCATE": f"""
        SELECT 0 AS phase, {LOT.format(r="i")}, -i.quantity AS quantity, 0 AS balance
          FROM stockpile_items AS i WHERE i.quantity <> 0""",
}
RECORD_LINES = """
        WITH changes AS ({changes}),
        moves AS MATERIALIZED (
            SELECT g.stockpile_id, g.item,
                   coalesce(audit_setting('stock_move')::bigint, nextval('stock_move_ids'))
                       AS move_id
              FROM (SELECT DISTINCT stockpile_id, item FROM changes) AS g
        )
        INSERT INTO stock_moves (move_id, kind, stockpile_id, item, expires_on, quantity, unit,
                                 balance, to_stockpile_id, reason, {context_columns})
        SELECT m.move_id, coalesce(audit_setting('stock_kind'), 'count'), c.stockpile_id,
               c.item, c.expires_on, c.quantity, c.unit, c.balance,
               audit_setting('stock_to')::bigint, audit_setting('stock_reason'),
               {context_values}
          FROM changes AS c JOIN moves AS m USING (stockpile_id, item)
         ORDER BY c.phase, c.stockpile_id, c.item, c.expires_on, c.quantity;"""


def _record(operation: str) -> str:
    return RECORD_LINES.format(
        changes=CHANGES[operation],
        context_columns=CONTEXT_COLUMNS,
        context_values=CONTEXT_VALUES,
    )


def upgrade() -> None:
    kinds = ", ".join(f"'{k}'" for k in KINDS)
    op.execute(
        f"""
CREATE SEQUENCE stock_move_ids;
CREATE TABLE stock_moves (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    move_id bigint NOT NULL,
    at timestamptz NOT NULL DEFAULT now(),
    kind text NOT NULL CHECK (kind IN ({kinds})),
    stockpile_id bigint NOT NULL,
    item text NOT NULL,
    expires_on date,
    quantity numeric NOT NULL CHECK (quantity <> 0),
    unit text NOT NULL,
    balance numeric NOT NULL CHECK (balance >= 0),
    to_stockpile_id bigint CHECK ((kind = 'transfer') = (to_stockpile_id IS NOT NULL)),
    reason text CHECK (kind <> 'adjust' OR reason IS NOT NULL),
    actor text NOT NULL,
    actor_role text,
    etl_run_id bigint,
    request_id text,
    client_address inet
);
ALTER SEQUENCE stock_move_ids OWNED BY stock_moves.move_id;
COMMENT ON TABLE stock_moves IS
    'The stock ledger: one line per lot changed, written by triggers on stockpile_items; a '
    'lot''s quantity is the sum of its lines; append-only';
COMMENT ON COLUMN stock_moves.quantity IS 'signed change of the lot (stockpile, item, expiry)';
COMMENT ON COLUMN stock_moves.balance IS 'the lot''s quantity after this line';
COMMENT ON COLUMN stock_moves.to_stockpile_id IS
    'a transfer''s destination, on every line of the move (out of the source: quantity < 0)';
CREATE INDEX stock_moves_lot_idx ON stock_moves (stockpile_id, item, expires_on, id);
CREATE INDEX stock_moves_move_idx ON stock_moves (move_id, id);
CREATE INDEX stock_moves_at_idx ON stock_moves (at);

CREATE TRIGGER stock_moves_append_only BEFORE UPDATE OR DELETE ON stock_moves
    FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change();
CREATE TRIGGER stock_moves_no_truncate BEFORE TRUNCATE ON stock_moves
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change();

-- The opening balance: one line per lot held now, one move per stockpile and item.
WITH moves AS MATERIALIZED (
    SELECT g.stockpile_id, g.item, nextval('stock_move_ids') AS move_id
      FROM (SELECT DISTINCT stockpile_id, item FROM stockpile_items WHERE quantity <> 0
             ORDER BY stockpile_id, item) AS g
)
INSERT INTO stock_moves (move_id, kind, stockpile_id, item, expires_on, quantity, unit, balance,
                         reason, actor)
SELECT m.move_id, 'opening', i.stockpile_id, i.item, i.expires_on, i.quantity, i.unit,
       i.quantity, 'the quantity held when the ledger began (migration 0007)', session_user
  FROM stockpile_items AS i JOIN moves AS m USING (stockpile_id, item)
 WHERE i.quantity <> 0
 ORDER BY i.stockpile_id, i.item, i.expires_on;

CREATE FUNCTION record_stock_lines() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {_record("INSERT")}
    ELSIF TG_OP = 'UPDATE' THEN
        {_record("UPDATE")}
    ELSIF TG_OP = 'DELETE' THEN
        {_record("DELETE")}
    ELSE
        {_record("TRUNCATE")}
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER stockpile_items_ledger_insert AFTER INSERT ON stockpile_items
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION record_stock_lines();
CREATE TRIGGER stockpile_items_ledger_update AFTER UPDATE ON stockpile_items
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION record_stock_lines();
CREATE TRIGGER stockpile_items_ledger_delete AFTER DELETE ON stockpile_items
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION record_stock_lines();
CREATE TRIGGER stockpile_items_ledger_truncate BEFORE TRUNCATE ON stockpile_items
    FOR EACH STATEMENT EXECUTE FUNCTION record_stock_lines();
"""
    )


def downgrade() -> None:
    op.execute(
        """
DROP TRIGGER IF EXISTS stockpile_items_ledger_insert ON stockpile_items;
DROP TRIGGER IF EXISTS stockpile_items_ledger_update ON stockpile_items;
DROP TRIGGER IF EXISTS stockpile_items_ledger_delete ON stockpile_items;
DROP TRIGGER IF EXISTS stockpile_items_ledger_truncate ON stockpile_items;
DROP FUNCTION IF EXISTS record_stock_lines();
DROP TABLE IF EXISTS stock_moves;
"""
    )
