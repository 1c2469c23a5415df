"""Ticket services: filing, duplicates, workflow, priority override, SLA deadlines, validation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from kiosk.domain import seed, tickets
from kiosk.domain.clock import FakeClock
from kiosk.domain.db import Actor, Database
from kiosk.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from kiosk.domain.models import Device, Priority, StaffUser, TicketEvent, TicketEventKind, TicketStatus


@pytest.fixture
def district(db: Database) -> Database:
    seed.seed(db, seed.SeedOptions(devices=60, tickets=0, hash_passwords=False, as_of=db.clock.now().date()))
    return db


def _tag(db: Database) -> str:
    with db.unit() as ctx:
        return ctx.session.scalars(select(Device.asset_tag).order_by(Device.asset_tag)).first() or ""


def _tech(db: Database) -> Actor:
    with db.unit() as ctx:
        tech = ctx.session.scalars(select(StaffUser).where(StaffUser.role == "technician")).first()
        assert tech is not None
        return Actor(staff_id=tech.id, label="test")


def test_a_student_files_a_ticket_against_a_device(district: Database) -> None:
    tag = _tag(district)
    with district.unit() as ctx:
        t = tickets.create_ticket(ctx, category="screen", description="Cracked in the corner", reporter="204511",
                                  tag=tag.lower())
        number = t.number
    with district.unit() as ctx:
        view = tickets.view(ctx.session, number)
        t = view.ticket
        assert t.device is not None and t.device.asset_tag == tag
        assert t.room_id == t.device.room_id and t.campus_id == t.device.campus_id
        assert t.status is TicketStatus.NEW and t.reporter_priority is Priority.P3 and t.priority is Priority.P3
        assert t.reporter is not None and t.reporter.id_number == "204511" and t.reporter.email is None
        assert [e.kind for e in view.events] == [TicketEventKind.CREATED]
        # P3: first response 480 business minutes. Monday 10:00 Chicago + 8 h of a 07:30-16:30 day
        # = Tuesday 09:00 Chicago = 14:00 UTC.
        assert t.response_due_at == datetime(2026, 9, 15, 14, 0, tzinfo=UTC)
        # resolution 2700 minutes = 5 business days: the next Monday 10:00 Chicago.
        assert t.resolution_due_at == datetime(2026, 9, 21, 15, 0, tzinfo=UTC)


def test_the_same_reporter_is_reused_not_duplicated(district: Database) -> None:
    tag = _tag(district)
    with district.unit() as ctx:
        a = tickets.create_ticket(ctx, category="screen", description="abc", reporter="x1234", tag=tag)
        b = tickets.create_ticket(ctx, category="power", description="abc", reporter="X1234", tag=tag)
        assert a.reporter_id == b.reporter_id
        assert a.number != b.number


def test_a_second_report_is_added_to_the_open_ticket(district: Database) -> None:
    tag = _tag(district)
    with district.unit() as ctx:
        t = tickets.create_ticket(ctx, category="screen", description="abc", reporter="teacher@x.org", tag=tag)
        device_id, cat_id, number = t.device_id, t.category_id, t.number
    with district.unit() as ctx:
        assert device_id is not None
        found = tickets.open_ticket_in_category(ctx.session, device_id, cat_id)
        assert found is not None and found.number == number
        tickets.add_report(ctx, number, "205000", "Still cracked")
    with district.unit() as ctx:
        kinds = [e.kind for e in tickets.view(ctx.session, number).events]
        assert kinds == [TicketEventKind.CREATED, TicketEventKind.REPORT_ADDED]


def test_bad_input_is_refused_with_a_clear_message(district: Database) -> None:
    tag = _tag(district)
    with district.unit() as ctx:
        with pytest.raises(NotFound, match="no device has asset tag ZZ9999"):
            tickets.create_ticket(ctx, category="screen", description="abc", reporter="1234", tag="zz9999")
        with pytest.raises(NotFound, match="unknown category"):
            tickets.create_ticket(ctx, category="nope", description="abc", reporter="1234", tag=tag)
        with pytest.raises(InvalidInput, match="too long"):
            tickets.create_ticket(ctx, category="screen", description="x" * 501, reporter="1234", tag=tag)
        with pytest.raises(InvalidInput, match="control character"):
            tickets.create_ticket(ctx, category="screen", description="bad\x1b[2J", reporter="1234", tag=tag)
        with pytest.raises(InvalidInput, match="school ID"):
            tickets.create_ticket(ctx, category="screen", description="abc", reporter="12", tag=tag)
        with pytest.raises(InvalidInput, match="priority"):
            tickets.create_ticket(ctx, category="screen", description="abc", reporter="1234", tag=tag,
                                  priority="P9")


def test_the_technician_override_keeps_the_reporters_priority(district: Database, clock: FakeClock) -> None:
    tag = _tag(district)
    with district.unit() as ctx:
        number = tickets.create_ticket(ctx, category="screen", description="abc", reporter="1234", tag=tag,
                                       priority="P4").number
    with district.unit() as ctx, pytest.raises(PermissionDenied):
        tickets.override_priority(ctx, number, "P1", "the whole class")
    clock.advance(hours=1)
    with district.unit(_tech(district)) as ctx:
        tickets.override_priority(ctx, number, "P1", "the whole class is affected")
    with district.unit() as ctx:
        view = tickets.view(ctx.session, number)
        t = view.ticket
        assert (t.reporter_priority, t.override_priority, t.priority) == (Priority.P4, Priority.P1, Priority.P1)
        assert view.events[-1].kind is TicketEventKind.PRIORITY
        assert (view.events[-1].old_value, view.events[-1].new_value) == ("P4", "P1")
        # P1 resolution is 240 business minutes counted from opening: Monday 14:00 Chicago = 19:00 UTC.
        assert t.resolution_due_at == datetime(2026, 9, 14, 19, 0, tzinfo=UTC)


def test_the_workflow_writes_an_event_for_every_step(district: Database, clock: FakeClock) -> None:
    tag = _tag(district)
    tech = _tech(district)
    with district.unit() as ctx:
        number = tickets.create_ticket(ctx, category="power", description="won't charge", reporter="1234",
                                       tag=tag).number
    with district.unit(tech) as ctx:
        tickets.assign(ctx, number, tech.staff_id)
        clock.advance(minutes=30)
        tickets.add_note(ctx, number, "Picked up from the classroom", public=True)
        tickets.add_note(ctx, number, "Probably the DC board", public=False)
        tickets.change_status(ctx, number, "in_progress")
        with pytest.raises(Conflict):
            tickets.change_status(ctx, number, "closed")
        tickets.change_status(ctx, number, "resolved", resolution="Replaced the DC-in board")
        tickets.change_status(ctx, number, "closed")
    with district.unit() as ctx:
        view = tickets.view(ctx.session, number)
        t = view.ticket
        assert t.status is TicketStatus.CLOSED and t.resolution == "Replaced the DC-in board"
        assert t.first_response_at == datetime(2026, 9, 14, 15, 30, tzinfo=UTC)
        assert t.closed_at is not None and t.resolved_at is not None
        kinds = [e.kind.value for e in view.events]
        assert kinds == ["created", "assignment", "note", "note", "status", "status", "status", "survey"]
        public = view.as_dict(ctx.session, clock.now(), public_only=True)
        assert "description" not in public and public["last_update"]["kind"] == "status"


def test_holds_pause_the_clock(district: Database, clock: FakeClock) -> None:
    tag = _tag(district)
    with district.unit() as ctx:
        number = tickets.create_ticket(ctx, category="screen", description="abc", reporter="1234", tag=tag).number
        due_before = tickets.get_ticket(ctx.session, number).resolution_due_at
    with district.unit(_tech(district)) as ctx:
        tickets.change_status(ctx, number, "on_hold", note="waiting for the student to bring the charger")
        clock.advance(hours=2)
        tickets.change_status(ctx, number, "in_progress")
        due_after = tickets.get_ticket(ctx.session, number).resolution_due_at
    assert due_before is not None and due_after is not None
    assert due_after - due_before == timedelta(hours=2)


def test_a_room_problem_needs_no_device(district: Database) -> None:
    with district.unit() as ctx:
        t = tickets.create_ticket(ctx, category="wifi", description="No Wi-Fi in the lab", reporter="t@x.org",
                                  campus="le01")
        assert t.device_id is None and t.priority is Priority.P1
        with pytest.raises(InvalidInput, match="needs a device, a room or a campus"):
            tickets.create_ticket(ctx, category="wifi", description="No Wi-Fi", reporter="t@x.org")


def test_queue_is_sorted_by_time_left(district: Database, clock: FakeClock) -> None:
    tag = _tag(district)
    with district.unit() as ctx:
        for prio in ("P4", "P1", "P3", "P2"):
            tickets.create_ticket(ctx, category="screen", description="abc", reporter="1234", tag=tag,
                                  priority=prio)
            clock.advance(minutes=1)
    with district.unit() as ctx:
        device = ctx.session.scalars(select(Device).where(Device.asset_tag == tag)
                                     .options(joinedload(Device.campus))).one()
        assert device.campus is not None
        rows = tickets.list_tickets(ctx.session, campus=device.campus.code)
        assert [t.priority.value for t in rows] == ["P1", "P2", "P3", "P4"]
        dues = [t.resolution_due_at for t in rows]
        assert dues == sorted(d for d in dues if d is not None)
        assert ctx.session.scalars(select(TicketEvent)).all()
