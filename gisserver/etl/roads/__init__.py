"""Load road networks: street-centreline files with a roads mapping, and OpenStreetMap extracts.

``load_roads`` (``load``) is the front door, recorded in ``etl_runs``: it reads the file into
segments (``centrelines``, with ``mapping``; ``osm``, noded at shared nodes), replaces the
source's rows of ``roads`` and builds the junctions of the whole network (``road_nodes``, every
road's ``from_node``/``to_node``) again from the geometry, in one transaction. docs/roads.md
describes the formats, the mapping and the report.
"""

from gisserver.etl.roads.load import delete_road_sources, load_roads

__all__ = ["delete_road_sources", "load_roads"]
