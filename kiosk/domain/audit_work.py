"""Room-audit use-cases for the technician screens: pick a room, start, scan, pause, finish, apply.

Each checks the actor (an active staff member), does one screen action's work in one unit and returns frozen
data, so the screens never hold an ORM object and the flow only navigates. The rules are in
:mod:`kiosk.domain.room_audit`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType

from kiosk.domain import room_audit, walkup
from kiosk.domain.db import Ctx
from kiosk.domain.errors import NotFound
from kiosk.domain.models import Room
from kiosk.domain.room_audit import AppliedSummary, ReconciliationItem, RoomAuditAge, ScanResult
from kiosk.domain.ticket_work import technician


@dataclass(frozen=True)
class AuditRoom:
    room_id: uuid.UUID
    name: str
    last_audit: datetime | None  # the last applied audit, None when never audited


def rooms(ctx: Ctx, campus_id: uuid.UUID | None) -> tuple[AuditRoom, ...]:
    """The campus's active rooms by name, each with its last applied audit (no campus: none)."""
    technician(ctx)
    if campus_id is None:
        return ()
    ages = {r.room_id: r.last_audit for r in room_audit.rooms_not_audited(ctx.session, 0, campus_id, ctx.clock.now())}
    return tuple(AuditRoom(rid, name, ages.get(rid)) for rid, name in walkup.rooms(ctx.session, campus_id))


def not_audited(ctx: Ctx, days: int, campus_id: uuid.UUID | None) -> tuple[RoomAuditAge, ...]:
    """Rooms without an applied audit in ``days`` days (this campus, or all when None)."""
    technician(ctx)
    return tuple(room_audit.rooms_not_audited(ctx.session, days, campus_id, ctx.clock.now()))


@dataclass(frozen=True)
class AuditStarted:
    audit_id: uuid.UUID
    room: str
    scanned: tuple[tuple[str, str, str], ...]  # (tag, model, expected|misplaced|unknown) already scanned (resumed)
    expected: int  # devices registered in the room


def start(ctx: Ctx, room_id: uuid.UUID) -> AuditStarted:
    """Start an audit of the room, or resume this technician's paused one there."""
    technician(ctx)
    audit_id = room_audit.start_audit(ctx, room_id)
    room = ctx.session.get(Room, room_id)
    if room is None:
        raise NotFound("that room no longer exists")
    rec = room_audit.reconcile(ctx.session, audit_id)
    scanned = tuple((i.tag, i.model or "", kind) for kind, items in
                    (("expected", rec.found), ("misplaced", rec.misplaced), ("unknown", rec.unknown))
                    for i in items)
    return AuditStarted(audit_id, room.name, scanned, room_audit.expected_count(ctx.session, room_id))


def scan(ctx: Ctx, audit_id: uuid.UUID, tag: str) -> ScanResult:
    technician(ctx)
    return room_audit.record_scan(ctx, audit_id, tag)


def pause(ctx: Ctx, audit_id: uuid.UUID) -> None:
    technician(ctx)
    room_audit.pause(ctx, audit_id)


@dataclass(frozen=True)
class AuditReport:
    """A finished audit's reconciliation, frozen (``room_audit.Reconciliation`` with tuples)."""

    audit_id: uuid.UUID
    room_id: uuid.UUID
    room: str
    state: str
    found: tuple[ReconciliationItem, ...]
    missing: tuple[ReconciliationItem, ...]
    misplaced: tuple[ReconciliationItem, ...]
    unknown: tuple[ReconciliationItem, ...]

    def counts(self) -> dict[str, int]:
        return {"found": len(self.found), "missing": len(self.missing), "misplaced": len(self.misplaced),
                "unknown": len(self.unknown)}


def finish(ctx: Ctx, audit_id: uuid.UUID) -> AuditReport:
    technician(ctx)
    rec = room_audit.finish(ctx, audit_id)
    return AuditReport(rec.audit_id, rec.room_id, rec.room, rec.state, tuple(rec.found), tuple(rec.missing),
                       tuple(rec.misplaced), tuple(rec.unknown))


@dataclass(frozen=True)
class AuditApplied:
    summary: AppliedSummary
    models: Mapping[str, str]  # tag -> "manufacturer model", for the applied screen's list


def apply(ctx: Ctx, audit_id: uuid.UUID, move: Iterable[uuid.UUID]) -> AuditApplied:
    """Apply the finished audit (moving the chosen misplaced devices here, marking the missing)."""
    technician(ctx)
    summary = room_audit.apply(ctx, audit_id, list(move))
    rec = room_audit.reconcile(ctx.session, audit_id)
    models = {i.tag: i.model or "" for items in (rec.found, rec.missing, rec.misplaced) for i in items}
    return AuditApplied(summary, MappingProxyType(models))
