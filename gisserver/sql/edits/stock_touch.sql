-- The stockpiles a move changed get a new version (their ETag) and the layer a new version
-- (tiles, pages); an update of nothing but the time is not a change the audit trail records.
UPDATE stockpiles SET updated_at = now() WHERE id = ANY(%(ids)s)
