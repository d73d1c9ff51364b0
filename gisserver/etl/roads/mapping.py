"""The roads mapping: which fields of a street-centreline file give a segment's name, class,
one-way rule, posted speed, id and the file's own node ids. A small YAML file of its own (the
layers' mapping in ``etl/mapping`` describes a layer's fields, which roads are not)::

    layer: Street_Centerlines     # optional: the layer inside a GeoPackage
    crs: EPSG:2249                # optional: the CRS of a file that declares none
    source_id: ID                 # optional: the field holding the segment's id
    name: Street                  # optional: the street name
    class:                        # the road class (a class of the routing profile)
      from: MajorRoad             # the field; without it every segment takes the default
      values: {1: primary, 2: secondary, 0: primary}
      default: residential        # values not listed (null too); without it they are rejected
    one_way:                      # optional (default: every segment both ways)
      from: Direction
      values: {"0": both, "1": forward, "-1": backward}   # or 0, 1, -1
      default: both               # values not listed (null too); the default default is both
    nodes: {from: FromNode, to: ToNode}   # optional: the file's own node ids, checked
    maxspeed: {from: SPEED, unit: mph}    # optional: posted speed, km/h (default) or mph

``class: HIGHWAY`` (a field name alone) takes the field's values as class names. Keys of
``values`` match the file's values as text (``1``, ``1.0`` and ``"1"`` are the same value);
``null`` as a key matches a missing value.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from gisserver.errors import ConfigError, InvalidParameter
from gisserver.etl.mapping import RowError

ONE_WAY_WORDS = {"both": 0, "forward": 1, "backward": -1}
MPH_TO_KMH = 1.609344
MAX_SPEED_KMH = 300.0
_KEYS = ("layer", "crs", "source_id", "name", "class", "one_way", "nodes", "maxspeed")
_RULE_KEYS = {
    "class": ("from", "values", "default"),
    "one_way": ("from", "values", "default"),
    "nodes": ("from", "to"),
    "maxspeed": ("from", "unit"),
}
_UNITS = {"kmh": 1.0, "km/h": 1.0, "mph": MPH_TO_KMH}


def road_classes() -> tuple[str, ...]:
    """The classes of the routing profile (``gisserver/routing/profile.yaml``, ``speeds_kmh``):
    OpenStreetMap ``highway`` values. Read as a file: the ETL does not import the routing."""
    text = resources.files("gisserver").joinpath("routing", "profile.yaml").read_text("utf-8")
    speeds = (yaml.safe_load(text) or {}).get("speeds_kmh") or {}
    return tuple(str(name) for name in speeds)


def value_key(value: Any) -> str | None:
    """A file's value as the text a mapping's ``values`` are matched by: ``1``, ``1.0`` and
    ``"1"`` are all ``"1"``; None and blank text are None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer():
            return str(int(value))
    text = str(value).strip()
    return text or None


@dataclass(frozen=True)
class ValueRule:
    """A field's values mapped onto a closed set (classes, one-way directions)."""

    field: str | None
    values: Mapping[str | None, Any]
    default: Any = None

    def apply(self, value: Any, what: str) -> Any:
        key = value_key(value)
        if key in self.values:
            return self.values[key]
        if self.default is not None:
            return self.default
        accepted = ", ".join(sorted(str(k) for k in self.values if k is not None))
        raise RowError(
            what,
            f"{self.field} value {key!r} is not in the mapping's values ({accepted}) "
            "and the mapping gives no default",
            key,
        )


@dataclass(frozen=True)
class RoadsMapping:
    origin: str
    road_class: ValueRule
    one_way: ValueRule
    layer: str | None = None
    crs: str | None = None
    source_id: str | None = None
    name: str | None = None
    from_node: str | None = None
    to_node: str | None = None
    maxspeed: str | None = None
    maxspeed_factor: float = 1.0
    fields_used: tuple[str, ...] = field(default=())

    def check_fields(self, path: Path, fields: Sequence[str]) -> None:
        """InvalidParameter naming the file's fields when the mapping names one it lacks."""
        missing = [f for f in self.fields_used if f not in fields]
        if missing:
            raise InvalidParameter(
                str(path),
                f"the mapping {self.origin} names field(s) {', '.join(missing)}, not in the file",
                "the file's fields: " + ", ".join(fields),
            )

    def speed_kmh(self, value: Any) -> float | None:
        """The posted speed in km/h; None when there is none or it is not a usable number."""
        key = value_key(value)
        if key is None:
            return None
        try:
            speed = float(key) * self.maxspeed_factor
        except ValueError:
            return None
        return speed if 0 < speed <= MAX_SPEED_KMH else None


def read_roads_mapping(source: Path | Mapping[str, Any]) -> RoadsMapping:
    """The mapping of a YAML file or a dict; ConfigError listing every problem."""
    if isinstance(source, Mapping):
        origin, data = "mapping", dict(source)
    else:
        origin = str(source)
        if not Path(source).is_file():
            raise ConfigError(f"{origin}: mapping file not found")
        try:
            data = yaml.safe_load(Path(source).read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise ConfigError(f"{origin}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{origin}: a roads mapping is a mapping of keys: {', '.join(_KEYS)}")
    problems: list[str] = []
    for key in data:
        if key not in _KEYS:
            problems.append(f"{origin}: {key}: unknown key; accepted: {', '.join(_KEYS)}")
    rules: dict[str, dict[str, Any]] = {}
    for key, keys in _RULE_KEYS.items():
        value = data.get(key)
        if value is None:
            continue
        if key == "class" and isinstance(value, str):
            value = {"from": value}
        if not isinstance(value, dict):
            problems.append(f"{origin}: {key}: must be a mapping of {', '.join(keys)}")
            continue
        for sub in value:
            if sub not in keys:
                problems.append(f"{origin}: {key}.{sub}: unknown key; accepted: {', '.join(keys)}")
        rules[key] = value
    for key in ("layer", "crs", "source_id", "name"):
        if key in data and not isinstance(data[key], str):
            problems.append(f"{origin}: {key}: must be text (a field name)")
    classes = road_classes()
    road_class = _value_rule(origin, "class", rules.get("class"), classes, None, problems)
    one_way = _value_rule(
        origin, "one_way", rules.get("one_way"), tuple(ONE_WAY_WORDS), "both", problems
    )
    nodes = rules.get("nodes", {})
    if nodes and not (nodes.get("from") and nodes.get("to")):
        problems.append(f"{origin}: nodes: needs both from and to (the node id fields)")
    maxspeed = rules.get("maxspeed", {})
    unit = str(maxspeed.get("unit", "kmh"))
    if maxspeed and not maxspeed.get("from"):
        problems.append(f"{origin}: maxspeed.from: required (the field of posted speeds)")
    if unit not in _UNITS:
        problems.append(f"{origin}: maxspeed.unit: {unit!r}; accepted: {', '.join(_UNITS)}")
    if problems:
        raise ConfigError("\n".join(problems))
    names = {
        "source_id": data.get("source_id"),
        "name": data.get("name"),
        "from_node": nodes.get("from"),
        "to_node": nodes.get("to"),
        "maxspeed": maxspeed.get("from"),
    }
    used = [*names.values(), road_class.field, one_way.field]
    return RoadsMapping(
        origin=origin,
        road_class=road_class,
        one_way=ValueRule(
            one_way.field,
            {k: _direction(v) for k, v in one_way.values.items()},
            _direction(one_way.default),
        ),
        layer=data.get("layer"),
        crs=data.get("crs"),
        maxspeed_factor=_UNITS[unit],
        fields_used=tuple(dict.fromkeys(str(f) for f in used if f)),
        **{k: (str(v) if v else None) for k, v in names.items()},
    )


def _direction(word: Any) -> int:
    return ONE_WAY_WORDS[word] if isinstance(word, str) else int(word)


def _value_rule(
    origin: str,
    key: str,
    rule: dict[str, Any] | None,
    accepted: tuple[str, ...],
    default: str | None,
    problems: list[str],
) -> ValueRule:
    """A ``class`` or ``one_way`` rule; one-way also takes 0/1/-1 for both/forward/backward."""
    rule = rule or {}
    numbers = {"0": "both", "1": "forward", "-1": "backward"} if key == "one_way" else {}

    def target(value: Any, where: str) -> str | None:
        word = numbers.get(value_key(value) or "", value)
        if word in accepted:
            return str(word)
        problems.append(
            f"{origin}: {where}: {value!r} is not a {key.replace('_', '-')} value; "
            f"accepted: {', '.join(accepted)}{' (or 0, 1, -1)' if numbers else ''}"
        )
        return None

    values_given = rule.get("values") or {}
    if not isinstance(values_given, dict):
        problems.append(f"{origin}: {key}.values: must map the file's values onto {key} values")
        values_given = {}
    values = {value_key(k): target(v, f"{key}.values.{k}") for k, v in values_given.items()}
    chosen = rule.get("default", default)
    if chosen is not None:
        chosen = target(chosen, f"{key}.default")
    if key == "class" and not rule.get("from") and chosen is None:
        problems.append(
            f"{origin}: class: required: a field (class: FIELD, or from: FIELD with values) or "
            "a default class for every segment"
        )
    field_name = rule.get("from")
    if field_name is not None and not isinstance(field_name, str):
        problems.append(f"{origin}: {key}.from: must be a field name")
    if field_name and not values and key == "class":
        # the field's values are class names themselves
        values = {c: c for c in accepted}
    return ValueRule(str(field_name) if field_name else None, values, chosen)
