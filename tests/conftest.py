"""Shared fixtures: a fake clock, migrated SQLite and PostgreSQL databases (one fresh database per test)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from kiosk.domain import schema  # noqa: E402
from kiosk.domain.clock import FakeClock  # noqa: E402
from kiosk.domain.db import Database  # noqa: E402

PG_ADMIN_URL = os.environ.get("KIOSK_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
IN_CI = os.environ.get("CI", "").lower() == "true"
RUN_ID = uuid.uuid4().hex[:8]


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test touches the real user data directory or an inherited database URL."""
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    monkeypatch.delenv("KIOSK_DATABASE_URL", raising=False)


@pytest.fixture
def clock() -> FakeClock:
    # Monday 2026-09-14 10:00 in Chicago (15:00 UTC): a school day, inside business hours.
    return FakeClock(datetime(2026, 9, 14, 15, 0, tzinfo=UTC))


@pytest.fixture
def sqlite_url(tmp_path: os.PathLike[str]) -> str:
    return f"sqlite:///{tmp_path}/kiosk.sqlite3"


def _pg_admin() -> object:
    import psycopg

    url = PG_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")
    try:
        return psycopg.connect(url, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        if IN_CI:
            pytest.fail(f"CI=true but PostgreSQL is unreachable at {PG_ADMIN_URL}: {exc}")
        pytest.skip(f"PostgreSQL not reachable at {PG_ADMIN_URL} (set CI=true to make this a failure)")


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A brand-new PostgreSQL database for this test, dropped afterwards."""
    conn = _pg_admin()
    name = f"kiosk_test_{RUN_ID}_{uuid.uuid4().hex[:8]}"
    conn.execute(f'CREATE DATABASE "{name}"')  # type: ignore[attr-defined]
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[attr-defined]
        conn.close()  # type: ignore[attr-defined]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_url(request: pytest.FixtureRequest, tmp_path: os.PathLike[str]) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/kiosk.sqlite3"
    return str(request.getfixturevalue("pg_url"))


def _migrated(url: str, clock: FakeClock) -> Iterator[Database]:
    db = Database(url, clock=clock)
    schema.upgrade(db.engine)
    try:
        yield db
    finally:
        db.dispose()


@pytest.fixture
def db(sqlite_url: str, clock: FakeClock) -> Iterator[Database]:
    """A migrated SQLite database with the fake clock."""
    yield from _migrated(sqlite_url, clock)


@pytest.fixture
def any_db(any_url: str, clock: FakeClock) -> Iterator[Database]:
    """A migrated database, once on SQLite and once on PostgreSQL."""
    yield from _migrated(any_url, clock)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "pg_url" in getattr(item, "fixturenames", ()) and not item.get_closest_marker("postgres"):
            item.add_marker(pytest.mark.postgres)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    report = yield
    # With CI=true a PostgreSQL test must run: a skip is turned into a failure.
    if IN_CI and item.get_closest_marker("postgres") and report.skipped:  # type: ignore[attr-defined]
        report.outcome = "failed"  # type: ignore[attr-defined]
        report.longrepr = "PostgreSQL test skipped while CI=true"  # type: ignore[attr-defined]
    return report
