"""The generated pygeoapi configuration passes pygeoapi's own schema check (its JSON schema for
the configuration, as ``pygeoapi config validate`` applies it)."""

from __future__ import annotations

import io

import yaml
from pygeoapi.config import validate_config
from pygeoapi.util import yaml_load

from gisserver.ogc.config import layer_extents, pygeoapi_config
from gisserver.ogc.processes import PROCESSES


def test_generated_config_is_valid_for_pygeoapi(settings, layers, database):
    """As ``ogc.init_app`` builds it (extents read from the tables), and as pygeoapi reads it
    back from the YAML file that init_app writes."""
    config = pygeoapi_config(settings, layers, layer_extents(database, layers), PROCESSES)
    assert validate_config(config)
    written = yaml.safe_dump(config, sort_keys=False)
    assert validate_config(yaml_load(io.StringIO(written)))
