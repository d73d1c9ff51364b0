"""The ``editing:`` section of a layer file: who may create, change and delete its features over
the API (OGC API - Features Part 4). Read by ``gisserver.layers.files``, which reports the
problems with the file's name."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Protocol

from gisserver.layers.model import GEOMETRY, MANAGED_FIELDS, ROLES, Editing, LayerField

_EDITING_KEYS = {"roles", "delete", "private", "read_only", "at_most"}
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class Problems(Protocol):
    """Where a layer file's problems are collected (``files._Reader``)."""

    def problem(self, key: str, text: str) -> None: ...

    def unknown(self, key: str, data: Mapping[str, Any], allowed: set[str]) -> None: ...


def _role(r: Problems, where: str, value: Any) -> str | None:
    if value not in ROLES:
        r.problem(where, f"{value!r} is not a role; accepted: {', '.join(ROLES)}")
        return None
    return str(value)


def read_editing(
    r: Problems, data: Any, fields: Mapping[str, LayerField], layer_id: str
) -> Editing | None:
    """``editing:``: who may create, change and delete features over the API (absent: nobody)."""
    if data is None:
        return None
    if not isinstance(data, dict):
        r.problem("editing", "must be a mapping with 'roles' (and 'delete', 'private', ...)")
        return None
    r.unknown("editing", data, _EDITING_KEYS)
    writable = [name for name in fields if name not in MANAGED_FIELDS]
    accepted = ", ".join([*writable, GEOMETRY])
    roles: dict[str, frozenset[str] | None] = {}
    spec = data.get("roles")
    if not isinstance(spec, dict) or not spec:
        r.problem(
            "editing.roles", "must map a role to 'all' or to the list of fields it may change"
        )
        spec = {}
    for role, allowed in spec.items():
        where = f"editing.roles.{role}"
        if _role(r, where, role) is None:
            continue
        if allowed == "all":
            roles[role] = None
        elif isinstance(allowed, list) and allowed and all(isinstance(n, str) for n in allowed):
            for name in allowed:
                if name not in writable and name != GEOMETRY:
                    r.problem(where, f"{name!r} is not a field of {layer_id}; accepted: {accepted}")
            roles[role] = frozenset(allowed)
        else:
            r.problem(where, f"{allowed!r} is not accepted; accepted: all, or a list of {accepted}")
    delete = _role(r, "editing.delete", data.get("delete", "admin"))
    private = _role(r, "editing.private", data.get("private", "analyst"))
    read_only = data.get("read_only") or []
    if not isinstance(read_only, list) or not all(
        isinstance(n, str) and _NAME.match(n) for n in read_only
    ):
        r.problem("editing.read_only", "must be a list of property names (lower_snake_case)")
        read_only = []
    for name in read_only:
        if name in fields and fields[name].required:
            r.problem("editing.read_only", f"{name!r} is required: a create must be able to set it")
    at_most = data.get("at_most") or {}
    numeric = [name for name in writable if fields[name].type in ("integer", "number")]
    if not isinstance(at_most, dict):
        r.problem("editing.at_most", "must map a field to the field it may not exceed")
        at_most = {}
    for name, limit in at_most.items():
        for value in (name, limit):
            if value not in numeric:
                r.problem(
                    f"editing.at_most.{name}",
                    f"{value!r} is not a number field of {layer_id}; "
                    f"accepted: {', '.join(numeric)}",
                )
    return Editing(
        roles=roles,
        delete=delete or "admin",
        private=private or "analyst",
        read_only=tuple(read_only),
        at_most={str(k): str(v) for k, v in at_most.items()},
    )
