"""Migrations: upgrade, downgrade, upgrade again on SQLite and PostgreSQL, and no drift from the models."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from kiosk.domain import schema
from kiosk.domain.db import Database, make_engine
from kiosk.domain.models import Base


def _diff(url: str) -> list[object]:
    engine = make_engine(url)
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, Base.metadata)
    engine.dispose()
    return list(diff)


def test_upgrade_downgrade_upgrade_matches_the_models(any_url: str) -> None:
    engine = make_engine(any_url)
    assert schema.upgrade(engine) == (None, schema.head_revision())
    tables = set(inspect(engine).get_table_names())
    assert {"devices", "tickets", "ticket_events", "surveys", "rotation_visits", "audit_log"} <= tables
    schema.downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    schema.upgrade(engine)
    assert schema.is_at_head(engine)
    engine.dispose()
    assert _diff(any_url) == []


def test_drift_is_detected_when_a_model_changes(sqlite_url: str) -> None:
    """The comparison above can fail: a column missing from the database is reported."""
    engine = make_engine(sqlite_url)
    schema.upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE devices DROP COLUMN notes"))
    engine.dispose()
    assert any("notes" in repr(d) for d in _diff(sqlite_url))


def test_a_database_newer_than_the_program_is_refused(any_url: str) -> None:
    engine = make_engine(any_url)
    schema.upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    with pytest.raises(schema.SchemaTooNew, match="newer than this program"):
        schema.upgrade(engine)
    engine.dispose()


def test_sqlite_runs_with_wal_foreign_keys_and_full_sync(db: Database) -> None:
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
