-- One row per load, written before the load starts so an interrupted load is visible. The
-- database session running the load (its backend pid and start time) tells later loads whether
-- the run's process is still there (etl/run_abort_dead.sql).
INSERT INTO etl_runs (job, layer, source, file, status, backend_pid, backend_start)
VALUES (%(job)s, %(layer)s, %(source)s, %(file)s, 'running', pg_backend_pid(),
        (SELECT backend_start FROM pg_stat_activity WHERE pid = pg_backend_pid()))
RETURNING id
