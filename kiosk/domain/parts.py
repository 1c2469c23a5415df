"""Parts: the district catalogue (code, name, unit cost, reorder level) and each campus's stock.

Stock is a ledger (``part_movements``, append-only): parts received (+), used in a repair (-), or a count
(the difference to what was counted). A campus's stock of a part is the sum of its movements, so two kiosks
of one campus using parts offline never overwrite each other's counts. A part is low when its stock is at or
below its reorder level; only where the campus keeps it (it has entries in the ledger) and its reorder level is
above 0.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.domain import audit_log
from kiosk.domain.db import Ctx
from kiosk.domain.devices import find_campus
from kiosk.domain.errors import InvalidInput, NotFound, PermissionDenied
from kiosk.domain.models import Campus, Kiosk, Part, PartMovement, RepairLog, StaffRole, StaffUser, Ticket
from kiosk.domain.tickets import get_ticket
from kiosk.domain.validation import clean_text

if TYPE_CHECKING:
    from kiosk.domain.ticket_work import RepairLogged, TicketCard

MAX_QTY = 100_000


def normalize_code(raw: str) -> str:
    code = (raw or "").strip().upper()
    if not 2 <= len(code) <= 32 or not all(c.isalnum() or c in "-_." for c in code):
        raise InvalidInput(f"{code[:40]!r} is not a part code (2-32 letters, digits, '-', '_' or '.')")
    return code


def get_part(session: Session, code: str) -> Part:
    part = session.scalars(select(Part).where(Part.code == normalize_code(code))).one_or_none()
    if part is None or not part.active:
        raise NotFound(f"no part {normalize_code(code)} in the catalogue")
    return part


def add_part(ctx: Ctx, *, code: str, name: str, unit_cost_cents: int, reorder_level: int = 0,
             fits: str | None = None) -> Part:
    """Add a part to the district catalogue, or update it (the catalogue is district data, kept centrally)."""
    if ctx.actor.kiosk_id is not None:
        raise PermissionDenied("the parts catalogue is kept on the central database")
    if ctx.actor.staff_id is not None:
        staff = ctx.session.get(StaffUser, ctx.actor.staff_id)
        if staff is None or staff.role is not StaffRole.ADMIN:
            raise PermissionDenied("only a district admin changes the parts catalogue")
    if not 0 <= unit_cost_cents <= 10_000_000:
        raise InvalidInput("the unit cost must be from 0 to 100,000 dollars")
    if not 0 <= reorder_level <= MAX_QTY:
        raise InvalidInput(f"the reorder level must be from 0 to {MAX_QTY}")
    s = ctx.session
    key = normalize_code(code)
    now = ctx.clock.now()
    part = s.scalars(select(Part).where(Part.code == key)).one_or_none()
    if part is None:
        part = Part(code=key, created_at=now, active=True)
        s.add(part)
    part.name = clean_text(name, field="part name", max_len=200, min_len=2, multiline=False)
    part.unit_cost_cents, part.reorder_level = unit_cost_cents, reorder_level
    part.fits = clean_text(fits or "", field="fits", max_len=500, multiline=False) or None
    part.active, part.updated_at = True, now
    s.flush()
    audit_log.record(ctx, "part.save", "part", part.id, code=key)
    return part


def _campus_for(ctx: Ctx, campus: str | uuid.UUID | None) -> uuid.UUID:
    """The campus a stock change is for: the kiosk's own (a kiosk cannot touch another's), else the one named."""
    if ctx.actor.kiosk_id is not None:
        k = ctx.session.get(Kiosk, ctx.actor.kiosk_id)
        if k is None:
            raise NotFound("this kiosk is not registered")
        if campus is not None and (campus if isinstance(campus, uuid.UUID) else
                                   find_campus(ctx.session, campus).id) != k.campus_id:
            raise PermissionDenied("a kiosk changes only its own campus's stock")
        return k.campus_id
    if campus is None:
        raise InvalidInput("which campus? give --campus")
    return campus if isinstance(campus, uuid.UUID) else find_campus(ctx.session, campus).id


def stock_of(session: Session, part_id: uuid.UUID, campus_id: uuid.UUID) -> int:
    return int(session.scalar(select(func.coalesce(func.sum(PartMovement.delta), 0)).where(
        PartMovement.part_id == part_id, PartMovement.campus_id == campus_id)) or 0)


def _move(ctx: Ctx, part: Part, campus_id: uuid.UUID, delta: int, reason: str, *, repair_id: uuid.UUID | None = None,
          ticket_id: uuid.UUID | None = None, note: str | None = None) -> PartMovement:
    now = ctx.clock.now()
    mv = PartMovement(part_id=part.id, campus_id=campus_id, delta=delta, reason=reason, repair_id=repair_id,
                      ticket_id=ticket_id, at=now, actor_id=ctx.actor.staff_id, note=note, created_at=now,
                      updated_at=now)
    ctx.session.add(mv)
    ctx.session.flush()
    return mv


def _require_staff_at_kiosk(ctx: Ctx) -> None:
    if ctx.actor.staff_id is None and ctx.actor.kiosk_id is not None:
        raise PermissionDenied("only a signed-in technician changes stock")


def receive(ctx: Ctx, code: str, quantity: int, *, campus: str | uuid.UUID | None = None) -> int:
    """Parts arrived at a campus; returns the new stock."""
    _require_staff_at_kiosk(ctx)
    if not 0 < quantity <= MAX_QTY:
        raise InvalidInput(f"the quantity must be from 1 to {MAX_QTY}")
    part = get_part(ctx.session, code)
    cid = _campus_for(ctx, campus)
    _move(ctx, part, cid, quantity, "received")
    return stock_of(ctx.session, part.id, cid)


def count(ctx: Ctx, code: str, counted: int, *, campus: str | uuid.UUID | None = None,
          note: str | None = None) -> int:
    """A stock count (e.g. scanning part labels on the shelf): the ledger is corrected to what was counted."""
    _require_staff_at_kiosk(ctx)
    if not 0 <= counted <= MAX_QTY:
        raise InvalidInput(f"the count must be from 0 to {MAX_QTY}")
    part = get_part(ctx.session, code)
    cid = _campus_for(ctx, campus)
    had = stock_of(ctx.session, part.id, cid)
    diff = counted - had
    if diff:
        _move(ctx, part, cid, diff, "count", note=(note or f"counted {counted}, the ledger had {had}")[:200])
    return counted


def is_low(stock: int, reorder_level: int) -> bool:
    return reorder_level > 0 and stock <= reorder_level


@dataclass(frozen=True)
class PartUse:
    repair_id: uuid.UUID
    part: str
    quantity: int
    cost_cents: int
    stock_left: int
    low: bool


def use_in_repair(ctx: Ctx, repair: RepairLog, code: str, quantity: int = 1) -> PartUse:
    """Take parts used in a logged repair out of the ticket's campus stock (stock may go below zero: the count
    was wrong, the repair still happened; the low-stock list shows it)."""
    if not 0 < quantity <= 100:
        raise InvalidInput("a repair uses 1 to 100 of a part")
    s = ctx.session
    part = get_part(s, code)
    ticket = s.get(Ticket, repair.ticket_id) if repair.ticket_id else None
    if ticket is None:
        raise InvalidInput("parts are taken for a repair on a ticket")
    _move(ctx, part, ticket.campus_id, -quantity, "used", repair_id=repair.id, ticket_id=ticket.id)
    left = stock_of(s, part.id, ticket.campus_id)
    return PartUse(repair.id, part.code, quantity, part.unit_cost_cents * quantity, left,
                   is_low(left, part.reorder_level))


def log_repair_with_part(ctx: Ctx, number: str, *, action: str, minutes: int, part: str,
                         quantity: int = 1) -> tuple[RepairLog, PartUse]:
    """A repair with a part from stock: the repair log names the part and its cost; the stock goes down."""
    _, repair, use = _repair_with_part(ctx, number, action=action, minutes=minutes, part=part, quantity=quantity)
    return repair, use


def _repair_with_part(ctx: Ctx, number: str, *, action: str, minutes: int, part: str,
                      quantity: int = 1) -> tuple[RepairLogged, RepairLog, PartUse]:
    from kiosk.domain import ticket_work

    s = ctx.session
    p = get_part(s, part)
    ticket = get_ticket(s, number)
    if not 0 < quantity <= 100:
        raise InvalidInput("a repair uses 1 to 100 of a part")
    label = f"{p.code} {p.name}" + (f" x{quantity}" if quantity != 1 else "")
    logged = ticket_work.log_repair(ctx, number, action=action, minutes=minutes, parts=label,
                                    cost=p.unit_cost_cents * quantity)
    repair = s.scalars(select(RepairLog).where(RepairLog.ticket_id == ticket.id)
                       .order_by(RepairLog.performed_at.desc(), RepairLog.id.desc())).first()
    assert repair is not None
    use = use_in_repair(ctx, repair, p.code, quantity)
    return replace(logged, ticket=ticket_work.ticket_card(ctx, number)), repair, use


def parse_part_spec(spec: str) -> tuple[str, int]:
    """``SKU`` or ``SKU:QTY`` (the command line's ``--part``): the part code and how many (1-100)."""
    code, _, qty = (spec or "").strip().partition(":")
    try:
        n = int(qty) if qty.strip() else 1
    except ValueError:
        n = 0
    if not 0 < n <= 100:
        raise InvalidInput(f"{spec!r}: give a part as SKU or SKU:QTY, with a quantity from 1 to 100")
    return normalize_code(code), n


@dataclass(frozen=True)
class RepairEntered:
    """A repair logged by a person: the ticket's totals after it, and the part taken from stock, if any."""

    logged: RepairLogged
    part: PartUse | None


def log_repair_entry(ctx: Ctx, number: str, *, action: str, minutes: int, parts: str | None = None,
                     cost: str | int | None = None, part: str | None = None) -> RepairEntered:
    """The one way a person logs a repair (the ticket form's Log repair, ``kiosk repair add``).

    ``part`` (``SKU`` or ``SKU:QTY``) is a catalogue part: its cost is the catalogue's times the quantity and it
    is taken out of the ticket's campus stock. Otherwise ``parts`` is what was typed: when it starts with a
    catalogue code ("KB-3110", "KB-3110 x2") that part is taken from stock at the catalogue's cost, as above;
    any other text is logged as typed, with ``cost``.
    """
    from kiosk.domain import ticket_work

    if part:
        if parts and parts.strip():
            raise InvalidInput("name a catalogue part or type the parts used, not both")
        if cost not in (None, ""):
            raise InvalidInput("a catalogue part's cost is the catalogue's unit cost times the quantity: leave the "
                               "cost out (or type the parts as free text with their cost)")
        code, qty = parse_part_spec(part)
        logged, _, use = _repair_with_part(ctx, number, action=action, minutes=minutes, part=code, quantity=qty)
        return RepairEntered(logged, use)
    found = parse_part_text(ctx.session, parts)
    if found is None:
        return RepairEntered(ticket_work.log_repair(ctx, number, action=action, parts=parts or None,
                                                    minutes=minutes, cost=cost or None), None)
    p, qty = found
    logged, _, use = _repair_with_part(ctx, number, action=action, minutes=minutes, part=p.code, quantity=qty)
    return RepairEntered(logged, use)


def parse_part_text(session: Session, text: str | None) -> tuple[Part, int] | None:
    """A catalogue part named at the start of a repair's "parts used" text ("KB-3110", "KB-3110 x2"), if any."""
    words = (text or "").replace("·", " ").split()
    if not words:
        return None
    try:
        code = normalize_code(words[0])
    except InvalidInput:
        return None
    part = session.scalars(select(Part).where(Part.code == code, Part.active)).one_or_none()
    if part is None:
        return None
    qty = 1
    for w in words[1:]:
        if w.lower().startswith("x") and w[1:].isdigit():
            qty = int(w[1:])
    return part, qty


def log_repair_from_form(ctx: Ctx, number: str, *, action: str, minutes: int, parts: str | None,
                         cost: str | None) -> TicketCard:
    """The repair form's "Log repair" (:func:`log_repair_entry`); returns the ticket card."""
    return log_repair_entry(ctx, number, action=action, minutes=minutes, parts=parts, cost=cost).logged.ticket


@dataclass(frozen=True)
class StockLine:
    code: str
    name: str
    campus: str
    stock: int
    reorder_level: int
    unit_cost_cents: int
    stocked: bool = True  # the campus keeps this part (it has received, used or counted it)

    @property
    def low(self) -> bool:
        return self.stocked and is_low(self.stock, self.reorder_level)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "campus": self.campus, "stock": self.stock,
                "reorder_level": self.reorder_level, "unit_cost": self.unit_cost_cents / 100, "low": self.low}


def stock_lines(session: Session, *, campus: str | uuid.UUID | None = None, low_only: bool = False) -> list[StockLine]:
    """Stock of every active part at every campus (or one), low ones first, then the ones the campus keeps."""
    campuses = list(session.scalars(select(Campus).order_by(Campus.code)))
    if campus is not None:
        cid = campus if isinstance(campus, uuid.UUID) else find_campus(session, campus).id
        campuses = [c for c in campuses if c.id == cid]
    parts = list(session.scalars(select(Part).where(Part.active).order_by(Part.code)))
    sums = {(r.part_id, r.campus_id): int(r.n) for r in session.execute(
        select(PartMovement.part_id, PartMovement.campus_id, func.sum(PartMovement.delta).label("n"))
        .group_by(PartMovement.part_id, PartMovement.campus_id))}
    lines = [StockLine(p.code, p.name, c.code, sums.get((p.id, c.id), 0), p.reorder_level, p.unit_cost_cents,
                       (p.id, c.id) in sums)
             for c in campuses for p in parts]
    if low_only:
        lines = [line for line in lines if line.low]
    return sorted(lines, key=lambda line: (not line.low, not line.stocked, line.campus, line.code))
