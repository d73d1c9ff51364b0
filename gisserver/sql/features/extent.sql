-- Spatial extent (CRS84) and the earliest time of one layer, for its collection metadata.
-- ST_EstimatedExtent reads the planner statistics (instant on big tables); an unanalysed
-- table falls back to the exact extent.
SELECT ST_XMin(b.box) AS xmin, ST_YMin(b.box) AS ymin,
       ST_XMax(b.box) AS xmax, ST_YMax(b.box) AS ymax,
       {begin} AS begin
  FROM (
      SELECT COALESCE(
          ST_EstimatedExtent('public', {table_name}, 'geom')::box2d,
          (SELECT ST_Extent(geom) FROM {table})
      ) AS box
  ) AS b
