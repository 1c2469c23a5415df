"""Pull: a snapshot of the campus for a new kiosk, then the serialized change log, behind one opaque cursor."""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Select, Uuid, bindparam, func, or_, select, text, tuple_, union

from kiosk.domain.models import SyncChange
from kiosk.protocol.scope import ids_param, statement
from kiosk.protocol.tables import PULL_TABLES, REFERENCE_TABLES, SCHEDULE_TABLES, encode_row, table
from kiosk.server import retention
from kiosk.server.apply import BatchRefused, Pusher

BOUND_BY_RUNNING_TRANSACTIONS = True  # only the cursor test's negative control turns this off


@dataclass
class PullPage:
    rows: list[dict[str, Any]] = field(default_factory=list)
    cursor: str = ""
    more: bool = False


def encode_cursor(state: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(state, separators=(",", ":")).encode()).decode()


def decode_cursor(cursor: str | None) -> dict[str, Any] | None:
    """The cursor's state: ``{"x", "seq"}`` in the change log, ``{"hx", "hs", "t", "after"}`` in the snapshot.

    None (start with a snapshot) for no cursor, or for one issued before the change log carried transaction ids.
    """
    if not cursor:
        return None
    try:
        state = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        if not isinstance(state, dict):
            raise ValueError
        if "seq" in state and "x" not in state or "hw" in state:
            return None  # an older server's cursor: a fresh snapshot brings the kiosk up to date
        if "seq" in state:
            if not all(isinstance(state[k], int) and not isinstance(state[k], bool) and state[k] >= 0
                       for k in ("x", "seq")):
                raise ValueError
        elif not (all(isinstance(state.get(k), int) and state[k] >= 0 for k in ("hx", "hs", "t"))
                  and state["t"] <= len(PULL_TABLES) and isinstance(state.get("after"), str | None)):
            raise ValueError
        if state.get("after"):
            uuid.UUID(state["after"])
        return state
    except (ValueError, binascii.Error, UnicodeDecodeError, TypeError, KeyError):
        raise BatchRefused(422, "the pull cursor is not one this server issued") from None


def log_position(conn: Connection) -> tuple[int, int]:
    """Where a kiosk that starts a snapshot now will go on in the log: every change before it is in the copy.

    PostgreSQL: every transaction with an id below the oldest one still running has ended, so its changes are
    visible to the snapshot's later reads; the log is followed from that transaction id on. SQLite has one
    writer at a time, so the highest sequence number is enough.
    """
    if conn.dialect.name == "postgresql":
        return _visible_below(conn), 0
    return 0, int(conn.execute(select(func.coalesce(func.max(SyncChange.seq), 0))).scalar_one())


def _visible_below(conn: Connection) -> int:
    """A transaction id below which every change-log entry is final (its transaction has ended).

    That is the oldest transaction of this database still running, else the next id to be assigned. Running
    transactions of other databases on the same server are left out, so a long job elsewhere does not hold
    the kiosks back. The snapshot is read first and the activity list after it: a transaction missing from
    the list had ended by then, so the caller's next statement sees its entries.
    """
    xmax, running = conn.execute(text(
        "SELECT CAST(pg_snapshot_xmax(s) AS text), ARRAY(SELECT CAST(x AS text) FROM pg_snapshot_xip(s) AS x) "
        "FROM pg_current_snapshot() AS s")).one()
    if not running:
        return int(xmax)
    here = set(conn.execute(text(
        "SELECT CAST(CAST(backend_xid AS text) AS bigint) FROM pg_stat_activity "
        "WHERE datname = current_database() AND backend_xid IS NOT NULL "
        "UNION ALL SELECT CAST(CAST(transaction AS text) AS bigint) FROM pg_prepared_xacts "
        "WHERE database = current_database()")).scalars())
    return min((int(x) for x in running if int(x) % 2**32 in here), default=int(xmax))


def scope_query(name: str, campus_id: uuid.UUID) -> Select[Any]:
    """The rows of ``name`` a kiosk of ``campus_id`` may hold."""
    t = table(name)
    if name in REFERENCE_TABLES or name in SCHEDULE_TABLES:
        return select(t)
    tickets, devices, rooms = table("tickets"), table("devices"), table("rooms")
    own_tickets = select(tickets.c.id).where(tickets.c.campus_id == campus_id)
    own_devices = select(devices.c.id).where(devices.c.campus_id == campus_id)
    own_rooms = select(rooms.c.id).where(rooms.c.campus_id == campus_id)
    if "campus_id" in t.c:
        return select(t).where(t.c.campus_id == campus_id)
    if name in ("ticket_events", "surveys"):
        return select(t).where(t.c.ticket_id.in_(own_tickets))
    if name == "repair_logs":
        return select(t).where(or_(t.c.ticket_id.in_(own_tickets), t.c.device_id.in_(own_devices)))
    if name == "device_moves":
        return select(t).where(t.c.device_id.in_(own_devices))
    if name == "audit_sessions":
        return select(t).where(t.c.room_id.in_(own_rooms))
    if name in ("audit_scans", "audit_results"):
        sessions = table("audit_sessions")
        return select(t).where(t.c.session_id.in_(select(sessions.c.id).where(sessions.c.room_id.in_(own_rooms))))
    if name == "reporters":
        events = table("ticket_events")
        ids = union(
            select(tickets.c.reporter_id.label("rid")).where(tickets.c.campus_id == campus_id),
            select(devices.c.assignee_id.label("rid")).where(devices.c.campus_id == campus_id),
            select(events.c.reporter_id.label("rid")).where(events.c.ticket_id.in_(own_tickets)),
            *(select(table(n).c.reporter_id.label("rid")).where(table(n).c.campus_id == campus_id)
              for n in ("loans", "ticket_triage", "fees")),  # the repair desk's rows name reporters too
        ).subquery()
        return select(t).where(t.c.id.in_(select(ids.c.rid)))
    raise ValueError(f"{name} is not pulled")


def pull(conn: Connection, kiosk: Pusher, cursor: str | None, limit: int, now: datetime | None = None, *,
         commit_open: bool = False, drained: bool = False) -> PullPage:
    """One page from ``cursor``. ``commit_open``: ``conn`` holds this round's push, still open; the kiosk's
    position is recorded in it and committed with it (else in a short transaction of its own)."""
    state = decode_cursor(cursor)
    # records where the kiosk is (for pruning), and starts it over if pruning left it behind
    if commit_open:
        state = retention.record_position(conn, kiosk, state, now or datetime.now(UTC), drained=drained)
        conn.commit()
    else:
        state = retention.at_pull(conn, kiosk, state, now or datetime.now(UTC), drained=drained)
    if state is None:
        hx, hs = log_position(conn)
        state = {"hx": hx, "hs": hs, "t": 0, "after": None}
    page = PullPage()
    if "seq" not in state:
        _snapshot(conn, kiosk, state, limit, page)
        if "seq" not in state:
            page.cursor, page.more = encode_cursor(state), True
            return page
    remaining = limit - len(page.rows)
    if remaining <= 0:
        page.cursor, page.more = encode_cursor(state), True
        return page
    pg = conn.dialect.name == "postgresql"
    params = {"campus": kiosk.campus_id, "x": state["x"], "seq": state["seq"], "n": remaining,
              "below": _visible_below(conn) if pg and BOUND_BY_RUNNING_TRANSACTIONS else None}
    changes = conn.execute(statement(("changes", pg, BOUND_BY_RUNNING_TRANSACTIONS), lambda: _changes_query(pg)),
                           params).all()
    wanted: OrderedDict[tuple[str, uuid.UUID], bool] = OrderedDict()
    for _seq, _txid, name, row_id, was_deleted in changes:
        wanted.pop((name, row_id), None)
        wanted[(name, row_id)] = was_deleted
    by_table: dict[str, list[uuid.UUID]] = {}
    for name, row_id in wanted:
        by_table.setdefault(name, []).append(row_id)
    current: dict[tuple[str, uuid.UUID], dict[str, Any]] = {}
    for name, ids in by_table.items():
        t = table(name)
        q = statement(("current", name, conn.dialect.name),
                      lambda t=t: select(t).where(ids_param(conn.dialect.name, t.c.id)))
        for r in conn.execute(q, {"ids": ids}).mappings():
            current[(name, r["id"])] = dict(r)
    for (name, row_id) in wanted:
        row = current.get((name, row_id))
        page.rows.append({"t": name, "id": str(row_id), "d": None if row is None else encode_row(name, row)})
    if changes:
        state = {"x": int(changes[-1][1] or 0), "seq": int(changes[-1][0])}
    page.cursor = encode_cursor(state)
    page.more = len(changes) == remaining
    return page


def _changes_query(pg: bool) -> Any:
    """The next change-log entries of one campus (and the district's), built once per database kind."""
    cols = (SyncChange.seq, SyncChange.txid, SyncChange.table_name, SyncChange.row_id, SyncChange.deleted)
    mine = or_(SyncChange.campus_id == bindparam("campus", type_=Uuid()), SyncChange.campus_id.is_(None))
    if pg:
        # Ordered by (transaction id, seq) and never at or past a transaction still running: an entry that
        # commits later than one with a higher position can only have a transaction id at or above the bound.
        q = select(*cols).where(tuple_(SyncChange.txid, SyncChange.seq) > tuple_(bindparam("x"), bindparam("seq")),
                                mine)
        if BOUND_BY_RUNNING_TRANSACTIONS:
            q = q.where(SyncChange.txid < bindparam("below"))
        return q.order_by(SyncChange.txid, SyncChange.seq).limit(bindparam("n"))
    return select(*cols).where(SyncChange.seq > bindparam("seq"), mine).order_by(SyncChange.seq).limit(bindparam("n"))


def _snapshot(conn: Connection, kiosk: Pusher, state: dict[str, Any], limit: int, page: PullPage) -> None:
    """Copy the campus table by table in key order; moves the cursor to the log once every table is done.

    Rows changed while the snapshot is being copied are in the change log after the high-water mark taken when
    it started, so the log phase delivers them again; nothing committed before the mark is missed.
    """
    while state["t"] < len(PULL_TABLES) and len(page.rows) < limit:
        name = PULL_TABLES[state["t"]]
        t = table(name)
        want = limit - len(page.rows)
        q = scope_query(name, kiosk.campus_id)
        if state["after"]:
            q = q.where(t.c.id > uuid.UUID(state["after"]))
        batch = conn.execute(q.order_by(t.c.id).limit(want)).mappings().all()
        for r in batch:
            page.rows.append({"t": name, "id": str(r["id"]), "d": encode_row(name, dict(r))})
        if len(batch) < want:
            state["t"], state["after"] = state["t"] + 1, None
        else:
            state["after"] = str(batch[-1]["id"])
    if state["t"] >= len(PULL_TABLES):
        x, seq = state["hx"], state["hs"]
        state.clear()
        state.update(x=x, seq=seq)
