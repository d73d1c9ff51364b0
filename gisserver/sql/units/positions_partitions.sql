-- The months of the track a batch writes into (each created if missing, by its owner:
-- unit_positions_partition is SECURITY DEFINER). Months in UTC.
SELECT unit_positions_partition(month) FROM unnest(%(months)s::date[]) AS month
