"""Repair logging: what was done, the parts used and the minutes spent, as a record and a ticket event."""

from __future__ import annotations

from sqlalchemy.orm import Session

from kiosk.domain.db import Ctx
from kiosk.domain.errors import InvalidInput, PermissionDenied
from kiosk.domain.models import RepairLog, TicketEvent, TicketEventKind
from kiosk.domain.tickets import get_ticket
from kiosk.domain.validation import clean_text

MAX_MINUTES = 24 * 60


def log_repair(ctx: Ctx, number: str, *, action: str, minutes: int, parts: str | None = None,
               parts_cost_cents: int | None = None) -> RepairLog:
    """Log work on a ticket's device (or room): kept as a RepairLog and an append-only REPAIR event."""
    if ctx.actor.staff_id is None:
        raise PermissionDenied("only a signed-in technician can log a repair")
    if not isinstance(minutes, int) or minutes < 0 or minutes > MAX_MINUTES:
        raise InvalidInput(f"minutes must be a whole number from 0 to {MAX_MINUTES}")
    if parts_cost_cents is not None and parts_cost_cents < 0:
        raise InvalidInput("the parts cost cannot be negative")
    s = ctx.session
    ticket = get_ticket(s, number)
    what = clean_text(action, field="repair action", max_len=1000, min_len=3)
    used = clean_text(parts or "", field="parts", max_len=500) or None
    now = ctx.clock.now()
    repair = RepairLog(device_id=ticket.device_id, ticket_id=ticket.id, technician_id=ctx.actor.staff_id,
                       action=what, parts=used, parts_cost_cents=parts_cost_cents, minutes=minutes,
                       performed_at=now, created_at=now, updated_at=now)
    s.add(repair)
    s.add(TicketEvent(ticket_id=ticket.id, at=now, kind=TicketEventKind.REPAIR, public=False,
                      actor_id=ctx.actor.staff_id, body=f"{what} ({minutes} min" + (f", parts: {used})" if used
                                                                                  else ")"),
                      created_at=now, updated_at=now))
    ticket.updated_at = now
    return repair


def minutes_on_ticket(session: Session, ticket_id: object) -> int:
    from sqlalchemy import func, select

    return int(session.scalar(select(func.coalesce(func.sum(RepairLog.minutes), 0))
                              .where(RepairLog.ticket_id == ticket_id)) or 0)
