"""Loaner swaps: a campus pool of loaner devices, check-out to a reporter with a due date, return by scan.

The conflict rule (two kiosks lending the same loaner while offline): every kiosk and the service keep every
loan row, and ``standing`` decides from those rows alone which loans stand. Loans of one loaner are taken in
check-out order (``out_at``, then id); a loan that starts while an earlier standing loan of that loaner is still
out is **void**: the first check-out wins. The same rows give the same answer everywhere, whatever order they
arrived in, so the kiosks and the service agree without the service rewriting anything. A void loan stays on
the technician home of the kiosk that made it ("told") until someone settles it (``settle`` or the loaner's
return).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from kiosk.domain import audit_log, desk_settings
from kiosk.domain.db import Ctx
from kiosk.domain.devices import find_by_tag, find_campus
from kiosk.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from kiosk.domain.models import (
    OPEN_STATUSES,
    Campus,
    Device,
    DeviceStatus,
    Kiosk,
    Loan,
    Reporter,
    StaffUser,
    Ticket,
    TicketEventKind,
)
from kiosk.domain.validation import normalize_tag

MAX_LOAN_DAYS = 180


@dataclass(frozen=True)
class Standing:
    """How one loan stands under the conflict rule."""

    state: str  # "out", "returned" or "void"
    beaten_by: uuid.UUID | None = None  # for "void": the loan that was first


def standing(loans: Iterable[Loan]) -> dict[uuid.UUID, Standing]:
    """Each loan's standing, from the loan rows of some loaners alone (the same rows give the same answer)."""
    by_loaner: dict[uuid.UUID, list[Loan]] = {}
    for loan in loans:
        by_loaner.setdefault(loan.loaner_id, []).append(loan)
    out: dict[uuid.UUID, Standing] = {}
    for group in by_loaner.values():
        group.sort(key=lambda loan: (loan.out_at, loan.id))
        holder: Loan | None = None  # the standing loan the loaner is out on, at this point of the timeline
        for loan in group:
            if holder is not None and (holder.returned_at is None or holder.returned_at > loan.out_at):
                out[loan.id] = Standing("void", holder.id)
                continue
            holder = loan
            out[loan.id] = Standing("out" if loan.returned_at is None else "returned")
    return out


@dataclass(frozen=True)
class LoanView:
    """A loan as screens and the command line show it."""

    id: uuid.UUID
    loaner_tag: str
    reporter: str
    for_tag: str | None
    ticket: str | None
    campus: str
    out_at: datetime
    due_on: date
    returned_at: datetime | None
    state: str  # out, overdue, returned, void
    kiosk: str | None
    settled: bool  # a void loan someone has dealt with
    beaten_by: str | None  # for a void loan: "to 204511 at front desk, 09:02"
    days_late: int

    @property
    def receipt_payload(self) -> str:
        """What the receipt's QR code carries: both tags and the due date."""
        return f"LOAN {self.loaner_tag} FOR {self.for_tag or '-'} TO {self.reporter} DUE {self.due_on.isoformat()}"

    def as_dict(self) -> dict[str, Any]:
        return {"id": str(self.id), "loaner": self.loaner_tag, "reporter": self.reporter, "for": self.for_tag,
                "ticket": self.ticket, "campus": self.campus, "out_at": self.out_at.isoformat(),
                "due_on": self.due_on.isoformat(),
                "returned_at": self.returned_at.isoformat() if self.returned_at else None,
                "state": self.state, "kiosk": self.kiosk, "settled": self.settled, "beaten_by": self.beaten_by,
                "days_late": self.days_late}


def _reporter_label(rep: Reporter | None) -> str:
    if rep is None:
        return "?"
    return rep.id_number or rep.email or "?"


def _views(session: Session, loans: list[Loan], today: date, kin: dict[uuid.UUID, Standing] | None = None
           ) -> list[LoanView]:
    if not loans:
        return []
    if kin is None:
        kin = standing(_loans_of(session, {loan.loaner_id for loan in loans}))
    ids = {loan.loaner_id for loan in loans} | {loan.for_device_id for loan in loans if loan.for_device_id}
    tags = {r[0]: r[1] for r in session.execute(select(Device.id, Device.asset_tag).where(Device.id.in_(ids)))}
    reporters = {r.id: r for r in session.scalars(select(Reporter).where(
        Reporter.id.in_({loan.reporter_id for loan in loans})))}
    kiosks = {r[0]: r[1] for r in session.execute(select(Kiosk.id, Kiosk.name))}
    campuses = {r[0]: r[1] for r in session.execute(select(Campus.id, Campus.code))}
    tickets = {r[0]: r[1] for r in session.execute(select(Ticket.id, Ticket.number).where(
        Ticket.id.in_({loan.ticket_id for loan in loans if loan.ticket_id})))}
    beaters = {b.id: b for b in session.scalars(select(Loan).where(
        Loan.id.in_({s.beaten_by for s in kin.values() if s.beaten_by})))}
    zone = desk_settings.zone(session)
    beater_reps = {r.id: r for r in session.scalars(select(Reporter).where(
        Reporter.id.in_({b.reporter_id for b in beaters.values()})))}
    out = []
    for loan in loans:
        st = kin.get(loan.id, Standing("out" if loan.returned_at is None else "returned"))
        state = st.state
        late = 0
        if state == "out" and loan.due_on < today:
            state, late = "overdue", (today - loan.due_on).days
        beaten = None
        if st.beaten_by is not None and st.beaten_by in beaters:
            b = beaters[st.beaten_by]
            where = kiosks.get(b.kiosk_id) if b.kiosk_id else None
            beaten = (f"to {_reporter_label(beater_reps.get(b.reporter_id))}"
                      f"{' at ' + where if where else ''}, {b.out_at.astimezone(zone).strftime('%a %d %b %H:%M')}")
        out.append(LoanView(
            id=loan.id, loaner_tag=tags.get(loan.loaner_id, "?"), reporter=_reporter_label(reporters.get(loan.reporter_id)),
            for_tag=tags.get(loan.for_device_id) if loan.for_device_id else None,
            ticket=tickets.get(loan.ticket_id) if loan.ticket_id else None,
            campus=campuses.get(loan.campus_id, "?"), out_at=loan.out_at, due_on=loan.due_on,
            returned_at=loan.returned_at, state=state,
            kiosk=kiosks.get(loan.kiosk_id) if loan.kiosk_id else None,
            settled=state == "void" and loan.returned_at is not None, beaten_by=beaten, days_late=late))
    return out


def _loans_of(session: Session, loaner_ids: set[uuid.UUID]) -> list[Loan]:
    if not loaner_ids:
        return []
    return list(session.scalars(select(Loan).where(Loan.loaner_id.in_(loaner_ids))))


def _kiosk_campus(ctx: Ctx) -> uuid.UUID | None:
    if ctx.actor.kiosk_id is None:
        return None
    k = ctx.session.get(Kiosk, ctx.actor.kiosk_id)
    return k.campus_id if k else None


def _require_confirmation(ctx: Ctx, walk_up: bool) -> None:
    """At a walk-up kiosk, a loaner goes out only when the district allows self-service or staff confirm."""
    if ctx.actor.staff_id is not None:
        staff = ctx.session.get(StaffUser, ctx.actor.staff_id)
        if staff is None or not staff.active:
            raise PermissionDenied("that staff account cannot hand out loaners")
        return
    if (walk_up or ctx.actor.kiosk_id is not None) and not desk_settings.get(ctx.session, "loaner.self_service"):
        raise PermissionDenied("a technician confirms loaners here: scan your badge")


def get_loaner(session: Session, tag: str) -> Device:
    device = find_by_tag(session, tag)
    if device is None:
        raise NotFound(f"no device has asset tag {normalize_tag(tag)}")
    if device.status is not DeviceStatus.LOANER:
        raise Conflict(f"{device.asset_tag} is not a loaner (its status is {device.status.value.replace('_', ' ')})")
    return device


def _open_loans(session: Session, loaner_id: uuid.UUID) -> tuple[Loan | None, list[Loan]]:
    """The standing loan the loaner is out on (if any), and its unsettled void loans."""
    loans = _loans_of(session, {loaner_id})
    kin = standing(loans)
    holder = next((loan for loan in loans if kin[loan.id].state == "out"), None)
    void = [loan for loan in loans if kin[loan.id].state == "void" and loan.returned_at is None]
    return holder, void


def reporter_loans(session: Session, reporter_id: uuid.UUID) -> tuple[list[Loan], dict[uuid.UUID, Standing]]:
    mine = list(session.scalars(select(Loan).where(Loan.reporter_id == reporter_id)))
    kin = standing(_loans_of(session, {loan.loaner_id for loan in mine}))
    return mine, kin


def check_limits(session: Session, reporter_id: uuid.UUID, today: date) -> None:
    """Refuse a loan the district's limits do not allow this reporter."""
    mine, kin = reporter_loans(session, reporter_id)
    standing_mine = [loan for loan in mine if kin[loan.id].state != "void"]
    max_out = int(desk_settings.get(session, "loaner.max_out"))
    holding = [loan for loan in standing_mine if kin[loan.id].state == "out"]
    if len(holding) >= max_out:
        raise Conflict(f"this reporter already has {len(holding)} loaner(s) out (the limit is {max_out}); "
                       "return it first")
    per_term = int(desk_settings.get(session, "loaner.per_term"))
    if per_term:
        name, first, last = desk_settings.term(session, today)
        tz_today = desk_settings.today
        used = [loan for loan in standing_mine
                if first <= tz_today(session, loan.out_at) <= last]
        if len(used) >= per_term:
            raise Conflict(f"this reporter has had {len(used)} loaners this term ({name}); the limit is {per_term}")


def default_due(session: Session, now: datetime) -> date:
    """Today plus the district's loan length, moved off a weekend."""
    due = desk_settings.today(session, now) + timedelta(days=int(desk_settings.get(session, "loaner.days")))
    while due.weekday() >= 5:
        due += timedelta(days=1)
    return due


def check_out(ctx: Ctx, *, loaner_tag: str, reporter: str, for_tag: str | None = None,
              due: date | None = None, walk_up: bool = False, campus_id: uuid.UUID | None = None) -> LoanView:
    """Lend a loaner to a reporter until ``due`` (default: the district's loan length), optionally for a broken
    device (its open ticket is linked). ``walk_up``: asked at the walk-up screens (self-service or a technician's
    badge); ``campus_id``: the kiosk's campus, whose pool the loaner must be in."""
    from kiosk.domain.tickets import get_or_create_reporter

    s = ctx.session
    _require_confirmation(ctx, walk_up)
    loaner = get_loaner(s, loaner_tag)
    here = campus_id or _kiosk_campus(ctx)
    if here is not None and loaner.campus_id != here:
        raise Conflict(f"{loaner.asset_tag} belongs to another campus's loaner pool")
    if loaner.campus_id is None:
        raise Conflict(f"{loaner.asset_tag} has no campus: give it one before lending it")
    now = ctx.clock.now()
    today = desk_settings.today(s, now)
    holder, _ = _open_loans(s, loaner.id)
    if holder is not None:
        raise Conflict(f"{loaner.asset_tag} is already out (due {holder.due_on.isoformat()}); scan it in first")
    broken: Device | None = None
    ticket: Ticket | None = None
    if for_tag:
        broken = find_by_tag(s, for_tag)
        if broken is None:
            raise NotFound(f"no device has asset tag {normalize_tag(for_tag)}")
        if broken.id == loaner.id or broken.status is DeviceStatus.LOANER:
            raise InvalidInput(f"{broken.asset_tag} is a loaner itself; scan the broken device")
        if broken.campus_id != loaner.campus_id:
            raise Conflict(f"{broken.asset_tag} belongs to another campus: lend it a loaner there")
        ticket = s.scalars(select(Ticket).where(Ticket.device_id == broken.id, Ticket.status.in_(OPEN_STATUSES))
                           .order_by(Ticket.opened_at.desc())).first()
    if due is None:
        due = default_due(s, now)
    if due < today:
        raise InvalidInput(f"the due date {due.isoformat()} is in the past")
    if due > today + timedelta(days=MAX_LOAN_DAYS):
        raise InvalidInput(f"a loan lasts at most {MAX_LOAN_DAYS} days")
    rep = get_or_create_reporter(ctx, reporter)
    check_limits(s, rep.id, today)
    loan = Loan(campus_id=loaner.campus_id, loaner_id=loaner.id, reporter_id=rep.id,
                for_device_id=broken.id if broken else None, ticket_id=ticket.id if ticket else None,
                out_at=now, due_on=due, out_by_id=ctx.actor.staff_id, kiosk_id=ctx.actor.kiosk_id,
                created_at=now, updated_at=now)
    s.add(loan)
    s.flush()
    if ticket is not None:
        from kiosk.domain.tickets import _event

        _event(ctx, ticket, TicketEventKind.NOTE, body=f"Loaner {loaner.asset_tag} lent until {due.isoformat()}")
    audit_log.record(ctx, "loaner.out", "loan", loan.id, loaner=loaner.asset_tag, due=due.isoformat())
    return _views(s, [loan], today)[0]


def check_in(ctx: Ctx, *, loaner_tag: str) -> LoanView:
    """The loaner comes back (a scan at the kiosk): its loan is closed, and any void loan of it is settled."""
    s = ctx.session
    loaner = get_loaner(s, loaner_tag)
    holder, void = _open_loans(s, loaner.id)
    if holder is None and not void:
        raise Conflict(f"{loaner.asset_tag} is not checked out")
    now = ctx.clock.now()
    today = desk_settings.today(s, now)
    closed = [loan for loan in (holder, *void) if loan is not None]
    for loan in closed:
        loan.returned_at = now
        loan.returned_by_id = ctx.actor.staff_id
        loan.updated_at = now
    s.flush()
    main = holder or void[0]
    view = _views(s, [main], today)[0]
    late = max(0, (today - main.due_on).days)
    audit_log.record(ctx, "loaner.in", "loan", main.id, loaner=loaner.asset_tag, days_late=late)
    return LoanView(**{**view.__dict__, "days_late": late})


def settle(ctx: Ctx, loan_id: uuid.UUID) -> LoanView:
    """A technician has dealt with a void loan (the reporter was given another loaner, or none)."""
    if ctx.actor.staff_id is None and ctx.actor.kiosk_id is not None:
        raise PermissionDenied("only a signed-in technician can do that")
    s = ctx.session
    loan = s.get(Loan, loan_id)
    if loan is None:
        raise NotFound("no such loan")
    kin = standing(_loans_of(s, {loan.loaner_id}))
    if kin[loan.id].state != "void":
        raise Conflict("that loan stands; check the loaner in instead")
    now = ctx.clock.now()
    if loan.returned_at is None:
        loan.returned_at = now
        loan.returned_by_id = ctx.actor.staff_id
        loan.updated_at = now
        audit_log.record(ctx, "loaner.settle", "loan", loan.id)
    return _views(s, [loan], desk_settings.today(s, now))[0]


# ---------------------------------------------------------------------------------------------
# Queries
# ---------------------------------------------------------------------------------------------


def list_loans(session: Session, now: datetime, *, campus: str | uuid.UUID | None = None, overdue: bool = False,
               include_returned: bool = False) -> list[LoanView]:
    """Loans out (and unsettled void ones), soonest due first; ``overdue``: only those past their due date."""
    q = select(Loan)
    if campus is not None:
        cid = campus if isinstance(campus, uuid.UUID) else find_campus(session, campus).id
        q = q.where(Loan.campus_id == cid)
    if not include_returned:
        q = q.where(Loan.returned_at.is_(None))
    loans = list(session.scalars(q))
    today = desk_settings.today(session, now)
    views = _views(session, loans, today)
    if overdue:
        views = [v for v in views if v.state == "overdue"]
    order = {"void": 0, "overdue": 1, "out": 2, "returned": 3}
    return sorted(views, key=lambda v: (order[v.state], v.due_on, v.loaner_tag))


def conflicts_for(session: Session, now: datetime, *, kiosk_id: uuid.UUID | None = None,
                  campus_id: uuid.UUID | None = None) -> list[LoanView]:
    """Unsettled void loans (made at ``kiosk_id``, or at any kiosk of ``campus_id``): what a kiosk is told."""
    q = select(Loan).where(Loan.returned_at.is_(None))
    if kiosk_id is not None:
        q = q.where(Loan.kiosk_id == kiosk_id)
    if campus_id is not None:
        q = q.where(Loan.campus_id == campus_id)
    return [v for v in _views(session, list(session.scalars(q)), desk_settings.today(session, now))
            if v.state == "void"]


@dataclass(frozen=True)
class PoolState:
    campus: str
    loaners: int
    available: int
    out: int
    overdue: int
    conflicts: int
    available_tags: tuple[str, ...]


def pool(session: Session, now: datetime, campus_id: uuid.UUID | None = None) -> list[PoolState]:
    """Each campus's loaner pool: available, out, overdue (and unsettled conflicts)."""
    q = select(Device.id, Device.asset_tag, Device.campus_id).where(Device.status == DeviceStatus.LOANER)
    if campus_id is not None:
        q = q.where(Device.campus_id == campus_id)
    devices = list(session.execute(q))
    loans = _loans_of(session, {d.id for d in devices}) if devices else []
    kin = standing(loans)
    today = desk_settings.today(session, now)
    busy: dict[uuid.UUID, Loan] = {loan.loaner_id: loan for loan in loans if kin[loan.id].state == "out"}
    void = [loan for loan in loans if kin[loan.id].state == "void" and loan.returned_at is None]
    codes = {r[0]: r[1] for r in session.execute(select(Campus.id, Campus.code))}
    out: dict[uuid.UUID | None, dict[str, Any]] = {}
    for d in devices:
        row = out.setdefault(d.campus_id, {"loaners": 0, "out": 0, "overdue": 0, "conflicts": 0, "tags": []})
        row["loaners"] += 1
        loan = busy.get(d.id)
        if loan is None:
            row["tags"].append(d.asset_tag)
        else:
            row["out"] += 1
            row["overdue"] += loan.due_on < today
    for loan in void:
        if loan.campus_id in out:
            out[loan.campus_id]["conflicts"] += 1
    return sorted((PoolState(codes.get(cid, "(none)") if cid else "(none)", r["loaners"], len(r["tags"]), r["out"],
                             r["overdue"], r["conflicts"], tuple(sorted(r["tags"])))
                   for cid, r in out.items()), key=lambda p: p.campus)


def loans_for_reporter(session: Session, reporter: str, now: datetime) -> list[LoanView]:
    """The reporter's own loans still out (a walk-up reporter sees only their own)."""
    from kiosk.domain.validation import parse_reporter

    id_number, email = parse_reporter(reporter)
    rep = session.scalars(select(Reporter).where(
        or_(Reporter.id_number == id_number) if id_number else Reporter.email == email)).one_or_none()
    if rep is None:
        return []
    loans = list(session.scalars(select(Loan).where(Loan.reporter_id == rep.id, Loan.returned_at.is_(None))))
    return [v for v in _views(session, loans, desk_settings.today(session, now)) if v.state != "void"]
