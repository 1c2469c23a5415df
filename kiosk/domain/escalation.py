"""SLA escalation: warn the assignee at 75% of a target, escalate breaches to the campus lead and admins.

``run(ctx)`` looks at every open ticket once (the server runs it on a schedule, the kiosk after each sync or
on start): it computes both SLA clocks with :mod:`kiosk.domain.sla_clock` and, when a clock reaches a level
it has not reached before, appends an ``escalation`` event (``old_value`` = the clock, ``new_value`` = "warn"
or "breached") and queues the emails. Running it twice records nothing new: the events are the memory.
``queue_flags`` gives the technician queue the current flag of each open ticket.
"""

from __future__ import annotations

import threading
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import or_, select

from kiosk.domain import mail
from kiosk.domain.db import Ctx, Database
from kiosk.domain.models import (
    OPEN_STATUSES,
    StaffRole,
    StaffUser,
    Ticket,
    TicketEvent,
    TicketEventKind,
)
from kiosk.domain.sla import load_calendar, ticket_history
from kiosk.domain.sla_clock import DEFAULT_WARN_AT, Escalation, SlaState, compute_ticket_sla, escalation_level

_CHUNK = 500
_ORDER = {Escalation.OK: 0, Escalation.WARN: 1, Escalation.BREACHED: 2}


@dataclass(frozen=True)
class Raised:
    """One escalation recorded by this run."""

    ticket: str
    clock: str  # "response" or "resolution"
    level: Escalation
    notified: tuple[str, ...]


@dataclass
class RunResult:
    checked: int = 0
    raised: list[Raised] = field(default_factory=list)


def _chunks(items: list[uuid.UUID]) -> Iterable[list[uuid.UUID]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i:i + _CHUNK]


def _recipients(ctx: Ctx, ticket: Ticket, level: Escalation) -> list[StaffUser]:
    s = ctx.session
    people: list[StaffUser] = []
    if ticket.assignee_id is not None:
        tech = s.get(StaffUser, ticket.assignee_id)
        if tech is not None:
            people.append(tech)
    if level is Escalation.BREACHED:
        people += list(s.scalars(select(StaffUser).where(
            StaffUser.active.is_(True),
            or_(StaffUser.role == StaffRole.ADMIN, StaffUser.lead_of_campus_id == ticket.campus_id))
            .order_by(StaffUser.username)))
    seen: set[uuid.UUID] = set()
    out = []
    for p in people:
        if p.id not in seen and p.active:
            seen.add(p.id)
            out.append(p)
    return out


def _message(ticket: Ticket, state: SlaState, level: Escalation) -> tuple[str, str]:
    what = "first response" if state.kind == "response" else "resolution"
    hours = state.target.total_seconds() / 3600
    if level is Escalation.BREACHED:
        subject = f"SLA breached: {ticket.number} {what} ({state.priority})"
        when = f" at {state.breached_at:%Y-%m-%d %H:%M} UTC" if state.breached_at else ""
        body = (f"Ticket {ticket.number} ({state.priority}) missed its {what} target of {hours:g} business "
                f"hours{when}. Please make sure someone is on it.\n")
    else:
        used = round(100 * state.fraction_used)
        subject = f"SLA warning: {ticket.number} {what} at {used}% ({state.priority})"
        body = (f"Ticket {ticket.number} ({state.priority}) has used {used}% of its {what} target of {hours:g} "
                f"business hours; it is due {state.due_at:%Y-%m-%d %H:%M} UTC.\n")
    return subject, body


def run(ctx: Ctx, warn_at: float = DEFAULT_WARN_AT, *, notify: bool = True) -> RunResult:
    """Check every open ticket once and record (and email) escalations that are new.

    A kiosk runs it with ``notify=False``: it flags its local queue at once, and leaves the emails to the
    central service, which sees the synced tickets (and, once synced, the kiosk's escalation events).
    """
    s = ctx.session
    cal, targets = load_calendar(s)
    now = ctx.clock.now()
    result = RunResult()
    # A ticket stamped later than now (a kiosk whose clock runs ahead) is left for a later run.
    ids = list(s.scalars(select(Ticket.id).where(Ticket.status.in_(OPEN_STATUSES), Ticket.opened_at <= now)
                         .order_by(Ticket.opened_at)))
    for chunk in _chunks(ids):
        found = list(s.scalars(select(Ticket).where(Ticket.id.in_(chunk))))
        events: dict[uuid.UUID, list[TicketEvent]] = defaultdict(list)
        for ev in s.scalars(select(TicketEvent).where(TicketEvent.ticket_id.in_(chunk))):
            events[ev.ticket_id].append(ev)
        for ticket in found:
            if ticket.priority.value not in targets:
                continue
            result.checked += 1
            evs = [e for e in events[ticket.id] if e.at <= now]
            segments, holds = ticket_history(evs, ticket)
            sla = compute_ticket_sla(cal, targets, created_at=ticket.opened_at, priorities=segments, holds=holds,
                                     first_response_at=ticket.first_response_at, resolved_at=ticket.resolved_at,
                                     now=now)
            recorded: dict[str, Escalation] = {}
            for e in evs:
                if e.kind is TicketEventKind.ESCALATION and e.old_value and e.new_value in ("warn", "breached"):
                    level = Escalation(e.new_value)
                    if _ORDER[level] > _ORDER[recorded.get(e.old_value, Escalation.OK)]:
                        recorded[e.old_value] = level
            for state in (sla.response, sla.resolution):
                level = escalation_level(state, warn_at)
                if _ORDER[level] <= _ORDER[recorded.get(state.kind, Escalation.OK)]:
                    continue
                subject, body = _message(ticket, state, level)
                people = _recipients(ctx, ticket, level) if notify else []
                for person in people:
                    if person.email and mail.deliverable(person.email):
                        mail.enqueue(ctx, person.email, subject, body, "escalation", ticket.id)
                s.add(TicketEvent(ticket_id=ticket.id, at=now, kind=TicketEventKind.ESCALATION, public=False,
                                  actor_id=ctx.actor.staff_id, body=subject, old_value=state.kind,
                                  new_value=level.value, created_at=now, updated_at=now))
                result.raised.append(Raised(ticket.number, state.kind, level,
                                            tuple(p.username for p in people)))
    s.flush()
    return result


@dataclass(frozen=True)
class QueueFlag:
    level: Escalation
    clock: str
    at: object  # datetime of the escalation


def queue_flags(ctx: Ctx, ticket_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, QueueFlag]:
    """The highest recorded escalation of each given open ticket, for the technician queue."""
    out: dict[uuid.UUID, QueueFlag] = {}
    ids = list(ticket_ids)
    for chunk in _chunks(ids):
        q = (select(TicketEvent).where(TicketEvent.ticket_id.in_(chunk),
                                       TicketEvent.kind == TicketEventKind.ESCALATION)
             .order_by(TicketEvent.at))
        for ev in ctx.session.scalars(q):
            if ev.new_value not in ("warn", "breached"):
                continue
            level = Escalation(ev.new_value)
            current = out.get(ev.ticket_id)
            if current is None or _ORDER[level] > _ORDER[current.level]:
                out[ev.ticket_id] = QueueFlag(level, ev.old_value or "", ev.at)
    return out


def run_periodically(db: Database, interval_seconds: float, stop: threading.Event,
                     on_error: Callable[[BaseException], None] | None = None) -> None:
    """Run escalation every ``interval_seconds`` until ``stop`` is set (for a server thread)."""
    while not stop.is_set():
        try:
            with db.unit() as ctx:
                run(ctx)
        except Exception as exc:  # keep the schedule alive; report and try again next time
            if on_error is not None:
                on_error(exc)
        stop.wait(interval_seconds)
