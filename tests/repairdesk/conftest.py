"""A small district for the repair-desk stories: two campuses, a technician, Chromebooks and loaners."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, time

import pytest

from kiosk.domain.db import Database
from kiosk.domain.models import (
    Campus,
    CategoryScope,
    Device,
    DeviceCategory,
    DeviceStatus,
    District,
    Priority,
    Room,
    ServiceCategory,
    SlaTarget,
    StaffRole,
    StaffUser,
    WorkingHours,
)


@dataclass
class Desk:
    db: Database
    campus_id: uuid.UUID
    other_campus_id: uuid.UUID
    tech_id: uuid.UUID
    admin_id: uuid.UUID


def build_district(db: Database) -> Desk:
    with db.unit() as ctx:
        s = ctx.session
        now = ctx.clock.now()
        stamp = {"created_at": now, "updated_at": now}
        district = District(name="Test ISD", timezone="America/Chicago", **stamp)
        s.add(district)
        s.flush()
        le = Campus(district_id=district.id, code="LE01", name="Lincoln Elementary", level="elementary", **stamp)
        hs = Campus(district_id=district.id, code="HS02", name="Heritage High", level="high", **stamp)
        s.add_all([le, hs])
        s.flush()
        room = Room(campus_id=le.id, name="Tech Room", kind="tech room", **stamp)
        s.add_all([room, Room(campus_id=hs.id, name="Tech Room", kind="tech room", **stamp)])
        for i, (code, name, prio) in enumerate([("screen", "Cracked screen", Priority.P3),
                                                ("damage", "Liquid or physical damage", Priority.P3),
                                                ("keyboard", "Keyboard", Priority.P3),
                                                ("other", "Something else", Priority.P4)]):
            s.add(ServiceCategory(code=code, name=name, icon="x", default_priority=prio, covered=True,
                                  scope=CategoryScope.ANY, sort_order=i, active=True, **stamp))
        for p, (r, z) in {Priority.P1: (30, 240), Priority.P2: (120, 1080), Priority.P3: (480, 2700),
                          Priority.P4: (1080, 5400)}.items():
            s.add(SlaTarget(priority=p, first_response_minutes=r, resolution_minutes=z, **stamp))
        for d in range(5):
            s.add(WorkingHours(weekday=d, opens=time(7, 30), closes=time(16, 30), **stamp))
        tech = StaffUser(username="mlopez", first_name="Maria", last_name="Lopez", role=StaffRole.TECHNICIAN,
                         active=True, lead_of_campus_id=le.id, **stamp)
        admin = StaffUser(username="admin", first_name="Alex", last_name="Admin", role=StaffRole.ADMIN,
                          active=True, **stamp)
        s.add_all([tech, admin])
        for i in range(1, 6):
            s.add(Device(asset_tag=f"CB{i:04d}", category=DeviceCategory.CHROMEBOOK, manufacturer="Dell",
                         model="Chromebook 3110", campus_id=le.id, room_id=room.id, status=DeviceStatus.IN_SERVICE,
                         purchase_date=date(2024, 8, 1), purchase_cost_cents=28900,
                         warranty_end=date(2027, 7, 31) if i % 2 else date(2025, 7, 31),
                         purchase_order="PO-2024-118" if i <= 3 else None, **stamp))
        for i in range(1, 4):
            s.add(Device(asset_tag=f"LN{i:04d}", category=DeviceCategory.CHROMEBOOK, manufacturer="Dell",
                         model="Chromebook 3110", campus_id=le.id, room_id=room.id, status=DeviceStatus.LOANER,
                         **stamp))
        s.add(Device(asset_tag="LN0101", category=DeviceCategory.CHROMEBOOK, campus_id=hs.id,
                     status=DeviceStatus.LOANER, **stamp))
        s.flush()
        return Desk(db, le.id, hs.id, tech.id, admin.id)


@pytest.fixture
def desk(db: Database) -> Desk:
    return build_district(db)
