"""The kiosk's own database side of sync: node identity, outbox reads and acks, applying pulled pages."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, func, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from kiosk.domain.db import Database
from kiosk.domain.models import SyncOutbox
from kiosk.sync import hlc
from kiosk.sync.outbox import forget_engine, get_state, set_state
from kiosk.sync.tables import NATURAL_KEYS, PULL_TABLES, columns, decode_row, referencing_columns, table


def enroll_node(db: Database, kiosk_id: uuid.UUID, campus_id: uuid.UUID) -> None:
    """Mark this database as a kiosk node: from now on every local edit goes to the outbox."""
    with db.engine.begin() as conn:
        set_state(conn, "node_id", kiosk_id.hex)
        set_state(conn, "kiosk_id", str(kiosk_id))
        set_state(conn, "campus_id", str(campus_id))
    forget_engine(db.engine)


def state(db: Database, key: str) -> str | None:
    with db.engine.connect() as conn:
        return get_state(conn, key)


def pending_count(db: Database) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(SyncOutbox)
                                .where(SyncOutbox.rejected_reason.is_(None))).scalar_one())


def rejected_count(db: Database) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(SyncOutbox)
                                .where(SyncOutbox.rejected_reason.is_not(None))).scalar_one())


def next_ops(db: Database, limit: int) -> list[dict[str, Any]]:
    """The oldest pending outbox entries, as push operations (with their local ``seq``)."""
    with db.engine.connect() as conn:
        rows = conn.execute(select(SyncOutbox).where(SyncOutbox.rejected_reason.is_(None))
                            .order_by(SyncOutbox.seq).limit(limit)).mappings().all()
    return [{"seq": r["seq"], "op_id": str(r["op_id"]), "table": r["table_name"], "row_id": str(r["row_id"]),
             "kind": r["op"], "set": r["data"].get("set", {}), "old": r["data"].get("old", {}), "hlc": r["hlc"]}
            for r in rows]


def ack(db: Database, seqs: list[int], remote_hlc: str | None = None) -> None:
    """The server committed these: drop them from the outbox (and move the clock past the server's)."""
    with db.engine.begin() as conn:
        for start in range(0, len(seqs), 500):
            conn.execute(delete(SyncOutbox).where(SyncOutbox.seq.in_(seqs[start:start + 500])))
        if remote_hlc:
            _receive(conn, remote_hlc)


def quarantine(db: Database, op_ids: dict[str, str]) -> None:
    """The server refused these for good: keep them, marked with the reason, and stop sending them."""
    with db.engine.begin() as conn:
        for op_id, reason in op_ids.items():
            conn.execute(update(SyncOutbox).where(SyncOutbox.op_id == uuid.UUID(op_id))
                         .values(rejected_reason=reason[:500]))


def _receive(conn: Connection, remote: str) -> None:
    node = get_state(conn, "node_id")
    if node and hlc.is_valid(remote):
        set_state(conn, "hlc", hlc.receive(get_state(conn, "hlc"), remote, node))


@contextmanager
def _sync_connection(db: Database) -> Iterator[Connection]:
    """A transaction that applies the server's rows as they are: foreign keys are checked on the server."""
    with db.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert raw is not None
        # straight on the driver connection, outside any transaction, where SQLite honours it
        raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                yield conn
        finally:
            raw.execute("PRAGMA foreign_keys=ON")


def cursor(db: Database) -> str | None:
    return state(db, "cursor")


def apply_page(db: Database, rows: list[dict[str, Any]], next_cursor: str, remote_hlc: str | None) -> int:
    """Apply one pulled page and store the cursor after it, in one local transaction.

    Fields with an edit still waiting in the outbox keep their local value: that edit is pushed next and the
    server's merge decides; the server then logs the row again, so its final value comes back on a later pull.
    """
    with _sync_connection(db) as conn:
        pending: dict[tuple[str, uuid.UUID], set[str] | None] = defaultdict(set)
        ids = [uuid.UUID(str(r["id"])) for r in rows]
        for start in range(0, len(ids), 500):
            for name, row_id, op, data in conn.execute(
                select(SyncOutbox.table_name, SyncOutbox.row_id, SyncOutbox.op, SyncOutbox.data)
                .where(SyncOutbox.row_id.in_(ids[start:start + 500]), SyncOutbox.rejected_reason.is_(None))
            ):
                key = (name, row_id)
                current = pending[key]
                if op in ("insert", "delete") or current is None:
                    pending[key] = None  # the whole row
                else:
                    current.update(data.get("set", {}))
        clashes = _natural_key_clashes(conn, rows)
        upserts: dict[tuple[str, frozenset[str]], list[dict[str, Any]]] = defaultdict(list)
        for r in rows:
            name, row_id = r["t"], uuid.UUID(str(r["id"]))
            t = table(name)
            if r["d"] is None:
                conn.execute(delete(t).where(t.c.id == row_id))
                continue
            values = decode_row(name, r["d"])
            if (name, row_id) in clashes:
                _adopt_server_key(conn, name, values)
            held = pending.get((name, row_id), set())
            if held is None:
                conn.execute(sqlite_insert(t).values(values).on_conflict_do_nothing(index_elements=["id"]))
                continue
            keep = frozenset(held)
            upserts[(name, keep)].append(values)
        for (name, keep), group in sorted(upserts.items(), key=lambda g: PULL_TABLES.index(g[0][0])):
            t = table(name)
            stmt = sqlite_insert(t)
            cols = [c for c in columns(name) if c != "id" and c not in keep]
            stmt = stmt.on_conflict_do_update(index_elements=["id"], set_={c: stmt.excluded[c] for c in cols})
            conn.execute(stmt, group)
        set_state(conn, "cursor", next_cursor)
        if remote_hlc:
            _receive(conn, remote_hlc)
    return len(rows)


def _natural_key_clashes(conn: Connection, rows: list[dict[str, Any]]) -> set[tuple[str, uuid.UUID]]:
    """Pulled rows whose natural key (reporter ID or email, asset tag) is held locally under another id."""
    clashes: set[tuple[str, uuid.UUID]] = set()
    for name, keys in NATURAL_KEYS.items():
        t = table(name)
        for col in keys:
            wanted = {r["d"][col]: uuid.UUID(str(r["id"])) for r in rows
                      if r["t"] == name and r["d"] is not None and r["d"].get(col) is not None}
            values = list(wanted)
            for start in range(0, len(values), 500):
                for local_id, value in conn.execute(select(t.c.id, t.c[col]).where(
                        t.c[col].in_(values[start:start + 500]))):
                    if local_id != wanted[value]:
                        clashes.add((name, wanted[value]))
    return clashes


def _adopt_server_key(conn: Connection, name: str, values: dict[str, Any]) -> None:
    """A row this kiosk created offline exists on the server under another key: take the server's key."""
    t = table(name)
    for col in NATURAL_KEYS[name]:
        if values.get(col) is None:
            continue
        local = conn.execute(select(t.c.id).where(t.c[col] == values[col], t.c.id != values["id"])).scalar()
        if local is None:
            continue
        for ref_table, ref_col in referencing_columns(name):
            rt = table(ref_table)
            conn.execute(update(rt).where(rt.c[ref_col] == local).values({ref_col: values["id"]}))
        if conn.execute(select(t.c.id).where(t.c.id == values["id"])).scalar() is None:
            conn.execute(update(t).where(t.c.id == local).values(id=values["id"]))
        else:
            conn.execute(delete(t).where(t.c.id == local))


def record_success(db: Database) -> datetime:
    now = datetime.now(UTC)
    with db.engine.begin() as conn:
        set_state(conn, "last_success_at", now.isoformat())
    return now
