-- A new move: its id, and what the ledger's triggers (migration 0007) write on its lines.
SELECT m.id AS move_id,
       set_config('gisserver.stock_move', m.id::text, true),
       set_config('gisserver.stock_kind', %(kind)s, true),
       set_config('gisserver.stock_to', %(to_stockpile_id)s, true),
       set_config('gisserver.stock_reason', %(reason)s, true)
  FROM (SELECT nextval('stock_move_ids') AS id) AS m
