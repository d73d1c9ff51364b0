-- The first statement of a basemap load: readers read on (the previous areas until the commit);
-- other basemap loads wait for it.
LOCK TABLE basemap_areas, basemap_version IN SHARE ROW EXCLUSIVE MODE
