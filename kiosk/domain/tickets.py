"""Ticket services: file a ticket, add a report, notes, status, priority and assignment changes, queries."""

from __future__ import annotations

import random
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, joinedload

from kiosk.domain import audit_log, mail, sla
from kiosk.domain import language as i18n
from kiosk.domain.db import Ctx
from kiosk.domain.devices import find_by_tag, find_campus
from kiosk.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from kiosk.domain.models import (
    OPEN_STATUSES,
    Campus,
    Channel,
    Device,
    Priority,
    Reporter,
    ReporterKind,
    Room,
    ServiceCategory,
    StaffUser,
    Ticket,
    TicketEvent,
    TicketEventKind,
    TicketStatus,
)
from kiosk.domain.validation import (
    DESCRIPTION_MAX,
    clean_text,
    default_reporter_kind,
    normalize_tag,
    parse_reporter,
)

_NUMBER_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # no 0/O, 1/I/L, U: easy to read back and type


def new_ticket_number(campus_code: str, rng: random.Random | None = None) -> str:
    """A ticket number unique without a server: campus code plus 6 random characters (~29 bits)."""
    pick = rng.choice if rng is not None else secrets.choice
    return f"{campus_code}-" + "".join(pick(_NUMBER_ALPHABET) for _ in range(6))


def normalize_number(raw: str) -> str:
    text = (raw or "").strip().upper().replace(" ", "")
    if not 3 <= len(text) <= 24 or not all(c.isalnum() or c == "-" for c in text):
        raise InvalidInput("that is not a ticket number (it looks like ABC-7KQ2MX)")
    return text


def parse_priority(value: str | Priority | None) -> Priority | None:
    if value is None or value == "":
        return None
    if isinstance(value, Priority):
        return value
    key = value.strip().upper()
    by_label = {p.label.upper(): p for p in Priority}
    if key in by_label:
        return by_label[key]
    try:
        return Priority(key if key.startswith("P") else f"P{key}")
    except ValueError:
        raise InvalidInput("priority must be P1 (critical), P2 (high), P3 (normal) or P4 (low)") from None


def find_category(session: Session, code: str) -> ServiceCategory:
    cat = session.scalars(
        select(ServiceCategory).where(
            (func.lower(ServiceCategory.code) == code.strip().lower()) | (ServiceCategory.name == code.strip())
        )
    ).first()
    if cat is None or not cat.active:
        codes = ", ".join(session.scalars(select(ServiceCategory.code).where(ServiceCategory.active)
                                          .order_by(ServiceCategory.sort_order)))
        raise NotFound(f"unknown category {code!r}; choose one of: {codes}")
    return cat


def get_or_create_reporter(ctx: Ctx, raw: str, kind: ReporterKind | None = None) -> Reporter:
    id_number, email = parse_reporter(raw)
    s = ctx.session
    rep = s.scalars(
        select(Reporter).where(Reporter.id_number == id_number if id_number else Reporter.email == email)
    ).one_or_none()
    if rep is None:
        now = ctx.clock.now()
        rep = Reporter(kind=kind or default_reporter_kind(id_number, email), id_number=id_number, email=email,
                       created_at=now, updated_at=now)
        s.add(rep)
        s.flush()
    return rep


def _event(ctx: Ctx, ticket: Ticket, kind: TicketEventKind, *, body: str | None = None, public: bool = False,
           old: str | None = None, new: str | None = None, reporter_id: uuid.UUID | None = None) -> TicketEvent:
    now = ctx.clock.now()
    ev = TicketEvent(ticket_id=ticket.id, at=now, kind=kind, body=body, public=public, old_value=old,
                     new_value=new, actor_id=ctx.actor.staff_id, reporter_id=reporter_id,
                     created_at=now, updated_at=now)
    ctx.session.add(ev)
    ticket.updated_at = now
    return ev


def create_ticket(
    ctx: Ctx,
    *,
    category: str,
    description: str,
    reporter: str | None,
    tag: str | None = None,
    room_id: uuid.UUID | None = None,
    campus: str | uuid.UUID | None = None,
    priority: str | Priority | None = None,
    channel: Channel = Channel.KIOSK,
    reporter_kind: ReporterKind | None = None,
    photo: str | None = None,
    language: str | None = None,
) -> Ticket:
    """File a ticket against a device (by tag), a room, or a whole campus.

    ``language`` is the reporter's ("en", "es"): the emails and the survey about this ticket use it.
    """
    s = ctx.session
    lang = i18n.check_language(language) if language else i18n.district_language(s)
    cat = find_category(s, category)
    text = clean_text(description, field="description", max_len=DESCRIPTION_MAX, min_len=3)
    prio = parse_priority(priority) or cat.default_priority
    device: Device | None = None
    room: Room | None = None
    campus_obj: Campus | None = None
    if tag:
        device = find_by_tag(s, tag)
        if device is None:
            raise NotFound(f"no device has asset tag {normalize_tag(tag)}")
        if device.campus_id is not None:
            campus_obj = s.get(Campus, device.campus_id)
        if device.room_id is not None:
            room = s.get(Room, device.room_id)
    if room_id is not None and device is None:
        room = s.get(Room, room_id)
        if room is None:
            raise NotFound("no such room")
        campus_obj = s.get(Campus, room.campus_id)
    if campus_obj is None and campus is not None:
        campus_obj = s.get(Campus, campus) if isinstance(campus, uuid.UUID) else find_campus(s, campus)
    if campus_obj is None:
        raise InvalidInput("a ticket needs a device, a room or a campus")
    rep = get_or_create_reporter(ctx, reporter, reporter_kind) if reporter else None
    now = ctx.clock.now()
    ticket = Ticket(
        number=new_ticket_number(campus_obj.code), campus_id=campus_obj.id,
        device_id=device.id if device else None, room_id=room.id if room else None,
        reporter_id=rep.id if rep else None, category_id=cat.id, description=text,
        reporter_priority=prio, priority=prio, status=TicketStatus.NEW, channel=channel,
        kiosk_id=ctx.actor.kiosk_id, opened_at=now, created_at=now, updated_at=now, photo=photo,
        language=lang,
    )
    s.add(ticket)
    s.flush()
    _event(ctx, ticket, TicketEventKind.CREATED, body=None, public=True, new=TicketStatus.NEW.value,
           reporter_id=rep.id if rep else None)
    sla.refresh_due(ctx, ticket)
    mail.ticket_received(ctx, ticket)  # queued in this transaction; sent later by the mail sender
    return ticket


def open_ticket_in_category(session: Session, device_id: uuid.UUID, category_id: uuid.UUID) -> Ticket | None:
    """The device's open ticket in this category, if any (the kiosk offers to add to it)."""
    return session.scalars(
        select(Ticket)
        .where(Ticket.device_id == device_id, Ticket.category_id == category_id,
               Ticket.status.in_(OPEN_STATUSES))
        .order_by(Ticket.opened_at)
    ).first()


def add_report(ctx: Ctx, number: str, reporter: str | None, description: str, *,
               reporter_kind: ReporterKind | None = None) -> TicketEvent:
    """Another person reports the same problem: a public event on the existing ticket, no duplicate."""
    ticket = get_ticket(ctx.session, number)
    if not ticket.status.is_open:
        raise Conflict(f"ticket {ticket.number} is already {ticket.status.value}; file a new one")
    text = clean_text(description, field="description", max_len=DESCRIPTION_MAX)
    rep = get_or_create_reporter(ctx, reporter, reporter_kind) if reporter else None
    return _event(ctx, ticket, TicketEventKind.REPORT_ADDED, body=text or None, public=False,
                  reporter_id=rep.id if rep else None)


def get_ticket(session: Session, number: str, *, related: bool = False) -> Ticket:
    """The ticket by its number (NotFound otherwise); ``related`` also loads its device, room, campus, category,
    reporter and assignee (relationships are lazy="raise": nothing else may load them later)."""
    query = select(Ticket).where(Ticket.number == normalize_number(number))
    if related:
        query = query.options(*(joinedload(r) for r in (Ticket.device, Ticket.room, Ticket.campus, Ticket.category,
                                                        Ticket.reporter, Ticket.assignee)))
    ticket = session.scalars(query).unique().one_or_none()
    if ticket is None:
        raise NotFound(f"no ticket {normalize_number(number)}")
    return ticket


def _require_staff(ctx: Ctx) -> uuid.UUID:
    if ctx.actor.staff_id is None:
        raise PermissionDenied("only a signed-in technician can do that")
    return uuid.UUID(str(ctx.actor.staff_id))


def add_note(ctx: Ctx, number: str, body: str, *, public: bool) -> TicketEvent:
    _require_staff(ctx)
    ticket = get_ticket(ctx.session, number)
    text = clean_text(body, field="note", max_len=4000, min_len=1)
    ev = _event(ctx, ticket, TicketEventKind.NOTE, body=text, public=public)
    _mark_first_response(ctx, ticket, public)
    return ev


def _mark_first_response(ctx: Ctx, ticket: Ticket, public: bool) -> None:
    if ticket.first_response_at is None and public:
        ticket.first_response_at = ctx.clock.now()
        sla.refresh_due(ctx, ticket)


ALLOWED = {
    TicketStatus.NEW: {TicketStatus.ASSIGNED, TicketStatus.IN_PROGRESS, TicketStatus.ON_HOLD, TicketStatus.RESOLVED,
                       TicketStatus.CLOSED},
    TicketStatus.ASSIGNED: {TicketStatus.IN_PROGRESS, TicketStatus.ON_HOLD, TicketStatus.RESOLVED, TicketStatus.NEW},
    TicketStatus.IN_PROGRESS: {TicketStatus.ON_HOLD, TicketStatus.RESOLVED, TicketStatus.ASSIGNED},
    TicketStatus.ON_HOLD: {TicketStatus.IN_PROGRESS, TicketStatus.ASSIGNED, TicketStatus.RESOLVED},
    TicketStatus.RESOLVED: {TicketStatus.CLOSED, TicketStatus.REOPENED},
    TicketStatus.CLOSED: {TicketStatus.REOPENED},
    TicketStatus.REOPENED: {TicketStatus.ASSIGNED, TicketStatus.IN_PROGRESS, TicketStatus.ON_HOLD,
                            TicketStatus.RESOLVED},
}


def may_move(old: TicketStatus, new: TicketStatus) -> bool:
    """The workflow: may a ticket go from ``old`` to ``new``? One rule for a change made here and for a pushed
    status event the central service re-checks (``kiosk.server.validate``)."""
    return new in ALLOWED[old]


def needs_staff(old: TicketStatus, new: TicketStatus, *, automatic: bool = False) -> bool:
    """Whether moving from ``old`` to ``new`` needs a signed-in technician: anyone may reopen (a "not solved"
    survey answer does), and the district's own rule closes resolved tickets by itself (``automatic``)."""
    return new is not TicketStatus.REOPENED and not (automatic and new is TicketStatus.CLOSED
                                                     and old is TicketStatus.RESOLVED)


def change_status(ctx: Ctx, number: str, status: TicketStatus | str, *, note: str | None = None,
                  resolution: str | None = None, automatic: bool = False) -> TicketEvent:
    """Move a ticket along its workflow; the change is an append-only event.

    ``automatic``: the district's own rule (auto-close of resolved tickets), so no technician is signed in.
    """
    ticket = get_ticket(ctx.session, number)
    try:
        new = TicketStatus(status)
    except ValueError:
        raise InvalidInput(f"unknown status {status!r}; one of: {', '.join(s.value for s in TicketStatus)}") from None
    if not may_move(ticket.status, new):
        raise Conflict(f"ticket {ticket.number} cannot go from {ticket.status.value} to {new.value}")
    if needs_staff(ticket.status, new, automatic=automatic):
        _require_staff(ctx)
    now = ctx.clock.now()
    old = ticket.status
    body = clean_text(note or "", field="note", max_len=4000) or None
    if new is TicketStatus.RESOLVED:
        ticket.resolution = clean_text(resolution or note or "", field="resolution", max_len=4000, min_len=3)
        ticket.resolved_at = now
    elif new is TicketStatus.CLOSED:
        ticket.closed_at = now
        ticket.resolved_at = ticket.resolved_at or now
    elif new is TicketStatus.REOPENED:
        ticket.resolved_at = None
        ticket.closed_at = None
    ticket.status = new
    ev = _event(ctx, ticket, TicketEventKind.STATUS, body=body, public=True, old=old.value, new=new.value)
    _mark_first_response(ctx, ticket, True)
    sla.refresh_due(ctx, ticket)
    if new is TicketStatus.CLOSED:
        from kiosk.domain import surveys  # imported here: surveys imports this module

        surveys.invite_on_close(ctx, ticket)  # a survey on every closed ticket
    return ev


def override_priority(ctx: Ctx, number: str, priority: str | Priority, reason: str) -> TicketEvent:
    """A technician overrides the reporter's priority; both are kept, the reason is required."""
    _require_staff(ctx)
    ticket = get_ticket(ctx.session, number)
    prio = parse_priority(priority)
    assert prio is not None
    why = clean_text(reason, field="reason", max_len=500, min_len=3)
    old = ticket.priority
    ticket.override_priority = prio
    ticket.override_reason = why
    ticket.priority = prio
    ev = _event(ctx, ticket, TicketEventKind.PRIORITY, body=why, old=old.value, new=prio.value)
    sla.refresh_due(ctx, ticket)
    audit_log.record(ctx, "ticket.priority_override", "ticket", ticket.id, number=ticket.number,
                     old=old.value, new=prio.value, reason=why)
    return ev


def assign(ctx: Ctx, number: str, staff_id: uuid.UUID | None) -> TicketEvent:
    _require_staff(ctx)
    s = ctx.session
    ticket = get_ticket(s, number)
    old_user = s.get(StaffUser, ticket.assignee_id) if ticket.assignee_id else None
    new_user = s.get(StaffUser, staff_id) if staff_id else None
    if staff_id is not None and new_user is None:
        raise NotFound("no such technician")
    ticket.assignee_id = staff_id
    if ticket.status in (TicketStatus.NEW, TicketStatus.REOPENED) and staff_id is not None:
        ticket.status = TicketStatus.ASSIGNED
    return _event(ctx, ticket, TicketEventKind.ASSIGNMENT, old=old_user.username if old_user else None,
                  new=new_user.username if new_user else None)


# ---------------------------------------------------------------------------------------------
# Queries
# ---------------------------------------------------------------------------------------------


def queue_query(campus_id: uuid.UUID | None = None, statuses: tuple[TicketStatus, ...] = OPEN_STATUSES) -> Select[Any]:
    """Open tickets (or the given statuses), soonest resolution deadline first."""
    q = select(Ticket).where(Ticket.status.in_(statuses))
    if campus_id is not None:
        q = q.where(Ticket.campus_id == campus_id)
    return q.order_by(Ticket.resolution_due_at.asc().nulls_last(), Ticket.opened_at)


def list_tickets(session: Session, *, campus: str | None = None, status: str | None = None,
                 limit: int = 200) -> list[Ticket]:
    campus_id = find_campus(session, campus).id if campus else None
    if status in (None, "", "open"):
        statuses = OPEN_STATUSES
    elif status == "all":
        statuses = tuple(TicketStatus)
    else:
        try:
            statuses = (TicketStatus(status),)
        except ValueError:
            raise InvalidInput(
                f"unknown status {status!r}; one of: open, all, {', '.join(s.value for s in TicketStatus)}"
            ) from None
    query = queue_query(campus_id, statuses).options(joinedload(Ticket.category), joinedload(Ticket.device))
    return list(session.scalars(query.limit(limit)))


@dataclass
class TicketView:
    ticket: Ticket
    events: list[TicketEvent]

    def as_dict(self, session: Session, now: datetime, *, public_only: bool = False) -> dict[str, Any]:
        t = self.ticket
        device = session.get(Device, t.device_id) if t.device_id else None
        room = session.get(Room, t.room_id) if t.room_id else None
        campus = session.get(Campus, t.campus_id)
        category = session.get(ServiceCategory, t.category_id)
        assignee = session.get(StaffUser, t.assignee_id) if t.assignee_id else None
        out: dict[str, Any] = {
            "number": t.number,
            "status": t.status.value,
            "category": category.code if category else None,
            "campus": campus.code if campus else None,
            "room": room.name if room else None,
            "device": device.asset_tag if device else None,
            "priority": t.priority.value,
            "opened_at": t.opened_at.isoformat(),
            "resolution_due_at": t.resolution_due_at.isoformat() if t.resolution_due_at else None,
        }
        if public_only:
            public = [e for e in self.events if e.public]
            out["last_update"] = (
                {"at": public[-1].at.isoformat(), "kind": public[-1].kind.value, "text": public[-1].body}
                if public else None
            )
            return out
        out.update({
            "description": t.description,
            "reporter_priority": t.reporter_priority.value,
            "override_priority": t.override_priority.value if t.override_priority else None,
            "override_reason": t.override_reason,
            "channel": t.channel.value,
            "assignee": assignee.username if assignee else None,
            "first_response_at": t.first_response_at.isoformat() if t.first_response_at else None,
            "response_due_at": t.response_due_at.isoformat() if t.response_due_at else None,
            "resolved_at": t.resolved_at.isoformat() if t.resolved_at else None,
            "closed_at": t.closed_at.isoformat() if t.closed_at else None,
            "resolution": t.resolution,
            "events": [
                {"at": e.at.isoformat(), "kind": e.kind.value, "public": e.public, "body": e.body,
                 "old": e.old_value, "new": e.new_value}
                for e in self.events
            ],
        })
        return out


def view(session: Session, number: str) -> TicketView:
    """A bare read for other services and tests: it checks no one. Screens and the CLI use
    ``ticket_work.ticket_card`` / ``ticket_record``, which check the actor (the events hold internal notes)."""
    ticket = get_ticket(session, number, related=True)
    events = list(session.scalars(
        select(TicketEvent).where(TicketEvent.ticket_id == ticket.id).order_by(TicketEvent.at, TicketEvent.id)
    ))
    return TicketView(ticket, events)
