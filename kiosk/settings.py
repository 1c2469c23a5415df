"""The one settings object of a process (``current()``), read from KIOSK_* environment variables, and kiosk.json.

``KioskSettings`` is typed and validated once (pydantic-settings): a bad value stops the program at start with
the variable's name, instead of failing deep inside a job. The domain never reads the environment: it gets
these values from here (or as parameters). ``KioskPrefs`` is this kiosk's own choices (campus, name, idle
time), kept in ``kiosk.json`` in the data folder and changed from the kiosk's screens.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

import platformdirs
from pydantic import Field, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

APP_NAME = "campus-kiosk"
URL_ENV = "KIOSK_DATABASE_URL"


class KioskSettings(BaseSettings):
    """Everything a kiosk, the CLI or the service reads from its environment (``KIOSK_<NAME>``)."""

    model_config = SettingsConfigDict(env_prefix="KIOSK_", extra="ignore", frozen=True)

    data_dir: Path | None = Field(default=None, description="the database, photos, labels and logs")
    database_url: str | None = Field(default=None, description="default: kiosk.sqlite3 in data_dir")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(default="INFO", description="the log's level")
    survey_days: float = Field(default=14.0, gt=0, description="how long a survey link stays valid")
    public_url: str = Field(default="http://127.0.0.1:8000", description="the central service, for reporters")
    smtp_host: str = "127.0.0.1"
    smtp_port: int | None = Field(default=None, description="default: 587 for starttls, 465 for ssl, 25 for none")
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_security: Literal["starttls", "ssl", "none"] = "starttls"
    smtp_from: str = "kiosk@localhost"
    smtp_verify: bool = True
    mail_domains: str = Field(default="", description="comma-separated domains mail may go to (empty: any)")
    rate_limit_scale: float = Field(default=1.0, ge=0, description="the service's rate limits times this; 0: off")
    # the central service (`kiosk server`): its request threads, worker processes and scheduled jobs
    server_threads: int = Field(default=8, ge=1, le=1000, description="request threads per worker process")
    server_workers: int = Field(default=1, ge=1, le=64, description="worker processes")
    server_worker_config: str | None = Field(default=None, description="set by `kiosk server --workers N` for "
                                             "its worker processes (JSON); not for people to set")
    jobs: bool = Field(default=True, description="the service's scheduled jobs (off: none run)")
    jobs_escalate_seconds: float = Field(default=300.0, ge=0, description="SLA escalation every; 0: off")
    jobs_mail_seconds: float = Field(default=60.0, ge=0, description="queued mail sent every; 0: off")
    jobs_prune_seconds: float = Field(default=3600.0, ge=0, description="old sync data pruned every; 0: off")
    jobs_auto_close_seconds: float = Field(default=900.0, ge=0, description="resolved tickets closed every; 0: off")

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("smtp_security", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.lower() if isinstance(value, str) else value

    @field_validator("smtp_user", "smtp_password", "database_url", "server_worker_config", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("server_threads", "server_workers", "jobs", "jobs_escalate_seconds", "jobs_mail_seconds",
                     "jobs_prune_seconds", "jobs_auto_close_seconds", mode="before")
    @classmethod
    def _empty_is_default(cls, value: object, info: ValidationInfo) -> object:
        if isinstance(value, str) and value.strip() == "":
            return cls.model_fields[str(info.field_name)].default
        return value.strip() if isinstance(value, str) else value

    @property
    def survey_ttl(self) -> timedelta:
        return timedelta(days=self.survey_days)

    @property
    def public_base_url(self) -> str:
        return self.public_url.rstrip("/")

    def folder(self) -> Path:
        """The data folder (created on first use)."""
        path = self.data_dir or Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
        path.mkdir(parents=True, exist_ok=True)
        return path


class SettingsError(ValueError):
    """A KIOSK_* variable with a value that cannot be used; the message names it."""


_current: KioskSettings | None = None
_read_from: dict[str, str] | None = None  # the KIOSK_* variables _current was read from
_lock = threading.Lock()


def _kiosk_environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k.startswith("KIOSK_")}


def load() -> KioskSettings:
    """Read the environment now (a bad value raises SettingsError naming the variable)."""
    try:
        return KioskSettings()
    except ValidationError as exc:
        raise SettingsError(_problems(exc)) from None


def from_mapping(env: Mapping[str, str]) -> KioskSettings:
    """The settings as the KIOSK_* variables in ``env`` say (the others from the environment or defaults): for
    tests and for a caller that was handed its own variables. A bad value raises SettingsError naming it."""
    values: dict[str, Any] = {name[len("KIOSK_"):].lower(): value for name, value in env.items()
                              if name.startswith("KIOSK_")}
    try:
        return KioskSettings(**values)
    except ValidationError as exc:
        raise SettingsError(_problems(exc)) from None


def _problems(exc: ValidationError) -> str:
    return "bad setting: " + "; ".join(f"KIOSK_{'_'.join(str(p) for p in e['loc']).upper()}: {e['msg']}"
                                       for e in exc.errors())


def current() -> KioskSettings:
    """The process's settings: read once, and again only if a KIOSK_* variable changed (tests, ``kiosk server``)."""
    global _current, _read_from
    env = _kiosk_environment()
    with _lock:
        if _current is None or (_read_from is not None and env != _read_from):
            _current, _read_from = load(), env
        return _current


def configure(settings: KioskSettings | None = None) -> KioskSettings | None:
    """Set the process's settings explicitly (kept whatever the environment says); None: read it again."""
    global _current, _read_from
    with _lock:
        _current, _read_from = settings, None
    return settings


def data_dir() -> Path:
    """The per-user data directory (created on first use); KIOSK_DATA_DIR overrides it."""
    return current().folder()


def default_database_url() -> str:
    return f"sqlite:///{data_dir() / 'kiosk.sqlite3'}"


def demo_database_url() -> str:
    return f"sqlite:///{data_dir() / 'demo.sqlite3'}"


def resolve_database_url(explicit: str | None = None) -> str:
    """``--url`` wins, then the KIOSK_DATABASE_URL environment variable, then the embedded SQLite file."""
    return explicit or current().database_url or default_database_url()


@dataclass
class KioskPrefs:
    """This kiosk's own choices, kept in ``kiosk.json`` in the data directory."""

    campus_id: str | None = None
    kiosk_name: str = "Tech room kiosk"
    idle_seconds: int = 60

    @staticmethod
    def path(name: str = "kiosk.json") -> Path:
        return data_dir() / name

    @classmethod
    def load(cls, name: str = "kiosk.json") -> KioskPrefs:
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
        import json
        import os

        p = self.path(name)
        tmp = p.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), indent=2), encoding="utf-8")
        os.replace(tmp, p)  # atomic: a crash never leaves a half-written config
