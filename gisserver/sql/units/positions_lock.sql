-- A batch's first statement: the units table in ROW EXCLUSIVE mode, as the stock moves lock
-- theirs (gisserver.etl.locks): batches run side by side, and a load of the units in progress
-- (SHARE ROW EXCLUSIVE) commits before any unit's row is locked, so neither waits for the other
-- in a circle.
LOCK TABLE units IN ROW EXCLUSIVE MODE
