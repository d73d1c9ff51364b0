"""Alembic environment: online migrations only, URL from the gisserver config."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool

from gisserver.models import Base

config = context.config
target_metadata = Base.metadata


def include_object(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    # PostGIS and its extensions own these; they are not ours to diff.
    return not (type_ == "table" and name in {"spatial_ref_sys", "layer", "topology"})


def run_migrations_online() -> None:
    url = config.get_main_option("sqlalchemy.url")
    assert url is not None
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            include_object=include_object,
            transaction_per_migration=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations_online()
