-- The first time: start after the newest event (what happened before is re-checked by tick).
INSERT INTO feed_cursors (name, event_id)
SELECT %(name)s, coalesce(max(id), 0) FROM events
ON CONFLICT (name) DO NOTHING
