-- The unit of assignment %(assignment)s, locked first: a batch of positions locks units, then
-- their assignments (gisserver.edits.positions), and so does a move of an assignment.
SELECT u.id
  FROM units AS u
 WHERE u.id = (SELECT a.unit_id FROM assignments AS a WHERE a.id = %(assignment)s)
   FOR UPDATE
