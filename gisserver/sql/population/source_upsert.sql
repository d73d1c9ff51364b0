-- Create a population source, or reset it for a reload (the id stays stable).
INSERT INTO population_sources AS s
    (name, kind, srid, title, licence, attribution, reference_year, properties, loaded_at)
VALUES
    (%(name)s, %(kind)s, %(srid)s, %(title)s, %(licence)s, %(attribution)s, %(reference_year)s,
     %(properties)s::jsonb, now())
ON CONFLICT (name) DO UPDATE SET
    kind = EXCLUDED.kind,
    srid = EXCLUDED.srid,
    title = coalesce(EXCLUDED.title, s.title),
    licence = coalesce(EXCLUDED.licence, s.licence),
    attribution = coalesce(EXCLUDED.attribution, s.attribution),
    reference_year = coalesce(EXCLUDED.reference_year, s.reference_year),
    properties = EXCLUDED.properties,
    total_population = NULL,
    footprint = NULL,
    loaded_at = now()
RETURNING id;
