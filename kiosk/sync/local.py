"""The kiosk's own database side of sync: node identity, outbox reads and acks, applying pulled pages."""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, func, select, update
from sqlalchemy import Enum as SAEnum
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from kiosk.domain.db import Actor, Database
from kiosk.domain.models import SyncOutbox
from kiosk.protocol import hlc
from kiosk.protocol.capture import get_state, set_state
from kiosk.protocol.tables import (
    NATURAL_KEYS,
    PULL_TABLES,
    columns,
    decode_row,
    encode,
    referencing_columns,
    table,
)


def enroll_node(db: Database, kiosk_id: uuid.UUID, campus_id: uuid.UUID) -> None:
    """Mark this database as a kiosk node: from now on every local edit goes to the outbox."""
    with db.writing() as conn:
        set_state(conn, "node_id", kiosk_id.hex)
        set_state(conn, "kiosk_id", str(kiosk_id))
        set_state(conn, "campus_id", str(campus_id))
    db.capture.refresh()


def state(db: Database, key: str) -> str | None:
    with db.reading() as conn:
        return get_state(conn, key)


def pending_count(db: Database) -> int:
    with db.reading() as conn:
        return int(conn.execute(select(func.count()).select_from(SyncOutbox)
                                .where(SyncOutbox.rejected_reason.is_(None))).scalar_one())


def rejected_count(db: Database) -> int:
    with db.reading() as conn:
        return int(conn.execute(select(func.count()).select_from(SyncOutbox)
                                .where(SyncOutbox.rejected_reason.is_not(None))).scalar_one())


BATCH_SLACK = 100  # how far a batch may run past its limit to keep a new row's first edits with it


def next_ops(db: Database, limit: int) -> list[dict[str, Any]]:
    """The oldest pending outbox entries, as push operations (with their local ``seq``).

    A batch never ends between a row's insert and the updates right after it (a device registered, then
    placed): the service judges a row as it stands after the batch, so they travel together.
    """
    with db.reading() as conn:
        rows = list(conn.execute(select(SyncOutbox).where(SyncOutbox.rejected_reason.is_(None))
                                 .order_by(SyncOutbox.seq).limit(limit + BATCH_SLACK)).mappings().all())
    if len(rows) > limit:
        created = {r["row_id"] for r in rows[:limit] if r["op"] == "insert"}
        end = limit
        while end < len(rows) and rows[end]["row_id"] in created and rows[end]["op"] != "insert":
            end += 1
        rows = rows[:end]
    return [{"seq": r["seq"], "op_id": str(r["op_id"]), "table": r["table_name"], "row_id": str(r["row_id"]),
             "kind": r["op"], "set": r["data"].get("set", {}), "old": r["data"].get("old", {}), "hlc": r["hlc"]}
            for r in rows]


def ack(db: Database, seqs: list[int], remote_hlc: str | None = None) -> None:
    """The server committed these: drop them from the outbox (and move the clock past the server's)."""
    with db.writing() as conn:
        for start in range(0, len(seqs), 500):
            conn.execute(delete(SyncOutbox).where(SyncOutbox.seq.in_(seqs[start:start + 500])))
        if remote_hlc:
            _receive(conn, remote_hlc)


def quarantine(db: Database, op_ids: dict[str, str]) -> None:
    """The server refused these for good: keep them, marked with the reason, and stop sending them."""
    with db.writing() as conn:
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
    with db.engine.connect() as conn:  # a write: conn.begin() below takes the writer's turn
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


def apply_page(db: Database, rows: list[dict[str, Any]], next_cursor: str, remote_hlc: str | None, *,
               acked: list[int] | None = None, acked_hlc: str | None = None,
               success_at: datetime | None = None) -> int:
    """Apply one pulled page and store the cursor after it, in one local transaction.

    Fields with an edit still waiting in the outbox keep their local value: that edit is pushed next and the
    server's merge decides; the server then logs the row again, so its final value comes back on a later pull.
    ``acked``: outbox entries the server committed in the same round, dropped first (so the page's values,
    which already include them, apply); ``success_at``: the round ends here, record it (one disk flush for all).
    """
    with _sync_connection(db) as conn:
        for start in range(0, len(acked or ()), 500):
            conn.execute(delete(SyncOutbox).where(SyncOutbox.seq.in_((acked or [])[start:start + 500])))
        if acked_hlc:
            _receive(conn, acked_hlc)
        if success_at is not None:
            set_state(conn, "last_success_at", success_at.isoformat())
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
    with db.writing() as conn:
        set_state(conn, "last_success_at", now.isoformat())
    return now


# --- edits the server refused: shown to a technician, who may discard them -------------------------------

_NOUNS = {"devices": "Device", "tickets": "Ticket", "ticket_events": "Ticket event", "repair_logs": "Repair",
          "device_moves": "Device move", "rooms": "Room", "reporters": "Reporter",
          "unknown_tag_scans": "Unknown tag scan", "audit_sessions": "Room audit", "audit_scans": "Room audit scan",
          "audit_results": "Room audit result", "audit_log": "Audit log entry", "surveys": "Survey",
          "rotation_visits": "Rotation visit", "rotation_exceptions": "Rotation exception"}
# the column that names a row of these tables to a person
_LABELS = {"devices": "asset_tag", "tickets": "number", "rooms": "name", "campuses": "code", "staff_users": "username"}
# the parent a child row is described by, in order of preference
_PARENTS = ("ticket_id", "device_id", "room_id")
# the column that says what an added row is
_SUMMARY = {"ticket_events": "body", "repair_logs": "action", "tickets": "description", "device_moves": "new_value",
            "unknown_tag_scans": "tag", "audit_scans": "tag", "audit_log": "action", "rooms": "name"}
_QUIET_FIELDS = frozenset({"id", "updated_at", "created_at"})


@dataclass(frozen=True)
class RefusedChange:
    """One local edit the server refused for good, in words a technician can act on."""

    seq: int
    op: str  # insert, update, delete
    table: str
    row_id: uuid.UUID
    record: str  # e.g. "Device DS100042", "Ticket event on ticket C1-000123"
    change: str  # e.g. "room: Library → Room 12; status: in use → in repair"
    at: datetime  # when the edit was made on this kiosk
    reason: str  # the server's reason, in plain words when it is a known one (see _reason_words)


def _label_of(conn: Connection, name: str, row_id: Any) -> str | None:
    col = _LABELS.get(name)
    if col is None or row_id is None:
        return None
    t = table(name)
    try:
        key = uuid.UUID(str(row_id))
    except ValueError:
        return None
    value = conn.execute(select(t.c[col]).where(t.c.id == key)).scalar()
    return None if value is None else str(value)


def _words(value: Any) -> str:
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value).replace("\n", " ")
    if len(text) > 60:
        text = text[:59] + "…"
    return text


def _value_words(conn: Connection, name: str, column: str, value: Any) -> str:
    col = columns(name).get(column)
    if value is not None and col is not None and col.foreign_keys:
        target = next(iter(col.foreign_keys)).column.table.name
        return _label_of(conn, target, value) or f"another {_NOUNS.get(target, target).lower()}"
    if isinstance(value, str) and col is not None and isinstance(col.type, SAEnum):
        return value.replace("_", " ")
    return _words(value)


def _field_words(column: str) -> str:
    return column.removesuffix("_id").replace("_", " ")


def _describe_row(conn: Connection, name: str, row_id: uuid.UUID, values: dict[str, Any]) -> str:
    """'Device DS100042', 'Ticket event on ticket C1-000123', or just the kind of record."""
    noun = _NOUNS.get(name, name.replace("_", " ").capitalize())
    t = table(name)
    cols = columns(name)
    local = conn.execute(select(t).where(t.c.id == row_id)).mappings().first()
    known = {**(dict(local) if local else {}), **values}
    own = _LABELS.get(name)
    if own and known.get(own):
        return f"{noun} {known[own]}"
    for parent in _PARENTS:
        if parent in cols and known.get(parent) is not None:
            target = next(iter(cols[parent].foreign_keys)).column.table.name
            label = _label_of(conn, target, known[parent])
            if label:
                return f"{noun} on {_NOUNS.get(target, target).lower()} {label}"
    return noun


def _describe_change(conn: Connection, name: str, op: str, data: dict[str, Any]) -> str:
    values = data.get("set", {})
    if op == "delete":
        return "deleted"
    if op == "insert":
        col = _SUMMARY.get(name)
        summary = values.get(col) if col else None
        if name == "ticket_events":
            kind = str(values.get("kind") or "event").replace("_", " ")
            return f"{kind} added" + (f": “{_words(summary)}”" if summary else "")
        return "added" + (f": {_value_words(conn, name, col, summary)}" if col and summary else "")
    old = data.get("old", {})
    parts = [f"{_field_words(c)}: {_value_words(conn, name, c, old.get(c))} → {_value_words(conn, name, c, v)}"
             for c, v in values.items() if c not in _QUIET_FIELDS]
    return "; ".join(parts) or "changed"


def _reason_words(conn: Connection, reason: str) -> str:
    """The server's reason in plain words where it is one the server is known to give, else as it came."""
    def code(match: re.Match[str]) -> str:
        return _label_of(conn, "campuses", match.group(0)) or match.group(0)

    text = _UUID.sub(code, reason)
    outside = re.fullmatch(r"(\w+) row is outside campus (\S+)", text)
    if outside:
        return f"Not at this kiosk's campus ({outside.group(2)}) on the server"
    missing = re.fullmatch(r"no (\w+) row \S+ to change", text)
    if missing:
        return f"The server has no such {_NOUNS.get(missing.group(1), missing.group(1)).lower()} (deleted there?)"
    if text == "a kiosk can only record its own kiosk id":
        return "It names another kiosk as where it was made"
    return text


_UUID = re.compile(r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}")


def _refused(conn: Connection, row: Any) -> RefusedChange:
    data = row["data"] or {}
    return RefusedChange(
        seq=row["seq"], op=row["op"], table=row["table_name"], row_id=row["row_id"],
        record=_describe_row(conn, row["table_name"], row["row_id"], data.get("set", {})),
        change=_describe_change(conn, row["table_name"], row["op"], data),
        at=row["created_at"], reason=_reason_words(conn, row["rejected_reason"] or ""))


def refused_changes(db: Database, limit: int = 1000) -> list[RefusedChange]:
    """The edits the server refused for good (kept in the outbox, never sent again), oldest first."""
    with db.reading() as conn:
        rows = conn.execute(select(SyncOutbox).where(SyncOutbox.rejected_reason.is_not(None))
                            .order_by(SyncOutbox.seq).limit(limit)).mappings().all()
        return [_refused(conn, r) for r in rows]


def discard_refused(db: Database, seq: int, actor: Actor) -> tuple[RefusedChange, bool]:
    """Forget one refused edit for good, recorded in the audit log (which syncs, so the district sees it).

    An update is also undone on this kiosk's copy when nothing has changed those fields since; the second value
    says whether it was. Added or deleted rows stay as they are here until the server's version arrives.
    """
    from kiosk.domain import audit_log
    from kiosk.domain.errors import NotFound

    with db.unit(actor) as ctx:
        conn = ctx.session.connection()
        row = conn.execute(select(SyncOutbox).where(SyncOutbox.seq == seq,
                                                    SyncOutbox.rejected_reason.is_not(None))).mappings().first()
        if row is None:
            raise NotFound("that refused change is no longer waiting (someone discarded it already)")
        item = _refused(conn, row)
        conn.execute(delete(SyncOutbox).where(SyncOutbox.seq == seq))
        undone = False
        data = row["data"] or {}
        if row["op"] == "update" and data.get("set"):
            t = table(row["table_name"])
            wanted = data["set"]
            current = conn.execute(select(*[t.c[c] for c in wanted]).where(t.c.id == row["row_id"])).mappings().first()
            later = conn.execute(select(func.count()).select_from(SyncOutbox).where(
                SyncOutbox.row_id == row["row_id"], SyncOutbox.seq > seq)).scalar_one()
            same = current is not None and all(encode(current[c]) == v for c, v in wanted.items()
                                               if c not in _QUIET_FIELDS)
            if same and not later:
                old = {c: v for c, v in data.get("old", {}).items() if c in wanted}
                try:
                    restored = decode_row(row["table_name"], old)
                except ValueError:
                    restored = {}
                if restored and len(restored) == len(wanted):
                    # a plain statement: not an edit to send, the kiosk's copy going back to what it was
                    conn.execute(update(t).where(t.c.id == row["row_id"]).values(restored))
                    undone = True
        audit_log.record(ctx, "sync.discard_refused", row["table_name"], row["row_id"], op=row["op"],
                         record=item.record, change=item.change, reason=row["rejected_reason"],
                         op_id=str(row["op_id"]), undone_here=undone)
    return item, undone
