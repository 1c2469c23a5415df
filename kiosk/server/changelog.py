"""Edits made directly on the central database (admin commands, web pages) reach the kiosks too.

A session hook on the central database (marked by ``mark_central``) appends every changed synced row to the
change log and stamps the changed fields' clocks, in the same transaction as the edit, like the kiosk outbox.
"""

from __future__ import annotations

import uuid
import weakref
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, event, inspect, text
from sqlalchemy.orm import Session, UOWTransaction

from kiosk.domain.db import Database
from kiosk.domain.models import Synced, SyncFieldClock, SyncState, SyncTombstone
from kiosk.server.apply import _dialect_insert, _Rows, campus_of, write_changes
from kiosk.sync import hlc
from kiosk.sync.tables import PULL_TABLES

CENTRAL_KEY = "kiosk.sync.central"
SERVER_NODE = "0" * 32
_central: weakref.WeakKeyDictionary[Engine, bool] = weakref.WeakKeyDictionary()


def mark_central(db: Database) -> None:
    """Make ``db`` the district's central database (done when the service starts)."""
    with db.engine.begin() as conn:
        stmt = _dialect_insert(conn, SyncState.__table__)  # type: ignore[arg-type]
        stmt = stmt.values(key="role", value="central")
        conn.execute(stmt.on_conflict_do_update(index_elements=["key"], set_={"value": "central"}))
    _central.pop(db.engine, None)


def _role(conn: Connection) -> str | None:
    if conn.dialect.name == "postgresql":
        if conn.execute(text("SELECT to_regclass('sync_state')")).scalar() is None:
            return None
    elif conn.execute(text("SELECT 1 FROM sqlite_master WHERE name = 'sync_state'")).scalar() is None:
        return None
    return conn.execute(text("SELECT value FROM sync_state WHERE key = 'role'")).scalar()


def _is_central(session: Session) -> bool:
    flag = session.info.get(CENTRAL_KEY)
    if flag is not None:
        return bool(flag)
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    if engine not in _central:
        _central[engine] = _role(session.connection()) == "central"
    return _central[engine]


def _row(obj: Any) -> dict[str, Any]:
    return {p.columns[0].name: getattr(obj, p.key) for p in inspect(type(obj)).column_attrs}


@event.listens_for(Session, "after_flush")
def _log_central_edits(session: Session, _ctx: UOWTransaction) -> None:
    objs = [o for o in (*session.new, *session.dirty, *session.deleted)
            if isinstance(o, Synced) and type(o).__tablename__ in PULL_TABLES  # type: ignore[attr-defined]
            and type(o).__tablename__ != "reporters"]  # type: ignore[attr-defined]
    if not objs or not _is_central(session):
        return
    conn = session.connection()
    rows = _Rows(conn, lock=False)
    stamp = hlc.tick(None, SERVER_NODE)
    campuses: dict[tuple[str, uuid.UUID], set[uuid.UUID | None]] = {}
    deleted: set[tuple[str, uuid.UUID]] = set()
    clocks: list[dict[str, Any]] = []
    for obj in objs:
        name = type(obj).__tablename__  # type: ignore[attr-defined]
        row = _row(obj)
        key = (name, row["id"])
        rows.cache[key] = row
        where = campuses.setdefault(key, set())
        where.add(campus_of(name, row, rows))
        if obj in session.deleted:
            deleted.add(key)
            continue
        if obj in session.new:
            continue
        state = inspect(obj)
        for prop in inspect(type(obj)).column_attrs:
            hist = state.attrs[prop.key].history
            if not hist.has_changes():
                continue
            col = prop.columns[0].name
            clocks.append({"table_name": name, "row_id": row["id"], "field": col, "hlc": stamp})
            if col == "campus_id" and hist.deleted:
                where.add(hist.deleted[0])  # the campus it left also hears about it
    if clocks:
        ins = _dialect_insert(conn, SyncFieldClock.__table__)  # type: ignore[arg-type]
        conn.execute(ins.on_conflict_do_update(index_elements=["table_name", "row_id", "field"],
                                               set_={"hlc": ins.excluded.hlc}), clocks)
    if deleted:
        ins = _dialect_insert(conn, SyncTombstone.__table__)  # type: ignore[arg-type]
        conn.execute(ins.on_conflict_do_nothing(), [{"table_name": n, "row_id": r, "hlc": stamp,
                                                     "deleted_at": datetime.now(UTC)} for n, r in deleted])
    write_changes(conn, campuses, deleted)
