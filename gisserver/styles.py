"""Styles per layer in ``styles/``: a QGIS ``.qml``, an OGC ``.sld`` and a MapLibre style JSON.

``check_styles`` is what ``gisserver check`` runs: every layer has the three files, they parse,
and the attributes their rules read are fields (or derived fields) of the layer.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from gisserver.layers import Layer, LayerRegistry

STYLE_FORMATS = {"qml": "QGIS", "sld": "OGC SLD 1.1", "json": "MapLibre"}
# Attributes a style may read besides the layer's public and derived fields (layers/*.yaml).
MAP_ATTRIBUTES = {"id", "thinned", "layer", "items", "item_count"}


def style_paths(styles_dir: Path, layer: Layer) -> dict[str, Path]:
    name = layer.style or layer.id
    return {ext: styles_dir / f"{name}.{ext}" for ext in STYLE_FORMATS}


def _maplibre_attributes(node: Any) -> Iterator[str]:
    """Every attribute a MapLibre expression reads with ["get", name]."""
    if isinstance(node, list):
        if len(node) >= 2 and node[0] == "get" and isinstance(node[1], str):
            yield node[1]
        for child in node:
            yield from _maplibre_attributes(child)
    elif isinstance(node, dict):
        for child in node.values():
            yield from _maplibre_attributes(child)


def _xml_attributes(root: ET.Element) -> Iterator[str]:
    for el in root.iter():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "PropertyName" and el.text:
            yield el.text.strip()
        if tag == "rule" and el.get("filter"):
            yield from _qgis_filter_attributes(el.get("filter", ""))
        if tag == "category" or tag == "renderer-v2":
            attr = el.get("attr")
            if attr:
                yield attr.strip('"')


def _qgis_filter_attributes(expression: str) -> Iterator[str]:
    parts = expression.split('"')
    yield from (parts[i] for i in range(1, len(parts), 2))


def check_styles(styles_dir: Path, layers: LayerRegistry) -> list[str]:
    """Problems found, one line each, naming the file, what is wrong and what is accepted."""
    problems: list[str] = []
    for layer in layers:
        known = set(layer.public_fields) | set(layer.derived) | MAP_ATTRIBUTES
        for ext, path in style_paths(styles_dir, layer).items():
            if not path.exists():
                problems.append(f"{path}: missing {STYLE_FORMATS[ext]} style for layer {layer.id}")
                continue
            try:
                if ext == "json":
                    doc = json.loads(path.read_text())
                    if not isinstance(doc, dict) or doc.get("version") != 8:
                        problems.append(f"{path}: version: a MapLibre style has version 8")
                        continue
                    used = set(_maplibre_attributes(doc.get("layers", [])))
                else:
                    used = set(_xml_attributes(ET.parse(path).getroot()))
            except (json.JSONDecodeError, ET.ParseError) as exc:
                problems.append(f"{path}: cannot be parsed: {exc}")
                continue
            for attr in sorted(used - known):
                problems.append(
                    f"{path}: reads attribute {attr!r}, which is not a public field of "
                    f"{layer.id}; accepted: {', '.join(sorted(known))}"
                )
    return problems


# --- documents served at /styles (gisserver.web.styles) ----------------------------------------

STYLE_MEDIA_TYPES = {
    "json": "application/vnd.mapbox.style+json",
    "sld": "application/vnd.ogc.sld+xml",
    "qml": "application/xml",
}
BASE_PLACEHOLDER = "{base}"
SITUATION = "situation"
# Drawn first to last: areas under points, the most urgent points on top.
SITUATION_ORDER = ("hazard_zones", "stockpiles", "cameras", "shelters", "incidents")


def maplibre_style(styles_dir: Path, layer: Layer, base: str) -> dict[str, Any]:
    """A layer's MapLibre style with the server's base URL in its source."""
    path = style_paths(styles_dir, layer)["json"]
    doc: dict[str, Any] = json.loads(path.read_text().replace(BASE_PLACEHOLDER, base))
    return doc


def situation_style(styles_dir: Path, layers: LayerRegistry, base: str) -> dict[str, Any]:
    """Every layer's MapLibre style layers in one document over the one ``gisserver`` source."""
    combined: dict[str, Any] = {
        "version": 8,
        "name": "gisserver situation",
        "metadata": {"gisserver:layers": [layer.id for layer in layers]},
        "sources": {},
        "layers": [
            {"id": "background", "type": "background", "paint": {"background-color": "#f4f3ef"}}
        ],
    }
    by_id = {layer.id: layer for layer in layers}
    for layer_id in [i for i in SITUATION_ORDER if i in by_id] + [
        i for i in by_id if i not in SITUATION_ORDER
    ]:
        doc = maplibre_style(styles_dir, by_id[layer_id], base)
        combined["sources"].update(doc.get("sources", {}))
        combined["layers"].extend(doc.get("layers", []))
    return combined
