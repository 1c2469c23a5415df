"""The technicians' work queue: one row per ticket with what the queue screen shows, in one query."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from kiosk.domain.models import (
    OPEN_STATUSES,
    Campus,
    Device,
    Room,
    ServiceCategory,
    StaffUser,
    Ticket,
    TicketStatus,
)


@dataclass(frozen=True)
class QueueRow:
    ticket_id: uuid.UUID
    number: str
    priority: str
    reporter_priority: str
    overridden: bool
    status: str
    opened_at: datetime
    response_due_at: datetime | None
    resolution_due_at: datetime | None
    first_response_at: datetime | None
    campus: str
    room: str | None
    category: str
    device_tag: str | None
    device_model: str | None
    assignee: str | None
    assignee_id: uuid.UUID | None
    escalation: str | None = None  # "warn" or "breached" once the SLA escalation has flagged it
    description: str = ""
    resolved_at: datetime | None = None
    paused_left_seconds: float | None = None  # on hold: business time left on the paused resolution clock
    closes_on: date | None = None  # resolved: the last day it waits before closing by itself


def queue_rows(session: Session, campus_id: uuid.UUID | None, *, include_closed: bool = False,
               statuses: tuple[TicketStatus, ...] | None = None, assignee_id: uuid.UUID | None = None,
               limit: int = 50_000) -> list[QueueRow]:
    """This campus's tickets (all campuses when ``campus_id`` is None), open ones unless ``include_closed``
    or ``statuses`` says otherwise; only one technician's when ``assignee_id`` is given.

    A bare read for trusted callers: screens go through ``ticket_work.work_queue``, which checks the actor."""
    assignee = aliased(StaffUser)
    q = (
        select(Ticket.id, Ticket.number, Ticket.priority, Ticket.reporter_priority, Ticket.override_priority,
               Ticket.status, Ticket.opened_at, Ticket.response_due_at, Ticket.resolution_due_at,
               Ticket.first_response_at, Campus.code, Room.name, ServiceCategory.name, Device.asset_tag,
               Device.model, assignee.first_name, Ticket.assignee_id, Ticket.description, Ticket.resolved_at)
        .join(Campus, Campus.id == Ticket.campus_id)
        .join(ServiceCategory, ServiceCategory.id == Ticket.category_id)
        .outerjoin(Room, Room.id == Ticket.room_id)
        .outerjoin(Device, Device.id == Ticket.device_id)
        .outerjoin(assignee, assignee.id == Ticket.assignee_id)
    )
    if campus_id is not None:
        q = q.where(Ticket.campus_id == campus_id)
    if statuses is not None:
        q = q.where(Ticket.status.in_(statuses))
    elif not include_closed:
        q = q.where(Ticket.status.in_(OPEN_STATUSES))
    if assignee_id is not None:
        q = q.where(Ticket.assignee_id == assignee_id)
    q = q.order_by(Ticket.resolution_due_at.asc().nulls_last()).limit(limit)
    return [
        QueueRow(r[0], r[1], r[2].value, r[3].value, r[4] is not None, r[5].value, r[6], r[7], r[8], r[9],
                 r[10], r[11], r[12], r[13], r[14], r[15], r[16], description=r[17], resolved_at=r[18])
        for r in session.execute(q)
    ]


def allowed_statuses(status: str) -> list[str]:
    from kiosk.domain.tickets import ALLOWED

    return sorted(s.value for s in ALLOWED[TicketStatus(status)])
