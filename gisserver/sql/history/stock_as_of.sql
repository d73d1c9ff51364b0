-- The stock lots as they were at %(as_of)s, with the columns the analyses and the stockpiles'
-- items read: each lot's balance after its last line of the ledger (migration 0007) at or
-- before the instant. A lot then empty is left out; before the ledger began there is no stock.
SELECT l.stockpile_id, l.item, l.expires_on, l.unit, l.balance AS quantity
  FROM (SELECT DISTINCT ON (m.stockpile_id, m.item, m.expires_on, m.unit)
               m.stockpile_id, m.item, m.expires_on, m.unit, m.balance
          FROM stock_moves AS m
         WHERE m.at <= %(as_of)s
         ORDER BY m.stockpile_id, m.item, m.expires_on, m.unit, m.id DESC) AS l
 WHERE l.balance > 0
