"""The mapping spec: how a source's fields become a layer's fields, read and checked.

A mapping is a YAML file (``etl/mappings/<name>.yaml``) or a dict::

    source_id: GlobalID            # source field holding a stable id (else an id is derived)
    layer: PUBLICSAFETY_X          # layer inside the file (GeoPackage layer, TopoJSON object)
    coordinates: {x: X, y: Y}      # CSV / JSON records with unusual coordinate column names
    crs: EPSG:2263                 # CRS of a file that declares none
    timezone: America/New_York     # for date-times without an offset (default UTC)
    where: {zone: [1, 2, 3]}       # rows whose fields do not match are skipped (not rejected)
    properties: all                # unmapped fields kept in `properties`: all | none | [names]
    fields:
      name: SHELTER_NAME           # short form: the source field
      capacity: {from: EVACUATION_CAPACITY}
      status: {from: SHELTER_STATUS_CODE, values: {OPEN: open, CLOSED: closed}}
      hazard_type: {value: flood}  # a constant
      severity:                    # first matching case wins
        cases:
          - {when: {zone_subty: FLOODWAY}, value: extreme}
          - {when: {fld_zone: AE}, value: high}
      reported_at: {from: Date Time, format: "%m/%d/%Y %I:%M:%S %p"}
      stream_url: {template: "https://example.org/cam/{id}"}
      occupancy: {from: TOTAL_POPULATION, default: 0}
      opened_at: {from: SHELTER_OPEN_DATE, epoch: ms}

Field names, types, enumerations and required flags come from ``layers/*.yaml``; a mapping
only says where values come from. Without a mapping, source fields named like the layer's
fields (exactly, else ignoring case) are used.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from gisserver.errors import ConfigError
from gisserver.layers import Layer

# Columns every layer table has that a source never sets directly.
TABLE_COLUMNS = ("id", "source", "source_id", "properties", "loaded_at", "updated_at", "geom")

_MAPPING_KEYS = {
    "source_id",
    "layer",
    "coordinates",
    "crs",
    "timezone",
    "where",
    "properties",
    "fields",
    "description",
}
_RULE_KEYS = {"from", "value", "default", "values", "cases", "template", "format", "epoch"}
_CRS = re.compile(r"^EPSG:\d{4,6}$")
_TEMPLATE_FIELD = re.compile(r"{([^{}]+)}")


@dataclass(frozen=True)
class Case:
    when: Mapping[str, tuple[str, ...]]
    value: Any


@dataclass(frozen=True)
class FieldRule:
    """Where one layer field's value comes from."""

    target: str
    source: str | None = None
    value: Any = None
    default: Any = None
    values: Mapping[str, Any] | None = None
    cases: tuple[Case, ...] = ()
    template: str | None = None
    format: str | None = None
    epoch: str | None = None

    def plain(self) -> bool:
        """The rule takes a source field's value as it is (its type still coerced)."""
        return (
            self.source is not None
            and self.values is None
            and not self.cases
            and self.template is None
            and self.format is None
            and self.epoch is None
        )

    def source_fields(self) -> set[str]:
        used = {self.source} if self.source else set()
        for case in self.cases:
            used.update(case.when)
        if self.template:
            used.update(_TEMPLATE_FIELD.findall(self.template))
        return used


@dataclass(frozen=True)
class FieldMapping:
    """A whole mapping: rules per layer field plus how to find ids, coordinates and the CRS."""

    rules: Mapping[str, FieldRule]
    source_id: str | None = None
    layer: str | None = None
    coordinates: tuple[str, str] | None = None
    crs: str | None = None
    timezone: str = "UTC"
    where: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    properties: str | tuple[str, ...] = "all"
    origin: str = "(automatic)"

    def consumed(self) -> set[str]:
        """Source fields the rules use (they do not go to ``properties``)."""
        used: set[str] = set()
        for rule in self.rules.values():
            used |= rule.source_fields()
        if self.source_id:
            used.add(self.source_id)
        return used


def _as_str_tuple(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    return tuple(_key(v) for v in items)


def _key(value: Any) -> str:
    """The text form source values are compared in (value maps, cases, where)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip().lower()


def read_mapping(spec: Path | Mapping[str, Any], layer: Layer) -> FieldMapping:
    """Read a mapping file or dict, checking every key against ``layer``'s fields."""
    origin = str(spec) if isinstance(spec, Path) else "mapping"
    if isinstance(spec, Path):
        if not spec.is_file():
            raise ConfigError(f"{spec}: mapping file not found")
        try:
            data = yaml.safe_load(spec.read_text())
        except yaml.YAMLError as exc:
            raise ConfigError(f"{spec}: not valid YAML: {exc}") from exc
    else:
        data = dict(spec)
    if not isinstance(data, dict):
        raise ConfigError(f"{origin}: a mapping must be a YAML mapping with 'fields', ...")
    problems: list[str] = []
    for key in data:
        if key not in _MAPPING_KEYS:
            problems.append(f"{key}: unknown key; accepted: {', '.join(sorted(_MAPPING_KEYS))}")
    settable = settable_fields(layer)
    rules: dict[str, FieldRule] = {}
    fields_spec = data.get("fields") or {}
    if not isinstance(fields_spec, dict):
        problems.append("fields: must map layer fields to their source")
        fields_spec = {}
    for target, rule_spec in fields_spec.items():
        if target not in settable:
            problems.append(
                f"fields.{target}: not a field of layer {layer.id}; accepted: {', '.join(settable)}"
            )
            continue
        rule = _read_rule(str(target), rule_spec, problems)
        if rule is not None:
            rules[str(target)] = rule
    coordinates = data.get("coordinates")
    xy: tuple[str, str] | None = None
    if coordinates is not None:
        if not isinstance(coordinates, dict) or set(coordinates) != {"x", "y"}:
            problems.append("coordinates: must be {x: COLUMN, y: COLUMN}")
        else:
            xy = (str(coordinates["x"]), str(coordinates["y"]))
    crs = data.get("crs")
    if crs is not None and not (isinstance(crs, str) and _CRS.match(crs)):
        problems.append(f"crs: {crs!r} is not like EPSG:2263")
    timezone = str(data.get("timezone") or "UTC")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(f"timezone: {timezone!r} is not an IANA time zone like America/New_York")
    where_spec = data.get("where") or {}
    if not isinstance(where_spec, dict):
        problems.append("where: must map source fields to a value or a list of values")
        where_spec = {}
    properties = data.get("properties", "all")
    if not (properties in ("all", "none") or isinstance(properties, list)):
        problems.append("properties: accepted: all, none, or a list of source fields")
    if problems:
        raise ConfigError("\n".join(f"{origin}: {p}" for p in problems))
    return FieldMapping(
        rules=rules,
        source_id=str(data["source_id"]) if data.get("source_id") else None,
        layer=str(data["layer"]) if data.get("layer") else None,
        coordinates=xy,
        crs=crs,
        timezone=timezone,
        where={str(k): _as_str_tuple(v) for k, v in where_spec.items()},
        properties=tuple(str(p) for p in properties)
        if isinstance(properties, list)
        else properties,
        origin=origin,
    )


def _read_rule(target: str, spec: Any, problems: list[str]) -> FieldRule | None:
    where = f"fields.{target}"
    if isinstance(spec, str):
        return FieldRule(target=target, source=spec)
    if not isinstance(spec, dict):
        problems.append(f"{where}: a source field name or a mapping with from/value/...")
        return None
    for key in spec:
        if key not in _RULE_KEYS:
            problems.append(
                f"{where}.{key}: unknown key; accepted: {', '.join(sorted(_RULE_KEYS))}"
            )
    if not any(k in spec for k in ("from", "value", "cases", "template", "default")):
        problems.append(f"{where}: needs one of from, value, cases, template, default")
    values = spec.get("values")
    if values is not None and not isinstance(values, dict):
        problems.append(f"{where}.values: must map source values to layer values")
        values = None
    cases: list[Case] = []
    for i, case in enumerate(spec.get("cases") or []):
        if (
            not isinstance(case, dict)
            or not isinstance(case.get("when"), dict)
            or "value" not in case
        ):
            problems.append(f"{where}.cases[{i}]: must be {{when: {{FIELD: VALUE}}, value: V}}")
            continue
        cases.append(
            Case(
                when={str(k): _as_str_tuple(v) for k, v in case["when"].items()},
                value=case["value"],
            )
        )
    epoch = spec.get("epoch")
    if epoch is not None and epoch not in ("ms", "s"):
        problems.append(f"{where}.epoch: {epoch!r}; accepted: ms, s")
    return FieldRule(
        target=target,
        source=str(spec["from"]) if spec.get("from") is not None else None,
        value=spec.get("value"),
        default=spec.get("default"),
        values={_key(k): v for k, v in values.items()} if values else None,
        cases=tuple(cases),
        template=spec.get("template"),
        format=spec.get("format"),
        epoch=epoch,
    )


def settable_fields(layer: Layer) -> tuple[str, ...]:
    """The layer's fields a source sets (not the table's own bookkeeping columns)."""
    return tuple(name for name in layer.fields if name not in TABLE_COLUMNS)


def automatic_mapping(layer: Layer, source_fields: Sequence[str]) -> FieldMapping:
    """Source fields named like the layer's fields (exactly, else ignoring case); an id from a
    ``source_id`` or ``id`` field when there is one."""
    exact = set(source_fields)
    lowered = {f.lower(): f for f in source_fields}
    rules: dict[str, FieldRule] = {}
    for name in settable_fields(layer):
        found = name if name in exact else lowered.get(name)
        if found is not None:
            rules[name] = FieldRule(target=name, source=found)
    source_id = next(
        (lowered[c] for c in ("source_id", "id") if c in lowered and lowered[c] not in rules), None
    )
    return FieldMapping(rules=rules, source_id=source_id)
