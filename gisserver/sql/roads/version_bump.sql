-- What is derived from the network (routing's caches) is derived again when this changes.
UPDATE road_network SET version = version + 1, changed_at = now() RETURNING version
