-- What the upsert would do: staged rows that are new, and existing rows that would change.
-- Run first so a load that changes nothing writes nothing: the layer's statement triggers
-- (layer_versions, hence ETags and tile caches) only fire when something really changed.
SELECT count(*) FILTER (WHERE t.id IS NULL) AS inserted,
       count(*) FILTER (WHERE t.id IS NOT NULL
                          AND ({target_columns}, t.properties, t.geom)
                              IS DISTINCT FROM ({staged_columns}, s.properties, s.geom))
           AS updated
  FROM etl_staging s
  LEFT JOIN {table} t ON t.source = %(source)s AND t.source_id = s.source_id
