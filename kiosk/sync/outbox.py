"""The outbox: every local edit of a synced row is recorded in the same SQLite transaction as the edit.

A session event hook (like the append-only listener in ``kiosk.domain.models``) watches flushes. It is on
only for kiosk nodes: a session whose ``info[OUTBOX_KEY]`` is true, or, when the key is absent, a SQLite
database that has been enrolled (``sync_state`` holds a ``node_id``). Everything else is untouched.
"""

from __future__ import annotations

import uuid
import weakref
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, event, insert, inspect, select, text
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, UOWTransaction

from kiosk.domain.ids import uuid7
from kiosk.domain.models import Reporter, Synced, SyncOutbox, SyncState
from kiosk.sync import hlc
from kiosk.sync.tables import PUSH_FORBIDDEN, PUSH_TABLES, encode

OUTBOX_KEY = "kiosk.sync.outbox"
REPORTER_NAMESPACE = uuid.UUID("6f1c1d8e-2b59-4c1e-9a43-0d7e1e5b7a10")

_enrolled: weakref.WeakKeyDictionary[Engine, str | None] = weakref.WeakKeyDictionary()


def reporter_id(id_number: str | None, email: str | None) -> uuid.UUID:
    """The same reporter gets the same key on every kiosk, so two kiosks filing offline do not clash."""
    key = f"id:{id_number}" if id_number else f"email:{email}"
    return uuid.uuid5(REPORTER_NAMESPACE, key)


def forget_engine(engine: Engine) -> None:
    """Re-read the enrollment of this engine's database on the next flush (after enrolling)."""
    _enrolled.pop(engine, None)


def get_state(session_or_conn: Any, key: str) -> str | None:
    return session_or_conn.execute(select(SyncState.value).where(SyncState.key == key)).scalar()


def set_state(conn: Any, key: str, value: str) -> None:
    stmt = sqlite_insert(SyncState).values(key=key, value=value)
    conn.execute(stmt.on_conflict_do_update(index_elements=["key"], set_={"value": value}))


def _node(session: Session) -> str | None:
    """This kiosk's node id when the outbox is on for this session, else None."""
    flag = session.info.get(OUTBOX_KEY)
    if flag is False:
        return None
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    if engine.dialect.name != "sqlite":
        return None
    if engine in _enrolled:
        node = _enrolled[engine]
    else:
        try:
            node = session.connection().execute(
                text("SELECT value FROM sync_state WHERE key = 'node_id'")).scalar()
        except OperationalError:  # not migrated yet: no sync_state table
            node = None
        _enrolled[engine] = node
    if node is None and flag is True:
        raise RuntimeError("the outbox is switched on but this database is not enrolled")
    return node


@event.listens_for(Session, "before_flush")
def _stable_reporter_keys(session: Session, _ctx: object, _instances: object) -> None:
    if not any(isinstance(o, Reporter) for o in session.new) or _node(session) is None:
        return
    for obj in session.new:
        if isinstance(obj, Reporter) and obj.id is None:
            obj.id = reporter_id(obj.id_number, obj.email)


def _columns(obj: Any) -> list[tuple[str, str]]:
    """(attribute key, column name) for each column a kiosk sends of a mapped object.

    Columns the server owns (a survey link's token hash) stay on the kiosk: the server makes its own.
    """
    kept = PUSH_FORBIDDEN.get(type(obj).__tablename__, frozenset())
    return [(p.key, p.columns[0].name) for p in inspect(type(obj)).column_attrs if p.columns[0].name not in kept]


@event.listens_for(Session, "after_flush")
def _record(session: Session, _ctx: UOWTransaction) -> None:
    candidates = [o for o in (*session.new, *session.dirty, *session.deleted)
                  if isinstance(o, Synced) and type(o).__tablename__ in PUSH_TABLES]  # type: ignore[attr-defined]
    if not candidates:
        return
    wanted = {id(o) for o in candidates}
    node = _node(session)
    if node is None:
        return
    conn = session.connection()
    clock = get_state(conn, "hlc")
    now = datetime.now(UTC)
    rows: list[dict[str, Any]] = []

    def add(obj: Any, op: str, data: dict[str, Any]) -> None:
        nonlocal clock
        clock = hlc.tick(clock, node)
        rows.append({"op_id": uuid7(), "table_name": type(obj).__tablename__, "row_id": obj.id, "op": op,
                     "data": data, "hlc": clock, "created_at": now})

    for obj in session.new:
        if id(obj) in wanted:
            add(obj, "insert", {"set": {col: encode(getattr(obj, key)) for key, col in _columns(obj)}})
    for obj in session.dirty:
        if id(obj) not in wanted or obj in session.deleted:
            continue
        state = inspect(obj)
        changed: dict[str, Any] = {}
        old: dict[str, Any] = {}
        for key, col in _columns(obj):
            hist = state.attrs[key].history
            if hist.has_changes():
                changed[col] = encode(hist.added[0] if hist.added else None)
                old[col] = encode(hist.deleted[0] if hist.deleted else None)
        if changed:
            add(obj, "update", {"set": changed, "old": old})
    for obj in session.deleted:
        if id(obj) in wanted:
            add(obj, "delete", {})
    if rows:
        conn.execute(insert(SyncOutbox), rows)
        assert clock is not None
        set_state(conn, "hlc", clock)
