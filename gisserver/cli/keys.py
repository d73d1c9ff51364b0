"""``gisserver keys``: API keys for the server (create, list, revoke)."""

from __future__ import annotations

import datetime as dt

import click

from gisserver.cli.options import settings_of
from gisserver.keys import ROLES


@click.group()
def keys() -> None:
    """API keys: each has a name, one role and a secret shown once."""


@keys.command()
@click.argument("name")
@click.option(
    "--role",
    required=True,
    type=click.Choice(ROLES),
    help="what the key may do",
)
@click.option("--expires", help="lifetime, e.g. 90m, 12h, 30d, 2w (default: until revoked)")
def create(name: str, role: str, expires: str | None) -> None:
    """Create the key NAME; its secret is printed once, as the last line."""
    from gisserver.db import connect, database_url
    from gisserver.keys import create_key, parse_duration

    lifetime = parse_duration(expires) if expires else None
    with connect(database_url(settings_of(), "write")) as conn:
        secret = create_key(conn, name, role, lifetime)
    until = f", expires in {expires}" if expires else ""
    click.echo(f"created key {name} (role {role}{until}); its secret, shown only now:")
    click.echo(secret)


@keys.command("list")
def list_command() -> None:
    """The keys: name, role, state, created, expires, last used (never the secrets)."""
    from gisserver.db import connect, database_url
    from gisserver.keys import list_keys

    with connect(database_url(settings_of(), "write")) as conn:
        found = list_keys(conn)
    now = dt.datetime.now(dt.UTC)

    def when(moment: dt.datetime | None) -> str:
        return moment.strftime("%Y-%m-%d %H:%M") if moment else "-"

    click.echo(f"{'name':<24} {'role':<10} {'state':<8} {'created':<17} {'expires':<17} last used")
    for key in found:
        click.echo(
            f"{key.name:<24} {key.role:<10} {key.state(now):<8} {when(key.created_at):<17} "
            f"{when(key.expires_at):<17} {when(key.last_used_at)}"
        )


@keys.command()
@click.argument("name")
def revoke(name: str) -> None:
    """Revoke the key NAME: it is refused from the next request on."""
    from gisserver.db import connect, database_url
    from gisserver.keys import revoke_key

    with connect(database_url(settings_of(), "write")) as conn:
        revoke_key(conn, name)
    click.echo(f"revoked key {name}")
