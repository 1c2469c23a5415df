"""What the public walk-up screens read: a device card, the catalog, rooms, a ticket's public status.

Nothing here returns reporter identities, descriptions typed by other people, or internal notes.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.domain import rotation
from kiosk.domain.db import Ctx
from kiosk.domain.devices import find_by_tag
from kiosk.domain.district import local_zone
from kiosk.domain.errors import InvalidInput
from kiosk.domain.models import (
    OPEN_STATUSES,
    Campus,
    CategoryScope,
    Room,
    ServiceCategory,
    Ticket,
    TicketEvent,
    UnknownTagScan,
)
from kiosk.domain.tickets import get_ticket, normalize_number
from kiosk.domain.validation import normalize_tag

TICKET_QR_PREFIX = "TICKET:"


@dataclass(frozen=True)
class CategoryChoice:
    id: uuid.UUID
    code: str
    name: str
    icon: str
    default_priority: str
    covered: bool
    name_es: str | None = None  # the district's Spanish name, when its district file gives one


@dataclass(frozen=True)
class PublicTicket:
    """A ticket as anyone at the kiosk may see it: no reporter, no description, no internal notes."""

    number: str
    category_id: uuid.UUID
    category: str
    status: str
    opened_at: datetime
    place: str
    last_update: str | None = None
    last_update_at: datetime | None = None
    category_es: str | None = None  # the district's Spanish name of the category, if it gives one


@dataclass(frozen=True)
class DeviceCard:
    device_id: uuid.UUID
    tag: str
    model: str
    category: str
    campus: str | None
    room: str | None
    room_id: uuid.UUID | None
    status: str
    open_tickets: list[PublicTicket] = field(default_factory=list)


def categories(session: Session, scope: CategoryScope | None = None) -> list[CategoryChoice]:
    """Active catalog entries for a device problem (scope device) or a room problem (scope room)."""
    q = select(ServiceCategory).where(ServiceCategory.active).order_by(ServiceCategory.sort_order)
    if scope is not None:
        q = q.where(ServiceCategory.scope.in_([scope, CategoryScope.ANY]))
    return [CategoryChoice(c.id, c.code, c.name, c.icon, c.default_priority.value, c.covered, c.name_es)
            for c in session.scalars(q)]


def _public(session: Session, t: Ticket) -> PublicTicket:
    last = session.scalars(
        select(TicketEvent).where(TicketEvent.ticket_id == t.id, TicketEvent.public)
        .order_by(TicketEvent.at.desc()).limit(1)
    ).first()
    room = session.get(Room, t.room_id) if t.room_id else None
    campus = session.get(Campus, t.campus_id)
    place = " / ".join(x for x in (campus.name if campus else None, room.name if room else None) if x)
    text = None
    if last is not None:
        text = {"created": "Ticket received", "status": f"Status: {(last.new_value or '').replace('_', ' ')}"}.get(
            last.kind.value, "Update")
        if last.kind.value == "note" and last.body:
            text = last.body
        elif last.body and last.kind.value == "status":
            text = f"{text}. {last.body}"
    category = session.get(ServiceCategory, t.category_id)  # by its id: relationships are lazy="raise"
    return PublicTicket(t.number, t.category_id, category.name if category else "", t.status.value, t.opened_at,
                        place, text, last.at if last else None, category.name_es if category else None)


def device_card(session: Session, tag: str) -> DeviceCard | None:
    device = find_by_tag(session, tag)
    if device is None:
        return None
    room = session.get(Room, device.room_id) if device.room_id else None
    campus = session.get(Campus, device.campus_id) if device.campus_id else None
    open_tickets = session.scalars(
        select(Ticket).where(Ticket.device_id == device.id, Ticket.status.in_(OPEN_STATUSES))
        .order_by(Ticket.opened_at)
    ).all()
    model = " ".join(x for x in (device.manufacturer, device.model) if x) or device.category.value
    return DeviceCard(device.id, device.asset_tag, model, device.category.value.replace("_", " "),
                      campus.name if campus else None, room.name if room else None, device.room_id,
                      device.status.value, [_public(session, t) for t in open_tickets])


def room_open_tickets(session: Session, room_id: uuid.UUID) -> list[PublicTicket]:
    """The room's own open tickets (not its devices'): a second report of the same problem adds to one."""
    rows = session.scalars(
        select(Ticket).where(Ticket.room_id == room_id, Ticket.device_id.is_(None), Ticket.status.in_(OPEN_STATUSES))
        .order_by(Ticket.opened_at)
    ).all()
    return [_public(session, t) for t in rows]


# what the device card tells the person holding a device whose status is not a plain "in service"
STATUS_PROMPTS = {
    "missing": "This device is listed as missing. Please take it to the tech room (or a teacher) so it can be "
               "checked back in. You can still report a problem with it.",
    "retired": "This device is retired and should not be in use. Please take it to the tech room.",
    "loaner": "This is a loaner device. Report a problem with it here; give it back at the tech room when your own "
              "device is ready.",
    "in_repair": "This device is checked in for repair. If you have it with you, please take it back to the tech "
                 "room.",
}


def status_prompt(status: str) -> str | None:
    """The card's message for a device in this status (None for one in service or a spare)."""
    return STATUS_PROMPTS.get(status)


def record_unknown_tag(ctx: Ctx, tag: str, campus_id: uuid.UUID | None) -> UnknownTagScan:
    """Keep a scan that matched no device so technicians can register it."""
    now = ctx.clock.now()
    scan = UnknownTagScan(tag=normalize_tag(tag), campus_id=campus_id, kiosk_id=ctx.actor.kiosk_id, scanned_at=now,
                          created_at=now, updated_at=now)
    ctx.session.add(scan)
    return scan


def scan_lookup(ctx: Ctx, tag: str, campus_id: uuid.UUID | None) -> DeviceCard | None:
    """A tag scanned (or typed) at the walk-up kiosk: the device's public card, or None after keeping the tag
    on the technicians' unknown-tag list (one unit: the lookup and the record of a miss)."""
    card = device_card(ctx.session, tag)
    if card is None:
        record_unknown_tag(ctx, tag, campus_id)
    return card


def rooms(session: Session, campus_id: uuid.UUID) -> list[tuple[uuid.UUID, str]]:
    return [(r.id, r.name) for r in session.scalars(select(Room).where(Room.campus_id == campus_id, Room.active)
                                                   .order_by(Room.name))]


def campuses(session: Session) -> list[tuple[uuid.UUID, str, str]]:
    return [(c.id, c.code, c.name) for c in session.scalars(select(Campus).where(Campus.active).order_by(Campus.name))]


def ticket_number_from_scan(text: str) -> str:
    """A receipt QR carries ``TICKET:<number>``; a typed number is taken as it is."""
    raw = text.strip()
    if raw.upper().startswith(TICKET_QR_PREFIX):
        raw = raw[len(TICKET_QR_PREFIX):]
    return normalize_number(raw)


@dataclass(frozen=True)
class TicketStatusView:
    ticket: PublicTicket
    response_due_at: datetime | None
    resolution_due_at: datetime | None
    next_visit: rotation.Visit | None


def public_status(session: Session, number: str, now: datetime) -> TicketStatusView:
    """What 'Check a ticket' shows: status, last public update, and the campus's next visit."""
    try:
        ticket = get_ticket(session, ticket_number_from_scan(number))
    except InvalidInput:
        raise
    nxt = next_visit(session, ticket.campus_id, now)
    return TicketStatusView(_public(session, ticket), ticket.response_due_at, ticket.resolution_due_at, nxt)


UPCOMING_DAYS = 21  # the rotation panel and the receipt look this far ahead, so they never contradict each other


def next_visit(session: Session, campus_id: uuid.UUID, now: datetime,
               days: int = UPCOMING_DAYS) -> rotation.Visit | None:
    tz = local_zone(session)
    today: date = now.astimezone(tz).date()
    upcoming = rotation.campus_schedule(session, campus_id, today, days).upcoming(now, 1)
    return upcoming[0] if upcoming else None


def week_schedule(session: Session, campus_id: uuid.UUID, now: datetime) -> rotation.Schedule:
    """This week from Monday, and the next three weeks from today, for the rotation panel (the receipt's
    ``next_visit`` looks exactly as far)."""
    tz = local_zone(session)
    today = now.astimezone(tz).date()
    monday = today - timedelta(days=today.weekday())
    return rotation.campus_schedule(session, campus_id, monday, (today - monday).days + UPCOMING_DAYS)
