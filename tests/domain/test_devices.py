"""Device services: edits are validated and kept as moves; the history joins everything."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kiosk.domain import devices, seed, tickets
from kiosk.domain.db import Database
from kiosk.domain.errors import InvalidInput, NotFound
from kiosk.domain.models import AuditLogEntry, Device, DeviceMove, DeviceStatus


@pytest.fixture
def tag(db: Database) -> str:
    seed.seed(db, seed.SeedOptions(devices=40, tickets=0, hash_passwords=False, as_of=db.clock.now().date()))
    with db.unit() as ctx:
        return ctx.session.scalars(select(Device.asset_tag).order_by(Device.asset_tag)).first() or ""


def test_moving_a_device_is_recorded_and_shown_in_its_history(db: Database, tag: str) -> None:
    with db.unit() as ctx:
        devices.set_fields(ctx, tag, {"room": "library", "status": "in repair", "purchase_cost": "$1,234.50",
                                      "notes": "Sticker worn"})
    with db.unit() as ctx:
        d = devices.get_by_tag(ctx.session, tag)
        assert d.status is DeviceStatus.IN_REPAIR and d.purchase_cost_cents == 123450
        moves = ctx.session.scalars(select(DeviceMove).where(DeviceMove.device_id == d.id)).all()
        assert sorted(m.field for m in moves) == ["room", "status"]
        room_move = next(m for m in moves if m.field == "room")
        assert room_move.new_value == "Library"
        assert ctx.session.scalars(select(AuditLogEntry).where(AuditLogEntry.action == "device.update")).one()
        hist = devices.history(ctx.session, tag)
        assert [i.kind for i in hist.items].count("move") == 2
        assert hist.as_dict()["room"] == "Library"


def test_edits_refuse_bad_values(db: Database, tag: str) -> None:
    with db.unit() as ctx:
        with pytest.raises(InvalidInput, match="cannot set colour"):
            devices.set_fields(ctx, tag, {"colour": "red"})
        with pytest.raises(InvalidInput, match="status must be one of"):
            devices.set_fields(ctx, tag, {"status": "broken"})
        with pytest.raises(InvalidInput, match="date like"):
            devices.set_fields(ctx, tag, {"warranty_end": "next year"})
        with pytest.raises(NotFound, match="no room"):
            devices.set_fields(ctx, tag, {"room": "Mars"})
        with pytest.raises(NotFound, match="no device"):
            devices.set_fields(ctx, "DS999999", {"notes": "x"})
        with pytest.raises(InvalidInput, match="not an asset tag"):
            devices.get_by_tag(ctx.session, "bad tag!")


def test_history_has_tickets_and_repairs_with_totals(db: Database) -> None:
    seed.seed(db, seed.SeedOptions(devices=30, tickets=300, hash_passwords=False, as_of=db.clock.now().date()))
    with db.unit() as ctx:
        rows = tickets.list_tickets(ctx.session, status="closed", limit=500)
        with_device = next(t for t in rows if t.device is not None)
        assert with_device.device is not None
        hist = devices.history(ctx.session, with_device.device.asset_tag)
        kinds = {i.kind for i in hist.items}
        assert {"ticket", "event", "repair"} <= kinds
        assert hist.repairs >= 1 and hist.total_minutes >= 5
        assert [i.at for i in hist.items] == sorted(i.at for i in hist.items)


def test_registering_a_new_tag(db: Database, tag: str) -> None:
    with db.unit() as ctx:
        d = devices.register(ctx, "ds777777", category="laptop", campus="LE01", room="Library", model="X1")
        assert d.asset_tag == "DS777777" and d.model == "X1"
        with pytest.raises(InvalidInput, match="already registered"):
            devices.register(ctx, tag, category="laptop")
