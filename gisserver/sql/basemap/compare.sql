-- How many areas the source holds, and how many of the staged areas it holds already (same
-- kind, name and geometry, byte for byte): a file loaded again writes nothing.
SELECT
    (SELECT count(*) FROM basemap_areas WHERE source = %(source)s) AS stored,
    (SELECT count(*) FROM basemap_staging AS s
      WHERE EXISTS (
          SELECT FROM basemap_areas AS a
          WHERE a.source = %(source)s
            AND a.kind = s.kind
            AND a.name IS NOT DISTINCT FROM s.name
            AND ST_AsEWKB(a.geom) = ST_AsEWKB(s.geom))) AS same
