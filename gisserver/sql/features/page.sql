-- One page of a layer as GeoJSON text, its length, the match count and the layer's change
-- version, in one round trip. The feature object, the conditions, the order and the count are
-- composed by gisserver.ogc.provider from quoted identifiers and bound parameters only.
--
-- {matched} is count(*) OVER () when the count is exact: the page's own scan counts the matches
-- (the sort by {order} reads every match anyway), where a second scan used to cost as much as
-- the page. An empty page (an offset past the end, resulttype=hits) has no row to carry it, so
-- {count} counts then; COALESCE evaluates that scalar subquery only when it is needed.
-- The features leave as text: the web layer passes them into the response body unparsed.
--
-- The window sits in a subquery of its own, below the ORDER BY: PostgreSQL 15 costs a LIMIT
-- above a WindowAgg as if the window could stop early, so with the window beside the ORDER BY
-- it walked the primary key in id order, filtering the whole table (1M rows: 190 ms), to "stop
-- after 100 rows" that the window can only give once it has read every match. Below the sort,
-- the matches come from the index that finds them (bbox: GiST) and a top-N sort picks the page
-- (22 ms). Without a window ({matched} is NULL) the subquery is flattened away.
WITH page AS (
    SELECT {feature} AS feature, t.page_matched AS matched
      FROM (SELECT t.*, {matched} AS page_matched FROM {table} AS t WHERE {where}) AS t
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
