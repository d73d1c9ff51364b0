"""Who makes a change, for the audit trail that the database writes (migration 0006).

The triggers on every layer record each change with the transaction-local settings that
``act_as`` sets at the start of a writing transaction: the API sets the key's name and role,
the request id, the client address and the If-Match it was sent; the ETL sets its run. A change
made without them (psql) is recorded under the session's database user.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import psycopg

OPERATIONS = ("create", "replace", "update", "delete", "stock-move")
SET_CONTEXT = (
    "SELECT set_config('gisserver.actor', %s, true), set_config('gisserver.actor_role', %s, true),"
    " set_config('gisserver.etl_run', %s, true), set_config('gisserver.request_id', %s, true),"
    " set_config('gisserver.client_address', %s, true), set_config('gisserver.if_match', %s,"
    " true), set_config('gisserver.operation', %s, true)"
)


@dataclass(frozen=True)
class Actor:
    """Who is changing the data, and through which request."""

    name: str
    role: str | None = None
    etl_run: int | None = None
    request_id: str | None = None
    client_address: str | None = None


def act_as(
    conn: psycopg.Connection[Any],
    actor: Actor,
    *,
    if_match: str | None = None,
    operation: str | None = None,
) -> None:
    """Set who changes the data for the rest of this transaction (the audit triggers read it).

    ``operation`` names an UPDATE that is a ``replace`` (a PUT) rather than an ``update``.
    """
    if operation is not None and operation not in OPERATIONS:
        raise ValueError(f"operation {operation!r}; accepted: {', '.join(OPERATIONS)}")
    conn.execute(
        SET_CONTEXT,
        (
            actor.name,
            actor.role or "",
            "" if actor.etl_run is None else str(actor.etl_run),
            actor.request_id or "",
            actor.client_address or "",
            if_match or "",
            operation or "",
        ),
    )
