-- Part of the basemap tiles' ETag: every tile is fetched again after a change of the areas.
UPDATE basemap_version SET version = version + 1, changed_at = now() RETURNING version
