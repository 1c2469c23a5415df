"""Device services: look up by tag, a device's full history, edit fields, register and retire."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from kiosk.domain import audit_log
from kiosk.domain.db import Ctx
from kiosk.domain.errors import InvalidInput, NotFound
from kiosk.domain.models import (
    AuditResult,
    AuditSession,
    Campus,
    Device,
    DeviceCategory,
    DeviceMove,
    DeviceStatus,
    RepairLog,
    Reporter,
    Room,
    ServiceCategory,
    StaffUser,
    Ticket,
    TicketEvent,
)
from kiosk.domain.validation import clean_text, normalize_tag, parse_reporter


def find_by_tag(session: Session, tag: str) -> Device | None:
    return session.scalars(select(Device).where(Device.asset_tag == normalize_tag(tag))).one_or_none()


def get_by_tag(session: Session, tag: str) -> Device:
    device = find_by_tag(session, tag)
    if device is None:
        raise NotFound(f"no device has asset tag {normalize_tag(tag)}")
    return device


@dataclass(frozen=True)
class HistoryItem:
    at: datetime
    kind: str  # ticket, event, repair, move, audit
    summary: str
    ticket_number: str | None = None
    minutes: int | None = None
    public: bool = True


@dataclass
class DeviceHistory:
    device: Device
    campus_name: str | None
    room_name: str | None
    tickets: list[Ticket]
    items: list[HistoryItem] = field(default_factory=list)
    total_minutes: int = 0
    parts: list[str] = field(default_factory=list)
    repairs: int = 0
    parts_cost_cents: int = 0  # the parts of every repair logged on the device

    def as_dict(self) -> dict[str, Any]:
        d = self.device
        return {
            "asset_tag": d.asset_tag,
            "serial": d.serial,
            "manufacturer": d.manufacturer,
            "model": d.model,
            "category": d.category.value,
            "status": d.status.value,
            "campus": self.campus_name,
            "room": self.room_name,
            "purchase_date": d.purchase_date.isoformat() if d.purchase_date else None,
            "purchase_cost": None if d.purchase_cost_cents is None else d.purchase_cost_cents / 100,
            "funding_source": d.funding_source,
            "warranty_end": d.warranty_end.isoformat() if d.warranty_end else None,
            "last_audited_at": d.last_audited_at.isoformat() if d.last_audited_at else None,
            "notes": d.notes,
            "tickets": [
                {
                    "number": t.number,
                    "status": t.status.value,
                    "priority": t.priority.value,
                    "category": t.category.code,
                    "opened_at": t.opened_at.isoformat(),
                    "description": t.description,
                }
                for t in self.tickets
            ],
            "history": [
                {
                    "at": i.at.isoformat(),
                    "kind": i.kind,
                    "summary": i.summary,
                    "ticket": i.ticket_number,
                    "minutes": i.minutes,
                    "public": i.public,
                }
                for i in self.items
            ],
            "repairs": self.repairs,
            "total_minutes": self.total_minutes,
            "parts": self.parts,
            "parts_cost": self.parts_cost_cents / 100,
        }


def history(session: Session, tag: str) -> DeviceHistory:
    """The device and one timeline of its tickets, ticket events, repairs, moves and audits.

    A bare read for other services and tests: it checks no one. Screens and the CLI read a device through
    ``device_work.device_record`` / ``device_file``, which check the actor (the timeline has internal notes)."""
    device = get_by_tag(session, tag)
    names = session.execute(
        select(Campus.name, Room.name)
        .select_from(Device)
        .outerjoin(Campus, Campus.id == Device.campus_id)
        .outerjoin(Room, Room.id == Device.room_id)
        .where(Device.id == device.id)
    ).one()
    tickets = list(
        session.scalars(
            select(Ticket).where(Ticket.device_id == device.id).order_by(Ticket.opened_at.desc())
            .options(joinedload(Ticket.category))
        )
    )
    numbers = {t.id: t.number for t in tickets}
    categories: dict[uuid.UUID, str] = (
        {cid: name for cid, name in session.execute(select(ServiceCategory.id, ServiceCategory.name))}
        if tickets else {}
    )
    result = DeviceHistory(device=device, campus_name=names[0], room_name=names[1], tickets=tickets)
    items = result.items
    for t in tickets:
        items.append(HistoryItem(t.opened_at, "ticket", f"Ticket opened: {categories.get(t.category_id, '')}",
                                 t.number))
    if tickets:
        for ev in session.scalars(
            select(TicketEvent).where(TicketEvent.ticket_id.in_(numbers.keys())).order_by(TicketEvent.at)
        ):
            if ev.kind.value == "created":
                continue
            change = f"{ev.old_value or '-'} -> {ev.new_value}" if ev.new_value else ""
            summary = f"{ev.kind.value}: {change or ''}{' ' if change and ev.body else ''}{ev.body or ''}"
            items.append(HistoryItem(ev.at, "event", summary.strip(), numbers[ev.ticket_id], public=ev.public))
    for r in session.scalars(
        select(RepairLog).where(RepairLog.device_id == device.id).order_by(RepairLog.performed_at)
    ):
        result.repairs += 1
        result.total_minutes += r.minutes
        result.parts_cost_cents += r.parts_cost_cents or 0
        if r.parts:
            result.parts.append(r.parts)
        cost = f", ${r.parts_cost_cents / 100:,.2f}" if r.parts_cost_cents else ""
        items.append(HistoryItem(r.performed_at, "repair",
                                 r.action + (f" (parts: {r.parts}{cost})" if r.parts else
                                             f" (parts {cost[2:]})" if cost else ""),
                                 numbers.get(r.ticket_id) if r.ticket_id else None, minutes=r.minutes))
    for m in session.scalars(select(DeviceMove).where(DeviceMove.device_id == device.id)):
        why = f" ({m.reason})" if m.reason else ""
        items.append(HistoryItem(m.at, "move", f"{m.field}: {m.old_value or '-'} -> {m.new_value or '-'}{why}"))
    for outcome, at, room in session.execute(
        select(AuditResult.outcome, AuditSession.finished_at, Room.name)
        .join(AuditSession, AuditSession.id == AuditResult.session_id)
        .join(Room, Room.id == AuditSession.room_id)
        .where(AuditResult.device_id == device.id)
    ):
        if at is not None:
            items.append(HistoryItem(at, "audit", f"audit in {room}: {outcome.value}"))
    items.sort(key=lambda i: i.at)
    return result


# ---------------------------------------------------------------------------------------------
# Editing
# ---------------------------------------------------------------------------------------------

EDITABLE_FIELDS = (
    "serial", "manufacturer", "model", "category", "campus", "room", "status", "assignee",
    "purchase_date", "purchase_cost", "funding_source", "warranty_end", "notes",
)
TRACKED_FIELDS = {"campus", "room", "status"}


def _parse_date(value: str, name: str) -> date | None:
    if value == "":
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{name} must be a date like 2024-08-15, not {value!r}") from None


def _parse_cost(value: str) -> int | None:
    if value == "":
        return None
    try:
        amount = float(value.replace("$", "").replace(",", ""))
    except ValueError:
        raise InvalidInput(f"purchase_cost must be an amount like 329.99, not {value!r}") from None
    if amount < 0 or amount > 10_000_000:
        raise InvalidInput("purchase_cost must be between 0 and 10,000,000")
    return round(amount * 100)


def _enum_value(enum_cls: type[DeviceStatus] | type[DeviceCategory], value: str, name: str) -> Any:
    key = value.strip().lower().replace(" ", "_").replace("-", "_")
    try:
        return enum_cls(key)
    except ValueError:
        allowed = ", ".join(m.value for m in enum_cls)
        raise InvalidInput(f"{name} must be one of: {allowed}") from None


def find_campus(session: Session, ref: str) -> Campus:
    """A campus by code (case-insensitive) or exact name."""
    campus = session.scalars(
        select(Campus).where((func.upper(Campus.code) == ref.strip().upper()) | (Campus.name == ref.strip()))
    ).first()
    if campus is None:
        raise NotFound(f"no campus {ref!r}")
    return campus


def find_room(session: Session, campus_id: uuid.UUID, name: str) -> Room:
    room = session.scalars(
        select(Room).where(Room.campus_id == campus_id, func.upper(Room.name) == name.strip().upper())
    ).first()
    if room is None:
        raise NotFound(f"no room {name!r} on that campus")
    return room


def _describe(session: Session, fname: str, device: Device) -> str | None:
    if fname == "campus":
        return session.get(Campus, device.campus_id).code if device.campus_id else None  # type: ignore[union-attr]
    if fname == "room":
        return session.get(Room, device.room_id).name if device.room_id else None  # type: ignore[union-attr]
    return device.status.value


def set_fields(ctx: Ctx, tag: str, changes: dict[str, str], reason: str | None = None) -> Device:
    """Change device fields (values as typed); location and status changes are kept as moves."""
    s = ctx.session
    device = get_by_tag(s, tag)
    unknown = [k for k in changes if k not in EDITABLE_FIELDS]
    if unknown:
        raise InvalidInput(f"cannot set {', '.join(unknown)}; editable fields: {', '.join(EDITABLE_FIELDS)}")
    before = {f: _describe(s, f, device) for f in TRACKED_FIELDS}
    for name, raw in changes.items():
        value = raw.strip()
        if name in ("serial", "manufacturer", "model", "funding_source"):
            setattr(device, name, clean_text(value, field=name, max_len=96, multiline=False) or None)
        elif name == "notes":
            device.notes = clean_text(value, field="notes", max_len=4000) or None
        elif name == "category":
            device.category = _enum_value(DeviceCategory, value, "category")
        elif name == "status":
            device.status = _enum_value(DeviceStatus, value, "status")
        elif name == "campus":
            campus = find_campus(s, value)
            if campus.id != device.campus_id:
                device.campus_id = campus.id
                if "room" not in changes:
                    device.room_id = None
        elif name == "room":
            if value == "":
                device.room_id = None
            else:
                campus_id = device.campus_id
                if campus_id is None:
                    raise InvalidInput("set the campus before the room")
                device.room_id = find_room(s, campus_id, value).id
        elif name == "assignee":
            if value == "":
                device.assignee_id = None
            else:
                id_number, email = parse_reporter(value)
                rep = s.scalars(
                    select(Reporter).where(
                        Reporter.id_number == id_number if id_number else Reporter.email == email
                    )
                ).one_or_none()
                if rep is None:
                    raise NotFound(f"no reporter {value!r} is known")
                device.assignee_id = rep.id
        elif name in ("purchase_date", "warranty_end"):
            setattr(device, name, _parse_date(value, name))
        elif name == "purchase_cost":
            device.purchase_cost_cents = _parse_cost(value)
    now = ctx.clock.now()
    device.updated_at = now
    s.flush()
    for fname in sorted(TRACKED_FIELDS):
        after = _describe(s, fname, device)
        if after != before[fname]:
            s.add(DeviceMove(device_id=device.id, at=now, actor_id=ctx.actor.staff_id, field=fname,
                             old_value=before[fname], new_value=after, reason=reason))
    audit_log.record(ctx, "device.update", "device", device.id, tag=device.asset_tag, changes=changes)
    return device


def register(ctx: Ctx, tag: str, *, category: str, campus: str | None = None, room: str | None = None,
             **fields: str) -> Device:
    """Register a new device; the tag must be new."""
    s = ctx.session
    asset_tag = normalize_tag(tag)
    if find_by_tag(s, asset_tag) is not None:
        raise InvalidInput(f"asset tag {asset_tag} is already registered")
    now = ctx.clock.now()
    device = Device(asset_tag=asset_tag, category=_enum_value(DeviceCategory, category, "category"),
                    created_at=now, updated_at=now)
    s.add(device)
    s.flush()
    changes = dict(fields)
    if campus:
        changes["campus"] = campus
    if room:
        changes["room"] = room
    if changes:
        set_fields(ctx, asset_tag, changes, reason="registered")
    audit_log.record(ctx, "device.register", "device", device.id, tag=asset_tag)
    return device


def retire(ctx: Ctx, tag: str, reason: str) -> Device:
    return set_fields(ctx, tag, {"status": DeviceStatus.RETIRED.value}, reason=reason or "retired")


def staff_name(session: Session, staff_id: uuid.UUID | None) -> str | None:
    if staff_id is None:
        return None
    user = session.get(StaffUser, staff_id)
    return None if user is None else f"{user.first_name} {user.last_name}"
