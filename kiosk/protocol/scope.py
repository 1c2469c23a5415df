"""Which campus a synced row belongs to, and the change log every kiosk of that campus pulls from.

Shared by the service's apply path and the central database's change capture (``kiosk.protocol.capture``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table, Uuid, any_, bindparam, insert, select, text, union_all
from sqlalchemy.dialects import postgresql, sqlite

from kiosk.domain.models import SyncChange
from kiosk.protocol.tables import PULL_TABLES, REFERENCE_TABLES, SCHEDULE_TABLES, table


def ids_param(dialect: str, col: Any, name: str = "ids") -> Any:
    """``col IN :name`` with the ids given at execution, for statements built once and reused (a statement
    built on every call costs about twice as much CPU as executing a prepared one). On PostgreSQL one array
    parameter (``= ANY``), far cheaper than thousands of parameters."""
    if dialect == "postgresql":
        return col == any_(bindparam(name, type_=postgresql.ARRAY(Uuid())))
    return col.in_(bindparam(name, expanding=True))


_STATEMENTS: dict[tuple[Any, ...], Any] = {}


def statement(key: tuple[Any, ...], build: Callable[..., Any]) -> Any:
    """The statement for ``key``, built by ``build()`` the first time."""
    found = _STATEMENTS.get(key)
    if found is None:
        found = _STATEMENTS[key] = build()
    return found


def dialect_insert(conn: Connection, t: Table) -> Any:
    return (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(t)


@dataclass
class RowCache:
    """Rows by (table, id) over one connection (locked FOR UPDATE on PostgreSQL when ``lock``)."""

    conn: Connection
    lock: bool
    cache: dict[tuple[str, uuid.UUID], dict[str, Any] | None] = field(default_factory=dict)

    def load(self, name: str, ids: set[uuid.UUID]) -> None:
        missing = sorted(i for i in ids if (name, i) not in self.cache)
        t = table(name)
        for start in range(0, len(missing), 1000):
            chunk = missing[start:start + 1000]
            dialect = self.conn.dialect.name

            def build(t: Table = t, dialect: str = dialect) -> Any:
                q = select(t).where(ids_param(dialect, t.c.id)).order_by(t.c.id)
                return q.with_for_update() if self.lock else q

            q = statement(("rows", name, self.lock, dialect), build)
            found = {r["id"]: dict(r) for r in self.conn.execute(q, {"ids": chunk}).mappings()}
            for i in chunk:
                self.cache[(name, i)] = found.get(i)

    def get(self, name: str, row_id: uuid.UUID | None) -> dict[str, Any] | None:
        if row_id is None:
            return None
        if (name, row_id) not in self.cache:
            self.load(name, {row_id})
        return self.cache[(name, row_id)]


def parent_of(name: str, row: dict[str, Any]) -> tuple[str, uuid.UUID | None] | None:
    """The row a campus-scoped row without its own campus belongs to, as (table, id)."""
    if name in ("ticket_events", "surveys"):
        return ("tickets", row.get("ticket_id"))
    if name == "repair_logs":
        return ("tickets", row["ticket_id"]) if row.get("ticket_id") else ("devices", row.get("device_id"))
    if name == "device_moves":
        return ("devices", row.get("device_id"))
    if name == "audit_sessions":
        return ("rooms", row.get("room_id"))
    if name in ("audit_scans", "audit_results"):
        return ("audit_sessions", row.get("session_id"))
    return None


def campus_of(name: str, row: dict[str, Any], rows: RowCache) -> uuid.UUID | None:
    """The campus a row belongs to (through its parents), None for district-wide rows."""
    if "campus_id" in row and name not in REFERENCE_TABLES:
        return row["campus_id"]
    parent = parent_of(name, row)
    if parent is None:
        return None
    found = rows.get(*parent)
    return None if found is None else campus_of(parent[0], found, rows)


# The columns through which a campus's rows refer to a reporter (a kiosk pulls the reporters its rows name).
REPORTER_REFS: dict[str, str] = {"tickets": "reporter_id", "devices": "assignee_id", "ticket_events": "reporter_id"}


def reporter_campuses(conn: Connection, ids: list[uuid.UUID]) -> dict[uuid.UUID, set[uuid.UUID | None]]:
    """The campuses whose tickets, devices or ticket events name each of these reporters."""
    out: dict[uuid.UUID, set[uuid.UUID | None]] = {i: set() for i in ids}
    if not ids:
        return out
    tickets, devices, events = table("tickets"), table("devices"), table("ticket_events")
    dialect = conn.dialect.name
    q = statement(("reporter campuses", dialect), lambda: union_all(
        select(tickets.c.reporter_id, tickets.c.campus_id).where(ids_param(dialect, tickets.c.reporter_id)),
        select(devices.c.assignee_id, devices.c.campus_id).where(ids_param(dialect, devices.c.assignee_id)),
        select(events.c.reporter_id, tickets.c.campus_id).join(tickets, tickets.c.id == events.c.ticket_id)
        .where(ids_param(dialect, events.c.reporter_id)),
    ))
    for rid, campus in conn.execute(q, {"ids": ids}):
        if campus is not None:
            out[rid].add(campus)
    return out


def _with_reporters(conn: Connection, campuses: dict[tuple[str, uuid.UUID], set[uuid.UUID | None]],
                    deleted: set[tuple[str, uuid.UUID]]) -> dict[tuple[str, uuid.UUID], set[uuid.UUID | None]]:
    """Reporters go to the campuses whose rows name them, never district-wide; and a logged ticket, device or
    event brings the reporter it names along, so a kiosk's foreign keys always hold."""
    out = {k: set(v) for k, v in campuses.items()}
    named: dict[uuid.UUID, set[uuid.UUID | None]] = {}
    dialect = conn.dialect.name
    for name, col in REPORTER_REFS.items():
        ids = [row_id for (t, row_id) in campuses if t == name and (t, row_id) not in deleted]
        if not ids:
            continue
        t = table(name)
        q = statement(("named reporters", name, dialect),
                      lambda t=t, col=col, dialect=dialect: select(t.c.id, t.c[col]).where(ids_param(dialect, t.c.id),
                                                                          t.c[col].is_not(None)))
        for row_id, rid in conn.execute(q, {"ids": ids}):
            named.setdefault(rid, set()).update(c for c in campuses[(name, row_id)] if c is not None)
    unscoped = [row_id for (t, row_id), where in out.items() if t == "reporters" and None in where]
    for rid, found in reporter_campuses(conn, unscoped).items():
        out[("reporters", rid)] = (out[("reporters", rid)] - {None}) | found
    for rid, where in named.items():
        out.setdefault(("reporters", rid), set()).update(where)
    return out


def write_changes(conn: Connection, campuses: dict[tuple[str, uuid.UUID], set[uuid.UUID | None]],
                  deleted: set[tuple[str, uuid.UUID]]) -> int:
    """Append to the change log, in the caller's transaction; returns the number of entries."""
    entries = []
    if any(name in REPORTER_REFS or name == "reporters" for name, _ in campuses):
        campuses = _with_reporters(conn, campuses, deleted)
    for (name, row_id), where in campuses.items():
        if name not in PULL_TABLES:
            continue
        targets: set[uuid.UUID | None] = {None} if name in REFERENCE_TABLES or name in SCHEDULE_TABLES else where
        for campus in targets:
            entries.append({"table_name": name, "row_id": row_id, "campus_id": campus,
                            "deleted": (name, row_id) in deleted})
    if not entries:
        return 0
    if conn.dialect.name == "postgresql":
        # Each entry carries its transaction's id: pull stops below the oldest transaction still running
        # (kiosk/server/pull.py), so entries that commit out of order are never stepped over. No lock is held.
        conn.execute(text(
            "INSERT INTO sync_changes (txid, table_name, row_id, campus_id, deleted) "
            "SELECT CAST(CAST(pg_current_xact_id() AS text) AS bigint), t, r, c, d "
            "FROM unnest(CAST(:t AS varchar[]), CAST(:r AS uuid[]), CAST(:c AS uuid[]), "
            "CAST(:d AS boolean[])) WITH ORDINALITY AS u(t, r, c, d, n) ORDER BY n"
        ), {k: [e[col] for e in entries] for k, col in (("t", "table_name"), ("r", "row_id"), ("c", "campus_id"),
                                                         ("d", "deleted"))})
    else:
        conn.execute(insert(SyncChange), entries)
    return len(entries)
