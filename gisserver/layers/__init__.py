"""The published layers, read from ``layers/*.yaml``: the single source of truth for titles,
descriptions, fields and their types, which fields are public, the temporal fields, keywords,
the fields derived from others (``derived``), the order a thinned tile keeps (``tiles``) and who
may change the features over the API (``editing``), the phases they move through
(``lifecycle``) and the rules that raise alerts about
them (``alerts``).

Every problem is reported with the file, the key and what is accepted, e.g.
``layers/shelters.yaml: fields.capacity.type: 'int' is not a field type; accepted: boolean, ...``.
"""

from gisserver.layers.alerts import CAP_SEVERITIES, FROM_ZONE, SEVERITY_TO_CAP
from gisserver.layers.files import load_layers, read_layer
from gisserver.layers.model import (
    FIELD_TYPES,
    GEOMETRY,
    GEOMETRY_TYPES,
    LAYER_IDS,
    MANAGED_FIELDS,
    NULLS,
    ORDERS,
    ROLES,
    SEVERITIES,
    STOCK_ITEMS,
    AlertRule,
    DerivedField,
    Editing,
    Layer,
    LayerExpression,
    LayerField,
    LayerRegistry,
    Lifecycle,
    PriorityTerm,
)

__all__ = [
    "CAP_SEVERITIES",
    "FROM_ZONE",
    "SEVERITY_TO_CAP",
    "FIELD_TYPES",
    "GEOMETRY",
    "GEOMETRY_TYPES",
    "LAYER_IDS",
    "MANAGED_FIELDS",
    "NULLS",
    "ORDERS",
    "ROLES",
    "SEVERITIES",
    "STOCK_ITEMS",
    "AlertRule",
    "DerivedField",
    "Editing",
    "Layer",
    "LayerExpression",
    "LayerField",
    "LayerRegistry",
    "Lifecycle",
    "PriorityTerm",
    "load_layers",
    "read_layer",
]
