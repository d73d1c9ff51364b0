"""What a published layer is: its fields, derived fields, tile priority, and the registry of
all layers; with the vocabulary they share (severities, stock items)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LAYER_IDS = ("hazard_zones", "shelters", "stockpiles", "cameras", "incidents", "units")
# ``list``: a list of distinct strings (a text[] column), its ``enum`` the values an item may take.
# It is never null: no value (null, left out, an empty cell) is the empty list.
FIELD_TYPES = ("string", "integer", "number", "boolean", "datetime", "date", "list")
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

ORDERS = ("asc", "desc")
NULLS = ("first", "last")
# The roles an API key can hold: gisserver.keys.ROLES (tests keep the two in step). admin holds
# every role.
ROLES = ("viewer", "operator", "logistics", "analyst", "admin")
# In a role's list of the fields it may change (``editing.roles``), the feature's geometry.
GEOMETRY = "geometry"
# Fields every layer has whose values the server keeps (the load or API that wrote a feature, the
# time of its last change): an API write never sets them.
MANAGED_FIELDS = ("source", "updated_at")


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
    # a bound the value must stay below (a heading: 0 <= h < 360, as the column's CHECK)
    exclusive_maximum: float | None = None
    default: Any = None
    in_tiles: bool = True

    @property
    def is_list(self) -> bool:
        """A list of strings; ``enum`` then holds the values its items may take."""
        return self.type == "list"


@dataclass(frozen=True)
class LayerExpression:
    """SQL over one layer's own columns, as written in its YAML (trusted configuration, checked
    to name no other column): the parts, each SQL text or a column name."""

    text: str
    parts: tuple[tuple[str, bool], ...]  # (text, is a column)

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(part for part, is_column in self.parts if is_column))

    def sql(self, alias: str) -> str:
        """The SQL with every column quoted and qualified by ``alias``, in parentheses unless it
        is a single column (as an index on the same expression is written)."""
        if len(self.parts) == 1 and self.parts[0][1]:
            return _qualified(alias, self.parts[0][0])
        text = "".join(_qualified(alias, p) if is_column else p for p, is_column in self.parts)
        return f"({text})"


def _qualified(alias: str, column: str) -> str:
    return '{}."{}"'.format(alias, column.replace('"', '""'))


@dataclass(frozen=True)
class DerivedField:
    """A property computed from the layer's columns for every feature (``derived:``)."""

    name: str
    expression: LayerExpression
    type: str
    title: str
    description: str = ""

    def sql(self, alias: str) -> str:
        return self.expression.sql(alias)


@dataclass(frozen=True)
class PriorityTerm:
    """One term of the order in which a thinned tile keeps a layer's features (``tiles.priority``):
    a field, a derived field or an expression over the layer's columns, ascending or descending."""

    expression: LayerExpression
    order: str = "asc"
    nulls: str | None = None  # None: PostgreSQL's default (last when ascending, else first)
    field: str | None = None

    @property
    def direction(self) -> str:
        """``ASC``, ``DESC`` or either with ``NULLS FIRST``/``NULLS LAST``, as SQL."""
        text = self.order.upper()
        return f"{text} NULLS {self.nulls.upper()}" if self.nulls else text

    def sql(self, alias: str) -> str:
        return self.expression.sql(alias)


@dataclass(frozen=True)
class Editing:
    """Who may change a layer's features over the API (``editing:`` in its YAML).

    ``roles`` maps a role to the fields it may change, None for all of them and the geometry
    (such a role may also create features); a role with a list may only change those (its list
    may name ``geometry``). ``delete`` is the role that may delete, ``private`` the role that may
    write private fields (``public: false``). ``read_only`` names properties a client may send
    back as it read them but never sets (besides id, version, source, updated_at and the derived
    fields); ``at_most`` maps a field to another it may not exceed (occupancy: capacity) unless
    the request says so. admin holds every role.
    """

    roles: Mapping[str, frozenset[str] | None]
    delete: str = "admin"
    private: str = "analyst"
    read_only: tuple[str, ...] = ()
    at_most: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class AlertRule:
    """One rule of a layer's ``alerts:`` section: when it raises an alert about a feature of the
    layer, and how severe (a CAP severity, or ``from_zone``: the hazard zone's, mapped)."""

    name: str
    layer: str
    enabled: bool = True
    severity: str = "moderate"
    thresholds: Mapping[str, float] = field(default_factory=dict)
    # stock_below_minimum: item -> the least quantity a stockpile holding it should keep
    minimums: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Lifecycle:
    """The phases a layer's features move through (``lifecycle:`` in its YAML): ``field`` holds
    the phase, a new feature starts in ``initial``, ``transitions`` maps each phase to the phases
    it may move to (none: a last phase), and ``role`` may make the moves."""

    field: str
    initial: str
    transitions: Mapping[str, tuple[str, ...]]
    role: str = "operator"

    def allowed(self, phase: str) -> tuple[str, ...]:
        return self.transitions.get(phase, ())


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
    derived: Mapping[str, DerivedField] = field(default_factory=dict)
    tile_priority: tuple[PriorityTerm, ...] = ()
    editing: Editing | None = None  # None: read-only over the API
    alerts: Mapping[str, AlertRule] = field(default_factory=dict)
    lifecycle: Lifecycle | None = None
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

    def alert_rules(self) -> dict[str, AlertRule]:
        """Every layer's alert rules by name, the disabled ones left out."""
        return {
            name: rule
            for layer in self.layers.values()
            for name, rule in layer.alerts.items()
            if rule.enabled
        }
