"""OGC API (pygeoapi mounted inside the Flask app at /ogc), configured from layers/.

pygeoapi.flask_app reads PYGEOAPI_CONFIG / PYGEOAPI_OPENAPI and builds its blueprint when it is
imported. So ``init_app`` writes the generated configuration and OpenAPI document first, then
executes a private copy of that module for this app (a second app in the same process, e.g. in
tests, gets its own configuration instead of the first one's cached module). One cache stays
shared: the configuration pygeoapi's HTML templates see (``pygeoapi.l10n._cfg_cache``, per
language), so a second app's HTML pages show the first one's server URL until it is emptied.

What of pygeoapi is replaced or wrapped, and why (everything else is pygeoapi's own view):

- items and item JSON (``items``): our provider's page text goes out unparsed, one round trip a
  page; one feature carries a strong ETag of its version; pygeoapi's view still answers HTML and
  the formats we do not serve;
- feature writes, OGC API - Features - Part 4 (``transactions``, over ``gisserver.edits``):
  POST creates, PUT replaces, PATCH (JSON Merge Patch) updates and DELETE deletes a feature of a
  layer whose ``layers/*.yaml`` has an ``editing:`` section, for the roles it names (API keys),
  with If-Match against the feature's version and an Idempotency-Key on creates; OPTIONS answers
  a true ``Allow``. A POST whose body is not a Feature stays pygeoapi's CQL2 JSON search;
- items parameters (``parameters``, a before-request hook): bbox, datetime, CQL2, CRS, limit and
  unknown properties checked up front with a 400 naming the parameter (pygeoapi passes some
  through or answers 500);
- conformance (``conformance``): only the classes we implement;
- process execution of our analyses (``processes``): errors keep their status (pygeoapi answers
  every failure 400) and no ``subscriber`` callback is ever made;
- ETag/Last-Modified/304, Cache-Control and gzip on every /ogc answer (``gisserver.web.http``);
- the tile URLs (``gisserver.tiles``): ETag per change version, 204 for empty tiles,
  ``X-Tile-Thinned``; registered before this blueprint so that they win;
- the landing page also at ``/ogc`` (without the slash), as GDAL and QGIS users type it;
- a layer without ``editing:`` takes no PUT, PATCH or DELETE (405 with ``Allow``);
- the OpenAPI document (``openapi``): complete offline (no ``$ref`` to another server) and
  listing only operations that answer;
- the HTML pages' templates that put data inside ``<script>`` or load scripts and stylesheets
  from a CDN (``templates/``, given to pygeoapi as ``server.templates.path``): their data go into
  JSON blocks escaped for a script context (``templates/_script_data.html``), their scripts are
  files under ``static/pages/`` (the Content-Security-Policy of ``gisserver.web.http`` runs no
  inline script), and Leaflet, Bootstrap, Swagger UI and ReDoc are served by us from
  ``static/`` at ``/ogc/assets/`` (``static/PROVENANCE.md``).
"""

from __future__ import annotations

import hashlib
import importlib.util
import itertools
import json
import logging
import os
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml
from flask import Blueprint, Flask
from flask import request as flask_request

from gisserver.ogc import conformance, items, openapi, parameters, processes, transactions
from gisserver.ogc.config import layer_extents, pygeoapi_config
from gisserver.web import http

log = logging.getLogger(__name__)

_module_numbers = itertools.count(1)


def _work_dir(data_dir: Path) -> Path:
    """Where the generated pygeoapi files go: data_dir/pygeoapi, or a temporary directory."""
    try:
        path = data_dir / "pygeoapi"
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".write-test"
        probe.write_text("")
        probe.unlink()
        return path
    except OSError:
        return Path(tempfile.mkdtemp(prefix="gisserver-pygeoapi-"))


def _write_atomically(path: Path, text: str) -> None:
    """Gunicorn workers start together and write the same files: a reader never sees half."""
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_text(text)
    os.replace(partial, path)


def _openapi_document(app: Flask, config: dict[str, Any]) -> str:
    from pygeoapi.openapi import get_oas
    from pygeoapi.util import to_json

    # get_oas instantiates our provider per collection, which reads the app's state.
    with app.app_context():
        document = get_oas(json.loads(json.dumps(config, default=str)))
    layers = app.extensions["gisserver"].layers
    crs_lists = {
        layer.id: list(config["resources"][layer.id]["providers"][0]["crs"]) for layer in layers
    }
    return to_json(openapi.served_document(document, layers, crs_lists), pretty=False)


def _load_pygeoapi_flask_app(config_path: Path, openapi_path: Path) -> ModuleType:
    """Execute a fresh copy of pygeoapi.flask_app against our generated files."""
    os.environ["PYGEOAPI_CONFIG"] = str(config_path)
    os.environ["PYGEOAPI_OPENAPI"] = str(openapi_path)
    spec = importlib.util.find_spec("pygeoapi.flask_app")
    if spec is None or spec.origin is None:
        raise RuntimeError("pygeoapi is not installed")
    name = f"gisserver.ogc._pygeoapi_flask_app_{next(_module_numbers)}"
    copy_spec = importlib.util.spec_from_file_location(name, spec.origin)
    assert copy_spec is not None and copy_spec.loader is not None
    module = importlib.util.module_from_spec(copy_spec)
    copy_spec.loader.exec_module(module)
    return module


def init_app(app: Flask) -> None:
    """Mount pygeoapi under /ogc with a configuration generated from layers/."""
    state = app.extensions["gisserver"]
    settings, layers = state.settings, state.layers
    config = pygeoapi_config(settings, layers, layer_extents(state.db, layers), processes.PROCESSES)
    work = _work_dir(settings.data_dir)
    config_path = work / "pygeoapi-config.yml"
    openapi_path = work / "pygeoapi-openapi.json"
    _write_atomically(config_path, yaml.safe_dump(config, sort_keys=False))
    _write_atomically(openapi_path, _openapi_document(app, config))
    module = _load_pygeoapi_flask_app(config_path, openapi_path)
    # pygeoapi configures logging; keep its per-request 4xx chatter out of our logs.
    logging.getLogger("pygeoapi").setLevel(logging.CRITICAL)

    blueprint = module.BLUEPRINT
    salt = hashlib.sha1(config_path.read_bytes()).hexdigest()[:12]
    http.install(app, blueprint.name, layers, salt)
    parameters.install(app, blueprint.name, settings, layers, config)
    app.register_blueprint(blueprint, url_prefix="/ogc")
    # The landing page answers at /ogc as well as /ogc/ (GDAL and QGIS users type the former).
    app.add_url_rule(
        "/ogc", endpoint=f"{blueprint.name}.landing_page", view_func=module.landing_page
    )
    app.extensions["gisserver.pygeoapi"] = module.api_
    # pygeoapi 0.21's TileMatrixSets pages pass its whole template context (a copy of the
    # configuration) where the template configuration goes, so they look for "path" at its top.
    module.api_.tpl_config["path"] = config["server"]["templates"]["path"]
    # What our copies of pygeoapi's templates load: files of ours, and the basemap's tiles.
    app.register_blueprint(
        Blueprint("ogc_assets", __name__, static_folder="static", static_url_path="/ogc/assets")
    )
    http.allow_images_from(app, config["server"]["map"]["url"])
    pages = items.install(app, blueprint.name, module.api_, layers, config)
    transactions.install(app, blueprint.name, layers, config, pages)

    def _conformance() -> Any:
        return module.execute_from_flask(conformance.conformance, flask_request)

    app.view_functions[f"{blueprint.name}.conformance"] = _conformance
    processes.install(app, blueprint.name)
