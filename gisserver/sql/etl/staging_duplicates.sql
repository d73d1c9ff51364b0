-- Rows whose source id an earlier row of the file already used: removed and handed back
-- (row, source id, the first row with that id) so they are reported as rejects.
DELETE FROM etl_staging AS s
 USING (SELECT row_no, source_id,
               min(row_no) OVER (PARTITION BY source_id) AS first_row
          FROM etl_staging) AS d
 WHERE d.row_no = s.row_no
   AND d.first_row <> s.row_no
RETURNING s.row_no, s.source_id, d.first_row
