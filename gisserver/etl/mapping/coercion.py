"""Values as a layer field's type: one value (``coerce``), or a whole column, in Arrow when its
type already fits (``_coerce_arrow``) else value by value (``_coerce_column``). A value that
cannot be one is a RowError: the row goes to the rejects file with the field and the reason."""

from __future__ import annotations

import datetime as dt
import json
import math
import sys
from collections.abc import Sequence
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from gisserver.etl.mapping.spec import FieldRule
from gisserver.layers import LayerField

_TRUE = {"yes", "y", "true", "t", "1"}
_FALSE = {"no", "n", "false", "f", "0"}
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
    "list": pa.list_(pa.string()),  # COPY gets it as text[] (etl.copy.array_text)
}


class RowError(ValueError):
    """One field of one row cannot be loaded: the field and the reason go to the rejects file."""

    def __init__(self, field_name: str, reason: str, value: Any = None) -> None:
        super().__init__(f"{field_name}: {reason}")
        self.field = field_name
        self.reason = reason
        self.value = value
        self.source_id: str | None = None


def _trimmed(array: pa.Array) -> pa.Array:
    """Strings without surrounding white space, empty ones as null (as ``coerce`` does)."""
    trimmed = pc.utf8_trim_whitespace(array.cast(pa.string()))
    return pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)


def _highest(spec: LayerField) -> float:
    """The highest value the field takes (its maximum, or just below its exclusive maximum)."""
    high = _FLOAT_MAX if spec.maximum is None else min(spec.maximum, _FLOAT_MAX)
    if spec.exclusive_maximum is not None:
        high = min(high, math.nextafter(spec.exclusive_maximum, -math.inf))
    return high


def _coerce_arrow(array: pa.Array, spec: LayerField, timezone: str) -> pa.Array | None:
    """``array`` as the field's values, converted in Arrow, when its type already fits the field
    and every value is acceptable; None otherwise (then the values are converted one by one,
    which names the bad rows). The same rules as ``coerce``."""
    kind = array.type
    if array.null_count == len(array):
        return pa.nulls(len(array), ARROW_TYPES[spec.type])
    if spec.type == "list":
        return None  # few rows (units): each list's items checked one by one
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
        high = min(_highest(spec), _INT_MAX)
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
        high = _highest(spec)
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
    high = _highest(spec)
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
        and spec.exclusive_maximum is None
        and _INT_MIN <= raw <= _INT_MAX
    ):
        return raw
    if raw is None or (isinstance(raw, float) and math.isnan(raw)):
        return None
    if isinstance(raw, str) and not raw.strip():
        return None
    name = spec.name
    kind = spec.type
    if kind == "list":
        return _list(raw, spec)
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
        if spec.exclusive_maximum is not None and value >= spec.exclusive_maximum:
            raise RowError(name, f"{value} is not below {spec.exclusive_maximum}", raw)
    return value


def _enum(value: str, spec: LayerField) -> str:
    assert spec.enum is not None
    wanted = value.strip().lower().replace(" ", "_")
    for member in spec.enum:
        if member.lower() == wanted:  # members may be upper case (response levels I..IV)
            return member
    raise RowError(spec.name, f"{value!r} is not one of {', '.join(spec.enum)}", value)


def _list(raw: Any, spec: LayerField) -> list[str]:
    """A list field's items: from a list (JSON, GeoJSON), a JSON array's text, or text split on
    ``;`` (or on ``,`` when it has no ``;``) as a CSV cell carries them; each item one of the
    enum (normalised as an enum value is), none repeated. Empty items are dropped."""
    items: Any = raw
    if isinstance(raw, str):
        text = raw.strip()
        if text.startswith("["):
            try:
                items = json.loads(text)
            except ValueError as exc:
                raise RowError(spec.name, f"{raw!r} is not a JSON array of strings", raw) from exc
        else:
            items = text.split(";" if ";" in text else ",")
    if not isinstance(items, list | tuple):
        raise RowError(
            spec.name, f"{raw!r} is not a list (a JSON array, or text split on ; or ,)", raw
        )
    out: list[str] = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, str | int | float):
            raise RowError(spec.name, f"item {item!r} is not a string", raw)
        item_text = _text(item)
        if item_text is None:
            continue
        value = _enum(item_text, spec) if spec.enum else item_text
        if value in out:
            raise RowError(spec.name, f"{value!r} is repeated", raw)
        out.append(value)
    return out


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
