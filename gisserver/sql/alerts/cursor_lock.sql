-- The alert rules' cursor in the feed, locked until commit (one evaluator at a time).
SELECT event_id FROM feed_cursors WHERE name = %(name)s FOR UPDATE
