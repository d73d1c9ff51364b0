"""The database roles gisserver runs as: least privilege.

- the migrating role (DATABASE_URL, or the private cluster's superuser): migrations, backups;
- a member of ``gisserver_read`` for the web tier (GISSERVER_READ_DATABASE_URL): reads only;
- a member of ``gisserver_write`` for the ETL (GISSERVER_WRITE_DATABASE_URL): owns the tables;
- a member of ``gisserver_edit`` for API writes (GISSERVER_EDIT_DATABASE_URL): reads, and
  writes the rows of the editable tables; the audit trail it may only append to.

``sql/roles/grants.sql`` (run after every migration) gives the two groups their privileges;
``ensure_login_role`` makes a login role of a URL's user and password a member of a group. The
private cluster does both by itself; ``gisserver db roles`` does it for a database of your own.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlsplit

import psycopg
from psycopg import sql

from gisserver.errors import InvalidParameter

GROUPS = {"read": "gisserver_read", "write": "gisserver_write", "edit": "gisserver_edit"}


def ensure_group_roles(conn: psycopg.Connection[Any]) -> None:
    """The two group roles (NOLOGIN), if they do not exist yet."""
    for group in GROUPS.values():
        if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (group,)).fetchone():
            conn.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(group)))


def ensure_login_role(
    conn: psycopg.Connection[Any], user: str, password: str, purpose: str
) -> None:
    """Create or update the login role ``user`` with ``password``, a member of the group of
    ``purpose`` ("read", "write" or "edit") and nothing more (no superuser, no CREATEROLE,
    no CREATEDB)."""
    group = GROUPS[purpose]
    ensure_group_roles(conn)
    exists = conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", (user,)).fetchone()
    if exists and exists[0]:
        raise InvalidParameter(
            f"{purpose} role",
            f"{user!r} is a superuser",
            "a role of its own for the web tier and for the ETL (not the migrating superuser)",
        )
    verb = "ALTER" if exists else "CREATE"
    conn.execute(
        sql.SQL(
            verb + " ROLE {} LOGIN PASSWORD {} NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION"
        ).format(sql.Identifier(user), sql.Literal(password))
    )
    conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(group), sql.Identifier(user)))
    if purpose == "write":
        # The writer's sessions act as the group: what the ETL creates (its swap tables) is
        # owned by gisserver_write like every table, and readable by the default privileges.
        conn.execute(
            sql.SQL("ALTER ROLE {} SET role = {}").format(sql.Identifier(user), sql.Literal(group))
        )


def credentials(url: str, purpose: str) -> tuple[str, str]:
    """The user and password of a connection URL (a role needs both)."""
    parts = urlsplit(url)
    if not parts.username or parts.password is None:
        raise InvalidParameter(
            f"GISSERVER_{purpose.upper()}_DATABASE_URL",
            "names no user and password",
            "postgresql://USER:PASSWORD@HOST:PORT/DATABASE",
        )
    return unquote(parts.username), unquote(parts.password)
