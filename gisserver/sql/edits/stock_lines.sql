-- The ledger lines of some moves; a move's lines out of lots first, then into lots, each by
-- stockpile and expiry (no expiry last).
SELECT move_id, at, kind, stockpile_id, item, expires_on, quantity, unit, balance,
       to_stockpile_id, reason, actor, actor_role, etl_run_id, request_id
  FROM stock_moves
 WHERE move_id = ANY(%(moves)s)
 ORDER BY move_id DESC, quantity > 0, stockpile_id, expires_on NULLS LAST, id
