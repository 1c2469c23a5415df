"""Migrations run by the program: upgrade to head, and refuse a database newer than this program."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from kiosk.domain.errors import DomainError
from kiosk.resources import migrations_dir


class SchemaTooNew(DomainError):
    pass


def alembic_config() -> Config:
    """Alembic's config for the program; the connection is handed over in ``attributes``."""
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "no migrations found"
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def check_not_newer(engine: Engine) -> str | None:
    """The database's revision; raises SchemaTooNew if this program does not know it."""
    rev = current_revision(engine)
    if rev is None:
        return None
    script = ScriptDirectory.from_config(alembic_config())
    known = {s.revision for s in script.walk_revisions()}
    if rev not in known:
        raise SchemaTooNew(
            f"the database is at schema revision {rev}, newer than this program knows "
            f"(its newest is {head_revision()}); install a newer kiosk version"
        )
    return rev


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str]:
    """Upgrade the database to ``revision``; returns (before, after)."""
    before = check_not_newer(engine)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    return before, current_revision(engine) or ""


def downgrade(engine: Engine, revision: str) -> None:
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


def is_at_head(engine: Engine) -> bool:
    return current_revision(engine) == head_revision()
