"""The ``lifecycle:`` section of a layer file: the phases a feature moves through (an incident:
reported -> verified -> responding -> ...), which moves are allowed, and who may make them.
Read by ``gisserver.layers.files``, which reports the problems with the file's name."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gisserver.layers.editing import Problems
from gisserver.layers.model import ROLES, LayerField, Lifecycle

_LIFECYCLE_KEYS = {"field", "initial", "transitions", "role"}


def read_lifecycle(
    r: Problems, data: Any, fields: Mapping[str, LayerField], layer_id: str
) -> Lifecycle | None:
    """``lifecycle:``: the field holding the phase, the phase a new feature starts in, and for
    every phase the phases it may move to (absent: the layer has no lifecycle)."""
    if data is None:
        return None
    if not isinstance(data, dict):
        r.problem("lifecycle", "must be a mapping with 'field', 'initial' and 'transitions'")
        return None
    r.unknown("lifecycle", data, _LIFECYCLE_KEYS)
    name = data.get("field")
    field = fields.get(name) if isinstance(name, str) else None
    if field is None or field.type != "string" or not field.enum:
        choices = [n for n, f in fields.items() if f.type == "string" and f.enum]
        r.problem(
            "lifecycle.field",
            f"{name!r} is not a string field of {layer_id} with an enum; "
            f"accepted: {', '.join(choices)}",
        )
        return None
    phases = field.enum or ()
    initial = data.get("initial", field.default)
    if initial not in phases:
        r.problem("lifecycle.initial", f"{initial!r} is not a phase; accepted: {', '.join(phases)}")
    spec = data.get("transitions")
    transitions: dict[str, tuple[str, ...]] = {}
    if not isinstance(spec, dict):
        r.problem("lifecycle.transitions", "must map every phase to the list of its next phases")
        spec = {}
    for phase in phases:
        if phase not in spec:
            r.problem(
                "lifecycle.transitions",
                f"{phase!r} is missing (every phase of {name} needs its list, [] for a last one)",
            )
    for phase, nexts in spec.items():
        where = f"lifecycle.transitions.{phase}"
        if phase not in phases:
            r.problem(where, f"{phase!r} is not a phase; accepted: {', '.join(phases)}")
            continue
        if not isinstance(nexts, list) or not all(n in phases and n != phase for n in nexts):
            r.problem(where, f"must be a list of other phases; accepted: {', '.join(phases)}")
            continue
        transitions[str(phase)] = tuple(nexts)
    role = data.get("role", "operator")
    if role not in ROLES:
        r.problem("lifecycle.role", f"{role!r} is not a role; accepted: {', '.join(ROLES)}")
    return Lifecycle(field=str(name), initial=str(initial), transitions=transitions, role=str(role))
