"""What a caller may do to a layer's features, from the layer's ``editing:`` declaration.

The caller is given as ``holds(role)`` (the web's ``Principal.has``: admin holds every role), so
that this stays free of HTTP. Refusals are ``Forbidden`` errors naming the role that is needed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from gisserver.errors import Forbidden
from gisserver.layers import GEOMETRY, Layer


def _either(roles: Iterable[str]) -> str:
    names = list(dict.fromkeys(roles))
    if len(names) == 1:
        return f"the {names[0]} role"
    return f"the {', '.join(names[:-1])} or {names[-1]} role"


@dataclass(frozen=True)
class Permission:
    """One caller's rights on one layer."""

    layer: Layer
    holds: Callable[[str], bool]
    who: str = "this caller"

    @property
    def editor_roles(self) -> tuple[str, ...]:
        """The roles that may change something of this layer (none: it is read-only)."""
        return tuple(self.layer.editing.roles) if self.layer.editing else ()

    def _held(self) -> list[str]:
        return [role for role in self.editor_roles if self.holds(role)]

    def may_edit(self) -> bool:
        """May change at least one field of an existing feature."""
        return self.layer.editing is not None and (bool(self._held()) or self.holds("admin"))

    def fields(self) -> frozenset[str] | None:
        """The fields (and ``geometry``) this caller may change; None: all of them."""
        assert self.layer.editing is not None
        if self.holds("admin"):
            return None
        allowed: set[str] = set()
        for role in self._held():
            granted = self.layer.editing.roles[role]
            if granted is None:
                return None
            allowed |= granted
        return frozenset(allowed)

    def may_write_private(self) -> bool:
        return self.layer.editing is not None and self.holds(self.layer.editing.private)

    def check_create(self) -> None:
        if self.fields() is not None:
            full = [r for r, granted in self._roles() if granted is None] or ["admin"]
            raise Forbidden(
                f"{self.who} may not create {self.layer.id} features: that needs {_either(full)}"
            )

    def check_changes(self, changed: Iterable[str]) -> None:
        """Refuse a change of a field (or ``geometry``) this caller may not change."""
        allowed = self.fields()
        if allowed is None:
            return
        refused = [name for name in changed if name not in allowed]
        if refused:
            name = refused[0]
            needed = [r for r, granted in self._roles() if granted is None or name in granted] or [
                "admin"
            ]
            what = "the geometry" if name == GEOMETRY else f"{name!r}"
            raise Forbidden(
                f"{self.who} may change only {', '.join(sorted(allowed))} of {self.layer.id} "
                f"features; changing {what} needs {_either(needed)}"
            )

    def check_delete(self) -> None:
        assert self.layer.editing is not None
        role = self.layer.editing.delete
        if not self.holds(role):
            raise Forbidden(
                f"{self.who} may not delete {self.layer.id} features: that needs the {role} role"
            )

    def _roles(self) -> list[tuple[str, frozenset[str] | None]]:
        assert self.layer.editing is not None
        return list(self.layer.editing.roles.items())


def refusal_roles(layer: Layer, action: str) -> str:
    """Which roles ``action`` (create, change, delete) on ``layer`` needs, as text."""
    editing = layer.editing
    if editing is None:
        return "nobody: the layer is read-only"
    if action == "delete":
        return _either([editing.delete])
    if action == "create":
        return _either([r for r, granted in editing.roles.items() if granted is None] or ["admin"])
    return _either(editing.roles)
