"""``gisserver db``: the private PostGIS cluster and the schema."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from gisserver.cli.options import settings_of

# psycopg and pydantic are imported by the commands that use them: `gisserver --help` lists
# this group without them.
if TYPE_CHECKING:
    from gisserver.settings import Settings


@click.group()
def db() -> None:
    """Manage the database: the private cluster (start/stop/status/url), migrations, backups."""


def _external(settings: Settings) -> bool:
    from gisserver.db import describe_target

    if settings.database_url:
        click.echo(
            f"DATABASE_URL is set ({describe_target(settings.database_url)}): "
            "the private cluster is not used"
        )
        return True
    return False


@db.command()
def start() -> None:
    """Create (first time) and start the private PostGIS cluster in var/pg."""
    from gisserver.db import connect, private_cluster

    settings = settings_of()
    if _external(settings):
        connect(settings.database_url or "").close()  # fail early, clearly, if unreachable
        return
    cluster = private_cluster(settings)
    created = not cluster.is_initialised()
    cluster.start()
    click.echo(
        f"{'created and started' if created else 'running'}: private PostGIS cluster in "
        f"{cluster.root} on 127.0.0.1:{cluster.port}"
    )


@db.command()
def stop() -> None:
    """Stop the private cluster (data is kept)."""
    from gisserver.db import private_cluster

    settings = settings_of()
    if _external(settings):
        return
    cluster = private_cluster(settings)
    click.echo("stopped" if cluster.stop() else "not running")


@db.command()
def status() -> None:
    """Say whether the database is reachable and its schema current (exit 1 if not)."""
    from gisserver.db import database_url, describe_target, private_cluster
    from gisserver.web.health import readiness

    settings = settings_of()
    if not settings.database_url:
        cluster = private_cluster(settings)
        if not cluster.is_initialised():
            click.echo(f"no private cluster in {cluster.root}; run 'gisserver db start'")
            raise SystemExit(1)
        if not cluster.is_running():
            click.echo(f"private cluster in {cluster.root} is stopped; run 'gisserver db start'")
            raise SystemExit(1)
    url = database_url(settings)
    report = readiness(url)
    click.echo(
        f"{describe_target(url)}: PostgreSQL {report['postgresql']}, "
        f"PostGIS {report['postgis'] or 'missing'}, schema {report['schema']['current'] or 'none'}"
        f" (head {report['schema']['head']}): {'ready' if report['ready'] else report['reason']}"
    )
    if not report["ready"]:
        raise SystemExit(1)


@db.command()
def url() -> None:
    """Print the database URL in use (contains the private cluster's password)."""
    from gisserver.db import database_url

    click.echo(database_url(settings_of()))


@db.command()
@click.option("--revision", default="head", show_default=True, help="target revision")
def migrate(revision: str) -> None:
    """Upgrade the schema (creates the PostGIS extensions when allowed)."""
    from gisserver import migrations  # alembic and SQLAlchemy only for the commands that need them
    from gisserver.db import connect, database_url

    dburl = database_url(settings_of())
    connect(dburl).close()
    migrations.upgrade(dburl, revision)
    click.echo(f"schema at {migrations.current_revision(dburl)}")


@db.command()
@click.argument("revision")
def downgrade(revision: str) -> None:
    """Downgrade the schema to REVISION ('base' removes every table)."""
    from gisserver import migrations
    from gisserver.db import connect, database_url

    dburl = database_url(settings_of())
    connect(dburl).close()
    migrations.downgrade(dburl, revision)
    click.echo(f"schema at {migrations.current_revision(dburl) or 'base'}")


@db.command()
def roles() -> None:
    """Create or update the web tier's, the ETL's and the API writes' login roles on a database
    of your own.

    Their names and passwords are those of GISSERVER_READ_DATABASE_URL (a member of
    gisserver_read: reads only), GISSERVER_WRITE_DATABASE_URL (a member of gisserver_write:
    owns the tables) and GISSERVER_EDIT_DATABASE_URL (a member of gisserver_edit: writes rows
    of the editable tables, appends to the audit trail); run as the migrating role
    (DATABASE_URL). The private cluster makes its own at 'gisserver db start'.
    """
    from gisserver import migrations
    from gisserver.db import connect, database_url
    from gisserver.errors import InvalidParameter
    from gisserver.roles import credentials, ensure_login_role

    settings = settings_of()
    given = {
        "read": settings.read_database_url,
        "write": settings.write_database_url,
        "edit": settings.edit_database_url,
    }
    missing = [purpose for purpose, url in given.items() if not url]
    if missing:
        raise InvalidParameter(
            f"GISSERVER_{missing[0].upper()}_DATABASE_URL",
            "is not set",
            "postgresql://USER:PASSWORD@HOST:PORT/DATABASE for each of the three roles",
        )
    with connect(database_url(settings), autocommit=True) as conn:
        for purpose, url in given.items():
            user, password = credentials(str(url), purpose)
            ensure_login_role(conn, user, password, purpose)
            click.echo(f"{purpose}: role {user} is a member of gisserver_{purpose}")
    migrations.apply_grants(database_url(settings))


@db.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
def backup(file: Path) -> None:
    """Write a backup of the whole database to FILE, consistent while the server serves
    (pg_dump's custom format, with what PostGIS needs to be created again)."""
    from gisserver import backups
    from gisserver.db import database_url, describe_target

    settings = settings_of()
    url = database_url(settings)
    external = bool(settings.database_url)
    pg_dump = backups.find_tool("pg_dump", settings.pg_bin_dir, path_first=external)
    held = backups.backup(url, file, pg_dump=pg_dump)
    size = file.stat().st_size / 1e6
    click.echo(f"backed up {describe_target(url)} ({held.describe()}) to {file} ({size:,.1f} MB)")


@db.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
def restore(file: Path) -> None:
    """Restore FILE, made by 'gisserver db backup', into an empty database: the private
    cluster (created when var/pg holds none) or DATABASE_URL; then check the schema."""
    from gisserver import backups, migrations
    from gisserver.db import describe_target, private_cluster

    settings = settings_of()
    external = bool(settings.database_url)
    pg_restore = backups.find_tool("pg_restore", settings.pg_bin_dir, path_first=external)
    backups.archive_entries(file, pg_restore=pg_restore)  # a wrong file creates nothing
    if settings.database_url:
        url = settings.database_url
    else:
        cluster = private_cluster(settings)
        if not cluster.is_initialised():
            click.echo(f"creating the private PostGIS cluster in {cluster.root}")
        cluster.start()
        url = cluster.url()
    held = backups.restore(url, file, pg_restore=pg_restore)
    # the restore's objects belong to whoever restored them: hand them to the roles again
    migrations.apply_grants(url)
    head = migrations.head_revision(url)
    if held.revision == head:
        schema = "the schema is this code's"
    elif held.revision is None:
        schema = "no schema revision: run 'gisserver db migrate'"
    elif migrations.known_revision(held.revision):
        schema = f"this code's schema is {head}: run 'gisserver db migrate'"
    else:
        schema = (
            f"this code does not know schema {held.revision} (its newest is {head}): serve it "
            "with the gisserver version that made the backup"
        )
    click.echo(f"restored {file} into {describe_target(url)}: {held.describe()}; {schema}")


@db.group()
def replica() -> None:
    """Read replicas of the private cluster (PostgreSQL streaming replication)."""


@replica.command("create")
@click.option("--port", type=click.IntRange(1024, 65535), required=True, help="its port")
def replica_create(port: int) -> None:
    """Make (first time) and start a streaming replica of the private cluster on PORT, with
    pg_basebackup -R; prints the URL to put in GISSERVER_READ_REPLICAS."""
    from gisserver.db import private_cluster

    settings = settings_of()
    if _external(settings):
        raise click.UsageError(
            "with DATABASE_URL, make replicas with your PostgreSQL's own tools (docs/scale.md)"
        )
    made = private_cluster(settings).create_replica(port)
    click.echo(f"running: read replica in {made.root} on 127.0.0.1:{made.port}")
    click.echo(f"GISSERVER_READ_REPLICAS={made.url('read')}")


@replica.command("stop")
@click.option("--port", type=click.IntRange(1024, 65535), required=True, help="its port")
def replica_stop(port: int) -> None:
    """Stop the replica on PORT (its data is kept; create starts it again)."""
    from gisserver.cluster import PrivateCluster
    from gisserver.db import private_cluster

    cluster = private_cluster(settings_of())
    stopped = PrivateCluster(cluster.replica_root(port), port, cluster.bin_dir).stop()
    click.echo("stopped" if stopped else "not running")
