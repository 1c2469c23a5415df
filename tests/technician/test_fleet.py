"""Fleet lists: devices repaired too often, models that stand out from their fleet, unknown tags to register."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.domain import devices, fleet, walkup
from kiosk.domain.clock import FakeClock
from kiosk.domain.db import Actor, Database
from kiosk.domain.errors import InvalidInput
from kiosk.domain.models import (
    AuditLogEntry,
    Campus,
    Channel,
    Device,
    DeviceCategory,
    DeviceStatus,
    District,
    Priority,
    RepairLog,
    Room,
    ServiceCategory,
    StaffRole,
    StaffUser,
    Ticket,
    UnknownTagScan,
)

_numbers = itertools.count(1)


@dataclass
class Fleet:
    north: uuid.UUID
    south: uuid.UUID
    tech: uuid.UUID
    categories: dict[str, uuid.UUID]


def _base(s: Session) -> Fleet:
    district = District(name="Test ISD")
    s.add(district)
    s.flush()
    north = Campus(district_id=district.id, code="NHS", name="North High")
    south = Campus(district_id=district.id, code="SHS", name="South High")
    tech = StaffUser(username="maria", first_name="Maria", last_name="Tech", role=StaffRole.TECHNICIAN)
    cats = [ServiceCategory(code=c, name=n, icon="x", default_priority=Priority.P3)
            for c, n in (("keyboard", "Keyboard or trackpad"), ("battery", "Battery or charging"),
                         ("lamp", "Projector lamp"))]
    s.add_all([north, south, tech, *cats])
    s.flush()
    s.add(Room(campus_id=north.id, name="Lab 1"))
    return Fleet(north.id, south.id, tech.id, {c.code: c.id for c in cats})


def _devices(s: Session, campus: uuid.UUID, prefix: str, n: int, model: str,
             kind: DeviceCategory = DeviceCategory.CHROMEBOOK, make: str = "Acme",
             status: DeviceStatus = DeviceStatus.IN_SERVICE) -> list[Device]:
    made = [Device(asset_tag=f"{prefix}-{i:03d}", manufacturer=make, model=model, category=kind, campus_id=campus,
                   status=status) for i in range(n)]
    s.add_all(made)
    s.flush()
    return made


def _repairs(s: Session, f: Fleet, targets: list[Device], count: int, at: datetime, minutes: int = 10) -> None:
    """``count`` repairs spread round-robin over ``targets``, all performed at ``at``."""
    for i in range(count):
        s.add(RepairLog(device_id=targets[i % len(targets)].id, technician_id=f.tech, action="fixed",
                        minutes=minutes, performed_at=at))


def _tickets(s: Session, f: Fleet, targets: list[Device], count: int, category: str, at: datetime) -> None:
    for i in range(count):
        d = targets[i % len(targets)]
        s.add(Ticket(number=f"T-{next(_numbers):06d}", campus_id=d.campus_id, device_id=d.id,
                     category_id=f.categories[category], description="broken", reporter_priority=Priority.P3,
                     priority=Priority.P3, channel=Channel.KIOSK, opened_at=at))


# ---------------------------------------------------------------------------------------------
# Troublesome devices
# ---------------------------------------------------------------------------------------------


def test_troublesome_counts_repairs_inside_the_window_edge(any_db: Database, clock: FakeClock) -> None:
    db = any_db
    now = clock.now()
    edge = now - timedelta(days=90)
    with db.unit() as ctx:
        s = ctx.session
        f = _base(s)
        (x,) = _devices(s, f.north, "X", 1, "Book 11")
        (y,) = _devices(s, f.north, "Y", 1, "Book 11")
        (z,) = _devices(s, f.south, "Z", 1, "Book 11")
        (old,) = _devices(s, f.north, "OLD", 1, "Book 11", status=DeviceStatus.RETIRED)
        _repairs(s, f, [x], 1, edge, minutes=15)  # exactly 90 days ago: inside
        _repairs(s, f, [y], 1, edge - timedelta(seconds=1))  # one second earlier: outside
        for d in (x, y, z, old):
            _repairs(s, f, [d], 1, now - timedelta(days=30), minutes=20)
            _repairs(s, f, [d], 1, now - timedelta(days=1), minutes=25)
        _repairs(s, f, [z], 1, now - timedelta(hours=2), minutes=5)
        _repairs(s, f, [old], 1, now - timedelta(hours=2))
        _repairs(s, f, [y], 1, now + timedelta(hours=1))  # logged with a future time: not counted yet
        ids = {d.asset_tag: d.id for d in (x, y, z, old)}

    with db.unit() as ctx:
        s = ctx.session
        found = fleet.troublesome_devices(s, repairs=3, days=90, now=now)
        assert [(d.tag, d.repairs, d.minutes, d.campus) for d in found] == [
            ("X-000", 3, 60, "NHS"), ("Z-000", 3, 50, "SHS")]
        assert found[0].last_repair == now - timedelta(days=1) and found[0].model == "Acme Book 11"
        assert [d.tag for d in fleet.troublesome_devices(s, repairs=3, days=90, now=now, campus_id=f.south)] == [
            "Z-000"]
        assert "OLD-000" in [d.tag for d in fleet.troublesome_devices(s, now=now, include_retired=True)]
        assert fleet.is_troublesome(s, ids["X-000"], repairs=3, days=90, now=now)
        assert not fleet.is_troublesome(s, ids["Y-000"], repairs=3, days=90, now=now)
        # A second later the oldest repair of X leaves the window.
        later = now + timedelta(seconds=1)
        assert not fleet.is_troublesome(s, ids["X-000"], repairs=3, days=90, now=later)
        assert [d.tag for d in fleet.troublesome_devices(s, repairs=3, days=90, now=later)] == ["Z-000"]
        assert [d.tag for d in fleet.troublesome_devices(s, repairs=2, days=30, now=now)] == [
            "Z-000", "X-000", "Y-000"]  # Z has 3 in 30 days (the edge included); X and Y 2 each, then by tag
        with pytest.raises(InvalidInput):
            fleet.troublesome_devices(s, repairs=0, now=now)


# ---------------------------------------------------------------------------------------------
# Model outliers
# ---------------------------------------------------------------------------------------------


def _outlier_fleet(db: Database, now: datetime) -> None:
    """A hand-built fleet; every number the tests expect is worked out in ``test_model_outliers``."""
    inside = now - timedelta(days=100)
    outside = now - timedelta(days=400)
    with db.unit() as ctx:
        s = ctx.session
        f = _base(s)
        a = _devices(s, f.north, "A", 20, "Book 11")  # 20 repairs: rate 1.0
        b = _devices(s, f.north, "B", 40, "Bolt 14", make="Bolt")  # 8 repairs: 0.2; 24 keyboard tickets
        c = _devices(s, f.south, "C", 20, "Cobalt 3", make="Cob")  # 2 repairs; 1 keyboard ticket
        d = _devices(s, f.south, "D", 5, "Dot", make="Dot")  # 5 repairs: rate 1.0, but only 5 devices
        e = _devices(s, f.south, "E", 20, "Echo", make="Echo")  # 0 repairs; 1 battery ticket
        p = _devices(s, f.north, "P", 20, "Beam X", DeviceCategory.PROJECTOR, make="Lux")  # 6 repairs; 3 lamp
        q = _devices(s, f.north, "Q", 20, "Lumen", DeviceCategory.PROJECTOR, make="Lux")  # 0 repairs; 3 lamp
        gone = _devices(s, f.north, "AR", 3, "Book 11", status=DeviceStatus.RETIRED)
        _repairs(s, f, a, 20, inside)
        _repairs(s, f, b, 8, inside)
        _repairs(s, f, b, 30, outside)  # before the window
        _repairs(s, f, c, 2, inside)
        _repairs(s, f, d, 5, inside)
        _repairs(s, f, p, 6, inside)
        _repairs(s, f, gone, 10, inside)  # retired devices are not in the population
        _tickets(s, f, b, 24, "keyboard", inside)
        _tickets(s, f, b, 9, "keyboard", outside)
        _tickets(s, f, c, 1, "keyboard", inside)
        _tickets(s, f, e, 1, "battery", inside)
        _tickets(s, f, p, 3, "lamp", inside)
        _tickets(s, f, q, 3, "lamp", inside)


def test_model_outliers(any_db: Database, clock: FakeClock) -> None:
    db = any_db
    now = clock.now()
    _outlier_fleet(db, now)
    with db.unit() as ctx:
        found = fleet.model_outliers(ctx.session, now=now)
    rows = [(m.model, m.kind, m.category_code, m.devices, m.repairs, m.fleet_devices, m.fleet_repairs) for m in found]
    # Chromebooks: 20 + 40 + 20 + 5 + 20 = 105 devices, 20 + 8 + 2 + 5 + 0 = 35 repairs, fleet rate 1/3.
    #   Book 11: 20/20 = 1.0 = 3.0 x fleet -> flagged.  Bolt 14: 8/40 = 0.2 = 0.6 x.  Dot: 5/5 = 3 x, but 5 devices.
    #   Keyboard tickets: 24 + 1 = 25 over 105 devices; Bolt 14: 24/40 = 0.6 = 0.6 * 105/25 = 2.52 x -> flagged.
    #   Battery: Echo 1/20 = 5.25 x the fleet's 1/105, but one ticket is below min_repairs (3).
    # Projectors: 40 devices, 6 repairs, fleet rate 0.15; Beam X: 6/20 = 0.3 = exactly 2.0 x -> flagged.
    #   Lamp tickets: 3/20 for both models = the fleet's 6/40 -> nothing stands out.
    assert rows == [
        ("Book 11", "chromebook", None, 20, 20, 105, 35),
        ("Bolt 14", "chromebook", "keyboard", 40, 24, 105, 25),
        ("Beam X", "projector", None, 20, 6, 40, 6),
    ]
    book, bolt, beam = found
    assert (book.rate, book.fleet_rate, book.ratio, book.measure) == (1.0, pytest.approx(1 / 3), pytest.approx(3.0),
                                                                      "repairs")
    assert (bolt.rate, bolt.fleet_rate, bolt.ratio) == (0.6, pytest.approx(25 / 105), pytest.approx(2.52))
    assert (bolt.category, bolt.measure, bolt.name) == ("Keyboard or trackpad", "tickets", "Bolt Bolt 14")
    assert (beam.rate, beam.fleet_rate, beam.ratio) == (pytest.approx(0.3), pytest.approx(0.15), pytest.approx(2.0))

    with db.unit() as ctx:
        s = ctx.session
        # Thresholds: a higher factor drops the 2.0 x model; small models come in with min_devices=5.
        assert [m.model for m in fleet.model_outliers(s, now=now, factor=2.1)] == ["Book 11", "Bolt 14"]
        small = fleet.model_outliers(s, now=now, min_devices=5)
        assert ("Dot", None) in [(m.model, m.category_code) for m in small]
        assert ("Echo", "battery") in [(m.model, m.category_code) for m in
                                       fleet.model_outliers(s, now=now, min_repairs=1)]
        # Against the whole fleet (145 devices, 41 repairs) projectors no longer stand out for repairs, but both
        # projector models are flagged for lamp tickets Chromebooks never get: why the default compares within
        # a device kind. Lamp: 6/145 fleet; each model 3/20 = 0.15 = 3.625 x.
        whole = fleet.model_outliers(s, now=now, within_kind=False)
        assert sorted((m.model, m.category_code) for m in whole) == [
            ("Beam X", "lamp"), ("Bolt 14", "keyboard"), ("Book 11", None), ("Lumen", "lamp")]
        lamp = next(m for m in whole if m.category_code == "lamp")
        assert (lamp.fleet_devices, lamp.fleet_repairs, lamp.ratio) == (145, 6, pytest.approx(3.625))
        # The window: a year later everything above has left it.
        assert fleet.model_outliers(s, now=now + timedelta(days=366)) == []


# ---------------------------------------------------------------------------------------------
# Unknown tags
# ---------------------------------------------------------------------------------------------


def test_unknown_tags_become_a_to_do_until_registered(db: Database, clock: FakeClock) -> None:
    with db.unit() as ctx:
        f = _base(ctx.session)
    first = clock.now()
    with db.unit(Actor(label="kiosk")) as ctx:
        walkup.record_unknown_tag(ctx, "new-001", f.north)
        walkup.record_unknown_tag(ctx, "NEW-002", f.south)
    clock.advance(hours=3)
    with db.unit(Actor(label="kiosk")) as ctx:
        walkup.record_unknown_tag(ctx, "NEW-001", f.south)  # the laptop went to the other campus
        walkup.record_unknown_tag(ctx, "NEW-003", f.north)
    with db.unit() as ctx:
        todo = fleet.unknown_tag_todo(ctx.session)
        assert [(i.tag, i.times, i.campus) for i in todo] == [("NEW-001", 2, "SHS"), ("NEW-003", 1, "NHS"),
                                                              ("NEW-002", 1, "SHS")]
        assert (todo[0].first_seen, todo[0].last_seen) == (first, clock.now())
        assert [(i.tag, i.times) for i in fleet.unknown_tag_todo(ctx.session, f.north)] == [
            ("NEW-003", 1), ("NEW-001", 1)]

    tech = Actor(staff_id=f.tech, label="technician")
    with db.unit(tech) as ctx:
        device = devices.register(ctx, "NEW-001", category="laptop", campus="SHS")
        assert fleet.resolve_unknown_tag(ctx, "new-001", device.id) == 2
        devices.register(ctx, "NEW-002", category="laptop")  # registered by another route, not resolved
    with db.unit() as ctx:
        s = ctx.session
        assert [i.tag for i in fleet.unknown_tag_todo(s)] == ["NEW-003"]
        assert s.scalars(select(UnknownTagScan.resolved_device_id).where(UnknownTagScan.tag == "NEW-001")).all() == [
            device.id, device.id]
        entry = s.scalars(select(AuditLogEntry).where(AuditLogEntry.action == "unknown_tag.resolve")).one()
        assert entry.actor_id == f.tech and entry.detail and entry.detail["scans"] == 2
        assert fleet.unknown_tag_todo(s, f.south) == []
