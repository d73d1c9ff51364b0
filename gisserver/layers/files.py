"""Reading ``layers/*.yaml`` into ``Layer`` objects, collecting every problem of every file
before failing: each names the file, the key and what is accepted."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from gisserver.errors import ConfigError
from gisserver.layers.alerts import read_alerts
from gisserver.layers.editing import read_editing
from gisserver.layers.lifecycle import read_lifecycle
from gisserver.layers.model import (
    FIELD_TYPES,
    GEOMETRY_TYPES,
    LAYER_IDS,
    NULLS,
    ORDERS,
    DerivedField,
    Layer,
    LayerExpression,
    LayerField,
    LayerRegistry,
    PriorityTerm,
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
    "derived",
    "tiles",
    "editing",
    "alerts",
    "lifecycle",
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
    "exclusive_maximum",
    "default",
    "ordered",
    "in_tiles",
}
_TEMPORAL_KEYS = {"start", "end"}
_DERIVED_KEYS = {"sql", "type", "title", "description"}
_TILES_KEYS = {"priority"}
_PRIORITY_KEYS = {"field", "expression", "order", "nulls"}
# Every layer table has these columns besides its fields (migration 0001).
_TABLE_COLUMNS = ("id", "geom")
# Words a derived field's SQL may use besides the layer's columns, function names (followed by
# "(") and type names after "::". Anything else is taken for a column that the layer lacks.
SQL_WORDS = frozenset(
    {
        *("and", "or", "not", "is", "null", "true", "false", "in", "between", "like", "ilike"),
        *("case", "when", "then", "else", "end", "distinct", "from", "as", "array", "any", "all"),
        *("interval", "at", "time", "zone", "with", "without", "date", "timestamp", "timestamptz"),
        *("integer", "int", "bigint", "smallint", "numeric", "real", "double", "precision"),
        *("text", "boolean"),
    }
)
_SQL_TOKEN = re.compile(
    r"""(?P<string>'(?:[^']|'')*')
      | (?P<quoted>"(?:[^"]|"")+")
      | (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
      | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
      | (?P<space>\s+)
      | (?P<operator>::|<=|>=|<>|!=|\|\||[-+*/<>=(),\[\]])""",
    re.VERBOSE,
)
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_CRS = re.compile(r"^EPSG:\d{4,6}$")


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
    for bound in ("minimum", "maximum", "exclusive_maximum"):
        if bound in spec and not isinstance(spec[bound], int | float):
            r.problem(f"{where}.{bound}", f"{spec[bound]!r} is not a number")
    default = spec.get("default")
    if ftype == "list":
        # its empty value is the empty list (the column's default '{}'), and items have no order
        for key in ("default", "minimum", "maximum", "exclusive_maximum", "ordered"):
            if key in spec and spec[key] is not False:
                r.problem(
                    f"{where}.{key}",
                    "does not apply to a list field (no value is the empty list; enum lists "
                    "the values an item may take)",
                )
        default = None
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
        exclusive_maximum=spec.get("exclusive_maximum"),
        default=default,
        in_tiles=bool(spec.get("in_tiles", True)),
    )


def _readable_columns(fields: Mapping[str, LayerField]) -> tuple[tuple[str, ...], set[str]]:
    """The columns SQL in a layer file may read (its table's id and geom, its public fields),
    and its private fields, which it may not: what it computes is published."""
    public = tuple(name for name, f in fields.items() if f.public)
    return (*_TABLE_COLUMNS, *public), {name for name, f in fields.items() if not f.public}


def _expression(
    r: _Reader, where: str, text: Any, fields: Mapping[str, LayerField], layer_id: str
) -> LayerExpression | None:
    """Read SQL over the layer's columns; every name must be a readable column, a function (a
    name followed by "("), a type after "::" or one of SQL_WORDS."""
    columns, private = _readable_columns(fields)
    if not isinstance(text, str) or not text.strip():
        r.problem(
            where, f"{text!r} is not SQL; accepted: an expression over the columns of {layer_id}"
        )
        return None
    text = text.strip()
    tokens: list[tuple[str, str]] = []
    position = 0
    while position < len(text):
        match = _SQL_TOKEN.match(text, position)
        rest = text[position:]
        if match is None or rest.startswith(("--", "/*")):
            shown = rest[:2] if rest.startswith(("--", "/*")) else rest[0]
            r.problem(
                where,
                f"{shown!r} is not accepted (at character {position + 1}); accepted: one "
                f"expression over the columns of {layer_id}, unqualified (capacity, not "
                "t.capacity), no comments, ';' or '%' (mod() instead)",
            )
            return None
        kind = match.lastgroup or ""
        tokens.append((kind, match.group()))
        position = match.end()
    accepted = ", ".join(columns)
    parts: list[tuple[str, bool]] = []
    ok = True
    significant = [i for i, (kind, _) in enumerate(tokens) if kind != "space"]
    for n, i in enumerate(significant):
        kind, value = tokens[i]
        if kind not in ("word", "quoted"):
            continue
        before = tokens[significant[n - 1]][1] if n > 0 else ""
        after = tokens[significant[n + 1]][1] if n + 1 < len(significant) else ""
        name = value[1:-1].replace('""', '"') if kind == "quoted" else value
        if kind == "word" and (before == "::" or after == "("):
            continue  # a type name or a function
        if name in columns:
            tokens[i] = ("column", name)
        elif name in private:
            r.problem(where, f"{name!r} is private (public: false); accepted: {accepted}")
            ok = False
        elif kind == "word" and name.lower() in SQL_WORDS:
            continue
        else:
            r.problem(where, f"{name!r} is not a column of {layer_id}; accepted: {accepted}")
            ok = False
    if not ok:
        return None
    for kind, value in tokens:
        if kind == "column":
            parts.append((value, True))
        elif parts and not parts[-1][1]:
            parts[-1] = (parts[-1][0] + value, False)
        else:
            parts.append((value, False))
    return LayerExpression(text=text, parts=tuple(parts))


def _read_derived(
    r: _Reader, data: Any, fields: Mapping[str, LayerField], layer_id: str
) -> dict[str, DerivedField]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        r.problem("derived", "must be a mapping of name to {sql, type, title, description}")
        return {}
    derived: dict[str, DerivedField] = {}
    for name, spec in data.items():
        where = f"derived.{name}"
        if not _NAME.match(str(name)):
            r.problem(where, "derived field names are lower_snake_case")
        if name in fields or name in _TABLE_COLUMNS:
            r.problem(where, f"{name!r} is already a field of {layer_id}; a derived field is new")
        if not isinstance(spec, dict):
            r.problem(where, "must be a mapping with 'sql' and 'type'")
            continue
        r.unknown(where, spec, _DERIVED_KEYS)
        ftype = spec.get("type")
        if ftype not in FIELD_TYPES:
            r.problem(
                f"{where}.type",
                f"{ftype!r} is not a field type; accepted: {', '.join(FIELD_TYPES)}",
            )
        expression = _expression(r, f"{where}.sql", spec.get("sql"), fields, layer_id)
        title = r.text(spec, "title", f"{where}.title", required=False)
        description = r.text(spec, "description", f"{where}.description", required=False)
        if expression is not None:
            derived[str(name)] = DerivedField(
                name=str(name),
                expression=expression,
                type=str(ftype),
                title=title or str(name).replace("_", " ").capitalize(),
                description=description,
            )
    return derived


def _read_tiles(
    r: _Reader,
    data: Any,
    fields: Mapping[str, LayerField],
    derived: Mapping[str, DerivedField],
    declared: set[str],
    layer_id: str,
) -> tuple[PriorityTerm, ...]:
    if data is None:
        return ()
    if not isinstance(data, dict):
        r.problem("tiles", "must be a mapping with 'priority'")
        return ()
    r.unknown("tiles", data, _TILES_KEYS)
    terms_spec = data.get("priority") or []
    if not isinstance(terms_spec, list):
        r.problem("tiles.priority", "must be a list of {field or expression, order, nulls}")
        return ()
    public = [name for name, f in fields.items() if f.public]
    terms: list[PriorityTerm] = []
    for i, spec in enumerate(terms_spec):
        where = f"tiles.priority[{i}]"
        if not isinstance(spec, dict):
            r.problem(where, "must be a mapping with 'field' or 'expression', and 'order'")
            continue
        r.unknown(where, spec, _PRIORITY_KEYS)
        order = spec.get("order", "asc")
        if order not in ORDERS:
            r.problem(f"{where}.order", f"{order!r} is not accepted; accepted: {', '.join(ORDERS)}")
        nulls = spec.get("nulls")
        if nulls is not None and nulls not in NULLS:
            r.problem(f"{where}.nulls", f"{nulls!r} is not accepted; accepted: {', '.join(NULLS)}")
        name, text = spec.get("field"), spec.get("expression")
        expression: LayerExpression | None = None
        if (name is None) == (text is None):
            r.problem(where, "needs one of 'field' (a field or derived field) or 'expression'")
        elif name is not None:
            if name in derived:
                expression = derived[name].expression
            elif name in declared:
                pass  # a derived field with problems of its own, reported already
            elif name in public:
                expression = LayerExpression(text=str(name), parts=((str(name), True),))
            else:
                accepted = ", ".join([*public, *derived])
                r.problem(
                    f"{where}.field",
                    f"{name!r} is not a public field of {layer_id}; accepted: {accepted}",
                )
        else:
            expression = _expression(r, f"{where}.expression", text, fields, layer_id)
        if expression is not None and order in ORDERS and (nulls is None or nulls in NULLS):
            terms.append(
                PriorityTerm(
                    expression=expression,
                    order=str(order),
                    nulls=nulls,
                    field=None if name is None else str(name),
                )
            )
    return tuple(terms)


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
    derived = _read_derived(r, data.get("derived"), fields, layer_id or path.stem)
    declared = set(data["derived"]) if isinstance(data.get("derived"), dict) else set()
    tile_priority = _read_tiles(
        r, data.get("tiles"), fields, derived, declared, layer_id or path.stem
    )
    editing = read_editing(r, data.get("editing"), fields, layer_id or path.stem)
    alerts = read_alerts(r, data.get("alerts"), layer_id or path.stem)
    lifecycle = read_lifecycle(r, data.get("lifecycle"), fields, layer_id or path.stem)
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
        derived=derived,
        tile_priority=tile_priority,
        editing=editing,
        alerts=alerts,
        lifecycle=lifecycle,
        path=path,
    )


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
