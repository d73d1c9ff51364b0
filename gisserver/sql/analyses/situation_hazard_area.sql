-- The union of the hazard zones in force at a time, clipped to a bounding box: the area whose
-- population the situation report gives. NULL when no zone is in force there.
-- Parameters: minx, miny, maxx, maxy (WGS84 degrees), at (timestamptz).
SELECT ST_AsBinary(ST_Intersection(
           ST_Union(z.geom),
           ST_MakeEnvelope(%(minx)s, %(miny)s, %(maxx)s, %(maxy)s, 4326))) AS wkb,
       count(*) AS zones
FROM hazard_zones AS z
WHERE z.geom && ST_MakeEnvelope(%(minx)s, %(miny)s, %(maxx)s, %(maxy)s, 4326)
  AND (z.valid_from IS NULL OR z.valid_from <= %(at)s)
  AND (z.valid_to IS NULL OR z.valid_to > %(at)s)
