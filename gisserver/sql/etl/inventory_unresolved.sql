-- Take out (and hand back) the lines that match no stockpile, several, or repeat a lot.
WITH lots AS (
    SELECT row_no,
           min(row_no) OVER (PARTITION BY stockpile_id, item, COALESCE(expires_on, 'infinity'::date))
               AS first_row
      FROM etl_inventory
     WHERE matches = 1
)
DELETE FROM etl_inventory AS s
 USING (SELECT i.row_no, l.first_row
          FROM etl_inventory i LEFT JOIN lots l ON l.row_no = i.row_no) AS checked
 WHERE checked.row_no = s.row_no
   AND (s.matches <> 1 OR checked.first_row <> s.row_no)
RETURNING s.row_no, s.stockpile_source, s.stockpile_source_id, s.matches, checked.first_row;
