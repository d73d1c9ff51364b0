"""ETL: load situational data from real files into PostGIS.

``load_file`` loads one file into one layer (or the stockpile inventory); ``run_manifest``
runs a YAML list of loads; ``load_population`` hands population files to the population
loaders. The CLI (``gisserver etl``) calls these same functions.
"""

from gisserver.etl.loader import load_file
from gisserver.etl.runs import LoadAborted, LoadReport

__all__ = ["LoadAborted", "LoadReport", "load_file"]
