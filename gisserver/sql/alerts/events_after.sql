-- The feed's events after the cursor, oldest first (alert events too: the cursor passes them).
SELECT id, type, layer, feature_id
  FROM events
 WHERE id > %(after)s
 ORDER BY id
 LIMIT %(limit)s
