"""Logging a repair: a RepairLog and an append-only REPAIR event; time and parts show on the device."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kiosk.domain import devices, repairs, seed, tickets
from kiosk.domain.db import Actor, Database
from kiosk.domain.errors import InvalidInput, PermissionDenied
from kiosk.domain.models import Device, StaffUser, TicketEventKind


def test_a_repair_is_logged_with_parts_and_minutes(db: Database) -> None:
    seed.seed(db, seed.SeedOptions(devices=20, tickets=0, hash_passwords=False))
    with db.unit() as ctx:
        tag = ctx.session.scalars(select(Device.asset_tag).order_by(Device.asset_tag)).first()
        tech = ctx.session.scalars(select(StaffUser.id).where(StaffUser.role == "technician")).first()
        assert tag and tech
        number = tickets.create_ticket(ctx, category="screen", description="cracked", reporter="1234",
                                       tag=tag).number
    with db.unit() as ctx, pytest.raises(PermissionDenied):
        repairs.log_repair(ctx, number, action="Replaced panel", minutes=20)
    with db.unit(Actor(staff_id=tech)) as ctx:
        with pytest.raises(InvalidInput, match="minutes"):
            repairs.log_repair(ctx, number, action="Replaced panel", minutes=-5)
        repairs.log_repair(ctx, number, action="Replaced panel", minutes=25, parts="LCD 11.6in",
                           parts_cost_cents=4500)
    with db.unit() as ctx:
        view = tickets.view(ctx.session, number)
        assert view.events[-1].kind is TicketEventKind.REPAIR and "25 min" in (view.events[-1].body or "")
        assert repairs.minutes_on_ticket(ctx.session, view.ticket.id) == 25
        hist = devices.history(ctx.session, tag)
        assert hist.total_minutes == 25 and hist.parts == ["LCD 11.6in"]
