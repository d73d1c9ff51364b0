-- The tile z/x/y grown by the 64/4096 buffer, clamped to the world (ST_TileEnvelope's margin
-- runs past +-180 degrees at the edges, which would wrap round in EPSG:4326), in the storage SRID
-- 4326 so that the GIST index on geom is used. A rectangle in EPSG:3857 is a rectangle in
-- EPSG:4326: the 4326 filter is exact.
-- Written out in each layer's WHERE (not read from the tile CTE) because every function here is
-- immutable: with the tile's numbers bound, the planner folds it to a constant box, estimates
-- from the table's statistics how many features the tile holds, and so chooses per tile between
-- the GIST index (a sparse tile) and walking the priority index (a dense tile, thinned).
ST_Transform(ST_MakeEnvelope(
    greatest(ST_XMin(ST_TileEnvelope(%(z)s, %(x)s, %(y)s, margin => 64.0 / 4096)),
             -20037508.342789244),
    greatest(ST_YMin(ST_TileEnvelope(%(z)s, %(x)s, %(y)s, margin => 64.0 / 4096)),
             -20037508.342789244),
    least(ST_XMax(ST_TileEnvelope(%(z)s, %(x)s, %(y)s, margin => 64.0 / 4096)),
          20037508.342789244),
    least(ST_YMax(ST_TileEnvelope(%(z)s, %(x)s, %(y)s, margin => 64.0 / 4096)),
          20037508.342789244),
    3857), 4326)
