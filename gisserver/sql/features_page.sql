-- One page of a layer as GeoJSON text, its length, the match count and the layer's change
-- version, in one round trip. The feature object, the conditions, the order and the count are
-- composed by gisserver.ogc.provider from quoted identifiers and bound parameters only.
--
-- {matched} is count(*) OVER () when the count is exact: the page's own scan counts the matches
-- (the sort by {order} reads every match anyway), where a second scan used to cost as much as
-- the page. An empty page (an offset past the end, resulttype=hits) has no row to carry it, so
-- {count} counts then; COALESCE evaluates that scalar subquery only when it is needed.
-- The features leave as text: the web layer passes them into the response body unparsed.
WITH page AS (
    SELECT {feature} AS feature, {matched} AS matched
      FROM {table} AS t
     WHERE {where}
     ORDER BY {order}
     LIMIT {limit} OFFSET {offset}
)
SELECT
    COALESCE((SELECT max(page.matched) FROM page), {count}) AS matched,
    (SELECT count(*) FROM page) AS returned,
    (SELECT COALESCE(json_agg(page.feature), '[]'::json)::text FROM page) AS features,
    v.version,
    v.changed_at
FROM (SELECT 1) AS one
LEFT JOIN layer_versions AS v ON v.layer = {layer}
