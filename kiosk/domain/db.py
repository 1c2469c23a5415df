"""The one way to open a database: engine with SQLite pragmas, session factory, one writer, unit of work.

Writes: every transaction on a SQLite engine is a write unless it was opened for reading (``Database.read``,
``Database.reading``). A write first takes the process's writer turn for that database file (first come, first
served, shared by every thread: the UI's jobs, the sync worker, the CLI) and then begins with ``BEGIN
IMMEDIATE``, which takes SQLite's write lock at once, so that another *process* writing makes it wait (never
the "database is locked" of a deferred transaction that must upgrade its lock). Reads begin deferred, take no
turn, and run in parallel with the writer under WAL. See docs/runtime.md.
"""

from __future__ import annotations

import itertools
import logging
import os
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from kiosk.domain.clock import SYSTEM_CLOCK, Clock
from kiosk.domain.errors import DomainError, InvalidInput

log = logging.getLogger(__name__)

READ_OPTION = "kiosk_read"  # execution option: this connection's transactions only read
WRITE_WAIT_SECONDS = 120.0  # how long a write waits for its turn (other threads, other processes) before failing
_HOLDS = "kiosk_writer_turn"  # key in a DBAPI connection's info: the WriterTurn it holds


class DatabaseBusy(DomainError):
    """A write waited its whole allowance for the database (another program kept it busy)."""


class WriteFailed(DomainError):
    """A write the database refused for a reason a person can act on (disk full, read-only, damaged file)."""


class WriterTurn:
    """First come, first served turns for one database's writer, shared by all threads of the process.

    A plain lock would let a thread that just released it win again over threads that were waiting; audit
    scans 50 ms apart must be recorded in the order they were made, so waiting threads queue.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self._cond = threading.Condition()
        self._queue: deque[object] = deque()
        self._owner: int | None = None  # thread id of the holder

    def held_by_me(self) -> bool:
        return self._owner == threading.get_ident()

    def acquire(self, timeout: float) -> bool:
        """Wait for this thread's turn, at most ``timeout`` seconds; False if it did not come."""
        me = object()
        deadline = time.monotonic() + timeout
        with self._cond:
            self._queue.append(me)
            try:
                while self._owner is not None or self._queue[0] is not me:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        return False
                    self._cond.wait(left)
                self._owner = threading.get_ident()
                return True
            finally:
                self._queue.remove(me)
                self._cond.notify_all()

    def release(self) -> None:
        with self._cond:
            self._owner = None
            self._cond.notify_all()


_TURNS: dict[str, WriterTurn] = {}
_TURNS_LOCK = threading.Lock()
_PRIVATE = itertools.count()


def writer_turn(key: str) -> WriterTurn:
    """The one WriterTurn of this process for a database (keyed by its resolved file path)."""
    with _TURNS_LOCK:
        turn = _TURNS.get(key)
        if turn is None:
            turn = _TURNS[key] = WriterTurn(key)
        return turn


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide when a transaction begins (see _SQLiteWriter.begin), so
    # that SAVEPOINTs nest inside a real transaction instead of becoming one.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    try:
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA busy_timeout=5000")
    finally:
        cur.close()


def _busy(exc: BaseException) -> bool:
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    return isinstance(orig, sqlite3.OperationalError) and (
        "locked" in str(orig) or "busy" in str(orig))


class _SQLiteWriter:
    """The engine events that give a SQLite engine one writer: turn + BEGIN IMMEDIATE, released at the end."""

    def __init__(self, key: str, wait: float) -> None:
        self.turn = writer_turn(key)
        self.wait = wait

    def attach(self, engine: Engine) -> None:
        event.listen(engine, "begin", self.begin)
        event.listen(engine, "commit", self.commit)
        event.listen(engine, "rollback", self.rollback)
        event.listen(engine.pool, "checkin", self.checkin)

    def begin(self, conn: Connection) -> None:
        if conn.get_execution_options().get(READ_OPTION) or self.turn.held_by_me():
            # A read; or a second connection opened by the thread that is writing (it would wait for itself):
            # it begins deferred, like a read, and must only read.
            conn.exec_driver_sql("BEGIN")
            return
        deadline = time.monotonic() + self.wait
        if not self.turn.acquire(self.wait):
            raise DatabaseBusy("The kiosk's database stayed busy for too long; the change was not saved. "
                               "Please try again in a minute.")
        try:
            while True:
                try:
                    conn.exec_driver_sql("BEGIN IMMEDIATE")  # waits busy_timeout for another process's writer
                    break
                except OperationalError as exc:
                    if not _busy(exc) or time.monotonic() > deadline:
                        raise
                    log.info("database %s is busy (another process writes); still waiting", self.turn.name)
                    time.sleep(0.05)
        except BaseException:
            self.turn.release()
            raise
        conn.connection.info[_HOLDS] = self.turn

    def _end(self, conn: Connection, sql: str) -> None:
        info = conn.connection.info
        if info.get(_HOLDS) is not self.turn:
            return
        try:
            # End the transaction here, then give up the turn, so the next writer's BEGIN IMMEDIATE does not
            # race our COMMIT; the driver's own commit()/rollback() that follows finds no transaction (no-op).
            # SQLite may already have rolled back by itself (a full disk, an I/O error): nothing to end then.
            if _in_transaction(conn):
                conn.exec_driver_sql(sql)
        finally:
            if sql == "ROLLBACK" or not _in_transaction(conn):
                info.pop(_HOLDS, None)
                self.turn.release()

    def commit(self, conn: Connection) -> None:
        self._end(conn, "COMMIT")

    def rollback(self, conn: Connection) -> None:
        self._end(conn, "ROLLBACK")

    def checkin(self, _dbapi_conn: Any, record: Any) -> None:
        # A safety net: a connection returned to the pool never keeps the turn (the pool rolled it back).
        if record is not None and record.info.pop(_HOLDS, None) is self.turn:
            self.turn.release()


def _in_transaction(conn: Connection) -> bool:
    raw = conn.connection.dbapi_connection
    return bool(raw is not None and raw.in_transaction)


def make_engine(url: str, *, write_wait: float = WRITE_WAIT_SECONDS, **kwargs: Any) -> Engine:
    """An engine for ``url``; SQLite gets WAL, foreign keys, ``synchronous=FULL`` and one writer per file."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise InvalidInput(f"malformed database URL {url!r}: expected e.g. sqlite:///path.db or "
                           "postgresql+psycopg://user@host/db") from exc
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            path = Path(database).expanduser()
            path.parent.mkdir(parents=True, exist_ok=True)
            key = os.path.realpath(path)
        else:
            key = f"{database or ':memory:'}#{next(_PRIVATE)}"  # a database private to this engine
        engine = create_engine(parsed, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        _SQLiteWriter(key, write_wait).attach(engine)
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
    """Who is making a change: a signed-in staff member, a kiosk, or the command line.

    ``console`` marks the person at this machine's command line (``kiosk ticket show`` and the other CLI reads):
    they hold the database file itself, so the staff-only reads let them in without a staff account. Only
    ``Actor.console_user()`` sets it, only the CLI calls that; no screen ever does (tests/domain/test_read_work.py).
    """

    staff_id: Any = None  # uuid.UUID | None
    kiosk_id: Any = None  # uuid.UUID | None
    label: str = "cli"
    console: bool = False

    @classmethod
    def console_user(cls, label: str = "cli") -> Actor:
        return cls(label=label, console=True)


@dataclass
class Ctx:
    """What every service call gets: the session of one user action, the clock, and the actor."""

    session: Session
    clock: Clock = SYSTEM_CLOCK
    actor: Actor = field(default_factory=Actor)


def _refuse_flush(session: Session, _flush_context: Any, _instances: Any) -> None:
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("a read-only session (Database.read) tried to write: use Database.unit")


class Database:
    """An engine plus its session factories. One per process and URL.

    ``unit(actor)`` is the one way to write (one user action, committed at the end of the block, waiting its
    turn behind other writers); ``read()`` gives a session that only reads and never waits for a writer.

    ``role`` ("kiosk", "central", "none"; None reads it from the database) decides what its sessions record
    for sync: the outbox of an enrolled kiosk, or the central change log (``kiosk.protocol.capture``).
    """

    def __init__(self, url: str, clock: Clock = SYSTEM_CLOCK, role: str | None = None, **engine_kwargs: Any) -> None:
        from kiosk.protocol.capture import ChangeCapture

        self.url = url
        self.engine = make_engine(url, **engine_kwargs)
        self.clock = clock
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._read_engine = self.engine.execution_options(**{READ_OPTION: True})
        self.read_sessions = sessionmaker(self._read_engine, expire_on_commit=False, autoflush=False)
        event.listen(self.read_sessions, "before_flush", _refuse_flush)
        self.capture = ChangeCapture(self, role)  # listeners on self.sessions only

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def unit(self, actor: Actor | None = None) -> Iterator[Ctx]:
        """One user action: commits when the block ends, rolls back if it raises.

        On SQLite it waits for the writer's turn (other threads of this process, then other processes) and
        holds it until the end of the block: keep network calls and long computations out of it.
        """
        try:
            with self.sessions() as session, session.begin():
                yield Ctx(session=session, clock=self.clock, actor=actor or Actor())
        except OperationalError as exc:
            raise self._plain(exc) from exc

    @contextmanager
    def read(self, actor: Actor | None = None) -> Iterator[Ctx]:
        """A read-only unit: sees one consistent snapshot, runs beside the writer, is rolled back at the end."""
        with self.read_sessions() as session:  # closing the session rolls its transaction back
            yield Ctx(session=session, clock=self.clock, actor=actor or Actor())
            if session.new or session.dirty or session.deleted:  # never flushed (no autoflush): it would be lost silently
                raise RuntimeError("a read-only session (Database.read) was given changes: use Database.unit")

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A Core connection for reads only (no writer's turn)."""
        with self._read_engine.connect() as conn:
            yield conn

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """A Core connection in one write transaction (same turn as ``unit``), committed at the end."""
        try:
            with self.engine.begin() as conn:
                yield conn
        except OperationalError as exc:
            raise self._plain(exc) from exc

    def _plain(self, exc: OperationalError) -> Exception:
        return plain_write_error(exc) if self.dialect == "sqlite" else exc

    def dispose(self) -> None:
        self.engine.dispose()


def plain_write_error(exc: OperationalError) -> Exception:
    """SQLite's refusal of a write, in words a person can act on; anything else stays as it is (a bug to log)."""
    text = str(exc.orig).lower() if exc.orig is not None else str(exc).lower()
    if "locked" in text or "busy" in text:
        return DatabaseBusy("The kiosk's database stayed busy for too long; the change was not saved. "
                            "Please try again in a minute.")
    if "disk is full" in text:
        return WriteFailed("The kiosk's disk is full; the change was not saved. Tell the technician.")
    if "readonly" in text or "read-only" in text:
        return WriteFailed("The kiosk's database is read-only; the change was not saved. Tell the technician.")
    if "malformed" in text or "not a database" in text:
        return WriteFailed("The kiosk's database file is damaged; the change was not saved. Tell the "
                           "technician.")
    if "unable to open" in text:
        return WriteFailed("The kiosk cannot open its database file; the change was not saved. Tell the "
                           "technician.")
    return exc
