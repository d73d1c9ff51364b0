-- One page of a layer as GeoJSON features, the match count and the layer's change version, in
-- one round trip. The feature object, the conditions, the order and the count are composed by
-- gisserver.ogc.provider from quoted identifiers and bound parameters only.
SELECT
    {matched} AS matched,
    (SELECT COALESCE(json_agg(page.feature), '[]'::json)
       FROM (SELECT {feature} AS feature
               FROM {table} AS t
              WHERE {where}
              ORDER BY {order}
              LIMIT {limit} OFFSET {offset}) AS page) AS features,
    v.version,
    v.changed_at
FROM (SELECT 1) AS one
LEFT JOIN layer_versions AS v ON v.layer = {layer}
