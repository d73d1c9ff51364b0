-- The stock issued for an incident during its window [start, end): the ledger's issue lines
-- (kind 'issue', quantity < 0) whose reason names the incident ("incidents/12", "incident 12",
-- "incident #12"; any case), and the issue lines naming no incident at all from stockpiles
-- within radius_m of the incident. Lines naming another incident are its, not this one's.
WITH incident AS (SELECT ST_GeomFromGeoJSON(%(geometry)s) AS geom),
lines AS (
    SELECT m.id, m.move_id, m.at, m.stockpile_id, s.name AS stockpile_name, m.item, m.unit,
           -m.quantity AS quantity, m.reason,
           CASE WHEN m.reason ~* %(names_this)s THEN 'named'
                WHEN (m.reason IS NULL OR m.reason !~* %(names_any)s)
                     AND ST_DWithin(s.geom::geography, i.geom::geography, %(radius_m)s)
                THEN 'nearby' END AS basis
      FROM stock_moves AS m
      LEFT JOIN stockpiles AS s ON s.id = m.stockpile_id
     CROSS JOIN incident AS i
     WHERE m.at >= %(start)s AND m.at < %(end)s AND m.kind = 'issue' AND m.quantity < 0
)
SELECT id, move_id, at, stockpile_id, stockpile_name, item, unit, quantity, reason, basis
  FROM lines
 WHERE basis IS NOT NULL
 ORDER BY at, id
