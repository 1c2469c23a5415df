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


@dataclass
class KioskConfig:
    """This kiosk's own settings, kept in ``kiosk.json`` in the data directory."""

    campus_id: str | None = None
    kiosk_name: str = "Tech room kiosk"
    idle_seconds: int = 60

    @staticmethod
    def path(name: str = "kiosk.json") -> Path:
        return data_dir() / name

    @classmethod
    def load(cls, name: str = "kiosk.json") -> KioskConfig:
        import json

        p = cls.path(name)
        if not p.exists():
            return cls()
        try:
            raw = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        known = {k: v for k, v in raw.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def save(self, name: str = "kiosk.json") -> None:
        import dataclasses
        import json
        import os

        p = self.path(name)
        tmp = p.with_suffix(".tmp")
        tmp.write_text(json.dumps(dataclasses.asdict(self), indent=2), encoding="utf-8")
        os.replace(tmp, p)  # atomic: a crash never leaves a half-written config
