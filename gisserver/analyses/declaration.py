"""How an analysis is declared: its inputs (JSON schemas, CLI spelling, enums from the layer
files) and the analysis as every front door publishes it (``gisserver.analyses.registry``
holds the declarations). Light like the registry: no numpy, shapely or psycopg."""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gisserver.db import Database
    from gisserver.layers import LayerRegistry

Answer = Callable[..., Any]


@dataclass(frozen=True)
class Input:
    """One input: its JSON schema (type, constraints, description) and how the CLI spells it."""

    name: str
    schema: Mapping[str, Any]
    required: bool = False
    cli_flag: str | None = None  # default: --name-with-dashes
    cli_metavar: str | None = None  # arrays are typed as text on the command line, e.g. LON,LAT
    # Allowed values that come from the layer files: (layer, field) pairs whose enums, together,
    # are the input's (or its items') enum where the input is published.
    enum_from: tuple[tuple[str, str], ...] = ()

    def published_schema(self, layers: LayerRegistry | None) -> dict[str, Any]:
        """The JSON schema as published (description left out): with the enums of the layer
        files filled in when ``layers`` is given."""
        schema = {k: v for k, v in self.schema.items() if k != "description"}
        if not self.enum_from or layers is None:
            return schema
        values = list(
            dict.fromkeys(
                value
                for layer_id, field in self.enum_from
                if layer_id in layers
                for value in (layers[layer_id].fields[field].enum or ())
            )
        )
        if schema.get("type") == "array":
            schema["items"] = {**schema.get("items", {}), "enum": values}
        else:
            schema["enum"] = values
        return schema

    @property
    def description(self) -> str:
        return str(self.schema.get("description", ""))

    @property
    def title(self) -> str:
        return self.name.replace("_", " ").capitalize()

    @property
    def flag(self) -> str:
        return self.cli_flag or "--" + self.name.replace("_", "-")


@dataclass(frozen=True)
class Analysis:
    """An analysis as every front door publishes it."""

    id: str  # the process id and the CLI command
    title: str
    description: str
    keywords: tuple[str, ...]
    inputs: tuple[Input, ...]
    output: Mapping[str, Any]
    media_type: str
    example: Mapping[str, Any]
    answer: str  # "module:function", called as function(db, params, layers=...)
    http_path: str
    http_method: str  # GET: inputs in the query string; POST: a JSON object body
    answer_text: str | None = None  # optional: the same answer as JSON text (HTTP fast path)
    exactly_one_of: tuple[str, ...] = ()  # inputs of which exactly one must be given

    def input(self, name: str) -> Input:
        return next(i for i in self.inputs if i.name == name)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(i.name for i in self.inputs if i.required)

    @cached_property
    def _function(self) -> Answer:
        return _resolve(self.answer)

    def run(self, db: Database, params: Mapping[str, Any], *, layers: LayerRegistry) -> Any:
        """Parse ``params`` (query-string text or JSON values) and answer."""
        return self._function(db, params, layers=layers)

    def run_text(self, db: Database, params: Mapping[str, Any], *, layers: LayerRegistry) -> str:
        """The answer as JSON text: the fast path where the analysis has one."""
        if self.answer_text is None:
            return json.dumps(
                self.run(db, params, layers=layers), ensure_ascii=False, allow_nan=False
            )
        function: Answer = _resolve(self.answer_text)
        text: str = function(db, params, layers=layers)
        return text


def _resolve(dotted: str) -> Answer:
    module, name = dotted.split(":")
    function: Answer = getattr(importlib.import_module(module), name)
    return function
