"""Sync retention: prune the change log behind every active kiosk, and old applied-operation ids.

The change log (``sync_changes``) is followed by each kiosk's pull cursor, so an entry can go once every kiosk
that may still need it has pulled past it. The server learns where each kiosk is from the cursor it sends with
every pull (``at_pull``, called by ``kiosk/server/pull.py``): that cursor is stored on the kiosk in the same
transaction as the rows before it, so it is exactly what the kiosk holds. It is kept per kiosk in
``sync_state`` under ``pull_pos:<kiosk id>`` (JSON: the position, when it was seen, the floor the last prune
announced, and whether the kiosk must start over).

``prune`` then

1. (one short transaction, every position row locked) computes the floor: the lowest position of the active
   kiosks (not revoked) that pulled within ``stale_days``. Kiosks below it that it leaves behind (stale ones, and
   active kiosks the server has no position for) are marked "start over"; every active kiosk's row gets the
   floor, so a kiosk that later shows a cursor below it (a restored backup) starts over too;
2. deletes the log entries at or below the floor, except the newest entry of a row that was deleted or has
   left that campus: those few stay for kiosks that start over (below);
3. deletes applied-operation ids older than ``op_days`` (default 90).

A kiosk that starts over gets a fresh snapshot of its campus and then follows the whole remaining log from its
beginning: the kept entries delete what was deleted and move what moved while it was away, and the snapshot
brings everything else. While it does, its position (below the floor) holds pruning back.

Trade-off of step 3: an operation id is how a replayed push (a kiosk that sent a batch and never heard back) is
recognised. After ``op_days`` the id is gone, and a kiosk that replays an operation older than that has it
merged again under the usual rules: an append-only insert of a row that exists changes nothing, and field
updates carry their original clock stamps, so they lose to anything written since (and are logged as
conflicts). A kiosk offline that long is better re-enrolled.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Uuid, bindparam, delete, func, select, text, update

from kiosk.domain.db import Database
from kiosk.domain.models import Kiosk, SyncAppliedOp, SyncState
from kiosk.protocol.tables import PULL_TABLES, REFERENCE_TABLES, SCHEDULE_TABLES, table
from kiosk.server.apply import Pusher

KEY_PREFIX = "pull_pos:"
PRUNE_LOCK = 7_402_120  # pg_try_advisory_lock key: one pruner at a time across service processes
DEFAULT_STALE_DAYS = 30.0
DEFAULT_OP_DAYS = 90.0
START_OVER = {"hx": 0, "hs": 0, "t": 0, "after": None}  # a snapshot, then the log from its very beginning
RESYNC_LEFT_BEHIND = True  # only the tests' negative control turns this off

Position = tuple[int, int]


# ---------------------------------------------------------------------------------------------- pull side


def position(state: dict[str, Any] | None) -> Position | None:
    """The log position a decoded cursor stands for: the kiosk holds every entry at or below it."""
    if state is None:
        return None
    if "seq" in state:
        return int(state.get("x") or 0), int(state["seq"])
    return int(state.get("hx") or 0), int(state.get("hs") or 0)


def _pos(value: Any) -> Position | None:
    return None if value is None else (int(value[0]), int(value[1]))


def _load(raw: str | None) -> dict[str, Any]:
    if not raw:
        return {}
    try:
        data = json.loads(raw)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def at_pull(conn: Connection, kiosk: Pusher, state: dict[str, Any] | None,
            now: datetime, *, drained: bool = False) -> dict[str, Any] | None:
    """Record where a pulling kiosk is; returns the state to serve (a fresh start if pruning left it behind).

    Runs in its own short transaction on the pull's connection (the pull itself only reads; a second pooled
    connection per pull would let a burst of pulls take the whole pool and wait on each other).
    """
    if conn.in_transaction():
        conn.commit()  # what came before (the token check) only read
    with conn.begin():
        if conn.dialect.name == "postgresql":
            # Not waiting for the disk is safe: a record lost in a crash leaves an older position (pruning is
            # then more careful) or a start-over flag still set (the kiosk starts over once more); and a prune
            # that acts on this record commits synchronously, which writes this record to disk first.
            conn.execute(text("SET LOCAL synchronous_commit = off"))
        return record_position(conn, kiosk, state, now, drained=drained)


def record_position(conn: Connection, kiosk: Pusher, state: dict[str, Any] | None,
                    now: datetime, *, drained: bool = False) -> dict[str, Any] | None:
    """``at_pull``'s work inside the caller's transaction (a sync round does it in its push's transaction).

    It locks the kiosk's position row, so it is ordered with a prune's first step: either the prune sees this
    position, or this sees the prune's floor. It also sets the kiosk's "last sync" for the status page, and,
    when the kiosk says this round's push held its whole outbox (``drained``), ``drained_at``: the earliest time
    its later pushes can date their work (``kiosk.server.validate.Vetting.floor``). Only a real round moves it
    forward; a kiosk that says nothing leaves it where it was.
    """
    key = KEY_PREFIX + str(kiosk.kiosk_id)
    pg = conn.dialect.name == "postgresql"
    raw = conn.execute(text("SELECT value FROM sync_state WHERE key = :k" + (" FOR UPDATE" if pg else "")),
                       {"k": key}).scalar()
    old = _load(raw)
    pos = position(state)
    floor = _pos(old.get("floor"))
    restarting = bool(old.get("restarting"))
    if RESYNC_LEFT_BEHIND and (old.get("start_over") or (
            floor is not None and pos is not None and pos < floor and not restarting)):
        state, pos, restarting = dict(START_OVER), (0, 0), True
    elif restarting and pos is not None and floor is not None and pos >= floor:
        restarting = False
    new = {"pos": list(pos) if pos is not None else None, "at": now.isoformat(),
           "floor": list(floor) if floor is not None else None, "restarting": restarting}
    if drained or old.get("drained_at"):
        new["drained_at"] = now.isoformat() if drained else old["drained_at"]
    value = json.dumps(new, separators=(",", ":"))
    write = ("INSERT INTO sync_state (key, value) VALUES (:k, :v)" if raw is None
             else "UPDATE sync_state SET value = :v WHERE key = :k")
    params = {"k": key, "v": value, "kiosk": kiosk.kiosk_id, "now": now}
    if pg:  # one statement for both writes
        conn.execute(text("WITH seen AS (UPDATE kiosks SET last_sync_at = :now WHERE id = :kiosk) " + write)
                     .bindparams(bindparam("kiosk", type_=Uuid()), bindparam("now", type_=Kiosk.last_sync_at.type)),
                     params)
    else:
        conn.execute(text(write), params)
        conn.execute(update(Kiosk).where(Kiosk.id == kiosk.kiosk_id).values(last_sync_at=now))
    return state


# ---------------------------------------------------------------------------------------------- pruning


@dataclass
class PruneResult:
    floor: Position | None = None
    changes_deleted: int = 0
    changes_kept: int = 0  # entries at or below the floor kept for kiosks that start over
    changes_left: int = 0  # entries above the floor
    ops_deleted: int = 0
    kiosks_holding: int = 0
    kiosks_left_behind: list[str] = field(default_factory=list)
    positions_dropped: int = 0
    skipped: str | None = None
    dry_run: bool = False

    def summary(self) -> str:
        if self.skipped:
            return f"prune skipped: {self.skipped}"
        verb = "would delete" if self.dry_run else "deleted"
        floor = "none" if self.floor is None else f"{self.floor[0]}:{self.floor[1]}"
        behind = (f"; {len(self.kiosks_left_behind)} kiosk(s) left behind will start over: "
                  + ", ".join(self.kiosks_left_behind)) if self.kiosks_left_behind else ""
        return (f"{verb} {self.changes_deleted:,} change-log entries at or below position {floor} "
                f"({self.kiosks_holding} active kiosk(s) hold the log; {self.changes_kept:,} kept for deleted or "
                f"moved rows, {self.changes_left:,} newer left) and {self.ops_deleted:,} applied-operation ids"
                f"{behind}")


def _head(conn: Connection) -> Position:
    """The position below which every change-log entry is final (a kiosk starting a snapshot now is past it)."""
    from kiosk.server.pull import log_position  # pull calls at_pull here: imported late

    return log_position(conn)


_AT_OR_BELOW = "(COALESCE(r.txid, 0) < :x OR (COALESCE(r.txid, 0) = :x AND r.seq <= :s))"


def _prunable(name: str) -> str:
    """The seqs of ``name``'s entries at or below the floor that no kiosk can need any more."""
    t = table(name)
    scoped = "campus_id" in t.c and name not in REFERENCE_TABLES and name not in SCHEDULE_TABLES
    in_place = "o.id IS NOT NULL" + (" AND o.campus_id = r.campus_id" if scoped else "")
    # The newest entry of a row is kept when the row was deleted or has left that campus; any older entry of
    # the same row and campus goes (pull serves a row's current value, so the newest entry stands for all).
    return (
        "SELECT r.seq FROM (SELECT seq, txid, row_id, campus_id, deleted, ROW_NUMBER() OVER ("
        "PARTITION BY row_id, campus_id ORDER BY COALESCE(txid, 0) DESC, seq DESC) AS rn "
        f"FROM sync_changes WHERE table_name = '{name}') r LEFT JOIN {t.name} o ON o.id = r.row_id "
        f"WHERE {_AT_OR_BELOW} AND (r.rn > 1 OR (NOT r.deleted AND {in_place}))"
    )


def _try_lock(conn: Connection) -> bool:
    if conn.dialect.name != "postgresql":
        return True
    return bool(conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": PRUNE_LOCK}).scalar())


def _unlock(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": PRUNE_LOCK})


def prune(db: Database, *, now: datetime | None = None, dry_run: bool = False,
          stale_days: float = DEFAULT_STALE_DAYS, op_days: float = DEFAULT_OP_DAYS) -> PruneResult:
    """Prune the change log and old applied-operation ids (see the module's docstring); safe to run any time."""
    now = now or db.clock.now()
    result = PruneResult(dry_run=dry_run)
    with db.engine.connect() as lock_conn:
        if not _try_lock(lock_conn):
            result.skipped = "another service process is pruning"
            return result
        lock_conn.commit()
        try:
            _prune(db, now, dry_run, stale_days, op_days, result)
        finally:
            _unlock(lock_conn)
            lock_conn.commit()
    return result


def _prune(db: Database, now: datetime, dry_run: bool, stale_days: float, op_days: float,
           result: PruneResult) -> None:
    stale_before = now - timedelta(days=stale_days)
    pg = db.dialect == "postgresql"
    with db.engine.begin() as conn:  # step 1: the floor, in one short transaction
        kiosks = {uuid.UUID(str(k)): name for k, name in conn.execute(text(
            "SELECT id, name FROM kiosks WHERE revoked_at IS NULL AND token_hash IS NOT NULL"))}
        rows = {key: _load(value) for key, value in conn.execute(text(
            "SELECT key, value FROM sync_state WHERE key LIKE :p ORDER BY key"
            + (" FOR UPDATE" if pg else "")), {"p": KEY_PREFIX + "%"})}
        head = _head(conn)
        floor = head
        holding: set[uuid.UUID] = set()
        for kid in kiosks:
            row = rows.get(KEY_PREFIX + str(kid))
            pos = _pos(row.get("pos")) if row else None
            seen = row.get("at") if row else None
            if pos is None or seen is None or datetime.fromisoformat(seen) < stale_before:
                continue  # never pulled since positions were recorded, mid-way into its first snapshot, or stale
            holding.add(kid)
            floor = min(floor, pos)
        result.floor, result.kiosks_holding = floor, len(holding)
        for kid, name in kiosks.items():
            key = KEY_PREFIX + str(kid)
            row = dict(rows.get(key) or {})
            pos = _pos(row.get("pos"))
            if kid not in holding and (pos is None or pos < floor) and not (
                    pos is None and row.get("at") and datetime.fromisoformat(row["at"]) >= stale_before):
                result.kiosks_left_behind.append(name)
                row["start_over"] = True
            old_floor = _pos(row.get("floor"))
            row["floor"] = list(max(floor, old_floor) if old_floor else floor)
            if dry_run:
                continue
            value = json.dumps(row, separators=(",", ":"))
            if key in rows:
                conn.execute(text("UPDATE sync_state SET value = :v WHERE key = :k"), {"k": key, "v": value})
            else:
                conn.execute(text("INSERT INTO sync_state (key, value) VALUES (:k, :v)"), {"k": key, "v": value})
        gone = [k for k in rows if _kiosk_of(k) not in kiosks]
        result.positions_dropped = len(gone)
        if gone and not dry_run:
            for start in range(0, len(gone), 500):
                conn.execute(delete(SyncState).where(SyncState.key.in_(gone[start:start + 500])))

    params = {"x": floor[0], "s": floor[1]}
    for name in PULL_TABLES:  # step 2: the log, one table per transaction
        with db.engine.begin() as conn:
            if dry_run:
                n = conn.execute(text(f"SELECT COUNT(*) FROM ({_prunable(name)}) p"), params).scalar_one()
            else:
                n = conn.execute(text(f"DELETE FROM sync_changes WHERE seq IN ({_prunable(name)})"),
                                 params).rowcount
            result.changes_deleted += int(n or 0)
    with db.engine.connect() as conn:
        below, total = conn.execute(text(
            f"SELECT COALESCE(SUM(CASE WHEN {_AT_OR_BELOW} THEN 1 ELSE 0 END), 0), COUNT(*) "
            "FROM sync_changes r"), params).one()
    below, total = int(below), int(total)
    if dry_run:
        below -= result.changes_deleted
        total -= result.changes_deleted
    result.changes_kept, result.changes_left = below, total - below

    cutoff = now - timedelta(days=op_days)  # step 3: applied-operation ids
    with db.engine.begin() as conn:
        old = SyncAppliedOp.applied_at < cutoff
        if dry_run:
            result.ops_deleted = int(conn.execute(
                select(func.count()).select_from(SyncAppliedOp).where(old)).scalar_one())
        else:
            result.ops_deleted = int(conn.execute(delete(SyncAppliedOp).where(old)).rowcount or 0)


def _kiosk_of(key: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(key[len(KEY_PREFIX):])
    except ValueError:
        return None

