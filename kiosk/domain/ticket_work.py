"""Ticket use-cases for technicians: read a ticket, work it to closed, log repairs with cost, auto-close.

Screens and the `kiosk ticket` / `kiosk repair` commands call these functions, never the lower services
directly: each checks that the actor is an active staff member and returns plain frozen data (no ORM object
leaves the unit of work, so nothing lazy crosses to the GUI thread).

Lifecycle rules held here:

* A repair logged on an unassigned ticket assigns it to the technician who logged it.
* A resolved ticket waits for the reporter; it closes by itself once ``auto_close_days`` business days have
  passed after the day it was resolved (district setting ``districts.auto_close_business_days``, default 5).
  A reporter who says "not solved" before that reopens it (:func:`reporter_not_solved`), so it never closes.
* Closing (by hand or automatically) creates the survey through :mod:`kiosk.domain.surveys`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.domain import audit_log, queue, repairs, sla, tickets
from kiosk.domain.business_hours import BusinessCalendar
from kiosk.domain.db import Actor, Ctx
from kiosk.domain.errors import InvalidInput, NotFound, PermissionDenied
from kiosk.domain.models import (
    Campus,
    Device,
    District,
    RepairLog,
    Reporter,
    Room,
    ServiceCategory,
    StaffRole,
    StaffUser,
    Survey,
    Ticket,
    TicketEvent,
    TicketStatus,
)
from kiosk.domain.validation import clean_text, parse_reporter

DEFAULT_AUTO_CLOSE_DAYS = 5
MAX_COST_CENTS = 10_000_00  # $10,000 of parts on one repair is a typo, not a repair


# ---------------------------------------------------------------------------------------------
# Who may do it
# ---------------------------------------------------------------------------------------------


def technician(ctx: Ctx) -> StaffUser:
    """The signed-in staff member doing this, or PermissionDenied (no one signed in, unknown or disabled)."""
    if ctx.actor.staff_id is None:
        raise PermissionDenied("only a signed-in technician can do that")
    user = ctx.session.get(StaffUser, ctx.actor.staff_id)
    if user is None or not user.active:
        raise PermissionDenied("this staff account is not active")
    return user


def reader(ctx: Ctx) -> StaffUser | None:
    """Who may read staff-only records (a ticket with its internal notes, a device's history, the queue): a
    signed-in active technician or admin (returned), or the person at this machine's command line (None,
    an actor with ``console`` set, see ``Actor``). Anyone else (a walk-up kiosk actor, no actor at all) is refused."""
    if ctx.actor.staff_id is None and ctx.actor.console:
        return None
    return technician(ctx)


def staff_by_username(session: Session, username: str) -> StaffUser:
    user = session.scalars(select(StaffUser).where(StaffUser.username == username.strip())).one_or_none()
    if user is None:
        raise NotFound(f"no staff member {username.strip()!r}")
    if not user.active:
        raise InvalidInput(f"{user.username} is not an active staff member")
    return user


# ---------------------------------------------------------------------------------------------
# Money
# ---------------------------------------------------------------------------------------------


def parse_cost(raw: str | None) -> int | None:
    """A parts cost as typed ('12.50', '$12.50', '1,012') in cents; '' or None is no cost."""
    text = (raw or "").strip().replace("$", "").replace(",", "")
    if not text:
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise InvalidInput(f"the parts cost must be an amount like 12.50, not {raw!r}") from None
    if not amount.is_finite() or amount < 0:
        raise InvalidInput("the parts cost must be an amount of 0 or more, like 12.50")
    if amount != amount.quantize(Decimal("0.01")):
        raise InvalidInput("the parts cost has at most two decimals (cents)")
    cents = int(amount * 100)
    if cents > MAX_COST_CENTS:
        raise InvalidInput("the parts cost is over $10,000: check the amount")
    return cents


def money(cents: int | None) -> str:
    return "" if cents is None else f"${cents / 100:,.2f}"


# ---------------------------------------------------------------------------------------------
# Auto-close
# ---------------------------------------------------------------------------------------------


def auto_close_days(session: Session) -> int:
    """The district's auto-close delay in business days (``districts.auto_close_business_days``, default 5)."""
    days = session.scalars(select(District.auto_close_business_days).limit(1)).first()
    return DEFAULT_AUTO_CLOSE_DAYS if days is None else max(0, int(days))


def closes_on(cal: BusinessCalendar, resolved_at: datetime, days: int) -> date:
    """The last business day a resolved ticket waits: the ``days``-th business day after the day it was resolved.

    The ticket closes once that day is over (at the first check on a later day)."""
    day = resolved_at.astimezone(cal.zone).date()
    counted = 0
    guard = 0
    while counted < days:
        day += timedelta(days=1)
        guard += 1
        if cal.is_business_day(day):
            counted += 1
        if guard > 800:  # a calendar with no business days at all: never loop for ever
            break
    return day


@dataclass(frozen=True)
class AutoCloseResult:
    closed: tuple[str, ...]  # ticket numbers closed now
    surveys: int  # surveys created by those closings
    waiting: int  # resolved tickets still waiting for their day
    left_to_district: bool = False  # an enrolled kiosk: the district service closes them


def enrolled_kiosk(session: Session) -> bool:
    """This database is an enrolled kiosk node (it syncs with a district service that runs the time rules)."""
    from kiosk.protocol.capture import get_state

    if session.get_bind().dialect.name != "sqlite":
        return False
    try:
        return bool(get_state(session, "node_id"))
    except Exception:  # noqa: BLE001 - a database not migrated yet has no sync_state: not a kiosk node
        return False


def auto_close(ctx: Ctx, *, days: int | None = None, limit: int = 500) -> AutoCloseResult:
    """Close resolved tickets whose waiting time is over (the district's rule, no technician needed).

    One writer for the rule: on an enrolled kiosk nothing is closed here; the district service's scheduled job
    closes them and the kiosk pulls the closure. Were both to close a ticket (a kiosk's queue opened before it
    had pulled the service's closure, or offline), the ticket would get two close events, two surveys and two
    invitation emails once they synced (tests/repairdesk/test_auto_close_race.py). A standalone kiosk, the
    central database and the command line on it close them as before."""
    s = ctx.session
    if enrolled_kiosk(s):
        waiting = s.scalar(select(func.count()).select_from(Ticket).where(
            Ticket.status == TicketStatus.RESOLVED)) or 0
        return AutoCloseResult((), 0, int(waiting), left_to_district=True)
    cal, _targets = sla.load_calendar(s)
    wait = auto_close_days(s) if days is None else days
    today = ctx.clock.now().astimezone(cal.zone).date()
    resolved = list(s.scalars(select(Ticket).where(Ticket.status == TicketStatus.RESOLVED)
                              .order_by(Ticket.resolved_at).limit(limit)))
    closed: list[str] = []
    surveys = 0
    waiting = 0
    for ticket in resolved:
        if ticket.resolved_at is None or closes_on(cal, ticket.resolved_at, wait) >= today:
            waiting += 1
            continue
        before = s.scalars(select(Survey.id).where(Survey.ticket_id == ticket.id)).first()
        tickets.change_status(ctx, ticket.number, TicketStatus.CLOSED, automatic=True,
                              note=f"Closed automatically: no reply {wait} business days after it was resolved")
        s.flush()
        after = s.scalars(select(Survey.id).where(Survey.ticket_id == ticket.id)).first()
        surveys += int(before is None and after is not None)
        closed.append(ticket.number)
    if closed:
        audit_log.record(ctx, "ticket.auto_close", "ticket", None, closed=closed, days=wait)
    return AutoCloseResult(tuple(closed), surveys, waiting)


# ---------------------------------------------------------------------------------------------
# A ticket as a screen shows it
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventLine:
    at: datetime
    kind: str
    change: str  # "old -> new", or ""
    body: str
    public: bool
    author: str  # the technician's name, "reporter", or "system"
    old: str | None = None  # the values the change is made of (a screen shows statuses in its own language)
    new: str | None = None


@dataclass(frozen=True)
class ClockLine:
    """One SLA clock as of now, computed from the ticket's history (never from a stored due time alone)."""

    due_at: datetime | None
    met: bool | None  # None while running
    stopped_at: datetime | None
    paused: bool  # on hold right now: the clock does not run
    remaining_seconds: float | None  # business time left on the target (negative once over)
    breached: bool


@dataclass(frozen=True)
class TicketCard:
    number: str
    status: str
    priority: str
    reporter_priority: str
    override_reason: str | None
    category: str
    campus: str
    room: str | None
    device_tag: str | None
    description: str
    reporter: str | None  # ID number or email (staff only see this)
    reporter_kind: str | None
    assignee: str | None  # display name
    assignee_id: uuid.UUID | None
    channel: str
    opened_at: datetime
    resolved_at: datetime | None
    closed_at: datetime | None
    resolution: str | None
    photo: str | None  # file name under the kiosk's photos folder
    allowed: tuple[str, ...]  # statuses it may move to
    minutes: int
    parts_cost_cents: int
    response: ClockLine | None
    resolution_clock: ClockLine | None
    closes_on: date | None  # for a resolved ticket: the last day it waits before closing by itself
    survey: str | None  # "invited", "answered: solved", "answered: not solved", or None
    events: tuple[EventLine, ...]
    technicians: tuple[tuple[uuid.UUID, str], ...]  # who it can be assigned to

    @property
    def place(self) -> str:
        return self.campus + (f" / {self.room}" if self.room else "")


def _name(user: StaffUser | None) -> str:
    return "" if user is None else f"{user.first_name} {user.last_name}".strip() or user.username


def _clock(state: sla.TicketSla | None, which: str) -> ClockLine | None:
    if state is None:
        return None
    c = state.response if which == "response" else state.resolution
    return ClockLine(c.due_at, c.met, c.stopped_at, c.on_hold, c.remaining.total_seconds(), c.breached)


def technicians(session: Session) -> tuple[tuple[uuid.UUID, str], ...]:
    users = session.scalars(select(StaffUser).where(StaffUser.active.is_(True))
                            .order_by(StaffUser.first_name, StaffUser.last_name))
    return tuple((u.id, _name(u)) for u in users)


def ticket_card(ctx: Ctx, number: str) -> TicketCard:
    """Everything the ticket screen shows, as plain data (staff only: it holds internal notes)."""
    technician(ctx)
    s = ctx.session
    t = tickets.get_ticket(s, number)
    events = list(s.scalars(select(TicketEvent).where(TicketEvent.ticket_id == t.id)
                            .order_by(TicketEvent.at, TicketEvent.id)))
    staff_ids = {e.actor_id for e in events if e.actor_id} | ({t.assignee_id} if t.assignee_id else set())
    staff = {u.id: u for u in s.scalars(select(StaffUser).where(StaffUser.id.in_(staff_ids)))} if staff_ids else {}
    lines = []
    for e in events:
        author = (_name(staff.get(e.actor_id)) if e.actor_id else
                  "reporter" if e.reporter_id else "system")
        lines.append(EventLine(e.at, e.kind.value, f"{e.old_value or '-'} → {e.new_value}" if e.new_value else "",
                               e.body or "", e.public, author, e.old_value, e.new_value))
    campus = s.get(Campus, t.campus_id)
    room = s.get(Room, t.room_id) if t.room_id else None
    device = s.get(Device, t.device_id) if t.device_id else None
    category = s.get(ServiceCategory, t.category_id)
    reporter = s.get(Reporter, t.reporter_id) if t.reporter_id else None
    state = sla.ticket_sla(ctx, t) if t.status is not TicketStatus.CLOSED else None
    totals = s.execute(select(RepairLog.minutes, RepairLog.parts_cost_cents).where(RepairLog.ticket_id == t.id)).all()
    survey_row = s.scalars(select(Survey).where(Survey.ticket_id == t.id)).one_or_none()
    survey = None
    if survey_row is not None:
        survey = ("invited" if survey_row.submitted_at is None else
                  f"answered: {'solved' if survey_row.solved else 'not solved'}, overall {survey_row.overall}/5")
    waits_until = None
    if t.status is TicketStatus.RESOLVED and t.resolved_at is not None:
        cal, _ = sla.load_calendar(s)
        waits_until = closes_on(cal, t.resolved_at, auto_close_days(s))
    return TicketCard(
        number=t.number, status=t.status.value, priority=t.priority.value,
        reporter_priority=t.reporter_priority.value,
        override_reason=t.override_reason if t.override_priority else None,
        category=category.name if category else "?", campus=campus.name if campus else "?",
        room=room.name if room else None, device_tag=device.asset_tag if device else None,
        description=t.description,
        reporter=(reporter.id_number or reporter.email) if reporter else None,
        reporter_kind=reporter.kind.value if reporter else None,
        assignee=_name(staff.get(t.assignee_id)) if t.assignee_id else None, assignee_id=t.assignee_id,
        channel=t.channel.value, opened_at=t.opened_at, resolved_at=t.resolved_at, closed_at=t.closed_at,
        resolution=t.resolution, photo=t.photo, allowed=tuple(queue.allowed_statuses(t.status.value)),
        minutes=sum(m for m, _ in totals), parts_cost_cents=sum(c or 0 for _, c in totals),
        response=_clock(state, "response"), resolution_clock=_clock(state, "resolution"),
        closes_on=waits_until, survey=survey, events=tuple(lines), technicians=technicians(s),
    )


@dataclass(frozen=True)
class RecordEvent:
    at: datetime
    kind: str
    public: bool
    body: str | None
    old: str | None
    new: str | None


@dataclass(frozen=True)
class TicketRecord:
    """A ticket for the `kiosk ticket show` command: every field and every event, internal notes included, so
    only :func:`reader` may have it."""

    number: str
    status: str
    category: str
    campus: str | None
    room: str | None
    device: str | None
    priority: str
    opened_at: datetime
    resolution_due_at: datetime | None
    description: str
    reporter_priority: str
    override_priority: str | None
    override_reason: str | None
    channel: str
    assignee: str | None  # username
    first_response_at: datetime | None
    response_due_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    resolution: str | None
    events: tuple[RecordEvent, ...]

    def as_dict(self) -> dict[str, Any]:
        """The JSON `kiosk ticket show --json` prints (instants as ISO text)."""
        from dataclasses import asdict

        out = asdict(self)
        for key, value in out.items():
            if isinstance(value, datetime):
                out[key] = value.isoformat()
        out["events"] = [{**e, "at": e["at"].isoformat()} for e in out["events"]]
        return out


def ticket_record(ctx: Ctx, number: str) -> TicketRecord:
    """One ticket with all its events (internal notes included): staff, or the machine's console, only."""
    reader(ctx)
    s = ctx.session
    t = tickets.get_ticket(s, number)
    events = s.scalars(select(TicketEvent).where(TicketEvent.ticket_id == t.id)
                       .order_by(TicketEvent.at, TicketEvent.id))
    category = s.get(ServiceCategory, t.category_id)
    campus = s.get(Campus, t.campus_id)
    room = s.get(Room, t.room_id) if t.room_id else None
    device = s.get(Device, t.device_id) if t.device_id else None
    assignee = s.get(StaffUser, t.assignee_id) if t.assignee_id else None
    return TicketRecord(
        number=t.number, status=t.status.value, category=category.code if category else "?",
        campus=campus.code if campus else None, room=room.name if room else None,
        device=device.asset_tag if device else None, priority=t.priority.value, opened_at=t.opened_at,
        resolution_due_at=t.resolution_due_at, description=t.description,
        reporter_priority=t.reporter_priority.value,
        override_priority=t.override_priority.value if t.override_priority else None,
        override_reason=t.override_reason, channel=t.channel.value,
        assignee=assignee.username if assignee else None, first_response_at=t.first_response_at,
        response_due_at=t.response_due_at, resolved_at=t.resolved_at, closed_at=t.closed_at,
        resolution=t.resolution,
        events=tuple(RecordEvent(e.at, e.kind.value, e.public, e.body, e.old_value, e.new_value) for e in events),
    )


@dataclass(frozen=True)
class TicketLine:
    """One row of `kiosk ticket list`."""

    number: str
    status: str
    priority: str
    category: str
    device: str | None
    opened_at: datetime
    resolution_due_at: datetime | None
    description: str

    def as_dict(self) -> dict[str, object]:
        return {"number": self.number, "status": self.status, "priority": self.priority,
                "category": self.category, "device": self.device, "opened_at": self.opened_at.isoformat(),
                "resolution_due_at": self.resolution_due_at.isoformat() if self.resolution_due_at else None,
                "description": self.description}


def ticket_list(ctx: Ctx, *, campus: str | None = None, status: str | None = None,
                limit: int = 200) -> tuple[TicketLine, ...]:
    """Tickets by campus code and status ("open", "all" or one status), soonest resolution due first: staff or
    the console only (the descriptions are the reporters' words)."""
    reader(ctx)
    return tuple(
        TicketLine(t.number, t.status.value, t.priority.value, t.category.code,
                   t.device.asset_tag if t.device else None, t.opened_at, t.resolution_due_at, t.description)
        for t in tickets.list_tickets(ctx.session, campus=campus, status=status, limit=limit)
    )


# ---------------------------------------------------------------------------------------------
# Working a ticket (each returns the ticket as it is afterwards)
# ---------------------------------------------------------------------------------------------


def assign(ctx: Ctx, number: str, to: uuid.UUID | str | None) -> TicketCard:
    """Assign to a technician (an id, a username, or None to unassign)."""
    technician(ctx)
    target: uuid.UUID | None
    if to is None or to == "":
        target = None
    elif isinstance(to, uuid.UUID):
        user = ctx.session.get(StaffUser, to)
        if user is None or not user.active:
            raise NotFound("no such active technician")
        target = user.id
    else:
        target = staff_by_username(ctx.session, to).id
    tickets.assign(ctx, number, target)
    return ticket_card(ctx, number)


def add_note(ctx: Ctx, number: str, text: str, *, public: bool) -> TicketCard:
    technician(ctx)
    tickets.add_note(ctx, number, text, public=public)
    return ticket_card(ctx, number)


def override(ctx: Ctx, number: str, priority: str, reason: str) -> TicketCard:
    """Override the reporter's priority (both are kept; the reason is required)."""
    technician(ctx)
    tickets.override_priority(ctx, number, priority, reason)
    return ticket_card(ctx, number)


def set_status(ctx: Ctx, number: str, status: str, note: str | None = None) -> TicketCard:
    """Any allowed status change; resolving needs a resolution (the note), closing invites the survey."""
    technician(ctx)
    tickets.change_status(ctx, number, status, note=note or None, resolution=note or None)
    return ticket_card(ctx, number)


def resolve(ctx: Ctx, number: str, resolution: str, *, code: str | None = None,
            cause: str | None = None) -> TicketCard:
    """Resolve with what fixed it; ``code`` is a resolution code from the district's list (the repair desk's
    ``triage.resolve``: an unknown code is refused before anything changes), ``cause`` the damage cause."""
    if code is None and cause is None:
        return set_status(ctx, number, TicketStatus.RESOLVED.value, resolution)
    from kiosk.domain import triage

    technician(ctx)
    if code is None:
        triage.parse_cause(cause or "")  # an unknown cause is refused before the ticket changes
        set_status(ctx, number, TicketStatus.RESOLVED.value, resolution)
        triage.set_cause(ctx, number, cause or "")
    else:
        triage.resolve(ctx, number, code=code, resolution=resolution, cause=cause)
    return ticket_card(ctx, number)


def close(ctx: Ctx, number: str, note: str | None = None) -> TicketCard:
    return set_status(ctx, number, TicketStatus.CLOSED.value, note)


@dataclass(frozen=True)
class RepairLogged:
    ticket: TicketCard
    minutes: int
    parts_cost_cents: int | None
    assigned: bool  # the ticket was unassigned and is now the technician's


def log_repair(ctx: Ctx, number: str, *, action: str, minutes: int, parts: str | None = None,
               cost: str | int | None = None) -> RepairLogged:
    """Log a repair with its parts and their cost (typed as '12.50' or given in cents).

    A repair on an unassigned ticket assigns it to the technician who did it."""
    user = technician(ctx)
    cents = cost if isinstance(cost, int) or cost is None else parse_cost(cost)
    if isinstance(cents, int) and not 0 <= cents <= MAX_COST_CENTS:
        raise InvalidInput("the parts cost must be between $0 and $10,000")
    ticket = tickets.get_ticket(ctx.session, number)
    if not ticket.status.is_open:
        raise InvalidInput(f"ticket {ticket.number} is {ticket.status.value}: reopen it to log more work")
    assigned = False
    if ticket.assignee_id is None:
        tickets.assign(ctx, number, user.id)
        assigned = True
    repairs.log_repair(ctx, number, action=action, minutes=minutes, parts=parts, parts_cost_cents=cents)
    ctx.session.flush()
    return RepairLogged(ticket_card(ctx, number), minutes, cents, assigned)


def check_not_solved_reporter(session: Session, number: str, reporter: str) -> Ticket:
    """The first step of "Not solved" at the kiosk: ``reporter`` (ID number or email) reported this ticket, and it
    is resolved (else raises, before anything else is asked)."""
    ticket = tickets.get_ticket(session, number)
    id_number, email = parse_reporter(reporter)
    rep = session.get(Reporter, ticket.reporter_id) if ticket.reporter_id else None
    if rep is None or (id_number and rep.id_number != id_number) or (email and rep.email != email):
        raise PermissionDenied("only the person who reported this ticket can say it is not solved")
    if ticket.status is not TicketStatus.RESOLVED:
        raise InvalidInput(f"ticket {ticket.number} is {ticket.status.value.replace('_', ' ')}, not resolved")
    return ticket


def reporter_not_solved(ctx: Ctx, number: str, reporter: str, comment: str | None = None) -> str:
    """The reporter says a resolved ticket is not solved: it reopens (so it never auto-closes).

    Only the ticket's own reporter (by ID number or email) may do this; returns the new status."""
    check_not_solved_reporter(ctx.session, number, reporter)
    if comment:
        comment = clean_text(comment, field="comment", max_len=300, multiline=False)
    why = "The reporter says the problem is not solved." + (f" {comment.strip()}" if comment and comment.strip()
                                                             else "")
    tickets.change_status(ctx, number, TicketStatus.REOPENED, note=why[:4000])
    return TicketStatus.REOPENED.value


# ---------------------------------------------------------------------------------------------
# The work queue
# ---------------------------------------------------------------------------------------------

QUEUE_VIEWS = ("open", "mine", "waiting", "all")


@dataclass(frozen=True)
class QueueView:
    rows: tuple[queue.QueueRow, ...]
    now: datetime
    view: str
    auto_close_days: int
    auto_closed: tuple[str, ...] = ()


def work_queue(ctx: Ctx, campus_id: uuid.UUID | None, view: str = "open", *,
               run_rules: bool = True) -> QueueView:
    """The queue a technician sees: open tickets, their own, resolved ones waiting to close, or all but closed.

    ``run_rules`` first applies the district's time rules locally (escalation flags, auto-close)."""
    from dataclasses import replace

    from kiosk.domain import escalation

    me = technician(ctx)  # a person's queue: the console has no "mine"
    if view not in QUEUE_VIEWS:
        raise InvalidInput(f"unknown queue view {view!r}; one of {', '.join(QUEUE_VIEWS)}")
    if me.role is not StaffRole.ADMIN and campus_id is None:
        raise PermissionDenied("a technician's queue is for one campus")
    closed: tuple[str, ...] = ()
    if run_rules:
        escalation.run(ctx, notify=False)  # flags the local queue now; the central service sends the mail
        # the district's rule closes them, not the technician who happened to open the queue
        system = Ctx(session=ctx.session, clock=ctx.clock, actor=Actor(kiosk_id=ctx.actor.kiosk_id,
                                                                      label="auto-close"))
        closed = auto_close(system).closed
    statuses: tuple[TicketStatus, ...]
    if view == "waiting":
        statuses = (TicketStatus.RESOLVED,)
    elif view == "all":
        statuses = tuple(s for s in TicketStatus if s is not TicketStatus.CLOSED)
    else:
        statuses = tuple(s for s in TicketStatus if s.is_open)
    rows = queue.queue_rows(ctx.session, campus_id, statuses=statuses,
                            assignee_id=me.id if view == "mine" else None)
    flags = escalation.queue_flags(ctx, [r.ticket_id for r in rows if r.status != "resolved"])
    rows = [replace(r, escalation=flags[r.ticket_id].level.value) if r.ticket_id in flags else r for r in rows]
    rows = _live_clocks(ctx, rows)
    return QueueView(tuple(rows), ctx.clock.now(), view, auto_close_days(ctx.session), closed)


def _live_clocks(ctx: Ctx, rows: list[queue.QueueRow]) -> list[queue.QueueRow]:
    """Tickets on hold get their paused clock (the stored due time runs on while the real clock stands);
    resolved ones the day they close by themselves."""
    from dataclasses import replace

    s = ctx.session
    held = [r.ticket_id for r in rows if r.status == TicketStatus.ON_HOLD.value]
    resolved = {r.ticket_id for r in rows if r.status == TicketStatus.RESOLVED.value}
    if not held and not resolved:
        return rows
    cal, targets = sla.load_calendar(s)
    now = ctx.clock.now()
    paused: dict[uuid.UUID, float] = {}
    for start in range(0, len(held), 500):
        chunk = held[start:start + 500]
        by_ticket: dict[uuid.UUID, list[TicketEvent]] = {}
        for ev in s.scalars(select(TicketEvent).where(TicketEvent.ticket_id.in_(chunk))):
            by_ticket.setdefault(ev.ticket_id, []).append(ev)
        for t in s.scalars(select(Ticket).where(Ticket.id.in_(chunk))):
            if t.priority.value not in targets:
                continue
            segments, holds = sla.ticket_history(by_ticket.get(t.id, []), t)
            state = sla.compute_ticket_sla(cal, targets, created_at=t.opened_at, priorities=segments, holds=holds,
                                           first_response_at=t.first_response_at, resolved_at=t.resolved_at,
                                           now=now)
            paused[t.id] = state.resolution.remaining.total_seconds()
    days = auto_close_days(s)
    out = []
    for r in rows:
        if r.ticket_id in paused:
            r = replace(r, paused_left_seconds=paused[r.ticket_id])
        elif r.ticket_id in resolved and r.resolved_at is not None:
            r = replace(r, closes_on=closes_on(cal, r.resolved_at, days))
        out.append(r)
    return out
