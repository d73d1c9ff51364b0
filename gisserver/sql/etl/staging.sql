-- The temporary tables of a load through the staging table, dropped at commit: etl_staging
-- holds the file's accepted rows (the layer's settable columns, typed as its fields, are
-- formatted in by the loader), etl_rejected the source ids of its rejected rows, which
-- --replace must not retire.
DROP TABLE IF EXISTS etl_staging, etl_rejected;
CREATE TEMP TABLE etl_rejected (source_id text NOT NULL) ON COMMIT DROP;
CREATE TEMP TABLE etl_staging (
    row_no integer,
    source_id text NOT NULL,
    {columns},
    properties jsonb NOT NULL DEFAULT '{{}}',
    geom geometry(Geometry, 4326) NOT NULL
) ON COMMIT DROP;
