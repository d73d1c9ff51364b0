"""Mappings: how a source's fields become a layer's fields.

``spec`` reads a mapping (YAML file or dict; its format is described there) or makes the
automatic one; ``rows`` applies it to a batch of rows (``RowMapper``); ``coercion`` turns values
into the layer fields' types, raising ``RowError`` for a value that cannot be one.
"""

from gisserver.etl.mapping.coercion import ARROW_TYPES, RowError, coerce
from gisserver.etl.mapping.rows import MappedBatch, RowMapper
from gisserver.etl.mapping.spec import (
    TABLE_COLUMNS,
    Case,
    FieldMapping,
    FieldRule,
    automatic_mapping,
    read_mapping,
    settable_fields,
)

__all__ = [
    "ARROW_TYPES",
    "TABLE_COLUMNS",
    "Case",
    "FieldMapping",
    "FieldRule",
    "MappedBatch",
    "RowError",
    "RowMapper",
    "automatic_mapping",
    "coerce",
    "read_mapping",
    "settable_fields",
]
