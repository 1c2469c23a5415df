"""Change capture, owned by the ``Database`` object: the kiosk's outbox, or the central database's change log.

``Database(url, role=...)`` builds one ``ChangeCapture`` and attaches its listeners to its own sessionmaker, so
every session it hands out records its edits in the same transaction; nothing depends on an import having
happened. The role:

* ``"kiosk"``: an enrolled kiosk (SQLite; ``sync_state.node_id`` written by ``kiosk enroll``). Every insert,
  update and delete of a row a kiosk pushes becomes an outbox row, stamped by this node's hybrid logical clock,
  which reads the database's injected clock.
* ``"central"``: the district's database behind the service. Every edit of a row kiosks pull is appended to the
  change log and its fields are stamped by the server's own persistent hybrid logical clock (``sync_state`` key
  ``hlc``), which first receives the stamps of the fields it overwrites, so an office edit always wins over the
  kiosk edits it has seen.
* ``"none"``: a stand-alone kiosk (or a test database): nothing is recorded.
* ``None`` (the default): read from the database on the first flush: PostgreSQL is always central; a SQLite file
  is a kiosk when it holds a ``node_id``, central when ``sync_state.role`` says so, else none. ``refresh()``
  reads it again (after enrolling, or after the service marks its database central).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import Connection, event, insert, inspect, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, UOWTransaction

from kiosk.domain.ids import uuid7
from kiosk.domain.models import Reporter, Synced, SyncFieldClock, SyncOutbox, SyncState, SyncTombstone
from kiosk.protocol import hlc
from kiosk.protocol.scope import RowCache, campus_of, dialect_insert, write_changes
from kiosk.protocol.tables import PULL_TABLES, PUSH_FORBIDDEN, PUSH_TABLES, encode

if TYPE_CHECKING:
    from kiosk.domain.db import Database

Role = Literal["kiosk", "central", "none"]
ROLES: tuple[str, ...] = ("kiosk", "central", "none")
REPORTER_NAMESPACE = uuid.UUID("6f1c1d8e-2b59-4c1e-9a43-0d7e1e5b7a10")
SERVER_NODE = "0" * 32  # the node part of the service's own clock stamps


def reporter_id(id_number: str | None, email: str | None) -> uuid.UUID:
    """The same reporter gets the same key on every kiosk, so two kiosks filing offline do not clash."""
    key = f"id:{id_number}" if id_number else f"email:{email}"
    return uuid.uuid5(REPORTER_NAMESPACE, key)


def get_state(session_or_conn: Any, key: str) -> str | None:
    return session_or_conn.execute(select(SyncState.value).where(SyncState.key == key)).scalar()


def set_state(conn: Connection, key: str, value: str) -> None:
    stmt = dialect_insert(conn, SyncState.__table__)  # type: ignore[arg-type]
    conn.execute(stmt.values(key=key, value=value).on_conflict_do_update(index_elements=["key"],
                                                                        set_={"value": value}))


def ms_of(when: datetime) -> int:
    return int(when.timestamp() * 1000)


def _read_role(conn: Connection) -> tuple[Role, str | None]:
    """(role, node id) as the database says."""
    if conn.dialect.name == "postgresql":
        return "central", None
    try:
        found: dict[str, str] = dict(conn.execute(text(
            "SELECT key, value FROM sync_state WHERE key IN ('node_id', 'role')")).all())
    except OperationalError:  # not migrated yet: no sync_state table
        return "none", None
    if found.get("node_id"):
        return "kiosk", found["node_id"]
    if found.get("role") == "central":
        return "central", None
    return "none", None


def server_stamp(conn: Connection, seen: list[str], now: datetime) -> str:
    """The next stamp of the service's persistent clock, later than ``seen`` (stamps it is overwriting).

    The clock lives in ``sync_state`` (key ``hlc``), so it never runs backwards across restarts or between
    service processes; the row is locked until the edit commits (direct edits are rare: admin commands, pages).
    """
    q = select(SyncState.value).where(SyncState.key == "hlc")
    if conn.dialect.name == "postgresql":
        q = q.with_for_update()
    last = conn.execute(q).scalar()
    if last is not None and not hlc.is_valid(last):
        last = None
    stamp = hlc.tick(last, SERVER_NODE, ms_of(now))
    for other in seen:
        if hlc.is_valid(other) and other >= stamp:
            stamp = hlc.receive(stamp, other, SERVER_NODE, ms_of(now))
    set_state(conn, "hlc", stamp)
    return stamp


def server_clock(conn: Connection) -> str | None:
    """The service's clock as last persisted (read only: no lock)."""
    value = get_state(conn, "hlc")
    return value if value and hlc.is_valid(value) else None


class ChangeCapture:
    """The listeners of one ``Database``'s sessions."""

    def __init__(self, db: Database, role: str | None = None) -> None:
        if role is not None and role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
        self.db = db
        self.wanted: Role | None = role  # type: ignore[assignment]
        self._role: Role | None = None
        self._node: str | None = None
        self._kiosk_id: uuid.UUID | None = None
        event.listen(db.sessions, "before_flush", self._before_flush)
        event.listen(db.sessions, "after_flush", self._after_flush)

    def refresh(self) -> None:
        """Read the role and node id from the database again at the next flush."""
        self._role = None
        self._node = None
        self._kiosk_id = None

    def role(self, conn: Connection) -> Role:
        if self._role is None:
            found, node = _read_role(conn)
            if self.wanted is None:
                self._role = found
            elif self.wanted == "kiosk" and found != "kiosk":
                raise RuntimeError("this database was opened as a kiosk but it is not enrolled")
            else:
                self._role = self.wanted
            self._node = node if self._role == "kiosk" else None
        return self._role

    # --- listeners ------------------------------------------------------------------------------------------

    def _before_flush(self, session: Session, _ctx: object, _instances: object) -> None:
        if not session.new:
            return
        conn = session.connection()
        if self.role(conn) != "kiosk":
            return
        unmarked = [o for o in session.new if isinstance(o, Synced) and getattr(o, "kiosk_id", False) is None]
        if unmarked and self._kiosk_known(conn):
            for obj in unmarked:  # the kiosk's id is on every row its kiosk created (the service checks it)
                obj.kiosk_id = self._kiosk_id  # type: ignore[attr-defined]
        for obj in session.new:
            if isinstance(obj, Reporter) and obj.id is None:
                obj.id = reporter_id(obj.id_number, obj.email)

    def _kiosk_known(self, conn: Connection) -> bool:
        """This kiosk's own row has been pulled (the rows that name it need it, foreign keys are on)."""
        if self._kiosk_id is None and self._node is not None:
            kid = uuid.UUID(hex=self._node)
            if conn.execute(text("SELECT 1 FROM kiosks WHERE id = :k"), {"k": kid.hex}).scalar() is not None:
                self._kiosk_id = kid
        return self._kiosk_id is not None

    def _after_flush(self, session: Session, _ctx: UOWTransaction) -> None:
        objs = [o for o in (*session.new, *session.dirty, *session.deleted) if isinstance(o, Synced)]
        if not objs:
            return
        conn = session.connection()
        role = self.role(conn)
        if role == "kiosk":
            self._outbox(session, conn, [o for o in objs if type(o).__tablename__ in PUSH_TABLES])  # type: ignore[attr-defined]
        elif role == "central":
            self._change_log(session, conn, [o for o in objs if type(o).__tablename__ in PULL_TABLES])  # type: ignore[attr-defined]

    # --- kiosk: the outbox ----------------------------------------------------------------------------------

    def _outbox(self, session: Session, conn: Connection, candidates: list[Any]) -> None:
        if not candidates:
            return
        node = self._node
        assert node is not None
        wanted = {id(o) for o in candidates}
        clock = get_state(conn, "hlc")
        now = self.db.clock.now()
        now_ms = ms_of(now)
        rows: list[dict[str, Any]] = []

        def add(obj: Any, op: str, data: dict[str, Any]) -> None:
            nonlocal clock
            clock = hlc.tick(clock, node, now_ms)
            rows.append({"op_id": uuid7(), "table_name": type(obj).__tablename__, "row_id": obj.id, "op": op,
                         "data": data, "hlc": clock, "created_at": now})

        for obj in session.new:
            if id(obj) in wanted:
                add(obj, "insert", {"set": {col: encode(getattr(obj, key)) for key, col in _pushed_columns(obj)}})
        for obj in session.dirty:
            if id(obj) not in wanted or obj in session.deleted:
                continue
            state = inspect(obj)
            changed: dict[str, Any] = {}
            old: dict[str, Any] = {}
            for key, col in _pushed_columns(obj):
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

    # --- central: the change log ----------------------------------------------------------------------------

    def _change_log(self, session: Session, conn: Connection, objs: list[Any]) -> None:
        if not objs:
            return
        rows = RowCache(conn, lock=False)
        campuses: dict[tuple[str, uuid.UUID], set[uuid.UUID | None]] = {}
        deleted: set[tuple[str, uuid.UUID]] = set()
        fields: list[tuple[str, uuid.UUID, str]] = []
        for obj in objs:
            name = type(obj).__tablename__
            row = {p.columns[0].name: getattr(obj, p.key) for p in inspect(type(obj)).column_attrs}
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
                fields.append((name, row["id"], col))
                if col == "campus_id" and hist.deleted:
                    where.add(hist.deleted[0])  # the campus it left also hears about it
        if fields or deleted:
            seen = list(conn.execute(select(SyncFieldClock.hlc).where(
                SyncFieldClock.row_id.in_(sorted({r for _, r, _ in fields})))).scalars()) if fields else []
            stamp = server_stamp(conn, seen, self.db.clock.now())
            if fields:
                ins = dialect_insert(conn, SyncFieldClock.__table__)  # type: ignore[arg-type]
                conn.execute(ins.on_conflict_do_update(index_elements=["table_name", "row_id", "field"],
                                                       set_={"hlc": ins.excluded.hlc}),
                             [{"table_name": t, "row_id": r, "field": f, "hlc": stamp} for t, r, f in fields])
            if deleted:
                ins = dialect_insert(conn, SyncTombstone.__table__)  # type: ignore[arg-type]
                conn.execute(ins.on_conflict_do_nothing(), [{"table_name": n, "row_id": r, "hlc": stamp,
                                                             "deleted_at": self.db.clock.now()}
                                                            for n, r in deleted])
        write_changes(conn, campuses, deleted)


def _pushed_columns(obj: Any) -> list[tuple[str, str]]:
    """(attribute key, column name) for each column a kiosk sends of a mapped object.

    Columns the server owns (a survey link's token hash) stay on the kiosk: the server makes its own.
    """
    kept = PUSH_FORBIDDEN.get(type(obj).__tablename__, frozenset())
    return [(p.key, p.columns[0].name) for p in inspect(type(obj)).column_attrs if p.columns[0].name not in kept]
