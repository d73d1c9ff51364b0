"""Manifests: a YAML list of loads, run in order (``gisserver etl run MANIFEST``).

::

    loads:                      # or the list itself at the top level
      - layer: shelters         # a layer, stockpile_items or population
        file: data/cambridge/PUBLICSAFETY_EmergencyShelters.geojson   # relative to the manifest
        source: cambridge-shelters
        mapping: mappings/cambridge_shelters.yaml                     # relative to the manifest
        crs: EPSG:2263          # optional, for files without a CRS
        replace: true           # optional
        max_reject_ratio: 0.15  # optional (default 0.1)
        why: ...                # optional free text, e.g. why a ratio is raised
      - layer: roads            # a road network (docs/roads.md): the source's segments replaced
        file: data/cambridge/TRANS_Centerlines.geojson
        source: cambridge-centerlines
        mapping: mappings/cambridge_centerlines.yaml   # a roads mapping; none for .osm.pbf
      - layer: population
        file: data/cambridge/DEMOGRAPHICS_Blocks2000.geojson
        source: cambridge-blocks-2000
        count_field: POP_LAB    # census polygons; rasters need none
        unit_id_field: BLOCK_ID
        title: ..., licence: ..., attribution: ..., reference_year: 2000
      - layer: basemap          # the offline basemap's areas (docs/webmap.md): source replaced
        file: data/cambridge/BOUNDARY_CityBoundary.geojson
        source: cambridge-boundary
        kind: boundary          # boundary, water or park
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import yaml

from gisserver.errors import ConfigError
from gisserver.etl.runs import LoadReport
from gisserver.layers import LAYER_IDS
from gisserver.settings import Settings

LAYERS = (*LAYER_IDS, "stockpile_items", "roads", "population", "basemap")
_COMMON_KEYS = {"layer", "file", "source", "why", "crs"}
_LAYER_KEYS = _COMMON_KEYS | {"mapping", "replace", "max_reject_ratio", "dry_run"}
_ROADS_KEYS = _COMMON_KEYS | {"mapping", "max_reject_ratio"}
_BASEMAP_KEYS = _COMMON_KEYS | {"kind", "max_reject_ratio"}
_POPULATION_KEYS = _COMMON_KEYS | {
    "count_field",
    "unit_id_field",
    "title",
    "licence",
    "attribution",
    "reference_year",
}


@dataclass(frozen=True)
class ManifestLoad:
    layer: str
    file: Path
    source: str | None
    options: dict[str, Any] = field(default_factory=dict)


def read_manifest(path: Path) -> list[ManifestLoad]:
    """The loads of a manifest, with paths resolved against its folder; every problem listed."""
    if not path.is_file():
        raise ConfigError(f"{path}: manifest not found")
    try:
        data = yaml.safe_load(path.read_text())
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from exc
    if isinstance(data, dict):
        data = data.get("loads")
    if not isinstance(data, list) or not data:
        raise ConfigError(f"{path}: must be a list of loads (or 'loads:' holding one)")
    from gisserver.etl.basemap import KINDS as BASEMAP_KINDS

    base = path.parent
    problems: list[str] = []
    loads: list[ManifestLoad] = []
    for i, entry in enumerate(data):
        where = f"{path}: loads[{i}]"
        if not isinstance(entry, dict):
            problems.append(f"{where}: must be a mapping with layer and file")
            continue
        layer = entry.get("layer")
        if layer not in LAYERS:
            problems.append(f"{where}.layer: {layer!r}; accepted: {', '.join(LAYERS)}")
            continue
        allowed = {
            "population": _POPULATION_KEYS,
            "roads": _ROADS_KEYS,
            "basemap": _BASEMAP_KEYS,
        }.get(layer, _LAYER_KEYS)
        for key in entry:
            if key not in allowed:
                problems.append(
                    f"{where}.{key}: unknown key; accepted: {', '.join(sorted(allowed))}"
                )
        if not entry.get("file"):
            problems.append(f"{where}.file: required")
            continue
        file = base / str(entry["file"])
        if not file.is_file():
            problems.append(f"{where}.file: {file} not found")
        options = {k: v for k, v in entry.items() if k not in ("layer", "file", "source", "why")}
        if "mapping" in options:
            mapping = base / str(options["mapping"])
            if not mapping.is_file():
                problems.append(f"{where}.mapping: {mapping} not found")
            options["mapping"] = mapping
        if layer == "population" and not entry.get("source"):
            problems.append(f"{where}.source: required for population (the source's name)")
        if layer == "basemap" and entry.get("kind") not in BASEMAP_KINDS:
            problems.append(
                f"{where}.kind: {entry.get('kind')!r}; accepted: {', '.join(BASEMAP_KINDS)}"
            )
        loads.append(ManifestLoad(layer, file, entry.get("source"), options))
    if problems:
        raise ConfigError("\n".join(problems))
    return loads


def run_manifest(
    conn: psycopg.Connection[Any],
    path: Path,
    *,
    progress: bool = False,
    settings: Settings,
    on_report: Callable[[LoadReport], None] | None = None,
) -> list[LoadReport]:
    """Run every load of the manifest in order; each is its own transaction. Stops at the
    first load that fails (earlier loads stay committed)."""
    from gisserver.etl.basemap import load_basemap
    from gisserver.etl.loader import load_file
    from gisserver.etl.population import load_population
    from gisserver.etl.roads import load_roads

    loads = read_manifest(path)
    job = f"etl run {path.name}"
    reports: list[LoadReport] = []
    for load in loads:
        if load.layer == "population":
            assert load.source is not None
            report = load_population(
                conn, load.file, source=load.source, settings=settings, job=job, **load.options
            )
        elif load.layer == "basemap":
            report = load_basemap(
                conn, load.file, source=load.source, settings=settings, job=job, **load.options
            )
        elif load.layer == "roads":
            report = load_roads(
                conn, load.file, source=load.source, settings=settings, job=job, **load.options
            )
        else:
            report = load_file(
                conn,
                load.layer,
                load.file,
                source=load.source,
                progress=progress,
                settings=settings,
                job=job,
                **load.options,
            )
        reports.append(report)
        if on_report is not None:
            on_report(report)
    return reports
