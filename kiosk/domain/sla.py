"""The SLA clocks applied to stored tickets: load the district calendar and targets, refresh due times."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.domain.business_hours import BusinessCalendar
from kiosk.domain.db import Ctx
from kiosk.domain.district import local_zone
from kiosk.domain.models import (
    Holiday,
    SlaTarget,
    Ticket,
    TicketEvent,
    TicketEventKind,
    TicketStatus,
    WorkingHours,
)
from kiosk.domain.sla_clock import (
    HoldInterval,
    PrioritySegment,
    SlaTargets,
    TicketSla,
    compute_ticket_sla,
)

_CACHE_KEY = "kiosk.sla.calendar"


def load_calendar(session: Session) -> tuple[BusinessCalendar, SlaTargets]:
    """The district's business calendar and SLA targets (cached for the life of the session)."""
    cached: tuple[BusinessCalendar, SlaTargets] | None = session.info.get(_CACHE_KEY)
    if cached is not None:
        return cached
    tz = local_zone(session).key
    rows = list(session.scalars(select(WorkingHours)))
    holidays = list(session.scalars(select(Holiday)))
    single = frozenset(h.start_date for h in holidays if h.start_date == h.end_date)
    ranges = tuple((h.start_date, h.end_date) for h in holidays if h.end_date > h.start_date)
    if rows:
        cal = BusinessCalendar(tz=tz, hours={r.weekday: (r.opens, r.closes) for r in rows},
                               holidays=single, closed_ranges=ranges)
    else:
        cal = BusinessCalendar.default(tz, holidays=single, closed_ranges=ranges)
    targets: SlaTargets = {
        t.priority.value: (timedelta(minutes=t.first_response_minutes), timedelta(minutes=t.resolution_minutes))
        for t in session.scalars(select(SlaTarget))
    }
    session.info[_CACHE_KEY] = (cal, targets)
    return cal, targets


def ticket_history(events: list[TicketEvent], ticket: Ticket) -> tuple[list[PrioritySegment], list[HoldInterval]]:
    """Priority segments and hold intervals from a ticket's append-only events."""
    segments = [PrioritySegment(ticket.reporter_priority.value, ticket.opened_at)]
    holds: list[HoldInterval] = []
    hold_start = None
    for ev in sorted(events, key=lambda e: (e.at, e.id)):  # same instant: in the order recorded (UUIDv7)
        if ev.kind is TicketEventKind.PRIORITY and ev.new_value:
            segments.append(PrioritySegment(ev.new_value, ev.at))
        elif ev.kind is TicketEventKind.STATUS:
            if ev.new_value == TicketStatus.ON_HOLD.value and hold_start is None:
                hold_start = ev.at
            elif ev.new_value != TicketStatus.ON_HOLD.value and hold_start is not None:
                holds.append(HoldInterval(hold_start, ev.at))
                hold_start = None
    if hold_start is not None:
        holds.append(HoldInterval(hold_start, None))
    return segments, holds


def ticket_sla(ctx: Ctx, ticket: Ticket) -> TicketSla | None:
    cal, targets = load_calendar(ctx.session)
    if ticket.priority.value not in targets:
        return None
    ctx.session.flush()
    events = list(ctx.session.scalars(select(TicketEvent).where(TicketEvent.ticket_id == ticket.id)))
    segments, holds = ticket_history(events, ticket)
    created = ticket.opened_at

    def not_before_created(at: datetime | None) -> datetime | None:
        # Times a kiosk sent (a clock behind the service's, a hostile push) may precede the ticket's own opening;
        # no clock runs before a ticket exists, so they count from it rather than fail the computation.
        return None if at is None else max(at, created)

    return compute_ticket_sla(cal, targets, created_at=created, priorities=segments, holds=holds,
                              first_response_at=not_before_created(ticket.first_response_at),
                              resolved_at=not_before_created(ticket.resolved_at),
                              now=max(ctx.clock.now(), created))


def refresh_due(ctx: Ctx, ticket: Ticket) -> None:
    """Recompute the ticket's response and resolution deadlines (stored so queues sort in SQL)."""
    state = ticket_sla(ctx, ticket)
    if state is None:
        ticket.response_due_at = ticket.resolution_due_at = None
        return
    ticket.response_due_at = state.response.due_at
    ticket.resolution_due_at = state.resolution.due_at
