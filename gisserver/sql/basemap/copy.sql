COPY basemap_staging (kind, name, geom) FROM STDIN
