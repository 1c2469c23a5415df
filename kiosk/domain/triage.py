"""Cause and resolution codes, damage and warranty triage at intake, depot repairs and fees.

* **cause** (accidental, intentional, wear, defect, unknown) on the ticket; **resolution code** from the
  district's list (``resolution.codes``) when it is resolved.
* **coverage at report time**: accidental damage is covered by an accidental-damage plan matching the device's
  model or purchase order while the plan's yearly pool of claims lasts (claims used = triaged tickets covered
  by the plan in the school year); wear, defects and unknown causes are covered while ``warranty_end`` has not
  passed; intentional damage is not covered.
* **damage policy**: each accidental or intentional damage incident of a reporter in a school year is counted;
  the district's ``damage.policy`` gives the action (and suggested fee) for the 1st, 2nd, 3rd... (the last
  applies beyond).
* **depot repairs** carry the district's checklist (``depot.checklist``); a device ships only with every item
  done. **Fees** are recorded for the business office and exported as CSV, cells that a spreadsheet would run as
  a formula neutralised.
"""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from kiosk.domain import audit_log, desk_settings
from kiosk.domain.db import Ctx
from kiosk.domain.errors import Conflict, InvalidInput, PermissionDenied
from kiosk.domain.models import (
    Campus,
    Cause,
    Coverage,
    DamagePlan,
    DepotRepair,
    Device,
    Fee,
    Reporter,
    StaffUser,
    Ticket,
    TicketTriage,
)
from kiosk.domain.tickets import get_ticket
from kiosk.domain.validation import clean_text

DAMAGE_CAUSES = (Cause.ACCIDENTAL, Cause.INTENTIONAL)


def _staff(ctx: Ctx) -> uuid.UUID | None:
    """Technician work: a signed-in staff member at a kiosk, or the command line (no kiosk)."""
    if ctx.actor.staff_id is None and ctx.actor.kiosk_id is not None:
        raise PermissionDenied("only a signed-in technician can do that")
    return uuid.UUID(str(ctx.actor.staff_id)) if ctx.actor.staff_id is not None else None


def parse_cause(value: Cause | str) -> Cause:
    try:
        return Cause(str(value).strip().lower())
    except ValueError:
        raise InvalidInput(f"unknown cause {value!r}; one of: {', '.join(c.value for c in Cause)}") from None


def check_resolution_code(session: Session, code: str) -> str:
    codes = [c for c, _ in desk_settings.resolution_codes(session)]
    key = (code or "").strip().lower().replace(" ", "_").replace("-", "_")
    if key not in codes:
        raise InvalidInput(f"unknown resolution code {code!r}; one of: {', '.join(codes)}")
    return key


def set_cause(ctx: Ctx, number: str, cause: Cause | str) -> Ticket:
    _staff(ctx)
    ticket = get_ticket(ctx.session, number)
    ticket.cause = parse_cause(cause)
    ticket.updated_at = ctx.clock.now()
    return ticket


def set_resolution_code(ctx: Ctx, number: str, code: str) -> Ticket:
    """The resolution code of a resolved (or closed) ticket."""
    _staff(ctx)
    ticket = get_ticket(ctx.session, number)
    if ticket.status.is_open:
        raise Conflict(f"ticket {ticket.number} is not resolved yet; resolve it with its code")
    ticket.resolution_code = check_resolution_code(ctx.session, code)
    ticket.updated_at = ctx.clock.now()
    return ticket


def resolve(ctx: Ctx, number: str, *, code: str, resolution: str, cause: Cause | str | None = None) -> Ticket:
    """Resolve a ticket with a resolution code from the district's list (and its cause, if known now)."""
    from kiosk.domain import tickets

    checked = check_resolution_code(ctx.session, code)
    tickets.change_status(ctx, number, "resolved", resolution=resolution)
    ticket = get_ticket(ctx.session, number)
    ticket.resolution_code = checked
    if cause is not None:
        ticket.cause = parse_cause(cause)
    return ticket


# ---------------------------------------------------------------------------------------------
# Coverage and the damage policy
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TriageView:
    ticket: str
    cause: str
    coverage: str  # warranty, damage_plan, not_covered
    coverage_text: str
    plan: str | None
    claims_used: int | None  # this school year, this one included
    claims_pool: int | None
    school_year: str
    incident_number: int | None  # the reporter's damage incidents this school year, this one included
    policy_action: str | None
    suggested_fee_cents: int | None

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def matching_plan(session: Session, device: Device) -> DamagePlan | None:
    conds = []
    if device.model:
        conds.append(func.lower(DamagePlan.model) == device.model.lower())
    if device.purchase_order:
        conds.append(DamagePlan.purchase_order == device.purchase_order)
    if not conds:
        return None
    return session.scalars(select(DamagePlan).where(DamagePlan.active, or_(*conds))
                           .order_by(DamagePlan.purchase_order.is_(None), DamagePlan.name)).first()


def claims_used(session: Session, plan_id: uuid.UUID, year: str, *, excluding: uuid.UUID | None = None) -> int:
    q = select(func.count()).select_from(TicketTriage).where(
        TicketTriage.plan_id == plan_id, TicketTriage.school_year == year,
        TicketTriage.coverage == Coverage.DAMAGE_PLAN)
    if excluding is not None:
        q = q.where(TicketTriage.ticket_id != excluding)
    return int(session.scalar(q) or 0)


def incidents_before(session: Session, reporter_id: uuid.UUID, year: str, opened_at: datetime,
                     excluding: uuid.UUID) -> int:
    """The reporter's damage incidents in the school year reported before this one."""
    return int(session.scalar(
        select(func.count()).select_from(TicketTriage).join(Ticket, Ticket.id == TicketTriage.ticket_id)
        .where(TicketTriage.reporter_id == reporter_id, TicketTriage.school_year == year,
               TicketTriage.cause.in_(DAMAGE_CAUSES), TicketTriage.ticket_id != excluding,
               Ticket.opened_at <= opened_at)) or 0)


def triage(ctx: Ctx, number: str, cause: Cause | str) -> TriageView:
    """Record the cause and the coverage at report time; for damage, which incident of the year it is."""
    staff_id = _staff(ctx)
    s = ctx.session
    ticket = get_ticket(s, number)
    why = parse_cause(cause)
    ticket.cause = why
    now = ctx.clock.now()
    day = desk_settings.today(s, ticket.opened_at)
    year, _, _ = desk_settings.school_year(s, day)
    device = s.get(Device, ticket.device_id) if ticket.device_id else None
    coverage, plan, used, pool = Coverage.NOT_COVERED, None, None, None
    text = "not covered"
    if device is not None and why is Cause.ACCIDENTAL:
        plan = matching_plan(s, device)
        if plan is not None:
            used = claims_used(s, plan.id, year, excluding=ticket.id)
            pool = plan.claims_per_year
            if used < pool:
                coverage, used = Coverage.DAMAGE_PLAN, used + 1
                text = f"accidental-damage plan {plan.name}: claim {used} of {pool} this school year"
            else:
                text = f"not covered: plan {plan.name} has used all {pool} claims this school year"
        else:
            text = "not covered: no accidental-damage plan for this device"
    elif device is not None and why in (Cause.WEAR, Cause.DEFECT, Cause.UNKNOWN):
        if device.warranty_end is not None and day <= device.warranty_end:
            coverage, text = Coverage.WARRANTY, f"in warranty until {device.warranty_end.isoformat()}"
        elif device.warranty_end is not None:
            text = f"not covered: warranty ended {device.warranty_end.isoformat()}"
    elif why is Cause.INTENTIONAL:
        text = "not covered: intentional damage"
    incident = action = None
    fee = None
    if why in DAMAGE_CAUSES and ticket.reporter_id is not None:
        incident = incidents_before(s, ticket.reporter_id, year, ticket.opened_at, ticket.id) + 1
        policy = desk_settings.get(s, "damage.policy")
        step = policy[min(incident, len(policy)) - 1]
        action, fee = str(step["action"]), step.get("fee_cents")
    row = s.scalars(select(TicketTriage).where(TicketTriage.ticket_id == ticket.id)).one_or_none()
    values = {"campus_id": ticket.campus_id, "device_id": ticket.device_id, "reporter_id": ticket.reporter_id,
              "cause": why, "coverage": coverage, "plan_id": plan.id if plan and coverage is Coverage.DAMAGE_PLAN
              else None, "school_year": year, "incident_number": incident, "policy_action": action,
              "recorded_at": now, "recorded_by_id": staff_id}
    if row is None:
        s.add(TicketTriage(ticket_id=ticket.id, created_at=now, updated_at=now, **values))
    else:
        for k, v in values.items():
            setattr(row, k, v)
        row.updated_at = now
    ticket.updated_at = now
    s.flush()
    audit_log.record(ctx, "ticket.triage", "ticket", ticket.id, number=ticket.number, cause=why.value,
                     coverage=coverage.value, incident=incident)
    return TriageView(ticket.number, why.value, coverage.value, text, plan.name if plan else None, used, pool, year,
                      incident, action, fee)


def view(session: Session, number: str) -> TriageView | None:
    ticket = get_ticket(session, number)
    row = session.scalars(select(TicketTriage).where(TicketTriage.ticket_id == ticket.id)).one_or_none()
    if row is None:
        return None
    plan = session.get(DamagePlan, row.plan_id) if row.plan_id else None
    used = claims_used(session, plan.id, row.school_year) if plan else None
    text = {"warranty": "in warranty", "damage_plan": f"accidental-damage plan {plan.name if plan else ''}",
            "not_covered": "not covered"}[row.coverage.value]
    return TriageView(ticket.number, row.cause.value, row.coverage.value, text, plan.name if plan else None, used,
                      plan.claims_per_year if plan else None, row.school_year, row.incident_number,
                      row.policy_action, None)


def add_plan(ctx: Ctx, *, name: str, claims_per_year: int, model: str | None = None,
             purchase_order: str | None = None) -> DamagePlan:
    """An accidental-damage plan (district data: the command line on the central database)."""
    _district_only(ctx)
    if not model and not purchase_order:
        raise InvalidInput("a plan covers a model or a purchase order: give --model or --purchase-order")
    if not 0 <= claims_per_year <= 100_000:
        raise InvalidInput("claims per year must be from 0 to 100000")
    now = ctx.clock.now()
    label = clean_text(name, field="plan name", max_len=100, min_len=2, multiline=False)
    plan = ctx.session.scalars(select(DamagePlan).where(DamagePlan.name == label)).one_or_none()
    if plan is None:
        plan = DamagePlan(name=label, created_at=now, updated_at=now, active=True, claims_per_year=claims_per_year)
        ctx.session.add(plan)
    plan.model, plan.purchase_order = model or None, purchase_order or None
    plan.claims_per_year, plan.updated_at = claims_per_year, now
    ctx.session.flush()
    return plan


def retire_plan(ctx: Ctx, plan: DamagePlan) -> DamagePlan:
    """A plan no longer offered: inactive, never deleted (the claims counted against it stay)."""
    _district_only(ctx)
    plan.active, plan.updated_at = False, ctx.clock.now()
    ctx.session.flush()
    return plan


def _district_only(ctx: Ctx) -> None:
    if ctx.actor.kiosk_id is not None:
        raise PermissionDenied("district data is changed on the central database")
    if ctx.actor.staff_id is not None:
        staff = ctx.session.get(StaffUser, ctx.actor.staff_id)
        if staff is None or staff.role.value != "admin":
            raise PermissionDenied("only a district admin changes district data")


# ---------------------------------------------------------------------------------------------
# Depot and vendor repairs
# ---------------------------------------------------------------------------------------------


def record_depot(ctx: Ctx, number: str, *, vendor: str, case_number: str | None = None,
                 shipped_on: date | None = None, returned_on: date | None = None, cost_cents: int | None = None,
                 done: list[str] | None = None) -> DepotRepair:
    """Create or update the ticket's depot repair; it ships only when every checklist item is done."""
    staff_id = _staff(ctx)
    s = ctx.session
    ticket = get_ticket(s, number)
    if ticket.device_id is None:
        raise InvalidInput("a depot repair needs a device on the ticket")
    items = [str(i) for i in desk_settings.get(s, "depot.checklist")]
    row = s.scalars(select(DepotRepair).where(DepotRepair.ticket_id == ticket.id)).one_or_none()
    now = ctx.clock.now()
    if row is None:
        row = DepotRepair(campus_id=ticket.campus_id, ticket_id=ticket.id, device_id=ticket.device_id,
                          vendor="", checklist={i: False for i in items}, created_by_id=staff_id,
                          created_at=now, updated_at=now)
        s.add(row)
    row.vendor = clean_text(vendor, field="vendor", max_len=100, min_len=2, multiline=False)
    if case_number is not None:
        row.case_number = clean_text(case_number, field="case number", max_len=64, multiline=False) or None
    checklist = {i: bool((row.checklist or {}).get(i)) for i in items}
    for item in done or []:
        match = [i for i in items if i == item or (item.isdigit() and items.index(i) == int(item) - 1)]
        if not match:
            raise InvalidInput(f"no checklist item {item!r}; the items are numbered 1 to {len(items)}")
        checklist[match[0]] = True
    row.checklist = checklist
    if shipped_on is not None:
        missing = [i for i, ok in checklist.items() if not ok]
        if missing:
            raise Conflict("before shipping: " + "; ".join(missing))
        row.shipped_on = shipped_on
    if returned_on is not None:
        if (row.shipped_on or shipped_on) is None or returned_on < (row.shipped_on or returned_on):
            raise InvalidInput("a device returns after it shipped")
        row.returned_on = returned_on
    if cost_cents is not None:
        if cost_cents < 0:
            raise InvalidInput("the cost cannot be negative")
        row.cost_cents = cost_cents
    row.updated_at = now
    s.flush()
    return row


# ---------------------------------------------------------------------------------------------
# Fees
# ---------------------------------------------------------------------------------------------


def record_fee(ctx: Ctx, number: str, *, amount_cents: int, reason: str) -> Fee:
    staff_id = _staff(ctx)
    s = ctx.session
    ticket = get_ticket(s, number)
    if not 0 < amount_cents <= 10_000_000:
        raise InvalidInput("a fee is more than 0 and at most 100,000 dollars")
    now = ctx.clock.now()
    fee = Fee(campus_id=ticket.campus_id, ticket_id=ticket.id, reporter_id=ticket.reporter_id,
              device_id=ticket.device_id, amount_cents=amount_cents,
              reason=clean_text(reason, field="reason", max_len=200, min_len=2, multiline=False),
              recorded_at=now, recorded_by_id=staff_id, created_at=now, updated_at=now)
    s.add(fee)
    s.flush()
    audit_log.record(ctx, "fee.record", "fee", fee.id, number=ticket.number, cents=amount_cents)
    return fee


FEE_COLUMNS = ["recorded_at", "campus", "ticket", "reporter", "device", "amount", "reason", "cause",
               "incident_number", "school_year"]


def safe_cell(value: object) -> str:
    """A CSV cell a spreadsheet will not run: text starting with = + - @ (or a tab or CR) gets an apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def fees_csv(session: Session, *, first: date | None = None, last: date | None = None,
             campus: str | None = None) -> str:
    """Fees for the business office as CSV (local dates ``first``..``last``, inclusive)."""
    from kiosk.domain.devices import find_campus

    q = (select(Fee, Campus.code, Ticket.number, Ticket.cause, Reporter.id_number, Reporter.email, Device.asset_tag,
                TicketTriage.incident_number, TicketTriage.school_year)
         .join(Campus, Campus.id == Fee.campus_id)
         .outerjoin(Ticket, Ticket.id == Fee.ticket_id).outerjoin(Reporter, Reporter.id == Fee.reporter_id)
         .outerjoin(Device, Device.id == Fee.device_id)
         .outerjoin(TicketTriage, TicketTriage.ticket_id == Fee.ticket_id).order_by(Fee.recorded_at, Fee.id))
    if campus:
        q = q.where(Fee.campus_id == find_campus(session, campus).id)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(FEE_COLUMNS)
    for fee, code, number, cause, id_number, email, tag, incident, year in session.execute(q):
        day = desk_settings.today(session, fee.recorded_at)
        if (first and day < first) or (last and day > last):
            continue
        writer.writerow([safe_cell(v) for v in (
            fee.recorded_at.isoformat(timespec="seconds"), code, number, id_number or email, tag,
            f"{fee.amount_cents / 100:.2f}", fee.reason, cause.value if cause else "", incident, year)])
    return buf.getvalue()
