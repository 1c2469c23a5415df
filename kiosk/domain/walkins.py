"""Walk-ins fixed on the spot: one call opens a ticket with channel walk-in, logs the time and resolves it.

First-contact resolution (the service report's ``first_contact_resolution_pct``) counts these walk-ins over every
walk-up contact: walk-ins plus tickets reported at the kiosk (channel kiosk).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from kiosk.domain import desk_settings, repairs, tickets, triage
from kiosk.domain.db import Ctx
from kiosk.domain.errors import PermissionDenied
from kiosk.domain.models import Cause, Channel, Device, ServiceCategory, StaffUser, TicketStatus


@dataclass(frozen=True)
class WalkinResult:
    number: str
    tag: str
    minutes: int
    resolution_code: str
    technician: str


def _category_code(ctx: Ctx) -> str:
    wanted = str(desk_settings.get(ctx.session, "walkin.category"))
    codes = list(ctx.session.scalars(select(ServiceCategory.code).where(ServiceCategory.active)
                                     .order_by(ServiceCategory.sort_order)))
    if wanted in codes:
        return wanted
    return "other" if "other" in codes else codes[0]


def log_walkin(ctx: Ctx, *, tag: str, action: str, minutes: int, reporter: str | None = None,
               resolution_code: str = "repaired_on_site", cause: Cause | str | None = None,
               category: str | None = None) -> WalkinResult:
    """A technician fixed a device brought to the tech room: the ticket opens and resolves at once."""
    if ctx.actor.staff_id is None:
        raise PermissionDenied("only a signed-in technician logs a walk-in")
    staff = ctx.session.get(StaffUser, ctx.actor.staff_id)
    if staff is None or not staff.active:
        raise PermissionDenied("that staff account cannot log walk-ins")
    code = triage.check_resolution_code(ctx.session, resolution_code)
    ticket = tickets.create_ticket(ctx, category=category or _category_code(ctx), description=f"Walk-in: {action}",
                                   reporter=reporter, tag=tag, channel=Channel.WALK_IN)
    ticket.assignee_id = staff.id
    repair = repairs.log_repair(ctx, ticket.number, action=action, minutes=minutes)
    tickets.change_status(ctx, ticket.number, TicketStatus.RESOLVED, resolution=repair.action)
    ticket.resolution_code = code
    if cause is not None:
        triage.set_cause(ctx, ticket.number, cause)
    device = ctx.session.get(Device, ticket.device_id) if ticket.device_id else None  # lazy="raise": by its id
    device_tag = device.asset_tag if device else tag
    return WalkinResult(ticket.number, device_tag, minutes, code, staff.username)
