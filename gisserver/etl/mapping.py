"""Mappings: how a source's fields become a layer's fields.

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

import datetime as dt
import json
import math
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import yaml

from gisserver.errors import ConfigError
from gisserver.etl.sources import ArrowColumns
from gisserver.layers import Layer, LayerField

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
_TRUE = {"yes", "y", "true", "t", "1"}
_FALSE = {"no", "n", "false", "f", "0"}
_CRS = re.compile(r"^EPSG:\d{4,6}$")
_TEMPLATE_FIELD = re.compile(r"{([^{}]+)}")
_VARIES = object()  # marks a field whose value depends on the row
_FLOAT_MAX = sys.float_info.max
_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1  # the tables' integer columns are 32-bit
# The Arrow type a layer field's values are carried in on their way to COPY.
ARROW_TYPES = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
    "datetime": pa.timestamp("us", tz="UTC"),
    "date": pa.date32(),
}
_JSON = json.JSONEncoder(default=str, ensure_ascii=False)  # built once: dumps() builds one a call


class RowError(ValueError):
    """One field of one row cannot be loaded: the field and the reason go to the rejects file."""

    def __init__(self, field_name: str, reason: str, value: Any = None) -> None:
        super().__init__(f"{field_name}: {reason}")
        self.field = field_name
        self.reason = reason
        self.value = value
        self.source_id: str | None = None


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


@dataclass
class RowMapper:
    """Applies a mapping to rows and coerces values to the layer's field types."""

    layer: Layer
    mapping: FieldMapping
    source_fields: Sequence[str]

    def __post_init__(self) -> None:
        self.tz = ZoneInfo(self.mapping.timezone)
        self.targets = settable_fields(self.layer)
        consumed = self.mapping.consumed()
        props = self.mapping.properties
        if props == "none":
            self.kept: tuple[str, ...] = ()
        elif props == "all":
            self.kept = tuple(f for f in self.source_fields if f not in consumed)
        else:
            self.kept = tuple(props)
        # Per field: its rule, and its value when that does not depend on the row (constants
        # and defaults are coerced once, so a bad constant is a mapping error, not 10,000 rejects)
        self.plan: list[tuple[str, LayerField, FieldRule | None, Any]] = []
        self.fallbacks: dict[str, Any] = {}
        for name in self.targets:
            spec = self.layer.fields[name]
            rule = self.mapping.rules.get(name)
            try:
                fallback = None
                if rule is not None and rule.default is not None:
                    fallback = coerce(rule.default, spec, None, self.tz)
                if fallback is None and spec.default is not None:
                    fallback = coerce(spec.default, spec, None, self.tz)
                constant: Any = fallback
                if (
                    rule is not None
                    and rule.source is None
                    and not rule.cases
                    and not rule.template
                ):
                    constant = coerce(rule.value, spec, rule, self.tz)
                    constant = fallback if constant is None else constant
                elif rule is not None:
                    constant = _VARIES
            except RowError as exc:
                raise ConfigError(f"{self.mapping.origin}: fields.{name}: {exc}") from exc
            self.fallbacks[name] = fallback
            self.plan.append((name, spec, rule, constant))
        missing = sorted(
            f for f in consumed | set(self.mapping.where) if f not in self.source_fields
        )
        if missing:
            raise ConfigError(
                f"{self.mapping.origin}: source field(s) {missing} not in the file; the file "
                f"has: {', '.join(self.source_fields)}"
            )

    def map_batch(self, columns: Mapping[str, Sequence[Any]], size: int) -> MappedBatch:
        """Map ``size`` rows given column by column (source field -> one value per row).

        Column by column rather than row by row: a source column whose Arrow type already fits
        its layer field (the usual case for typed formats) is checked and converted in Arrow;
        the others go through one specialised conversion per field. A row's first bad field
        (source id first, then the layer's fields in order) becomes its error, carrying its
        source id so --replace keeps it."""
        arrays = columns.arrays if isinstance(columns, ArrowColumns) else {}

        def column(name: str) -> Sequence[Any]:
            found = columns.get(name)
            return found if found is not None else [None] * size

        errors: dict[int, RowError] = {}
        skipped: list[bool] | None = None
        if self.mapping.where:
            skipped = [False] * size
            for name, allowed in self.mapping.where.items():
                for i, raw in enumerate(column(name)):
                    if not skipped[i] and _key(raw) not in allowed:
                        skipped[i] = True
        source_ids = pa.nulls(size, pa.string())
        if self.mapping.source_id:
            id_field = self.mapping.source_id
            source_ids = _arrow_ids(arrays.get(id_field))
            if source_ids is None:
                source_ids = pa.array(
                    [(v.strip() or None) if type(v) is str else _text(v) for v in column(id_field)],
                    pa.string(),
                )
            for i in _null_positions(source_ids):
                errors[i] = RowError(id_field, "source id missing", column(id_field)[i])
        values: dict[str, pa.Array] = {}
        for name, spec, rule, constant in self.plan:
            kind = ARROW_TYPES[spec.type]
            if rule is None or constant is not _VARIES:
                values[name] = pa.repeat(pa.scalar(constant, kind), size)
            else:
                converted = None
                source_array = arrays.get(rule.source) if rule.plain() and rule.source else None
                if source_array is not None:
                    converted = _coerce_arrow(source_array, spec, self.mapping.timezone)
                if converted is None:
                    raw = self._raw_column(rule, column, columns, size, errors)
                    converted = pa.array(_coerce_column(raw, spec, rule, self.tz, errors), kind)
                fallback = self.fallbacks[name]
                if fallback is not None and converted.null_count:
                    converted = pc.fill_null(converted, pa.scalar(fallback, kind))
                values[name] = converted
            if spec.required and values[name].null_count:
                source = f" (from {rule.source!r})" if rule and rule.source else ""
                for i in _null_positions(values[name]):
                    if i not in errors:
                        errors[i] = RowError(name, f"required value missing{source}")
        start, end = self.layer.temporal_start, self.layer.temporal_end
        if start and end:
            backwards = pc.fill_null(pc.less(values[end], values[start]), False)
            for i in np.flatnonzero(backwards.to_numpy(zero_copy_only=False)).tolist():
                if i not in errors:
                    began, ended = values[start][i].as_py(), values[end][i].as_py()
                    errors[i] = RowError(end, f"{ended} is before {start} {began}", ended)
        for i, exc in errors.items():
            exc.source_id = source_ids[i].as_py()
        return MappedBatch(
            size=size,
            source_ids=source_ids,
            derived_ids=not self.mapping.source_id,
            values=values,
            properties=self._properties(column, size),
            errors=errors,
            skipped=skipped,
        )

    def _raw_column(
        self,
        rule: FieldRule,
        column: Callable[[str], Sequence[Any]],
        columns: Mapping[str, Sequence[Any]],
        size: int,
        errors: dict[int, RowError],
    ) -> Sequence[Any]:
        """The values a rule takes from the source, before coercion (None where a row's value
        map lookup failed, that row's error recorded)."""
        if rule.cases:
            keyed = {f: [_key(v) for v in column(f)] for c in rule.cases for f in c.when}
            picked: list[Any] = [None] * size
            for i in range(size):
                for case in rule.cases:
                    if all(keyed[f][i] in allowed for f, allowed in case.when.items()):
                        picked[i] = case.value
                        break
            return picked
        if rule.template is not None:
            filled: list[Any] = [None] * size
            for i in range(size):
                try:
                    filled[i] = rule.template.format_map(
                        {k: _text(v[i]) or "" for k, v in columns.items()}
                    )
                except (KeyError, ValueError, IndexError) as exc:
                    errors.setdefault(
                        i, RowError(rule.target, f"template {rule.template!r}: {exc}")
                    )
            return filled
        if rule.source is None:
            return [rule.value] * size
        raw = column(rule.source)
        if rule.values is None:
            return raw
        mapped: list[Any] = [None] * size
        value_map = rule.values
        for i, value in enumerate(raw):
            if value is None or _text(value) is None:
                mapped[i] = value
                continue
            key = _key(value)
            if key in value_map:
                mapped[i] = value_map[key]
            elif i not in errors:
                accepted = ", ".join(sorted(value_map))
                errors[i] = RowError(
                    rule.target, f"{value!r} is not in the value map ({accepted})", value
                )
        return mapped

    def _properties(self, column: Callable[[str], Sequence[Any]], size: int) -> pa.Array | None:
        """Per row, the JSON text of the kept source fields that have a value; None when the
        mapping keeps no field (the column's default, {}, then applies)."""
        kept = [(name, [_jsonable(v) for v in column(name)]) for name in self.kept]
        if not kept:
            return None
        encode = _JSON.encode
        out: list[str] = []
        for i in range(size):
            row = {name: values[i] for name, values in kept if values[i] is not None}
            out.append(encode(row) if row else "{}")
        return pa.array(out, pa.string())


@dataclass
class MappedBatch:
    """One batch after mapping, column by column (Arrow arrays): per row its source id (null
    when ``derived_ids``: derived from the geometry later), the layer values, the properties
    JSON, or its error."""

    size: int
    source_ids: pa.Array
    derived_ids: bool
    values: dict[str, pa.Array]  # layer field -> one value per row
    properties: pa.Array | None  # None: no source field kept, every row's properties are {}
    errors: dict[int, RowError]  # row position in the batch -> its first bad field
    skipped: list[bool] | None  # rows the mapping's ``where`` skips; None without ``where``


def _null_positions(array: pa.Array) -> list[int]:
    if not array.null_count:
        return []
    return np.flatnonzero(array.is_null().to_numpy(zero_copy_only=False)).tolist()


def _trimmed(array: pa.Array) -> pa.Array:
    """Strings without surrounding white space, empty ones as null (as ``coerce`` does)."""
    trimmed = pc.utf8_trim_whitespace(array.cast(pa.string()))
    return pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)


def _arrow_ids(array: pa.Array | None) -> pa.Array | None:
    """Source ids from a text or integer column, None for other types (converted in Python)."""
    if array is None:
        return None
    if pa.types.is_string(array.type) or pa.types.is_large_string(array.type):
        return _trimmed(array)
    if pa.types.is_integer(array.type):
        return array.cast(pa.string())
    return None


def _coerce_arrow(array: pa.Array, spec: LayerField, timezone: str) -> pa.Array | None:
    """``array`` as the field's values, converted in Arrow, when its type already fits the field
    and every value is acceptable; None otherwise (then the values are converted one by one,
    which names the bad rows). The same rules as ``coerce``."""
    kind = array.type
    if array.null_count == len(array):
        return pa.nulls(len(array), ARROW_TYPES[spec.type])
    if spec.type == "string" and (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
        text = _trimmed(array)
        if not spec.enum:
            return text
        # few distinct values (status, severity): each checked once, as coerce() does
        distinct = pc.drop_null(pc.unique(text))
        try:
            members = [coerce(v, spec, None, dt.UTC) for v in distinct.to_pylist()]
        except RowError:
            return None
        return pc.take(pa.array(members, pa.string()), pc.index_in(text, value_set=distinct))
    if spec.type == "integer" and pa.types.is_integer(kind):
        low = _INT_MIN if spec.minimum is None else max(spec.minimum, _INT_MIN)
        high = _INT_MAX if spec.maximum is None else min(spec.maximum, _INT_MAX)
        least, most = pc.min_max(array).values()
        if least.as_py() < low or most.as_py() > high:
            return None
        return array.cast(pa.int64())
    if spec.type == "number" and (pa.types.is_floating(kind) or pa.types.is_integer(kind)):
        numbers = array.cast(pa.float64())
        numbers = pc.if_else(pc.is_nan(numbers), pa.scalar(None, pa.float64()), numbers)
        if numbers.null_count == len(numbers):
            return numbers
        least, most = pc.min_max(numbers).values()
        low = -_FLOAT_MAX if spec.minimum is None else spec.minimum
        high = _FLOAT_MAX if spec.maximum is None else spec.maximum
        if not (low <= least.as_py() and most.as_py() <= high):
            return None  # also catches infinities
        return numbers
    if spec.type == "boolean" and pa.types.is_boolean(kind):
        return array
    if spec.type in ("datetime", "date") and pa.types.is_string(kind):
        try:  # ISO 8601 with an offset (a date for a date field); others one by one
            return array.cast(ARROW_TYPES[spec.type])
        except pa.ArrowInvalid:
            return None
    if spec.type == "datetime" and pa.types.is_timestamp(kind):
        if kind.tz is None and timezone != "UTC":
            return None  # local times: Python's rules for times in a DST change apply
        return array.cast(pa.timestamp("us", tz=kind.tz or "UTC")).cast(ARROW_TYPES["datetime"])
    if spec.type == "date" and pa.types.is_date32(kind):
        return array
    return None


def _coerce_column(
    raw: Sequence[Any],
    spec: LayerField,
    rule: FieldRule | None,
    tz: dt.tzinfo,
    errors: dict[int, RowError],
) -> list[Any]:
    """``coerce`` over a column: values already of the field's type (the usual case for typed
    formats) pass a type check only; a batch with a bad value is redone value by value to
    record which rows are bad."""

    def slow(value: Any) -> Any:
        return coerce(value, spec, rule, tz)

    convert = slow
    # inf and NaN fail these range tests and take the slow way (rejected, or None for NaN)
    low = -_FLOAT_MAX if spec.minimum is None else max(spec.minimum, -_FLOAT_MAX)
    high = _FLOAT_MAX if spec.maximum is None else min(spec.maximum, _FLOAT_MAX)
    if spec.type == "integer":
        low, high = max(low, _INT_MIN), min(high, _INT_MAX)
    if spec.type == "string" and not spec.enum:

        def convert(value: Any) -> Any:
            return (value.strip() or None) if type(value) is str else slow(value)

    elif spec.type == "string":
        # few distinct values (status, severity): remembered per batch
        known: dict[str, str] = {}

        def convert(value: Any) -> Any:
            if type(value) is str:
                found = known.get(value)
                if found is None:
                    found = known[value] = slow(value)
                return found
            return slow(value)

    elif spec.type == "integer":

        def convert(value: Any) -> Any:
            return value if type(value) is int and low <= value <= high else slow(value)

    elif spec.type == "number":

        def convert(value: Any) -> Any:
            return value if type(value) is float and low <= value <= high else slow(value)

    elif spec.type == "boolean":

        def convert(value: Any) -> Any:
            return value if type(value) is bool else slow(value)

    try:
        return [None if value is None else convert(value) for value in raw]
    except RowError:
        pass
    out: list[Any] = [None] * len(raw)
    for i, value in enumerate(raw):
        if value is None:
            continue
        try:
            out[i] = convert(value)
        except RowError as exc:
            if i not in errors:
                errors[i] = exc
    return out


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer():
            value = int(value)
    text = str(value).strip()
    return text or None


def _jsonable(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, bytes):
        return None
    if isinstance(value, str):
        return value if value.strip() else None
    return value


def coerce(raw: Any, spec: LayerField, rule: FieldRule | None, tz: dt.tzinfo) -> Any:
    """``raw`` as a value of the layer field's type, or None when empty; RowError when it
    cannot be one."""
    # the common cases first: plain text for a free-text field, an int for an unbounded one
    if type(raw) is str and spec.type == "string" and not spec.enum:
        return raw.strip() or None
    if (
        type(raw) is int
        and spec.type == "integer"
        and spec.minimum is None
        and spec.maximum is None
        and _INT_MIN <= raw <= _INT_MAX
    ):
        return raw
    if raw is None or (isinstance(raw, float) and math.isnan(raw)):
        return None
    if isinstance(raw, str) and not raw.strip():
        return None
    name = spec.name
    kind = spec.type
    try:
        if kind == "string":
            value: Any = _text(raw)
            if value is not None and spec.enum:
                value = _enum(value, spec)
        elif kind == "integer":
            value = _integer(raw)
        elif kind == "number":
            value = float(str(raw).strip().replace(",", "")) if isinstance(raw, str) else float(raw)
            if not math.isfinite(value):
                raise ValueError("not a finite number")
        elif kind == "boolean":
            value = _boolean(raw)
        elif kind == "datetime":
            value = _datetime(raw, rule, tz)
        elif kind == "date":
            value = _date(raw, rule)
        else:  # layers.py only admits the types above
            raise ValueError(f"unsupported field type {kind}")
    except RowError:
        raise
    except (TypeError, ValueError, OverflowError) as exc:
        raise RowError(name, f"{raw!r} is not a valid {kind} ({exc})", raw) from exc
    if kind == "integer" and not _INT_MIN <= value <= _INT_MAX:
        raise RowError(name, f"{value} is outside the integer range {_INT_MIN} to {_INT_MAX}", raw)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if spec.minimum is not None and value < spec.minimum:
            raise RowError(name, f"{value} is below the minimum {spec.minimum}", raw)
        if spec.maximum is not None and value > spec.maximum:
            raise RowError(name, f"{value} is above the maximum {spec.maximum}", raw)
    return value


def _enum(value: str, spec: LayerField) -> str:
    assert spec.enum is not None
    wanted = value.strip().lower().replace(" ", "_")
    for member in spec.enum:
        if member == wanted:
            return member
    raise RowError(spec.name, f"{value!r} is not one of {', '.join(spec.enum)}", value)


def _integer(raw: Any) -> int:
    if isinstance(raw, bool):
        raise ValueError("a boolean is not an integer")
    if isinstance(raw, int):
        return raw
    number = float(str(raw).strip().replace(",", "")) if isinstance(raw, str) else float(raw)
    if not number.is_integer():
        raise ValueError("has a fractional part")
    return int(number)


def _boolean(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int | float) and raw in (0, 1):
        return bool(raw)
    text = str(raw).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError("accepted: yes/no, y/n, true/false, t/f, 1/0")


def _datetime(raw: Any, rule: FieldRule | None, tz: dt.tzinfo) -> dt.datetime:
    if isinstance(raw, dt.datetime):
        value = raw
    elif isinstance(raw, dt.date):
        value = dt.datetime.combine(raw, dt.time())
    elif isinstance(raw, int | float) and not isinstance(raw, bool):
        # Esri/ArcGIS exports (FEMA NSS) carry epoch milliseconds; 'epoch: s' for seconds
        seconds = raw / 1000 if (rule is None or rule.epoch != "s") else raw
        return dt.datetime.fromtimestamp(seconds, dt.UTC)
    else:
        text = str(raw).strip()
        if rule is not None and rule.format:
            value = dt.datetime.strptime(text, rule.format)
        else:
            value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=tz)


def _date(raw: Any, rule: FieldRule | None) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = str(raw).strip()
    if rule is not None and rule.format:
        return dt.datetime.strptime(text, rule.format).date()
    return dt.date.fromisoformat(text[:10])
