"""``gisserver audit``: the audit trail, who changed which feature, when and what changed."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from gisserver.cli.options import settings_of

if TYPE_CHECKING:
    from gisserver.audit import AuditEntry

DEFAULT_LIMIT = 20


@click.command()
@click.option("--layer", help="only this layer's features (hazard_zones, shelters, ...)")
@click.option("--feature", "feature", metavar="ID", help="only this feature (with --layer)")
@click.option("--actor", metavar="NAME", help="only changes by this key, 'etl' or database user")
@click.option(
    "--since", metavar="T", help="from T on: 2026-12-03T10:00Z, 2026-12-03, or 90m/12h/30d ago"
)
@click.option("--until", metavar="T", help="before T (as --since)")
@click.option(
    "--limit", metavar="N", default=str(DEFAULT_LIMIT), show_default=True, help="at most N entries"
)
@click.option("--after", metavar="ENTRY", help="the entries after entry ENTRY, oldest first")
@click.option("--json", "as_json", is_flag=True, help="JSON lines: every value of each entry")
def audit(
    layer: str | None,
    feature: str | None,
    actor: str | None,
    since: str | None,
    until: str | None,
    limit: str,
    after: str | None,
    as_json: bool,
) -> None:
    """The latest changes of the layers (oldest of them first), or those after an entry:
    time, actor (role or ETL run), layer, feature, operation, version and the properties
    that changed."""
    from gisserver.audit import TrailQuery, trail
    from gisserver.db import connect, database_url
    from gisserver.layers import LAYER_IDS

    query = TrailQuery.parse(
        {
            "layer": layer,
            "feature": feature,
            "actor": actor,
            "since": since,
            "until": until,
            "limit": limit,
            "after": after,
        },
        layer_ids=LAYER_IDS,
        prefix="--",
        latest=True,
    )
    with connect(database_url(settings_of(), "read")) as conn:
        entries = trail(conn, query)
    if as_json:
        for entry in entries:
            click.echo(json.dumps(entry.as_dict(), default=str, ensure_ascii=False))
        return
    click.echo(
        f"{'entry':>8}  {'time (UTC)':<19}  {'actor':<24} {'layer':<12} {'feature':>8}  "
        f"{'operation':<10} {'version':>7}  changed"
    )
    for entry in entries:
        click.echo(_line(entry))
    if not entries:
        click.echo("(no entries)")


def _who(entry: AuditEntry) -> str:
    if entry.etl_run_id is not None:
        return f"{entry.actor} (run {entry.etl_run_id})"
    return f"{entry.actor} ({entry.actor_role})" if entry.actor_role else entry.actor


def _line(entry: AuditEntry) -> str:
    import datetime as dt

    when = entry.at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
    changed = ", ".join(entry.changed) or "-"
    feature = "-" if entry.feature_id is None else str(entry.feature_id)
    version = "-" if entry.version is None else str(entry.version)
    return (
        f"{entry.id:>8}  {when:<19}  {_who(entry):<24} {entry.layer:<12} {feature:>8}  "
        f"{entry.operation:<10} {version:>7}  {changed}"
    )
