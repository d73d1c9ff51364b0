-- One feature as GeoJSON text with its own version (its ETag, for If-Match) and the layer's change
-- version, in one round trip; no feature row when it does not exist. The feature object is
-- composed by gisserver.ogc.provider from quoted identifiers and bound parameters only.
SELECT f.feature::text AS feature, f.feature_version, v.version, v.changed_at
FROM (SELECT 1) AS one
LEFT JOIN (SELECT {feature} AS feature, t.version AS feature_version
             FROM {table} AS t
            WHERE t.id = {id}) AS f ON true
LEFT JOIN layer_versions AS v ON v.layer = {layer}
