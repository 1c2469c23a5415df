"""The server tests share the sync tests' seeded district and server process, and a migrated PostgreSQL database."""

from collections.abc import Iterator

import pytest

from kiosk.domain import schema
from kiosk.domain.db import Database
from tests.sync.conftest import district, server

__all__ = ["district", "pg_db", "server"]


@pytest.fixture
def pg_db(pg_url: str) -> Iterator[Database]:
    db = Database(pg_url)
    schema.upgrade(db.engine)
    try:
        yield db
    finally:
        db.dispose()
