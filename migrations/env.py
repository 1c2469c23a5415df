"""Alembic environment: one metadata, batch mode on SQLite, used by the program and the alembic CLI."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from kiosk.domain.db import make_engine
from kiosk.domain.models import Base
from kiosk.settings import resolve_database_url

config = context.config
target_metadata = Base.metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = config.get_main_option("sqlalchemy.url") or resolve_database_url()
    engine = make_engine(url)
    with engine.connect() as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline SQL generation is not supported; run `kiosk db upgrade`")
run_migrations_online()
