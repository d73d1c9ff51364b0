"""What an analysis is, as every front door publishes it: its inputs (JSON schemas, CLI
spelling, enums from the layer files) and how it is answered. The analyses themselves are
declared in ``registry.py``.

This module stays light (no numpy, shapely, psycopg): the CLI lists the commands from it.
"""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gisserver.db import Database
    from gisserver.layers import LayerRegistry
    from gisserver.settings import Settings

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
    # The answer also takes the deployment's settings (``settings=``), e.g. an assumed speed.
    uses_settings: bool = False

    def input(self, name: str) -> Input:
        return next(i for i in self.inputs if i.name == name)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(i.name for i in self.inputs if i.required)

    @cached_property
    def _function(self) -> Answer:
        return _resolve(self.answer)

    def run(
        self,
        db: Database,
        params: Mapping[str, Any],
        *,
        layers: LayerRegistry,
        settings: Settings | None = None,
    ) -> Any:
        """Parse ``params`` (query-string text or JSON values) and answer."""
        return self._function(db, params, **self._context(layers, settings))

    def run_text(
        self,
        db: Database,
        params: Mapping[str, Any],
        *,
        layers: LayerRegistry,
        settings: Settings | None = None,
    ) -> str:
        """The answer as JSON text: the fast path where the analysis has one."""
        if self.answer_text is None:
            return json.dumps(
                self.run(db, params, layers=layers, settings=settings),
                ensure_ascii=False,
                allow_nan=False,
            )
        function: Answer = _resolve(self.answer_text)
        text: str = function(db, params, **self._context(layers, settings))
        return text

    def _context(self, layers: LayerRegistry, settings: Settings | None) -> dict[str, Any]:
        if not self.uses_settings:
            return {"layers": layers}
        if settings is None:
            raise TypeError(f"{self.id} answers with the deployment's settings: pass settings=")
        return {"layers": layers, "settings": settings}

    @property
    def path_inputs(self) -> tuple[str, ...]:
        """The inputs named in ``http_path`` (``/api/incidents/{incident_id}/recommend``)."""
        return tuple(re.findall(r"\{(\w+)\}", self.http_path))


def _resolve(dotted: str) -> Answer:
    module, name = dotted.split(":")
    function: Answer = getattr(importlib.import_module(module), name)
    return function
