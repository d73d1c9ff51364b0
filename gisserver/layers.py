"""The published layers, read from ``layers/*.yaml``: the single source of truth for titles,
descriptions, fields and their types, which fields are public, the temporal fields and keywords.

Every problem is reported with the file, the key and what is accepted, e.g.
``layers/shelters.yaml: fields.capacity.type: 'int' is not a field type; accepted: boolean, ...``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from gisserver.errors import ConfigError

LAYER_IDS = ("hazard_zones", "shelters", "stockpiles", "cameras", "incidents")
FIELD_TYPES = ("string", "integer", "number", "boolean", "datetime", "date")
GEOMETRY_TYPES = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon")
# Migration 0003's severity_rank(text) ranks them 1..4 in this order (tests keep the two in step).
SEVERITIES = ("low", "moderate", "high", "extreme")
# The items a stockpile can hold: migration 0001's CHECK on stockpile_items.item (tests keep the
# two in step).
STOCK_ITEMS = (
    "water",
    "food_ration",
    "blanket",
    "medical_kit",
    "sandbag",
    "generator",
    "salt",
    "fuel",
    "cot",
    "hygiene_kit",
    "ppe",
    "pump",
    "tarp",
)

_LAYER_KEYS = {
    "id",
    "title",
    "description",
    "keywords",
    "geometry_types",
    "temporal",
    "fields",
    "crs",
    "style",
    "attribution",
    "licence",
}
_FIELD_KEYS = {
    "type",
    "title",
    "description",
    "required",
    "public",
    "enum",
    "unit",
    "minimum",
    "maximum",
    "default",
    "ordered",
    "in_tiles",
}
_TEMPORAL_KEYS = {"start", "end"}
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_CRS = re.compile(r"^EPSG:\d{4,6}$")


@dataclass(frozen=True)
class LayerField:
    name: str
    type: str
    title: str
    description: str = ""
    required: bool = False
    public: bool = True
    enum: tuple[str, ...] | None = None
    ordered: bool = False
    unit: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    default: Any = None
    in_tiles: bool = True


@dataclass(frozen=True)
class Layer:
    id: str
    title: str
    description: str
    keywords: tuple[str, ...]
    geometry_types: tuple[str, ...]
    fields: Mapping[str, LayerField]
    temporal_start: str | None = None
    temporal_end: str | None = None
    crs: tuple[str, ...] = ()
    style: str | None = None
    attribution: str | None = None
    licence: str | None = None
    path: Path | None = field(default=None, compare=False)

    @property
    def table(self) -> str:
        return self.id

    @property
    def public_fields(self) -> dict[str, LayerField]:
        return {name: f for name, f in self.fields.items() if f.public}

    @property
    def private_fields(self) -> tuple[str, ...]:
        return tuple(name for name, f in self.fields.items() if not f.public)


class _Reader:
    """Reads one YAML file, collecting every problem before failing."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[str] = []

    def problem(self, key: str, text: str) -> None:
        self.problems.append(f"{self.path}: {key}: {text}")

    def unknown(self, key: str, data: Mapping[str, Any], allowed: set[str]) -> None:
        for k in data:
            if k not in allowed:
                where = f"{key}.{k}" if key else str(k)
                self.problem(where, f"unknown key; accepted: {', '.join(sorted(allowed))}")

    def text(self, data: Mapping[str, Any], key: str, where: str, required: bool = True) -> str:
        value = data.get(key)
        if value is None:
            if required:
                self.problem(where, "is required (a non-empty string)")
            return ""
        if not isinstance(value, str) or not value.strip():
            self.problem(where, f"{value!r} is not a non-empty string")
            return ""
        return value.strip()


def _read_field(r: _Reader, name: str, spec: Any) -> LayerField | None:
    where = f"fields.{name}"
    if not _NAME.match(str(name)):
        r.problem(where, "field names are lower_snake_case")
    if not isinstance(spec, dict):
        r.problem(where, "must be a mapping with at least 'type'")
        return None
    r.unknown(where, spec, _FIELD_KEYS)
    ftype = spec.get("type")
    if ftype not in FIELD_TYPES:
        r.problem(
            f"{where}.type", f"{ftype!r} is not a field type; accepted: {', '.join(FIELD_TYPES)}"
        )
    enum = spec.get("enum")
    if enum is not None and (
        not isinstance(enum, list) or not enum or not all(isinstance(v, str) for v in enum)
    ):
        r.problem(f"{where}.enum", "must be a non-empty list of strings")
        enum = None
    for flag in ("required", "public", "ordered", "in_tiles"):
        if flag in spec and not isinstance(spec[flag], bool):
            r.problem(f"{where}.{flag}", f"{spec[flag]!r} is not true or false")
    for bound in ("minimum", "maximum"):
        if bound in spec and not isinstance(spec[bound], int | float):
            r.problem(f"{where}.{bound}", f"{spec[bound]!r} is not a number")
    default = spec.get("default")
    if enum and default is not None and default not in enum:
        r.problem(f"{where}.default", f"{default!r} is not one of the enum values {enum}")
    return LayerField(
        name=str(name),
        type=str(ftype),
        title=str(spec.get("title") or str(name).replace("_", " ").capitalize()),
        description=str(spec.get("description") or ""),
        required=bool(spec.get("required", False)),
        public=bool(spec.get("public", True)),
        enum=tuple(enum) if enum else None,
        ordered=bool(spec.get("ordered", False)),
        unit=spec.get("unit"),
        minimum=spec.get("minimum"),
        maximum=spec.get("maximum"),
        default=default,
        in_tiles=bool(spec.get("in_tiles", True)),
    )


def read_layer(path: Path) -> Layer:
    """Read and validate one layer file; raises ConfigError listing every problem."""
    r = _Reader(path)
    try:
        data = yaml.safe_load(path.read_text())
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: must be a YAML mapping with id, title, fields, ...")
    r.unknown("", data, _LAYER_KEYS)
    layer_id = r.text(data, "id", "id")
    if layer_id and layer_id != path.stem:
        r.problem("id", f"{layer_id!r} differs from the file name {path.stem!r}")
    if layer_id and layer_id not in LAYER_IDS:
        r.problem("id", f"{layer_id!r} is not a published layer; accepted: {', '.join(LAYER_IDS)}")
    title = r.text(data, "title", "title")
    description = r.text(data, "description", "description")
    keywords = data.get("keywords") or []
    if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
        r.problem("keywords", "must be a list of strings")
        keywords = []
    gtypes = data.get("geometry_types")
    if not isinstance(gtypes, list) or not gtypes:
        r.problem("geometry_types", f"must be a non-empty list of {', '.join(GEOMETRY_TYPES)}")
        gtypes = []
    for g in gtypes:
        if g not in GEOMETRY_TYPES:
            r.problem(
                "geometry_types", f"{g!r} is not accepted; accepted: {', '.join(GEOMETRY_TYPES)}"
            )
    fields_spec = data.get("fields")
    fields: dict[str, LayerField] = {}
    if not isinstance(fields_spec, dict) or not fields_spec:
        r.problem("fields", "must be a mapping of field name to its description")
    else:
        for name, spec in fields_spec.items():
            f = _read_field(r, str(name), spec)
            if f is not None:
                fields[f.name] = f
    temporal = data.get("temporal") or {}
    start = end = None
    if not isinstance(temporal, dict):
        r.problem("temporal", "must be a mapping with 'start' and optionally 'end'")
    else:
        r.unknown("temporal", temporal, _TEMPORAL_KEYS)
        start, end = temporal.get("start"), temporal.get("end")
        for key, value in (("start", start), ("end", end)):
            if value is None:
                continue
            if value not in fields:
                r.problem(f"temporal.{key}", f"{value!r} is not one of this layer's fields")
            elif fields[value].type not in ("datetime", "date"):
                r.problem(f"temporal.{key}", f"{value!r} is not a datetime or date field")
        if end and not start:
            r.problem("temporal.end", "needs temporal.start")
    crs = data.get("crs") or []
    if not isinstance(crs, list) or not all(isinstance(c, str) and _CRS.match(c) for c in crs):
        r.problem("crs", "must be a list like ['EPSG:2249'] (projected CRSs offered besides CRS84)")
        crs = []
    if r.problems:
        raise ConfigError("\n".join(r.problems))
    return Layer(
        id=layer_id,
        title=title,
        description=description,
        keywords=tuple(keywords),
        geometry_types=tuple(gtypes),
        fields=fields,
        temporal_start=start,
        temporal_end=end,
        crs=tuple(crs),
        style=data.get("style") or layer_id,
        attribution=data.get("attribution"),
        licence=data.get("licence"),
        path=path,
    )


@dataclass(frozen=True)
class LayerRegistry:
    """All published layers, in the order of LAYER_IDS."""

    layers: Mapping[str, Layer]

    def __iter__(self) -> Iterator[Layer]:
        return iter(self.layers.values())

    def __contains__(self, layer_id: object) -> bool:
        return layer_id in self.layers

    def __getitem__(self, layer_id: str) -> Layer:
        return self.layers[layer_id]

    def ids(self) -> tuple[str, ...]:
        return tuple(self.layers)


def load_layers(layers_dir: Path) -> LayerRegistry:
    """Read every layer file; raises ConfigError listing the problems of all files."""
    if not layers_dir.is_dir():
        raise ConfigError(f"{layers_dir}: layers directory not found; set GISSERVER_LAYERS_DIR")
    problems: list[str] = []
    found: dict[str, Layer] = {}
    for path in sorted(layers_dir.glob("*.yaml")):
        try:
            layer = read_layer(path)
        except ConfigError as exc:
            problems.append(exc.message)
            continue
        found[layer.id] = layer
    for layer_id in LAYER_IDS:
        if layer_id not in found and not any(f"{layer_id}.yaml" in p for p in problems):
            problems.append(
                f"{layers_dir / (layer_id + '.yaml')}: missing; every published "
                f"layer needs a file ({', '.join(LAYER_IDS)})"
            )
    if problems:
        raise ConfigError("\n".join(problems))
    return LayerRegistry({layer_id: found[layer_id] for layer_id in LAYER_IDS})
