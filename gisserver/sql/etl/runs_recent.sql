-- The latest runs, newest first (gisserver etl runs).
SELECT id, job, layer, source, status, started_at, finished_at, rows_loaded, error
  FROM etl_runs
 ORDER BY id DESC
 LIMIT %(limit)s
