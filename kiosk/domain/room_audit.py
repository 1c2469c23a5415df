"""Room audits by scanning: start, scan, pause and resume, reconcile, finish, apply, and each room's history."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from dataclasses import replace as _replace
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from kiosk.domain import audit_log, devices
from kiosk.domain.clock import SYSTEM_CLOCK
from kiosk.domain.db import Ctx
from kiosk.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from kiosk.domain.models import (
    AuditOutcome,
    AuditResult,
    AuditScan,
    AuditSession,
    AuditState,
    Campus,
    Device,
    DeviceStatus,
    Room,
    StaffRole,
    StaffUser,
    UnknownTagScan,
)
from kiosk.domain.validation import normalize_tag

UNFINISHED: tuple[AuditState, ...] = (AuditState.OPEN, AuditState.PAUSED)

ScanOutcome = Literal["expected", "misplaced", "unknown"]


# ---------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScanResult:
    """What one scan means, for the flash, the sound and the counter on the scanning screen."""

    tag: str
    device_id: uuid.UUID | None
    model: str | None
    outcome: ScanOutcome
    registered_room: str | None
    repeated: bool
    distinct_count: int
    registered_campus: str | None = None  # campus code of the registered room, when it has one
    status: str | None = None  # the device's status (in_service, retired, ...), None for an unknown tag
    expected_count: int = 0  # devices registered in the audited room (not retired): "expected N / scanned M"
    other_campus: bool = False  # registered on another campus than the audited room's
    needs_decision: bool = False  # retired, or from another campus: the technician decides at apply

    @property
    def decision(self) -> str | None:
        """Why this scan needs a decision ('retired', 'other campus', 'listed as missing'), or None."""
        if self.status == "retired":
            return "retired"
        if self.other_campus:
            return "other campus"
        if self.status == "missing":
            return "listed as missing"
        return None


@dataclass(frozen=True)
class ReconciliationItem:
    """One device or unknown tag in a reconciliation.

    ``expected_room`` is the audited room for found and missing devices, None otherwise;
    ``registered_room`` is where the device is registered (for misplaced ones: elsewhere, or None).
    """

    device_id: uuid.UUID | None
    tag: str
    model: str | None
    expected_room: str | None
    registered_room: str | None
    registered_campus: str | None = None
    status: str | None = None
    moved_here: bool = False
    other_campus: bool = False  # registered on another campus than the audited room's

    @property
    def decision(self) -> str | None:
        """Found devices that need a technician's decision: retired ones, ones from another campus."""
        if self.status == DeviceStatus.RETIRED.value:
            return "retired"
        if self.other_campus:
            return "other campus"
        return None


@dataclass
class Reconciliation:
    audit_id: uuid.UUID
    room_id: uuid.UUID
    room: str
    state: str
    found: list[ReconciliationItem] = field(default_factory=list)
    missing: list[ReconciliationItem] = field(default_factory=list)
    misplaced: list[ReconciliationItem] = field(default_factory=list)
    unknown: list[ReconciliationItem] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {"found": len(self.found), "missing": len(self.missing), "misplaced": len(self.misplaced),
                "unknown": len(self.unknown)}


@dataclass(frozen=True)
class AppliedSummary:
    audit_id: uuid.UUID
    room: str
    moved: list[str]  # tags of misplaced devices moved into the audited room
    not_moved: list[str]  # tags of misplaced devices left where they are registered
    audited: int  # devices whose last-audited time, room and technician were set
    applied_at: datetime
    marked_missing: list[str] = field(default_factory=list)  # not found: now status "missing"
    not_marked: list[str] = field(default_factory=list)  # not found but in repair or on loan: left as they are
    back_in_service: list[str] = field(default_factory=list)  # listed as missing, found here: in service again
    flagged: list[str] = field(default_factory=list)  # retired devices found here, left retired for a decision
    campus: str = ""
    missing_list: list[ReconciliationItem] = field(default_factory=list)  # what to follow up, for printing


# devices not found in their room are marked missing only from these statuses (one in repair or out on loan
# is expected elsewhere)
MARK_MISSING_FROM = (DeviceStatus.IN_SERVICE, DeviceStatus.SPARE)


@dataclass(frozen=True)
class AuditSummary:
    audit_id: uuid.UUID
    room_id: uuid.UUID
    room: str
    campus: str  # campus code
    technician_id: uuid.UUID
    technician: str  # first name only
    state: str
    started_at: datetime
    finished_at: datetime | None
    applied_at: datetime | None
    scanned: int  # distinct tags scanned
    found: int = 0
    missing: int = 0
    misplaced: int = 0
    unknown: int = 0

    @property
    def when(self) -> datetime:
        return self.applied_at or self.finished_at or self.started_at


@dataclass(frozen=True)
class RoomAuditAge:
    room_id: uuid.UUID
    room: str
    campus_id: uuid.UUID
    campus: str  # campus name
    last_audit: datetime | None  # when the last applied audit was applied
    days: int | None  # whole days since then; None when never audited


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _model(manufacturer: str | None, model: str | None) -> str | None:
    return " ".join(x for x in (manufacturer, model) if x) or None


def _staff(ctx: Ctx) -> uuid.UUID:
    if ctx.actor.staff_id is None:
        raise PermissionDenied("only a signed-in technician can audit a room")
    staff_id: uuid.UUID = ctx.actor.staff_id
    return staff_id


def _get(session: Session, audit_id: uuid.UUID) -> AuditSession:
    audit = session.get(AuditSession, audit_id)
    if audit is None:
        raise NotFound("no such room audit")
    return audit


def _room(session: Session, room_id: uuid.UUID) -> Room:
    room = session.get(Room, room_id)
    if room is None:
        raise NotFound("no such room")
    return room


def _first_name(session: Session, staff_id: uuid.UUID) -> str:
    user = session.get(StaffUser, staff_id)
    return user.first_name if user else "another technician"


def _owned(ctx: Ctx, audit_id: uuid.UUID, *, admin_too: bool = False) -> AuditSession:
    staff_id = _staff(ctx)
    audit = _get(ctx.session, audit_id)
    if audit.technician_id != staff_id:
        user = ctx.session.get(StaffUser, staff_id)
        if not (admin_too and user is not None and user.role is StaffRole.ADMIN):
            raise PermissionDenied(f"this audit belongs to {_first_name(ctx.session, audit.technician_id)}")
    return audit


def _require_state(audit: AuditSession, allowed: tuple[AuditState, ...], doing: str) -> None:
    if audit.state in allowed:
        return
    hint = {
        AuditState.PAUSED: "it is paused; resume it first",
        AuditState.FINISHED: "it is already finished",
        AuditState.APPLIED: "it has already been applied",
        AuditState.CANCELLED: "it was cancelled",
        AuditState.OPEN: "it is still open; finish it first",
    }[audit.state]
    raise Conflict(f"cannot {doing} this audit: {hint}")


def _touch(ctx: Ctx, audit: AuditSession) -> datetime:
    now = ctx.clock.now()
    audit.updated_at = now
    return now


# ---------------------------------------------------------------------------------------------
# Running an audit
# ---------------------------------------------------------------------------------------------


def start_audit(ctx: Ctx, room_id: uuid.UUID) -> uuid.UUID:
    """Start auditing a room, or resume this technician's unfinished audit of it."""
    staff_id = _staff(ctx)
    s = ctx.session
    # Lock the room row (PostgreSQL) so two technicians starting at the same moment are serialized.
    room = s.scalars(select(Room).where(Room.id == room_id).with_for_update()).one_or_none()
    if room is None:
        raise NotFound("no such room")
    current = s.scalars(
        select(AuditSession).where(AuditSession.room_id == room_id, AuditSession.state.in_(UNFINISHED))
        .order_by(AuditSession.started_at)
    ).all()
    mine = [a for a in current if a.technician_id == staff_id]
    if mine:
        audit = mine[0]
        if audit.state is AuditState.PAUSED:
            audit.state = AuditState.OPEN
            _touch(ctx, audit)
            audit_log.record(ctx, "audit.resume", "audit_session", audit.id, room=room.name)
        return audit.id
    if current:
        other = current[0]
        who = _first_name(s, other.technician_id)
        paused = " (paused)" if other.state is AuditState.PAUSED else ""
        raise Conflict(f"{who} is already auditing room {room.name}{paused}; "
                       f"they need to finish or cancel that audit before another one starts")
    now = ctx.clock.now()
    audit = AuditSession(room_id=room_id, technician_id=staff_id, state=AuditState.OPEN, started_at=now,
                         created_at=now, updated_at=now)
    s.add(audit)
    s.flush()
    audit_log.record(ctx, "audit.start", "audit_session", audit.id, room=room.name)
    return audit.id


def record_scan(ctx: Ctx, audit_id: uuid.UUID, tag: str) -> ScanResult:
    """Record one scan in an open audit; a repeated tag is recorded again but counted once."""
    audit = _owned(ctx, audit_id)
    _require_state(audit, (AuditState.OPEN,), "scan into")
    clean = normalize_tag(tag)
    s = ctx.session
    repeated = s.scalar(
        select(func.count()).select_from(AuditScan).where(AuditScan.session_id == audit_id, AuditScan.tag == clean)
    ) or 0
    device = devices.find_by_tag(s, clean)
    now = _touch(ctx, audit)
    s.add(AuditScan(session_id=audit_id, tag=clean, device_id=device.id if device else None, scanned_at=now,
                    created_at=now, updated_at=now))
    s.flush()
    distinct = s.scalar(
        select(func.count(func.distinct(AuditScan.tag))).where(AuditScan.session_id == audit_id)
    ) or 0
    expected = expected_count(s, audit.room_id)
    if device is None:
        return ScanResult(clean, None, None, "unknown", None, repeated > 0, distinct, expected_count=expected)
    room = s.get(Room, device.room_id) if device.room_id else None
    campus = s.get(Campus, room.campus_id) if room else None
    audited_room = _room(s, audit.room_id)
    other = device.campus_id is not None and device.campus_id != audited_room.campus_id
    outcome: ScanOutcome = "expected" if device.room_id == audit.room_id else "misplaced"
    result = ScanResult(clean, device.id, _model(device.manufacturer, device.model), outcome,
                        room.name if room else None, repeated > 0, distinct,
                        campus.code if campus else None, device.status.value, expected, other)
    return _replace(result, needs_decision=result.decision in ("retired", "other campus"))


def expected_count(session: Session, room_id: uuid.UUID) -> int:
    """Devices registered in the room that an audit expects to find (all but retired ones)."""
    return int(session.scalar(select(func.count()).select_from(Device).where(
        Device.room_id == room_id, Device.status != DeviceStatus.RETIRED)) or 0)


def pause(ctx: Ctx, audit_id: uuid.UUID) -> None:
    _switch(ctx, audit_id, AuditState.OPEN, AuditState.PAUSED, "pause")


def resume(ctx: Ctx, audit_id: uuid.UUID) -> None:
    _switch(ctx, audit_id, AuditState.PAUSED, AuditState.OPEN, "resume")


def _switch(ctx: Ctx, audit_id: uuid.UUID, old: AuditState, new: AuditState, action: str) -> None:
    """Pause or resume the technician's own audit; doing it twice is harmless."""
    audit = _owned(ctx, audit_id)
    _require_state(audit, (AuditState.OPEN, AuditState.PAUSED), action)
    if audit.state is old:
        audit.state = new
        _touch(ctx, audit)
        audit_log.record(ctx, f"audit.{action}", "audit_session", audit.id)


def cancel(ctx: Ctx, audit_id: uuid.UUID) -> None:
    """Abandon an unfinished audit (its technician, or an admin); its scans are kept."""
    audit = _owned(ctx, audit_id, admin_too=True)
    _require_state(audit, UNFINISHED, "cancel")
    audit.state = AuditState.CANCELLED
    _touch(ctx, audit)
    audit_log.record(ctx, "audit.cancel", "audit_session", audit.id)


# ---------------------------------------------------------------------------------------------
# Reconciliation
# ---------------------------------------------------------------------------------------------


def _room_names(session: Session, room_ids: set[uuid.UUID]) -> dict[uuid.UUID, tuple[str, str]]:
    if not room_ids:
        return {}
    rows = session.execute(
        select(Room.id, Room.name, Campus.code).join(Campus, Campus.id == Room.campus_id)
        .where(Room.id.in_(room_ids))
    )
    return {rid: (name, code) for rid, name, code in rows}


def _live(session: Session, audit: AuditSession, room: Room) -> Reconciliation:
    rec = Reconciliation(audit.id, room.id, room.name, audit.state.value)
    tags = list(session.scalars(
        select(AuditScan.tag).where(AuditScan.session_id == audit.id).group_by(AuditScan.tag)
    ))
    scanned: dict[str, Device] = {}
    if tags:
        scanned = {d.asset_tag: d for d in session.scalars(select(Device).where(Device.asset_tag.in_(tags)))}
    expected = list(session.scalars(
        select(Device).where(Device.room_id == room.id, Device.status != DeviceStatus.RETIRED)
    ))
    names = _room_names(session, {d.room_id for d in scanned.values() if d.room_id} | {room.id})
    here = names[room.id]

    def item(d: Device, expected_room: str | None) -> ReconciliationItem:
        reg = names.get(d.room_id) if d.room_id else None
        return ReconciliationItem(d.id, d.asset_tag, _model(d.manufacturer, d.model), expected_room,
                                  reg[0] if reg else None, reg[1] if reg else None, d.status.value,
                                  other_campus=d.campus_id is not None and d.campus_id != room.campus_id)

    for tag in tags:
        device = scanned.get(tag)
        if device is None:
            rec.unknown.append(ReconciliationItem(None, tag, None, None, None))
        elif device.room_id == room.id:
            rec.found.append(item(device, here[0]))
        else:
            rec.misplaced.append(item(device, None))
    rec.missing = [item(d, here[0]) for d in expected if d.asset_tag not in scanned]
    return rec


def _stored(session: Session, audit: AuditSession, room: Room) -> Reconciliation:
    rec = Reconciliation(audit.id, room.id, room.name, audit.state.value)
    rows = session.execute(
        select(AuditResult, Device).outerjoin(Device, Device.id == AuditResult.device_id)
        .where(AuditResult.session_id == audit.id)
    ).all()
    names = _room_names(session, {r.expected_room_id for r, _ in rows if r.expected_room_id})
    campus_of = {rid: cid for rid, cid in session.execute(
        select(Room.id, Room.campus_id).where(Room.id.in_({r.expected_room_id for r, _ in rows
                                                          if r.expected_room_id})))}
    lists = {AuditOutcome.FOUND: rec.found, AuditOutcome.MISSING: rec.missing,
             AuditOutcome.MISPLACED: rec.misplaced, AuditOutcome.UNKNOWN: rec.unknown}
    for result, device in rows:
        reg = names.get(result.expected_room_id) if result.expected_room_id else None
        expected_room = room.name if result.outcome in (AuditOutcome.FOUND, AuditOutcome.MISSING) else None
        lists[result.outcome].append(ReconciliationItem(
            result.device_id, result.tag, _model(device.manufacturer, device.model) if device else None,
            expected_room, reg[0] if reg else None, reg[1] if reg else None,
            device.status.value if device else None, result.moved_here,
            other_campus=bool(result.expected_room_id and campus_of.get(result.expected_room_id) not in
                              (None, room.campus_id))))
    return rec


def reconcile(session: Session, audit_id: uuid.UUID) -> Reconciliation:
    """Found, missing, misplaced and unknown: live while the audit runs, as recorded once it is finished.

    Expected devices are those registered in the room that are not retired; each list is sorted by tag.
    For a finished audit, ``registered_room`` is where the device was registered when the audit finished.
    """
    audit = _get(session, audit_id)
    room = _room(session, audit.room_id)
    if audit.state in (AuditState.FINISHED, AuditState.APPLIED):
        rec = _stored(session, audit, room)
    else:
        rec = _live(session, audit, room)
    for items in (rec.found, rec.missing, rec.misplaced, rec.unknown):
        items.sort(key=lambda i: i.tag)
    return rec


def finish(ctx: Ctx, audit_id: uuid.UUID) -> Reconciliation:
    """Finish scanning: the reconciliation is written as AuditResult rows and the audit is finished.

    Unknown tags also go to the unknown-tag to-do list (one UnknownTagScan each, on the room's campus).
    """
    audit = _owned(ctx, audit_id)
    _require_state(audit, UNFINISHED, "finish")
    s = ctx.session
    room = _room(s, audit.room_id)
    rec = reconcile(s, audit_id)
    now = _touch(ctx, audit)
    registered = {d.id: d.room_id for d in s.scalars(
        select(Device).where(Device.id.in_([i.device_id for i in rec.found + rec.missing + rec.misplaced
                                            if i.device_id]))
    )}
    for outcome, items in ((AuditOutcome.FOUND, rec.found), (AuditOutcome.MISSING, rec.missing),
                           (AuditOutcome.MISPLACED, rec.misplaced), (AuditOutcome.UNKNOWN, rec.unknown)):
        for i in items:
            s.add(AuditResult(session_id=audit.id, device_id=i.device_id, tag=i.tag, outcome=outcome,
                              expected_room_id=registered.get(i.device_id) if i.device_id else None,
                              moved_here=False, created_at=now, updated_at=now))
    for i in rec.unknown:
        s.add(UnknownTagScan(tag=i.tag, campus_id=room.campus_id, kiosk_id=ctx.actor.kiosk_id, scanned_at=now,
                             created_at=now, updated_at=now))
    audit.state = AuditState.FINISHED
    audit.finished_at = now
    s.flush()
    audit_log.record(ctx, "audit.finish", "audit_session", audit.id, room=room.name, **rec.counts())
    return reconcile(s, audit_id)


def apply(ctx: Ctx, audit_id: uuid.UUID, move_misplaced: Iterable[uuid.UUID] | None = None, *,
          mark_missing: bool = True) -> AppliedSummary:
    """Apply a finished audit so the inventory matches the room.

    * Misplaced devices in ``move_misplaced`` are moved here (None = every misplaced device registered on this
      campus; one from another campus moves only when named). Each move is kept as a DeviceMove.
    * Devices registered here and not found become *missing* (when ``mark_missing``; a device in repair or on
      loan is left as it is), with the audit named as the reason.
    * A device listed as missing and found here is back in service. A retired device found here stays retired
      and is listed as flagged, for the technician to decide.
    * Found and moved devices get ``last_audited_at``/``last_audited_room_id``/``last_audited_by_id``.
    """
    staff_id = _staff(ctx)
    audit = _owned(ctx, audit_id)
    _require_state(audit, (AuditState.FINISHED,), "apply")
    s = ctx.session
    room = _room(s, audit.room_id)
    campus = s.get(Campus, room.campus_id)
    assert campus is not None
    results = list(s.scalars(select(AuditResult).where(AuditResult.session_id == audit.id)))
    misplaced = {r.device_id: r for r in results if r.outcome is AuditOutcome.MISPLACED and r.device_id}
    devices_by_id = {d.id: d for d in s.scalars(select(Device).where(
        Device.id.in_([r.device_id for r in results if r.device_id])))} if results else {}
    if move_misplaced is None:
        chosen = {d for d in misplaced if devices_by_id.get(d) is not None
                  and devices_by_id[d].campus_id in (None, campus.id)
                  and devices_by_id[d].status is not DeviceStatus.RETIRED}
    else:
        chosen = set(move_misplaced)
    stray = chosen - set(misplaced)
    if stray:
        raise InvalidInput(f"{len(stray)} of the devices to move were not found misplaced in this audit")
    now = ctx.clock.now()
    why = f"room audit of {room.name}"
    moved: list[str] = []
    marked: list[str] = []
    not_marked: list[str] = []
    back: list[str] = []
    flagged: list[str] = []
    missing_items: list[ReconciliationItem] = []
    stamped = 0
    for result in sorted(results, key=lambda r: r.tag):
        device = devices_by_id.get(result.device_id) if result.device_id else None
        if device is None or result.outcome is AuditOutcome.UNKNOWN:
            continue
        if result.outcome is AuditOutcome.MISSING:
            missing_items.append(ReconciliationItem(device.id, device.asset_tag,
                                                    _model(device.manufacturer, device.model), room.name,
                                                    room.name, campus.code, device.status.value))
            if not mark_missing or device.room_id != room.id:
                not_marked.append(device.asset_tag)  # moved elsewhere since the audit finished: leave it
            elif device.status in MARK_MISSING_FROM:
                devices.set_fields(ctx, device.asset_tag, {"status": DeviceStatus.MISSING.value},
                                   reason=f"not found in the {why}")
                marked.append(device.asset_tag)
            elif device.status is not DeviceStatus.MISSING:
                not_marked.append(device.asset_tag)
            continue
        if result.outcome is AuditOutcome.MISPLACED:
            if result.device_id not in chosen:
                continue
            if device.room_id != room.id:
                devices.set_fields(ctx, device.asset_tag, {"campus": campus.code, "room": room.name}, reason=why)
            result.moved_here = True
            result.updated_at = now
            moved.append(device.asset_tag)
        if device.status is DeviceStatus.MISSING:
            devices.set_fields(ctx, device.asset_tag, {"status": DeviceStatus.IN_SERVICE.value},
                               reason=f"found in the {why}")
            back.append(device.asset_tag)
        elif device.status is DeviceStatus.RETIRED:
            flagged.append(device.asset_tag)
        device.last_audited_at = now
        device.last_audited_room_id = room.id
        device.last_audited_by_id = staff_id
        device.updated_at = now
        stamped += 1
    audit.state = AuditState.APPLIED
    audit.applied_at = now
    audit.updated_at = now
    not_moved = sorted(r.tag for d, r in misplaced.items() if d not in chosen)
    audit_log.record(ctx, "audit.apply", "audit_session", audit.id, room=room.name, moved=sorted(moved),
                     not_moved=not_moved, audited=stamped, marked_missing=marked, not_marked=not_marked,
                     back_in_service=back, flagged=flagged)
    s.flush()
    return AppliedSummary(audit.id, room.name, sorted(moved), not_moved, stamped, now, marked, not_marked, back,
                          flagged, campus.code, missing_items)


# ---------------------------------------------------------------------------------------------
# Lists
# ---------------------------------------------------------------------------------------------


def _summaries(session: Session, *where: ColumnElement[bool]) -> list[AuditSummary]:
    rows = session.execute(
        select(AuditSession, Room.name, Campus.code, StaffUser.first_name)
        .join(Room, Room.id == AuditSession.room_id)
        .join(Campus, Campus.id == Room.campus_id)
        .join(StaffUser, StaffUser.id == AuditSession.technician_id)
        .where(*where)
        .order_by(AuditSession.started_at.desc(), AuditSession.id.desc())
    ).all()
    ids = [a.id for a, *_ in rows]
    if not ids:
        return []
    scanned: dict[uuid.UUID, int] = {sid: n for sid, n in session.execute(
        select(AuditScan.session_id, func.count(func.distinct(AuditScan.tag)))
        .where(AuditScan.session_id.in_(ids)).group_by(AuditScan.session_id)
    )}
    counts: dict[uuid.UUID, dict[str, int]] = {}
    for sid, outcome, n in session.execute(
        select(AuditResult.session_id, AuditResult.outcome, func.count())
        .where(AuditResult.session_id.in_(ids)).group_by(AuditResult.session_id, AuditResult.outcome)
    ):
        counts.setdefault(sid, {})[outcome.value] = n
    return [AuditSummary(a.id, a.room_id, room, code, a.technician_id, first, a.state.value, a.started_at,
                         a.finished_at, a.applied_at, scanned.get(a.id, 0), **counts.get(a.id, {}))
            for a, room, code, first in rows]


def audit_history(session: Session, room_id: uuid.UUID) -> list[AuditSummary]:
    """Every audit of a room, newest first, with who ran it (first name) and the count per outcome."""
    return _summaries(session, AuditSession.room_id == room_id)


def open_audits(session: Session, technician_id: uuid.UUID) -> list[AuditSummary]:
    """This technician's open and paused audits, newest first."""
    return _summaries(session, AuditSession.technician_id == technician_id, AuditSession.state.in_(UNFINISHED))


def rooms_not_audited(session: Session, days: int, campus_id: uuid.UUID | None = None,
                      now: datetime | None = None) -> list[RoomAuditAge]:
    """Rooms with no applied audit in the last ``days`` days (never-audited rooms first, then oldest).

    A room counts as audited in the window when its last applied audit is after ``now - days``, so
    ``days=0`` lists every room with its age.
    """
    if days < 0:
        raise InvalidInput("days cannot be negative")
    now = now or SYSTEM_CLOCK.now()
    last = (select(AuditSession.room_id, func.max(AuditSession.applied_at).label("at"))
            .where(AuditSession.state == AuditState.APPLIED).group_by(AuditSession.room_id).subquery())
    query = (select(Room.id, Room.name, Campus.id, Campus.name, last.c.at)
             .join(Campus, Campus.id == Room.campus_id)
             .outerjoin(last, last.c.room_id == Room.id))
    cutoff = now - timedelta(days=days)
    query = query.where((last.c.at.is_(None)) | (last.c.at <= cutoff))
    if campus_id is not None:
        query = query.where(Room.campus_id == campus_id)
    out: list[RoomAuditAge] = []
    for rid, room, cid, campus, at in session.execute(query):
        if at is not None and at.tzinfo is None:  # a subquery's MAX loses the column type on SQLite
            at = at.replace(tzinfo=now.tzinfo)
        out.append(RoomAuditAge(rid, room, cid, campus, at, None if at is None else (now - at).days))
    out.sort(key=lambda r: (r.last_audit is not None, r.last_audit or now, r.campus, r.room))
    return out
