"""Who is asking, for every request of every surface: /api, /ogc (pygeoapi's views and ours),
tiles, styles, the map and health.

``init_app`` installs one app-wide ``before_request`` hook, so no surface can be reached around
it (pygeoapi's blueprint included: app-level hooks run for every blueprint). It puts the
caller's ``Principal`` on ``flask.g``; a view that needs a role says so with ``@requires(role)``,
which answers 401 (no or unknown credentials, with a ``WWW-Authenticate`` challenge) or 403 (a
known caller whose roles do not include it) through the app's error handler.

Today every caller is anonymous, with no role: all published layers and analyses are public
reads and no endpoint writes. API keys with roles are resolved here when the live operations
arrive; nothing else has to change for them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask, g

from gisserver.errors import Forbidden, Unauthorized

# The roles a key can hold (what each may change comes with the live operations).
ROLES = ("viewer", "operator", "logistics", "analyst", "admin")
REALM = "gisserver"

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Principal:
    """A caller: a name for the audit trail and the roles it holds."""

    name: str
    roles: frozenset[str]
    authenticated: bool = False

    def has(self, role: str) -> bool:
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}; accepted: {', '.join(ROLES)}")
        return role in self.roles


ANONYMOUS = Principal("anonymous", frozenset())


def identify() -> Principal:
    """The caller of the current request (no keys exist yet: anonymous)."""
    return ANONYMOUS


def principal() -> Principal:
    """The current request's caller, as the hook identified it."""
    who: Principal = g.get("principal", ANONYMOUS)
    return who


def requires(role: str) -> Callable[[F], F]:
    """Refuse a view to callers without ``role``: 401 when unauthenticated, else 403."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; accepted: {', '.join(ROLES)}")

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            who = principal()
            if not who.has(role):
                if not who.authenticated:
                    raise Unauthorized(
                        f"this needs the {role} role: send an API key (Authorization: Bearer <key>)"
                    )
                raise Forbidden(f"{who.name} does not hold the {role} role this needs")
            return view(*args, **kwargs)

        return guarded  # type: ignore[return-value]

    return decorate


def init_app(app: Flask) -> None:
    """Identify the caller of every request, before any surface's own hooks and views."""

    def _identify() -> None:
        g.principal = identify()

    # First in the app-wide list: the blueprints' own before_request hooks run after it.
    app.before_request_funcs.setdefault(None, []).insert(0, _identify)
