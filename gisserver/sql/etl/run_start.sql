-- One row per load, written before the load starts so an interrupted load is visible.
INSERT INTO etl_runs (job, layer, source, file, status)
VALUES (%(job)s, %(layer)s, %(source)s, %(file)s, 'running')
RETURNING id
