-- Runs still 'running' whose process is gone (killed, crashed, its connection lost): the server
-- noticed the closed connection, rolled the load's transaction back and ended the session, so
-- the session recorded at the start is no longer in pg_stat_activity. A session is the same one
-- only if its start time matches too (backend pids are reused); a session of another role, whose
-- start time this role may not see, counts as alive. A run that started before the server did
-- cannot be alive either (this also covers runs recorded before sessions were).
UPDATE etl_runs AS r
   SET status = 'aborted',
       finished_at = clock_timestamp(),
       error = CASE
           WHEN r.started_at < pg_postmaster_start_time() THEN
               'the database server restarted during this load; its transaction was rolled back'
           ELSE
               'the process running this load is gone (its database session, backend pid '
               || r.backend_pid || ', ended before the run was finished); its transaction was '
               || 'rolled back'
       END
 WHERE r.status = 'running'
   AND (r.started_at < pg_postmaster_start_time()
        OR (r.backend_pid IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a
                             WHERE a.pid = r.backend_pid
                               AND (a.backend_start IS NULL OR r.backend_start IS NULL
                                    OR a.backend_start = r.backend_start))))
RETURNING r.id, r.job, r.layer, r.source, r.error
