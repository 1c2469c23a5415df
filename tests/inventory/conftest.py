"""Fixtures for the label and CSV tests: a small seeded district on SQLite, seeded once and copied per test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from kiosk.domain import schema, seed
from kiosk.domain.clock import FakeClock
from kiosk.domain.db import Database

SEED = seed.SeedOptions(devices=80, tickets=0, hash_passwords=False, as_of=date(2026, 9, 14))


@pytest.fixture(scope="session")
def seeded_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file holding the demo district: 3 campuses (LE01, WE02, RE03), 80 devices, no tickets."""
    path = tmp_path_factory.mktemp("template") / "district.sqlite3"
    template = Database(f"sqlite:///{path}", clock=FakeClock())
    schema.upgrade(template.engine)
    seed.seed(template, SEED)
    template.dispose()  # the last connection closing folds the WAL into the file
    return path


@pytest.fixture
def district_url(seeded_file: Path, tmp_path: Path) -> str:
    """A private copy of the seeded district, as a database URL."""
    target = tmp_path / "district.sqlite3"
    shutil.copyfile(seeded_file, target)
    return f"sqlite:///{target}"


@pytest.fixture
def district(district_url: str, clock: FakeClock) -> Iterator[Database]:
    db = Database(district_url, clock=clock)
    try:
        yield db
    finally:
        db.dispose()
