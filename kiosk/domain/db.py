"""The one way to open a database: engine with SQLite pragmas, session factory, unit of work."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

from kiosk.domain.clock import SYSTEM_CLOCK, Clock
from kiosk.domain.errors import InvalidInput


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide when a transaction begins (see _sqlite_begin), so that
    # SAVEPOINTs nest inside a real transaction instead of becoming one.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    try:
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA busy_timeout=5000")
    finally:
        cur.close()


def _sqlite_begin(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN")


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``; SQLite gets WAL, foreign keys and ``synchronous=FULL`` on every connection."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise InvalidInput(f"malformed database URL {url!r}: expected e.g. sqlite:///path.db or "
                           "postgresql+psycopg://user@host/db") from exc
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if backend == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        kwargs.setdefault("pool_pre_ping", True)
        kwargs.setdefault("connect_args", {"connect_timeout": 5})
        return create_engine(parsed, **kwargs)
    raise InvalidInput(f"unsupported database {backend!r}: use sqlite:/// or postgresql+psycopg://")


@dataclass(frozen=True)
class Actor:
    """Who is making a change: a signed-in staff member, a kiosk, or the command line."""

    staff_id: Any = None  # uuid.UUID | None
    kiosk_id: Any = None  # uuid.UUID | None
    label: str = "cli"


@dataclass
class Ctx:
    """What every service call gets: the session of one user action, the clock, and the actor."""

    session: Session
    clock: Clock = SYSTEM_CLOCK
    actor: Actor = field(default_factory=Actor)


class Database:
    """An engine plus its session factory. One per process and URL."""

    def __init__(self, url: str, clock: Clock = SYSTEM_CLOCK, **engine_kwargs: Any) -> None:
        self.url = url
        self.engine = make_engine(url, **engine_kwargs)
        self.clock = clock
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def unit(self, actor: Actor | None = None) -> Iterator[Ctx]:
        """One user action: commits when the block ends, rolls back if it raises."""
        with self.sessions() as session, session.begin():
            yield Ctx(session=session, clock=self.clock, actor=actor or Actor())

    def dispose(self) -> None:
        self.engine.dispose()
