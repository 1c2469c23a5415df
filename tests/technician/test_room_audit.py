"""Room audits: a technician scans a room, sees found/missing/misplaced/unknown, and applies the result."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import select

from kiosk.domain import room_audit
from kiosk.domain.clock import FakeClock
from kiosk.domain.db import Actor, Database
from kiosk.domain.errors import Conflict, InvalidInput, PermissionDenied
from kiosk.domain.models import (
    AuditLogEntry,
    AuditResult,
    AuditScan,
    AuditSession,
    AuditState,
    Campus,
    Device,
    DeviceCategory,
    DeviceMove,
    DeviceStatus,
    District,
    Room,
    StaffRole,
    StaffUser,
    UnknownTagScan,
)


@dataclass
class Place:
    north: uuid.UUID  # campus NHS
    south: uuid.UUID  # campus SHS
    lab: uuid.UUID  # NHS / Lab 1 (the audited room)
    library: uuid.UUID  # NHS / Library
    gym: uuid.UUID  # SHS / Gym
    maria: Actor
    dev: Actor  # a second technician
    admin: Actor


def _district(db: Database) -> Place:
    with db.unit() as ctx:
        s = ctx.session
        district = District(name="Test ISD")
        s.add(district)
        s.flush()
        north = Campus(district_id=district.id, code="NHS", name="North High")
        south = Campus(district_id=district.id, code="SHS", name="South High")
        s.add_all([north, south])
        s.flush()
        lab, library, gym = (Room(campus_id=north.id, name="Lab 1"), Room(campus_id=north.id, name="Library"),
                             Room(campus_id=south.id, name="Gym"))
        people = [StaffUser(username=u, first_name=f, last_name="Tech", role=r) for u, f, r in
                  (("maria", "Maria", StaffRole.TECHNICIAN), ("dev", "Dev", StaffRole.TECHNICIAN),
                   ("boss", "Ana", StaffRole.ADMIN))]
        s.add_all([lab, library, gym, *people])
        s.flush()

        def device(tag: str, room: Room, model: str = "Chromebook 3100",
                   status: DeviceStatus = DeviceStatus.IN_SERVICE) -> None:
            s.add(Device(asset_tag=tag, manufacturer="Dell", model=model, category=DeviceCategory.CHROMEBOOK,
                         campus_id=room.campus_id, room_id=room.id, status=status))

        for tag in ("LAB-001", "LAB-002", "LAB-003"):
            device(tag, lab)
        device("LAB-OLD", lab, status=DeviceStatus.RETIRED)  # retired: not expected
        device("LIB-001", library, model="Latitude 5430")
        device("GYM-001", gym, model="Latitude 5430")
        return Place(north.id, south.id, lab.id, library.id, gym.id, *(Actor(staff_id=p.id, label="technician")
                                                                        for p in people))


def _tags(items: list[room_audit.ReconciliationItem]) -> list[str]:
    return [i.tag for i in items]


def test_an_audit_with_all_four_outcomes_then_finish_and_apply(any_db: Database, clock: FakeClock) -> None:
    db = any_db
    p = _district(db)
    with db.unit(p.maria) as ctx:
        audit_id = room_audit.start_audit(ctx, p.lab)
    with db.unit(p.maria) as ctx:
        first = room_audit.record_scan(ctx, audit_id, " lab-001 ")
        assert (first.tag, first.outcome, first.registered_room, first.repeated, first.distinct_count) == (
            "LAB-001", "expected", "Lab 1", False, 1)
        assert first.model == "Dell Chromebook 3100"
        room_audit.record_scan(ctx, audit_id, "LAB-002")
        again = room_audit.record_scan(ctx, audit_id, "LAB-001")
        assert again.repeated and again.distinct_count == 2  # a repeat is flagged, not counted twice
        lib = room_audit.record_scan(ctx, audit_id, "LIB-001")
        assert (lib.outcome, lib.registered_room, lib.registered_campus) == ("misplaced", "Library", "NHS")
        gym = room_audit.record_scan(ctx, audit_id, "GYM-001")
        assert (gym.outcome, gym.registered_room, gym.registered_campus) == ("misplaced", "Gym", "SHS")
        unknown = room_audit.record_scan(ctx, audit_id, "NOPE-123")
        assert (unknown.outcome, unknown.device_id, unknown.model, unknown.distinct_count) == (
            "unknown", None, None, 5)
        with pytest.raises(InvalidInput, match="not an asset tag"):
            room_audit.record_scan(ctx, audit_id, "  ??  ")

    with db.unit() as ctx:  # mid-audit: a pure read
        live = room_audit.reconcile(ctx.session, audit_id)
        assert ctx.session.scalar(select(AuditScan.id).where(AuditScan.session_id == audit_id).limit(1))
        assert len(ctx.session.scalars(select(AuditScan).where(AuditScan.session_id == audit_id)).all()) == 6
    assert _tags(live.found) == ["LAB-001", "LAB-002"]
    assert _tags(live.missing) == ["LAB-003"]  # LAB-OLD is retired, so not expected
    assert _tags(live.misplaced) == ["GYM-001", "LIB-001"]
    assert _tags(live.unknown) == ["NOPE-123"]
    assert live.missing[0].expected_room == "Lab 1" and live.misplaced[0].expected_room is None

    clock.advance(minutes=20)
    with db.unit(p.maria) as ctx:
        done = room_audit.finish(ctx, audit_id)
        assert done.counts() == {"found": 2, "missing": 1, "misplaced": 2, "unknown": 1}
        assert done.misplaced[1].registered_room == "Library"
        with pytest.raises(Conflict, match="already finished"):
            room_audit.record_scan(ctx, audit_id, "LAB-003")
    with db.unit() as ctx:
        s = ctx.session
        assert len(s.scalars(select(AuditResult).where(AuditResult.session_id == audit_id)).all()) == 6
        assert s.get(AuditSession, audit_id).state is AuditState.FINISHED  # type: ignore[union-attr]
        # The unknown tag joins the to-do list of tags to register, on the room's campus.
        todo = s.scalars(select(UnknownTagScan).where(UnknownTagScan.tag == "NOPE-123")).one()
        assert todo.campus_id == p.north and todo.resolved_device_id is None
        lib_id = s.scalars(select(Device.id).where(Device.asset_tag == "LIB-001")).one()

    clock.advance(minutes=5)
    with db.unit(p.maria) as ctx, pytest.raises(InvalidInput, match="not found misplaced"):
        room_audit.apply(ctx, audit_id, [uuid.uuid4()])
    with db.unit(p.maria) as ctx:
        summary = room_audit.apply(ctx, audit_id, [lib_id])  # move the library laptop, leave the gym's
    assert summary.moved == ["LIB-001"] and summary.not_moved == ["GYM-001"] and summary.audited == 3

    with db.unit() as ctx:
        s = ctx.session
        by_tag = {d.asset_tag: d for d in s.scalars(select(Device))}
        assert by_tag["LIB-001"].room_id == p.lab
        assert by_tag["GYM-001"].room_id == p.gym and by_tag["GYM-001"].campus_id == p.south
        moves = s.scalars(select(DeviceMove).where(DeviceMove.device_id == lib_id)).all()
        assert [(m.field, m.old_value, m.new_value) for m in moves] == [("room", "Library", "Lab 1")]
        assert moves[0].actor_id == p.maria.staff_id and "audit" in (moves[0].reason or "")
        for tag in ("LAB-001", "LAB-002", "LIB-001"):
            d = by_tag[tag]
            assert (d.last_audited_at, d.last_audited_room_id, d.last_audited_by_id) == (
                clock.now(), p.lab, p.maria.staff_id)
        for tag in ("LAB-003", "GYM-001"):
            assert by_tag[tag].last_audited_at is None
        assert s.get(AuditSession, audit_id).state is AuditState.APPLIED  # type: ignore[union-attr]
        actions = s.scalars(select(AuditLogEntry.action).where(AuditLogEntry.entity_id == str(audit_id))
                            .order_by(AuditLogEntry.at)).all()
        assert actions == ["audit.start", "audit.finish", "audit.apply"]
        after = room_audit.reconcile(s, audit_id)  # the recorded result, not recomputed from today's rooms
        assert _tags(after.misplaced) == ["GYM-001", "LIB-001"]
        assert [i.moved_here for i in after.misplaced] == [False, True]
    with db.unit(p.maria) as ctx, pytest.raises(Conflict, match="already been applied"):
        room_audit.apply(ctx, audit_id)
    with db.unit() as ctx:
        (history,) = room_audit.audit_history(ctx.session, p.lab)
        assert (history.technician, history.state, history.found, history.misplaced, history.when) == (
            "Maria", "applied", 2, 2, clock.now())
        ages = {r.room: r.days for r in room_audit.rooms_not_audited(ctx.session, 0, p.north, clock.now())}
        assert ages == {"Library": None, "Lab 1": 0}


def test_pause_and_resume_keep_the_scans(db: Database, clock: FakeClock) -> None:
    p = _district(db)
    with db.unit(p.maria) as ctx:
        audit_id = room_audit.start_audit(ctx, p.lab)
        room_audit.record_scan(ctx, audit_id, "LAB-001")
        room_audit.pause(ctx, audit_id)
    with db.unit(p.maria) as ctx, pytest.raises(Conflict, match="paused"):
        room_audit.record_scan(ctx, audit_id, "LAB-002")
    assert [a.state for a in _open(db, p.maria)] == ["paused"]
    with db.unit(p.dev) as ctx, pytest.raises(PermissionDenied, match="belongs to Maria"):
        room_audit.resume(ctx, audit_id)
    clock.advance(hours=2)
    with db.unit(p.maria) as ctx:  # picking the room again resumes the paused audit
        assert room_audit.start_audit(ctx, p.lab) == audit_id
        result = room_audit.record_scan(ctx, audit_id, "LAB-002")
        assert result.distinct_count == 2 and not result.repeated
        room_audit.pause(ctx, audit_id)
        room_audit.resume(ctx, audit_id)
        assert room_audit.record_scan(ctx, audit_id, "LAB-001").repeated
    with db.unit() as ctx:
        assert _tags(room_audit.reconcile(ctx.session, audit_id).found) == ["LAB-001", "LAB-002"]
    assert [a.state for a in _open(db, p.maria)] == ["open"]


def _open(db: Database, who: Actor) -> list[room_audit.AuditSummary]:
    with db.unit() as ctx:
        return room_audit.open_audits(ctx.session, who.staff_id)


def test_two_technicians_audit_different_rooms_but_not_the_same_one(db: Database) -> None:
    p = _district(db)
    with db.unit(p.maria) as ctx:
        lab_audit = room_audit.start_audit(ctx, p.lab)
    with db.unit(p.dev) as ctx:
        library_audit = room_audit.start_audit(ctx, p.library)
    with db.unit(p.maria) as ctx:
        assert room_audit.record_scan(ctx, lab_audit, "LAB-001").outcome == "expected"
    with db.unit(p.dev) as ctx:
        assert room_audit.record_scan(ctx, library_audit, "LIB-001").outcome == "expected"
        with pytest.raises(PermissionDenied):
            room_audit.record_scan(ctx, lab_audit, "LAB-002")  # not Dev's audit
    with db.unit(p.dev) as ctx, pytest.raises(Conflict, match="Maria is already auditing room Lab 1"):
        room_audit.start_audit(ctx, p.lab)
    with db.unit(p.maria) as ctx:
        room_audit.pause(ctx, lab_audit)
    with db.unit(p.dev) as ctx, pytest.raises(Conflict, match=r"Lab 1 \(paused\)"):
        room_audit.start_audit(ctx, p.lab)  # a paused audit still holds the room
    with db.unit(p.admin) as ctx:
        room_audit.cancel(ctx, lab_audit)  # an admin can release it
    with db.unit(p.dev) as ctx:
        assert room_audit.start_audit(ctx, p.lab) != lab_audit
    with db.unit() as ctx, pytest.raises(PermissionDenied, match="signed-in technician"):
        room_audit.start_audit(ctx, p.gym)
    assert [a.room for a in _open(db, p.dev)] == ["Lab 1", "Library"]
    assert _open(db, p.maria) == []


def test_room_history_and_the_not_audited_list(db: Database, clock: FakeClock) -> None:
    p = _district(db)
    start = clock.now()
    with db.unit(p.maria) as ctx:
        audit_id = room_audit.start_audit(ctx, p.lab)
        for tag in ("LAB-001", "LAB-002", "LAB-003", "XYZ-999"):
            room_audit.record_scan(ctx, audit_id, tag)
        room_audit.finish(ctx, audit_id)
        room_audit.apply(ctx, audit_id)
    clock.advance(minutes=1)
    with db.unit(p.dev) as ctx:
        cancelled = room_audit.start_audit(ctx, p.lab)
        room_audit.cancel(ctx, cancelled)
    clock.set(start + timedelta(days=31))
    with db.unit() as ctx:
        history = room_audit.audit_history(ctx.session, p.lab)
        assert [(h.technician, h.state) for h in history] == [("Dev", "cancelled"), ("Maria", "applied")]
        applied = history[1]
        assert (applied.found, applied.missing, applied.misplaced, applied.unknown, applied.scanned) == (3, 0, 0, 1, 4)
        assert applied.when == start and applied.campus == "NHS"

        stale = room_audit.rooms_not_audited(ctx.session, 30, now=clock.now())
        assert [(r.room, r.campus, r.days) for r in stale] == [
            ("Library", "North High", None), ("Gym", "South High", None), ("Lab 1", "North High", 31)]
        assert stale[2].last_audit == start
        assert [r.room for r in room_audit.rooms_not_audited(ctx.session, 40, p.north, clock.now())] == ["Library"]
        assert len(room_audit.rooms_not_audited(ctx.session, 0, None, clock.now())) == 3  # every room's age
        with pytest.raises(InvalidInput):
            room_audit.rooms_not_audited(ctx.session, -1, now=clock.now())


def test_apply_finishes_the_job_missing_become_missing_retired_and_other_campus_are_flagged(
        db: Database, clock: FakeClock) -> None:
    """A technician audits Lab 1: two devices are missing, a retired one and one from South High turn up."""
    p = _district(db)
    with db.unit() as ctx:  # a third missing one is in repair at the tech room: it is expected elsewhere
        s = ctx.session
        device = Device(asset_tag="LAB-004", manufacturer="Dell", model="Chromebook 3100",
                        category=DeviceCategory.CHROMEBOOK, campus_id=p.north, room_id=p.lab,
                        status=DeviceStatus.IN_REPAIR)
        s.add(device)
    with db.unit(p.maria) as ctx:
        audit_id = room_audit.start_audit(ctx, p.lab)
        first = room_audit.record_scan(ctx, audit_id, "LAB-001")
        assert (first.expected_count, first.distinct_count) == (4, 1)  # "expected 4 / scanned 1"
        old = room_audit.record_scan(ctx, audit_id, "LAB-OLD")
        assert old.outcome == "expected" and old.needs_decision and old.decision == "retired"
        gym = room_audit.record_scan(ctx, audit_id, "GYM-001")
        assert gym.needs_decision and gym.decision == "other campus"
        lib = room_audit.record_scan(ctx, audit_id, "LIB-001")
        assert not lib.needs_decision
        rec = room_audit.finish(ctx, audit_id)
        assert {i.tag: i.decision for i in rec.misplaced} == {"GYM-001": "other campus", "LIB-001": None}
        assert {i.tag: i.decision for i in rec.found} == {"LAB-001": None, "LAB-OLD": "retired"}
    with db.unit(p.maria) as ctx:
        summary = room_audit.apply(ctx, audit_id)  # "move all": this campus's misplaced devices only
    assert summary.moved == ["LIB-001"] and summary.not_moved == ["GYM-001"]
    assert summary.marked_missing == ["LAB-002", "LAB-003"] and summary.not_marked == ["LAB-004"]
    assert summary.flagged == ["LAB-OLD"] and [i.tag for i in summary.missing_list] == ["LAB-002", "LAB-003",
                                                                                         "LAB-004"]
    with db.unit() as ctx:
        s = ctx.session
        by_tag = {d.asset_tag: d for d in s.scalars(select(Device))}
        assert by_tag["LAB-002"].status is DeviceStatus.MISSING and by_tag["LAB-003"].status is DeviceStatus.MISSING
        assert by_tag["LAB-004"].status is DeviceStatus.IN_REPAIR and by_tag["LAB-OLD"].status is DeviceStatus.RETIRED
        assert by_tag["GYM-001"].campus_id == p.south
        move = s.scalars(select(DeviceMove).where(DeviceMove.device_id == by_tag["LAB-002"].id)).one()
        assert (move.field, move.new_value) == ("status", "missing") and "room audit of Lab 1" in (move.reason or "")
    # next month the missing laptop turns up in its room: the next audit puts it back in service
    clock.advance(timedelta(days=30))
    with db.unit(p.maria) as ctx:
        again = room_audit.start_audit(ctx, p.lab)
        found = room_audit.record_scan(ctx, again, "LAB-002")
        assert found.decision == "listed as missing"
        room_audit.finish(ctx, again)
        later = room_audit.apply(ctx, again, mark_missing=False)
    assert later.back_in_service == ["LAB-002"] and later.marked_missing == []
    with db.unit() as ctx:
        assert ctx.session.scalars(select(Device.status).where(Device.asset_tag == "LAB-002")).one() \
            is DeviceStatus.IN_SERVICE
