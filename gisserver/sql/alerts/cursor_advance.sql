UPDATE feed_cursors SET event_id = %(event_id)s, updated_at = now() WHERE name = %(name)s
