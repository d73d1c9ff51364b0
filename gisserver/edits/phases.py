"""The phases of a feature with a lifecycle (an incident: reported -> verified -> ...): which
moves are allowed, checked the same way whether the phase moves through
``POST /api/incidents/{id}/transition`` or a Features write of its field."""

from __future__ import annotations

from typing import Any

from gisserver.errors import Conflict, InvalidValue
from gisserver.layers import Layer, Lifecycle


def transition_path(layer: Layer, feature_id: int | str) -> str:
    return f"/api/{layer.id}/{feature_id}/transition"


def check_phase_value(lifecycle: Lifecycle, layer: Layer, to: Any) -> str:
    """``to`` as a phase of ``layer`` (422 naming the phases otherwise)."""
    phases = layer.fields[lifecycle.field].enum or ()
    if not isinstance(to, str) or to not in phases:
        raise InvalidValue("to", f"{to!r} is not a phase of {layer.id}", ", ".join(phases))
    return to


def check_move(layer: Layer, feature_id: int, current: str, to: str) -> None:
    """409 unless ``layer``'s lifecycle allows the move ``current`` -> ``to`` (naming the
    moves it allows)."""
    lifecycle = layer.lifecycle
    if lifecycle is None:
        return
    allowed = lifecycle.allowed(current)
    if to == current:
        raise Conflict(f"{layer.id}/{feature_id} is {current} already")
    if to not in allowed:
        then = ", ".join(allowed) if allowed else f"none ({current} is a last phase)"
        raise Conflict(
            f"{layer.id}/{feature_id} is {current}: it cannot move to {to}; "
            f"allowed from {current}: {then}"
        )


def check_initial(layer: Layer, values: dict[str, Any]) -> None:
    """A feature created over the API starts in its lifecycle's initial phase (409 otherwise:
    the later phases are reached by transitions, each recorded)."""
    lifecycle = layer.lifecycle
    if lifecycle is None:
        return
    given = values.get(lifecycle.field)
    if given is not None and given != lifecycle.initial:
        raise Conflict(
            f"{lifecycle.field} {given!r}: a new {layer.id} feature starts "
            f"{lifecycle.initial}; it then moves with POST "
            f"{transition_path(layer, '{id}')} (or a write of {lifecycle.field} along an "
            f"allowed move)"
        )
