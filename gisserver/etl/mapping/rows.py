"""Applying a mapping to the rows of a batch, column by column: the layer's values, the source
ids, the properties JSON, and each bad row's first error."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from gisserver.errors import ConfigError
from gisserver.etl.mapping.coercion import (
    ARROW_TYPES,
    RowError,
    _coerce_arrow,
    _coerce_column,
    _text,
    _trimmed,
    coerce,
)
from gisserver.etl.mapping.spec import FieldMapping, FieldRule, _key, settable_fields
from gisserver.etl.sources import ArrowColumns
from gisserver.layers import Layer, LayerField

_VARIES = object()  # marks a field whose value depends on the row
_JSON = json.JSONEncoder(default=str, ensure_ascii=False)  # built once: dumps() builds one a call


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


def _arrow_ids(array: pa.Array | None) -> pa.Array | None:
    """Source ids from a text or integer column, None for other types (converted in Python)."""
    if array is None:
        return None
    if pa.types.is_string(array.type) or pa.types.is_large_string(array.type):
        return _trimmed(array)
    if pa.types.is_integer(array.type):
        return array.cast(pa.string())
    return None


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
