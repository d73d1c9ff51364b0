-- Find each line's stockpile by (source, source_id), or by source_id alone when the file names
-- no stockpile source.
UPDATE etl_inventory AS s
   SET stockpile_id = m.id, matches = m.n
  FROM (SELECT i.row_no, min(st.id) AS id, count(*) AS n
          FROM etl_inventory i
          JOIN stockpiles st
            ON st.source_id = i.stockpile_source_id
           AND (i.stockpile_source IS NULL OR st.source = i.stockpile_source)
         GROUP BY i.row_no) AS m
 WHERE m.row_no = s.row_no;
