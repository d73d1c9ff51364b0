"""Backups of the database (``gisserver db backup FILE``, ``gisserver db restore FILE``).

A backup is pg_dump's custom format of the whole database, read from one snapshot: consistent
while the server serves (pg_dump takes only ACCESS SHARE locks, which readers and writers pass).
It holds the ``CREATE EXTENSION`` of postgis and postgis_raster and the rows added to
spatial_ref_sys, not the extensions' own objects: the server restored into needs PostGIS
installed, as for ``gisserver db migrate``.

A restore goes into an empty database only — the private cluster (created first when its data
directory is empty) or ``DATABASE_URL`` — in one transaction, so it is complete or nothing; a
database that holds anything is refused, named, with the way to proceed. The restored schema's
revision is then compared with the code's: an older backup needs ``gisserver db migrate``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from gisserver.db import connect, describe_target, load_sql
from gisserver.errors import GisServerError, InvalidParameter

ACCEPTED = "a file made by 'gisserver db backup' (pg_dump's custom format)"


class BackupError(GisServerError, RuntimeError):
    """A backup could not be made, or restored."""

    status = 500
    code = "BackupError"


@dataclass(frozen=True)
class Contents:
    """What a database holds besides the system's and its extensions' objects."""

    tables: list[str]
    others: list[str]  # views, sequences, ...
    revision: str | None

    @property
    def empty(self) -> bool:
        return not (self.tables or self.others)

    def describe(self, *, names: bool = False) -> str:
        """E.g. "12 tables, schema 0003"; with ``names``, the first few tables' names too."""
        if self.empty:
            return "empty"
        text = f"{len(self.tables)} tables"
        if names and self.tables:
            text += ": " + ", ".join(self.tables[:5]) + (", ..." if len(self.tables) > 5 else "")
        if self.others:
            text += f"{';' if names else ','} {len(self.others)} other relations"
            if names:
                text += (
                    ": " + ", ".join(self.others[:5]) + (", ..." if len(self.others) > 5 else "")
                )
        if self.revision:
            text += f"{';' if names else ','} schema {self.revision}"
        return text


def contents(conn: psycopg.Connection[Any]) -> Contents:
    tables: list[str] = []
    others: list[str] = []
    for schema, name, kind in conn.execute(load_sql("backups/contents.sql")).fetchall():
        qualified = name if schema == "public" else f"{schema}.{name}"
        # a partitioned table (the units' track) is a table too, as pg_tables says
        (tables if kind in ("r", "p") else others).append(qualified)
    revision = None
    if "alembic_version" in tables:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        revision = row[0] if row else None
    return Contents(tables, others, revision)


def find_tool(name: str, bin_dir: Path, *, path_first: bool) -> str:
    """``pg_dump``/``pg_restore``: the private cluster's own (``bin_dir``), or for another
    server the one on PATH (the server's version or newer), else ``bin_dir``'s."""
    candidates = [shutil.which(name)] if path_first else []
    candidates.append(str(bin_dir / name) if (bin_dir / name).is_file() else None)
    for found in candidates:
        if found:
            return found
    where = "on PATH nor in " if path_first else "in "
    raise BackupError(
        f"{name} not found {where}{bin_dir}; install the PostgreSQL client programs of the "
        "server's version or newer (package postgresql-client), or set GISSERVER_PG_BIN_DIR"
    )


def _run(tool: str, args: list[str], url: str) -> subprocess.CompletedProcess[str]:
    """Run a client program against ``url``, its password in the environment (not in the
    process list)."""
    params = conninfo_to_dict(url)
    password = params.pop("password", None)
    env = {**os.environ, "PGCONNECT_TIMEOUT": "5"}
    if password:
        env["PGPASSWORD"] = str(password)
    return subprocess.run(
        [tool, *args, f"--dbname={make_conninfo('', **params)}"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def _reason(proc: subprocess.CompletedProcess[str]) -> str:
    """The server's error, else the program's own, from a client program's output."""
    text = proc.stderr or proc.stdout
    server = re.search(r"ERROR:\s+(.+)", text)
    if server:
        return server[1].strip()
    own = re.search(r"^\S+: error: (.+)$", text, re.M)
    if own:
        return own[1].strip()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else f"exit status {proc.returncode}"


def backup(url: str, file: Path, *, pg_dump: str) -> Contents:
    """Write a backup of the database at ``url`` to ``file`` (replaced only once the new one is
    complete); returns what the database held."""
    directory = file.parent
    if not directory.is_dir():
        raise InvalidParameter(str(file), f"no directory {directory}", "a file in an existing one")
    with connect(url) as conn:  # an unreachable server: one clear line
        held = contents(conn)
    handle, name = tempfile.mkstemp(prefix=f".{file.name}.", suffix=".partial", dir=directory)
    os.close(handle)  # pg_dump writes it; mode 600, kept by the rename: a backup holds it all
    partial = Path(name)
    try:
        proc = _run(pg_dump, ["--format=custom", f"--file={partial}", "--no-password"], url)
        if proc.returncode != 0:
            raise BackupError(
                f"pg_dump could not back up {describe_target(url)}: {_reason(proc)}; "
                f"{file} was left as it was"
            )
        partial.replace(file)
    finally:
        partial.unlink(missing_ok=True)
    return held


def archive_entries(file: Path, *, pg_restore: str) -> list[str]:
    """The table of contents of a backup; InvalidParameter when ``file`` is not one."""
    if not file.is_file():
        raise InvalidParameter(str(file), "no such file", ACCEPTED)
    proc = subprocess.run(
        [pg_restore, "--list", str(file)], capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise InvalidParameter(str(file), f"not a backup ({_reason(proc)})", ACCEPTED)
    entries = proc.stdout.splitlines()
    if not any(re.search(r" TABLE public alembic_version ", line) for line in entries):
        raise InvalidParameter(
            str(file), "a PostgreSQL backup, but not of a gisserver database", ACCEPTED
        )
    return entries


def restore(url: str, file: Path, *, pg_restore: str) -> Contents:
    """Restore the backup ``file`` into the empty database at ``url``, in one transaction;
    returns what the database holds afterwards."""
    entries = archive_entries(file, pg_restore=pg_restore)
    with connect(url) as conn:
        held = contents(conn)
    if not held.empty:
        raise BackupError(
            f"{describe_target(url)} is not empty ({held.describe(names=True)}); a backup is "
            "restored into an empty database only: create one and point DATABASE_URL at it, "
            "or for the private cluster stop it and move its directory away ('gisserver db "
            "stop', then e.g. 'mv var/pg var/pg.old'), then restore again"
        )
    # Extension comments are left out: COMMENT ON EXTENSION needs the extension's owner, which
    # the restoring role is not where PostGIS was installed beforehand; CREATE EXTENSION gives
    # the same comment anyway.
    kept = [line for line in entries if " COMMENT - EXTENSION " not in line]
    with tempfile.NamedTemporaryFile("w", suffix=".list") as listing:
        listing.write("\n".join(kept) + "\n")
        listing.flush()
        proc = _run(
            pg_restore,
            [
                "--single-transaction",
                "--exit-on-error",
                "--no-owner",
                "--no-password",
                f"--use-list={listing.name}",
                str(file),
            ],
            url,
        )
    if proc.returncode != 0:
        raise BackupError(
            f"pg_restore could not restore {file} into {describe_target(url)}: "
            f"{_reason(proc)}; nothing was restored"
        )
    with connect(url) as conn:
        return contents(conn)
