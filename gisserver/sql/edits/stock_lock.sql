-- A move's first statement: the tables it writes, in the ETL's global lock order (stockpiles,
-- then stockpile_items; gisserver.etl.locks). ROW EXCLUSIVE lets moves run side by side and
-- waits for a load in progress (SHARE ROW EXCLUSIVE) to commit before any row is locked, so a
-- move and a load never wait for each other in a circle.
LOCK TABLE stockpiles, stockpile_items IN ROW EXCLUSIVE MODE
