"""Fixtures for the label and CSV tests: a small seeded district on SQLite."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.domain import seed
from kiosk.domain.db import Database


@pytest.fixture
def district(db: Database) -> Database:
    """The demo district with 80 devices and no tickets (campuses LE01, ..., rooms 'Library', 'A101', ...)."""
    seed.seed(db, seed.SeedOptions(devices=80, tickets=0, hash_passwords=False, as_of=date(2026, 9, 14)))
    return db
