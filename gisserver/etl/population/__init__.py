"""Load population sources: WorldPop-style rasters (people per cell) and census polygons.

Rasters are stored as in-database PostGIS raster tiles in the raster's own CRS (nodata kept), so all
state lives in PostgreSQL and app servers stay stateless. Census polygons are reprojected to
EPSG:4326, repaired with ``make_valid`` and stored with their head count. A load is one transaction
and replaces whatever the source held before under the same name.

``load_population`` (``load``) is the ETL's front door, which records the run in ``etl_runs``;
it hands the file to ``raster.load_population_raster`` or ``census.load_population_census``.
``registry`` keeps the source rows, their fingerprints and the srid of each CRS. The raster and
census modules are not imported here: a vector load (which imports this package for the CLI)
should not pay for rasterio.
"""

from gisserver.etl.population.load import load_population

__all__ = ["load_population"]
