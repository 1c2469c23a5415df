"""Applying a pushed batch: one transaction, idempotent by operation id, re-checked, merged field by field."""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy import (
    Connection,
    Uuid,
    bindparam,
    delete,
    func,
    insert,
    null,
    select,
    text,
    union_all,
    update,
)
from sqlalchemy.dialects import postgresql

from kiosk.domain import mail, sla, surveys
from kiosk.domain.db import Actor, Ctx, Database
from kiosk.domain.models import (
    Base,
    SyncAppliedOp,
    SyncConflict,
    SyncFieldClock,
    SyncIdAlias,
    SyncTombstone,
    Ticket,
    TicketEvent,
    TicketEventKind,
)
from kiosk.protocol import hlc
from kiosk.protocol.merge import EventFact, FieldWrite, derive_status, lww
from kiosk.protocol.scope import (
    RowCache,
    campus_of,
    dialect_insert,
    ids_param,
    parent_of,
    statement,
    write_changes,
)
from kiosk.protocol.tables import (
    APPEND_ONLY_TABLES,
    DERIVED_FIELDS,
    NATURAL_KEYS,
    PUSH_FORBIDDEN,
    PUSH_TABLES,
    SAME_CAMPUS_REFS,
    SCHEDULE_TABLES,
    columns,
    decode,
    encode,
    referencing_columns,
    table,
)
from kiosk.server import validate

BULK_JSON = True  # PostgreSQL: write each table's rows in one statement (JSON recordset)
_ORDER = {t.name: i for i, t in enumerate(Base.metadata.sorted_tables)}


class BatchRefused(Exception):
    """The whole batch is refused (nothing applied); ``problems`` names the operations at fault."""

    def __init__(self, status: int, reason: str, problems: list[dict[str, str]] | None = None) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.problems = problems or []


@dataclass(frozen=True)
class Pusher:
    kiosk_id: uuid.UUID
    campus_id: uuid.UUID
    node: str  # the kiosk id as 32 hex digits, the node part of its clock stamps


@dataclass
class Op:
    op_id: uuid.UUID
    table: str
    row_id: uuid.UUID
    kind: str
    values: dict[str, Any]
    seen: dict[str, Any]
    hlc: str


@dataclass
class PushResult:
    applied: int = 0
    duplicates: int = 0
    ignored: int = 0
    conflicts: int = 0
    changed_rows: int = 0
    hlc: str = hlc.ZERO


def parse_ops(raw_ops: list[dict[str, Any]]) -> list[Op]:
    """Check every operation's shape and values; refuse the batch (422) naming each bad one."""
    ops: list[Op] = []
    problems: list[dict[str, str]] = []
    for raw in raw_ops:
        op_id = str(raw.get("op_id"))
        try:
            name = raw["table"]
            if name not in PUSH_TABLES:
                raise ValueError(f"kiosks cannot change {name!r}")
            kind = raw["kind"]
            if kind not in ("insert", "update", "delete"):
                raise ValueError(f"unknown kind {kind!r}")
            if name in APPEND_ONLY_TABLES and kind != "insert":
                raise ValueError(f"{name} rows are append-only")
            if not hlc.is_valid(raw["hlc"]):
                raise ValueError("bad clock stamp")
            cols = columns(name)
            forbidden = PUSH_FORBIDDEN.get(name, frozenset())
            values: dict[str, Any] = {}
            for key, value in (raw.get("set") or {}).items():
                if key not in cols:
                    raise ValueError(f"{name} has no column {key!r}")
                if key in forbidden:
                    raise ValueError(f"kiosks cannot set {name}.{key}")
                values[key] = decode(cols[key], value)
            seen = {k: decode(cols[k], v) if v is not None else None for k, v in (raw.get("old") or {}).items()
                    if k in cols}
            row_id = uuid.UUID(str(raw["row_id"]))
            if kind == "insert" and values.get("id") != row_id:
                raise ValueError("an insert must carry its own id")
            if kind == "update" and ("id" in values or not values):
                raise ValueError("an update sets at least one field and never the id")
            ops.append(Op(uuid.UUID(op_id), name, row_id, kind, values, seen, raw["hlc"]))
        except (KeyError, ValueError, TypeError) as exc:
            problems.append({"op_id": op_id, "reason": str(exc) or type(exc).__name__})
    if problems:
        raise BatchRefused(422, f"{len(problems)} operation(s) are malformed", problems)
    return ops


def apply_push(conn: Connection, pusher: Pusher, ops: list[Op], now: datetime, db: Database) -> PushResult:
    """Apply ``ops`` inside the caller's transaction. Raises BatchRefused; the caller rolls back.

    ``db`` is the central database ``conn`` belongs to: the service's follow-ups (emails, survey links) run
    as domain services in a session of it on ``conn``, so its change capture logs what they change.
    """
    result = PushResult()
    pg = conn.dialect.name == "postgresql"
    if not ops:
        return result
    # Idempotency: claim each operation id; a replay (or a concurrent duplicate, which waits here) gets nothing.
    claimed: set[uuid.UUID] = set()
    unique_ops = {op.op_id: op for op in ops}
    ids = list(unique_ops)
    if pg:
        claimed.update(conn.execute(text(
            "INSERT INTO sync_applied_ops (op_id, kiosk_id, applied_at) SELECT x, :k, :at FROM unnest(:ids) AS x "
            "ON CONFLICT DO NOTHING RETURNING op_id"
        ).bindparams(bindparam("ids", type_=postgresql.ARRAY(Uuid()))), {"ids": ids, "k": pusher.kiosk_id,
                                                                         "at": now}).scalars())
    for start in range(0, len(ids) if not pg else 0, 500):
        stmt = dialect_insert(conn, SyncAppliedOp.__table__).values(  # type: ignore[arg-type]
            [{"op_id": i, "kiosk_id": pusher.kiosk_id, "applied_at": now} for i in ids[start:start + 500]]
        ).on_conflict_do_nothing().returning(SyncAppliedOp.op_id)
        claimed.update(conn.execute(stmt).scalars())
    todo = [op for op in unique_ops.values() if op.op_id in claimed]
    result.duplicates = len(ops) - len(todo)
    if not todo:
        return result

    # Rows created offline that already exist under another key (same reporter, same asset tag).
    aliases: dict[tuple[str, uuid.UUID], uuid.UUID] = {}
    alias_targets = {t for t in NATURAL_KEYS}
    ref_cols: dict[str, list[tuple[str, str]]] = {t: referencing_columns(t) for t in alias_targets}
    candidate_ids: dict[str, set[uuid.UUID]] = defaultdict(set)
    for op in todo:
        if op.table in alias_targets:
            candidate_ids[op.table].add(op.row_id)
        for target, refs in ref_cols.items():
            for tname, col in refs:
                if tname == op.table and isinstance(op.values.get(col), uuid.UUID):
                    candidate_ids[target].add(op.values[col])
    alias_query = statement(("aliases", conn.dialect.name), lambda: select(SyncIdAlias.from_id, SyncIdAlias.to_id).where(
        SyncIdAlias.table_name == bindparam("target"), ids_param(conn.dialect.name, SyncIdAlias.from_id)))
    for target, cids in candidate_ids.items():
        for a, b in conn.execute(alias_query, {"target": target, "ids": list(cids)}):
            aliases[(target, a)] = b

    def resolve(op: Op) -> None:
        op.row_id = aliases.get((op.table, op.row_id), op.row_id)
        if "id" in op.values:
            op.values["id"] = op.row_id
        for target, refs in ref_cols.items():
            for tname, col in refs:
                if tname == op.table and (target, op.values.get(col)) in aliases:
                    op.values[col] = aliases[(target, op.values[col])]

    rows = RowCache(conn, lock=pg)
    by_table: dict[str, set[uuid.UUID]] = defaultdict(set)
    for op in todo:
        resolve(op)
        by_table[op.table].add(op.row_id)
    for name in sorted(by_table, key=_ORDER.__getitem__):
        rows.load(name, by_table[name])
    # The parents the campus checks will ask for (a note's ticket, a repair's device...), in one query per table
    # rather than one per parent.
    parents: dict[str, set[uuid.UUID]] = defaultdict(set)
    for op in todo:
        parent = parent_of(op.table, {**(rows.cache.get((op.table, op.row_id)) or {}), **op.values})
        if parent is not None and isinstance(parent[1], uuid.UUID):
            parents[parent[0]].add(parent[1])
    for name in sorted(parents, key=_ORDER.__getitem__):
        rows.load(name, parents[name])
    keys = [(op.table, op.row_id) for op in todo]
    clocks: dict[tuple[str, uuid.UUID, str], str] = {}
    tombstoned: set[tuple[str, uuid.UUID]] = set()
    # Field clocks and tombstones of every touched row, all tables at once (row ids are unique UUIDs).
    wanted_keys = {(op.table, op.row_id) for op in todo}
    all_ids = sorted({row_id for _, row_id in wanted_keys})
    for start in range(0, len(all_ids), 5000):
        chunk = all_ids[start:start + 5000]
        # one statement: field clocks, and tombstones (the rows without a field)
        found: Any = conn.execute(statement(("clocks", conn.dialect.name), partial(_clocks_query, conn.dialect.name)),
                                  {"ids": chunk})
        for tname, row_id, fname, fstamp in found:
            if fname is not None:
                clocks[(tname, row_id, fname)] = fstamp
            elif (tname, row_id) in wanted_keys:
                tombstoned.add((tname, row_id))
    del keys

    inserted: dict[tuple[str, uuid.UUID], dict[str, Any]] = {}
    updated: dict[tuple[str, uuid.UUID], dict[str, Any]] = {}
    deleted: list[tuple[str, uuid.UUID]] = []
    new_clocks: dict[tuple[str, uuid.UUID, str], str] = {}
    conflicts: list[dict[str, Any]] = []
    new_aliases: list[dict[str, Any]] = []
    campuses: dict[tuple[str, uuid.UUID], set[uuid.UUID | None]] = defaultdict(set)
    status_tickets: set[uuid.UUID] = set()
    problems: list[dict[str, str]] = []
    top = hlc.ZERO

    touched: dict[tuple[str, uuid.UUID], tuple[bool, uuid.UUID | None, list[Op]]] = {}

    def refuse(op: Op, reason: str) -> None:
        problems.append({"op_id": str(op.op_id), "reason": reason})

    vetting = validate.Vetting(conn, pusher.kiosk_id, pusher.node, now)
    for op in todo:
        resolve(op)  # again: an earlier operation of this batch may have found a twin (the same tag registered
        # at two kiosks), and what follows it (its placing, its moves) must go to the row the service keeps
        key = (op.table, op.row_id)
        reason = validate.vet(vetting, op, rows.get(op.table, op.row_id))
        if reason is not None:
            refuse(op, reason)
            continue
        top = max(top, op.hlc)
        if op.values.get("kiosk_id") not in (None, pusher.kiosk_id):
            refuse(op, "a kiosk can only record its own kiosk id")
            continue
        if key in tombstoned:
            result.ignored += 1
            continue
        current = rows.get(op.table, op.row_id)
        if op.kind == "insert" and current is None and op.table in NATURAL_KEYS:
            twin = _natural_twin(conn, rows, op, inserted)
            if twin is not None:
                new_aliases.append({"table_name": op.table, "from_id": op.row_id, "to_id": twin})
                aliases[(op.table, op.row_id)] = twin
                resolve(op)
                key = (op.table, op.row_id)
                current = rows.get(op.table, op.row_id)
        if validate.keeps_existing_reporter(op, current):
            # The same person created offline at two kiosks: the row the service has stays as it is (a kiosk
            # never changes a reporter's contact details); the kiosk pulls it and adopts its key.
            campuses[key].add(pusher.campus_id)
            result.applied += 1
            continue
        before = None if current is None else campus_of(op.table, current, rows)
        touched.setdefault(key, (current is None, before, []))[2].append(op)
        if op.kind == "insert" and current is None:
            row = dict(op.values)
            rows.cache[key] = row
            inserted[key] = row
            if op.table == "reporters":
                campuses[key].add(pusher.campus_id)
            if op.table == "ticket_events" and row.get("kind") in (TicketEventKind.STATUS,
                                                                     TicketEventKind.ASSIGNMENT):
                status_tickets.add(row["ticket_id"])
            elif validate.status_from_events(op):
                status_tickets.add(op.row_id)  # a new ticket's status is its events', never the pushed value
            result.applied += 1
            continue
        if current is None:
            refuse(op, f"no {op.table} row {op.row_id} to change")
            continue
        if op.kind == "delete":
            deleted.append(key)
            tombstoned.add(key)
            rows.cache[key] = None
            inserted.pop(key, None)
            updated.pop(key, None)
            campuses[key].add(before)
            result.applied += 1
            continue
        if op.table in APPEND_ONLY_TABLES:  # an insert replayed under a new op id: nothing to change
            result.ignored += 1
            continue
        merged = dict(current)
        derived = DERIVED_FIELDS.get(op.table, frozenset())
        changes: dict[str, Any] = {}
        for fname, value in op.values.items():
            if fname in ("id",) or fname in derived:
                continue
            ckey = (op.table, op.row_id, fname)
            stamp = new_clocks.get(ckey) or clocks.get(ckey)
            outcome = lww(merged.get(fname), stamp, FieldWrite(value, op.hlc, op.seen.get(fname, value)))
            if outcome.lost is not None:
                conflicts.append({"at": now, "table_name": op.table, "row_id": op.row_id, "field": fname,
                                  "kept_value": encode(outcome.value), "kept_hlc": outcome.hlc,
                                  "lost_value": encode(outcome.lost.value), "lost_hlc": outcome.lost.hlc,
                                  "kiosk_id": pusher.kiosk_id})
            if outcome.hlc != stamp:
                new_clocks[ckey] = outcome.hlc
            if outcome.value != merged.get(fname):
                changes[fname] = outcome.value
                merged[fname] = outcome.value
        rows.cache[key] = merged
        if key in inserted:
            inserted[key] = merged
        elif changes:
            updated.setdefault(key, {}).update(changes)
        # Logged even when nothing changed: a kiosk whose write lost must pull the winning value back.
        campuses[key].update({before} if op.table != "reporters" else {pusher.campus_id})
        result.applied += 1
    # Each row is judged as it stands after the whole batch (a device registered with no campus and placed at
    # the kiosk's campus by the next operation is a device created at that campus).
    for key, (created, before, key_ops) in touched.items():
        final = rows.cache.get(key)
        if final is None and created:
            continue  # created and deleted in this batch: nothing of it remains
        after = before if final is None else campus_of(key[0], final, rows)
        if final is not None and key[0] != "reporters":
            campuses[key].add(after)
        if not _may_write(key[0], before, after, pusher, creating=created):
            for op in key_ops:
                refuse(op, f"{op.table} row is outside campus {pusher.campus_id}")
        elif final is not None and (elsewhere := _refers_elsewhere(key[0], final, after, rows)) is not None:
            for op in key_ops:  # a repair-desk row naming another campus's device or ticket
                refuse(op, elsewhere)
    for op, reason in validate.batch_refusals(vetting, touched, rows):  # status workflow, surveys
        refuse(op, reason)
    if problems:
        status = 403 if all("outside campus" in p["reason"] for p in problems) else 422
        raise BatchRefused(status, f"{len(problems)} operation(s) refused", problems)
    result.conflicts = len(conflicts)
    result.hlc = top

    # Write: inserts parents first, then updates, then deletes children first.
    groups: dict[tuple[str, frozenset[str]], list[dict[str, Any]]] = defaultdict(list)
    for (name, _), row in inserted.items():
        groups[(name, frozenset(row))].append(row)
    for (name, cols), group in sorted(groups.items(), key=lambda g: _ORDER[g[0][0]]):
        if pg and BULK_JSON:
            _pg_bulk(conn, name, sorted(cols), [{k: encode(v) for k, v in row.items()} for row in group], update=False)
        else:
            conn.execute(insert(table(name)), group)
    ugroups: dict[tuple[str, frozenset[str]], list[dict[str, Any]]] = defaultdict(list)
    for (name, row_id), changes in updated.items():
        if (name, row_id) not in tombstoned:
            ugroups[(name, frozenset(changes))].append({"id": row_id, **changes})
    for (name, cols), group in sorted(ugroups.items(), key=lambda g: _ORDER[g[0][0]]):
        t = table(name)
        if pg and BULK_JSON:
            _pg_bulk(conn, name, sorted(cols), [{k: encode(v) for k, v in row.items()} for row in group], update=True)
            continue
        stmt = update(t).where(t.c.id == bindparam("_id")).values({c: bindparam(f"v_{c}") for c in cols})
        conn.execute(stmt, [{"_id": row["id"], **{f"v_{c}": row[c] for c in cols}} for row in group])
    for name, row_id in sorted(deleted, key=lambda k: -_ORDER[k[0]]):
        t = table(name)
        conn.execute(delete(t).where(t.c.id == row_id))
    if deleted:
        stmt = dialect_insert(conn, SyncTombstone.__table__).on_conflict_do_nothing()  # type: ignore[arg-type]
        conn.execute(stmt, [{"table_name": n, "row_id": r, "hlc": top, "deleted_at": now} for n, r in deleted])
    if new_clocks and pg:
        keys3 = list(new_clocks)
        conn.execute(text(
            "INSERT INTO sync_field_clocks (table_name, row_id, field, hlc) "
            "SELECT * FROM unnest(CAST(:t AS varchar[]), CAST(:r AS uuid[]), CAST(:f AS varchar[]), "
            "CAST(:h AS varchar[])) ON CONFLICT (table_name, row_id, field) DO UPDATE SET hlc = excluded.hlc"
        ), {"t": [k[0] for k in keys3], "r": [k[1] for k in keys3], "f": [k[2] for k in keys3],
            "h": [new_clocks[k] for k in keys3]})
    elif new_clocks:
        ins = dialect_insert(conn, SyncFieldClock.__table__)  # type: ignore[arg-type]
        stmt = ins.on_conflict_do_update(index_elements=["table_name", "row_id", "field"],
                                         set_={"hlc": ins.excluded.hlc})
        conn.execute(stmt, [{"table_name": t, "row_id": r, "field": f, "hlc": h}
                            for (t, r, f), h in new_clocks.items()])
    if conflicts:
        conn.execute(insert(SyncConflict), conflicts)
    if new_aliases:
        conn.execute(insert(SyncIdAlias), new_aliases)
    for ticket_id in _rederive_status(conn, status_tickets, pg):
        campuses[("tickets", ticket_id)].add(campus_of("tickets", rows.get("tickets", ticket_id) or {}, rows))
    result.changed_rows = write_changes(conn, campuses, {k for k in deleted})
    _server_followups(conn, db, inserted, updated)
    return result


_TIMING_KINDS = frozenset({TicketEventKind.STATUS, TicketEventKind.ASSIGNMENT, TicketEventKind.PRIORITY})
_TIMING_FIELDS = frozenset({"priority", "override_priority", "category_id", "resolved_at", "opened_at"})


def _server_followups(conn: Connection, db: Database, inserted: dict[tuple[str, uuid.UUID], dict[str, Any]],
                      updated: dict[tuple[str, uuid.UUID], dict[str, Any]]) -> None:
    """What the district service does for work done at kiosks, which cannot send email themselves.

    A ticket filed at a kiosk gets its "received" email; a survey a kiosk created or renewed when it closed a
    ticket gets its one-time link by email (the kiosk never sends a link's token); a survey answered "not solved"
    at a kiosk emails its technician (kiosks hold no staff emails). Same transaction as the push.
    """
    new_tickets = [row_id for (name, row_id) in inserted if name == "tickets"]
    # Tickets whose deadlines or first response the service works out again (it never takes them from a push).
    timed = set(new_tickets) | {row["ticket_id"] for (name, _), row in inserted.items() if name == "ticket_events"
                                and (row.get("public") or row.get("kind") in _TIMING_KINDS)}
    timed |= {row_id for (name, row_id), changes in updated.items()
              if name == "tickets" and _TIMING_FIELDS & set(changes)}
    invited = [row_id for (name, row_id) in inserted if name == "surveys"]
    invited += [row_id for (name, row_id), changes in updated.items() if name == "surveys" and "invited_at" in changes]
    answered = [row_id for (name, row_id), row in (*inserted.items(), *updated.items())
                if name == "surveys" and row.get("submitted_at") is not None]
    if not new_tickets and not invited and not answered and not timed:
        return
    session = db.sessions(bind=conn)
    try:
        ctx = Ctx(session=session, clock=db.clock, actor=Actor(label="district service"))
        for ticket_id in sorted(timed):
            ticket = session.get(Ticket, ticket_id)
            if ticket is None:
                continue
            if ticket.first_response_at is None:
                ticket.first_response_at = session.scalar(select(func.min(TicketEvent.at)).where(
                    TicketEvent.ticket_id == ticket_id, TicketEvent.public.is_(True),
                    TicketEvent.actor_id.is_not(None)))
            sla.refresh_due(ctx, ticket)
        for ticket_id in new_tickets:
            ticket = session.get(Ticket, ticket_id)
            if ticket is not None:
                mail.ticket_received(ctx, ticket)
        for survey_id in invited:
            surveys.link_for_kiosk_invitation(ctx, survey_id)
        for survey_id in answered:
            surveys.answered_at_kiosk(ctx, survey_id)
        session.flush()
    finally:
        session.close()


def _pg_bulk(conn: Connection, name: str, cols: list[str], rows: list[dict[str, Any]], *, update: bool) -> None:
    """Many inserts or updates of one table in one statement: the rows travel as one JSON parameter."""
    quoted = [f'"{c}"' for c in cols]
    source = f'json_populate_recordset(NULL::"{name}", CAST(:rows AS json))'
    if update:
        sets = ", ".join(f"{q} = r.{q}" for q in quoted)
        sql = f'UPDATE "{name}" AS t SET {sets} FROM {source} AS r WHERE t.id = r.id'
    else:
        sql = f'INSERT INTO "{name}" ({", ".join(quoted)}) SELECT {", ".join("r." + q for q in quoted)} FROM {source} AS r'
    conn.execute(text(sql), {"rows": json.dumps(rows)})


def _clocks_query(dialect: str) -> Any:
    """Field clocks of some rows, and their tombstones (the rows without a field), in one statement."""
    return union_all(
        select(SyncFieldClock.table_name, SyncFieldClock.row_id, SyncFieldClock.field, SyncFieldClock.hlc)
        .where(ids_param(dialect, SyncFieldClock.row_id)),
        select(SyncTombstone.table_name, SyncTombstone.row_id, null(), null())
        .where(ids_param(dialect, SyncTombstone.row_id)),
    )


def _natural_twin(conn: Connection, rows: RowCache, op: Op,
                  inserted: dict[tuple[str, uuid.UUID], dict[str, Any]]) -> uuid.UUID | None:
    """The id of an existing row with the same natural key as this insert, if any."""
    t = table(op.table)
    for col in NATURAL_KEYS[op.table]:
        value = op.values.get(col)
        if value is None:
            continue
        for (name, row_id), row in inserted.items():
            if name == op.table and row.get(col) == value and row_id != op.row_id:
                return row_id
        found = conn.execute(select(t.c.id).where(t.c[col] == value)).scalar()
        if found is not None and found != op.row_id:
            rows.load(op.table, {found})
            return found
    return None


def _refers_elsewhere(name: str, row: dict[str, Any], campus: uuid.UUID | None, rows: RowCache) -> str | None:
    """Why a repair-desk row naming a device or ticket of another campus is refused (None: it is not)."""
    for col, target in SAME_CAMPUS_REFS.get(name, ()):
        ref = row.get(col)
        if ref is None:
            continue
        found = rows.get(target, ref)
        if found is None or campus_of(target, found, rows) != campus:
            return f"{name}.{col} names a {target} row outside campus {campus}"
    return None


def _may_write(name: str, before: uuid.UUID | None, after: uuid.UUID | None, pusher: Pusher, *,
               creating: bool) -> bool:
    """A kiosk changes only its own campus's rows; a device may be moved from its campus to another."""
    if name in ("reporters", "audit_log"):
        return True
    own = pusher.campus_id
    if creating:
        return after == own
    if name == "devices":
        return before in (own, None)
    if name in SCHEDULE_TABLES or name in PUSH_TABLES:
        return before == own and after == own
    return False


def _rederive_status(conn: Connection, ticket_ids: set[uuid.UUID], pg: bool) -> list[uuid.UUID]:
    """Recompute the status of tickets whose events changed; returns the tickets whose status moved."""
    if not ticket_ids:
        return []
    tickets, events = table("tickets"), table("ticket_events")
    ordered = sorted(ticket_ids)
    dialect = conn.dialect.name

    def build_lock() -> Any:
        q = select(tickets.c.id, tickets.c.status).where(ids_param(dialect, tickets.c.id)).order_by(tickets.c.id)
        return q.with_for_update() if pg else q

    current = dict(conn.execute(statement(("status lock", dialect), build_lock), {"ids": ordered}).all())
    facts: dict[uuid.UUID, list[EventFact]] = defaultdict(list)
    for tid, at, eid, kind, new_value in conn.execute(statement(("status events", dialect), lambda: select(
        events.c.ticket_id, events.c.at, events.c.id, events.c.kind, events.c.new_value,
    ).where(ids_param(dialect, events.c.ticket_id))), {"ids": ordered}):
        facts[tid].append(EventFact(at, eid, kind, new_value))
    moved = []
    for tid in ordered:
        if tid not in current:
            continue
        status = derive_status(facts[tid])
        if status != current[tid]:
            conn.execute(update(tickets).where(tickets.c.id == tid).values(status=status))
            moved.append(tid)
    return moved
