"""The one settings object: where the database is, which campus this kiosk serves, and friends."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

APP_NAME = "campus-kiosk"
URL_ENV = "KIOSK_DATABASE_URL"


def data_dir() -> Path:
    """The per-user data directory (created on first use); KIOSK_DATA_DIR overrides it."""
    override = os.environ.get("KIOSK_DATA_DIR")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database_url() -> str:
    return f"sqlite:///{data_dir() / 'kiosk.sqlite3'}"


def demo_database_url() -> str:
    return f"sqlite:///{data_dir() / 'demo.sqlite3'}"


def resolve_database_url(explicit: str | None = None) -> str:
    """``--url`` wins, then the KIOSK_DATABASE_URL environment variable, then the embedded SQLite file."""
    return explicit or os.environ.get(URL_ENV) or default_database_url()


@dataclass
class Settings:
    database_url: str = field(default_factory=resolve_database_url)
    idle_seconds: int = 60
    troublesome_repairs: int = 3
    troublesome_days: int = 90
