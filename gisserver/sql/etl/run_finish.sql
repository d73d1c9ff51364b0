UPDATE etl_runs
   SET finished_at = clock_timestamp(),
       rows_read = %(read)s,
       rows_loaded = %(loaded)s,
       rows_inserted = %(inserted)s,
       rows_updated = %(updated)s,
       rows_unchanged = %(unchanged)s,
       rows_retired = %(retired)s,
       rows_rejected = %(rejected)s,
       status = %(status)s,
       error = %(error)s,
       rejects_file = %(rejects_file)s
 WHERE id = %(run_id)s
