"""The rotation schedule: weekly and two-week cycles, holidays, cancelled and extra visits, a visit under way."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from sqlalchemy import select

from kiosk.domain import rotation, seed
from kiosk.domain.db import Database
from kiosk.domain.models import (
    Campus,
    Holiday,
    RotationException,
    RotationVisit,
    StaffUser,
    VisitExceptionKind,
)


def _setup(db: Database) -> tuple[object, object]:
    seed.seed(db, seed.SeedOptions(devices=10, tickets=0, hash_passwords=False, as_of=date(2026, 9, 14)))
    with db.unit() as ctx:
        s = ctx.session
        for table in (RotationException, RotationVisit):
            for row in s.scalars(select(table)):
                s.delete(row)
        campus = s.scalars(select(Campus).order_by(Campus.code)).first()
        maria = s.scalars(select(StaffUser).where(StaffUser.username == "mlopez")).one()
        james = s.scalars(select(StaffUser).where(StaffUser.username == "jcarter")).one()
        assert campus is not None
        now = ctx.clock.now()
        # Maria every Monday and Wednesday 08:00-11:30; James every other Thursday 12:30-15:30
        weekly = RotationVisit(technician_id=maria.id, campus_id=campus.id, weekdays="0,2", cycle_weeks=1,
                               anchor_date=date(2026, 8, 31), start_time=time(8), end_time=time(11, 30),
                               created_at=now, updated_at=now)
        biweekly = RotationVisit(technician_id=james.id, campus_id=campus.id, weekdays="3", cycle_weeks=2,
                                 anchor_date=date(2026, 9, 7), start_time=time(12, 30), end_time=time(15, 30),
                                 created_at=now, updated_at=now)
        s.add_all([weekly, biweekly])
        s.flush()
        s.add_all([
            RotationException(campus_id=campus.id, visit_id=weekly.id, on_date=date(2026, 9, 16),
                              kind=VisitExceptionKind.CANCELLED, note="District training", created_at=now,
                              updated_at=now),
            RotationException(campus_id=campus.id, technician_id=james.id, on_date=date(2026, 9, 18),
                              kind=VisitExceptionKind.EXTRA, start_time=time(9), end_time=time(10),
                              note="Testing week", created_at=now, updated_at=now),
            Holiday(name="Staff day", start_date=date(2026, 9, 21), end_date=date(2026, 9, 21), created_at=now,
                    updated_at=now),
        ])
        return campus.id, maria.id


def test_a_fortnight_with_a_cancellation_an_extra_visit_and_a_holiday(db: Database) -> None:
    campus_id, _ = _setup(db)
    with db.unit() as ctx:
        sched = rotation.campus_schedule(ctx.session, campus_id, date(2026, 9, 14), 14)  # type: ignore[arg-type]
    got = [(v.day.isoformat(), v.start.strftime("%H:%M"), v.technician, v.extra) for v in sched.visits]
    assert got == [
        ("2026-09-14", "08:00", "Maria", False),   # Monday
        # Wednesday 16th cancelled (training); Thursday 17th is in James's off week (cycle anchored on 7 Sep)
        ("2026-09-18", "09:00", "James", True),    # extra visit
        # Monday 21st is a district holiday
        ("2026-09-23", "08:00", "Maria", False),   # Wednesday
        ("2026-09-24", "12:30", "James", False),   # Thursday, two weeks after the anchor week
    ]
    reasons = {(c.day.isoformat(), c.reason) for c in sched.cancelled}
    assert reasons == {("2026-09-16", "District training"), ("2026-09-21", "Staff day")}


def test_a_visit_under_way_and_the_next_ones(db: Database) -> None:
    campus_id, _ = _setup(db)
    with db.unit() as ctx:
        sched = rotation.campus_schedule(ctx.session, campus_id, date(2026, 9, 14), 14)  # type: ignore[arg-type]
    during = datetime(2026, 9, 14, 15, 0, tzinfo=UTC)  # 10:00 in Chicago
    assert sched.current(during) is not None and sched.current(during).technician == "Maria"  # type: ignore[union-attr]
    after = datetime(2026, 9, 14, 17, 0, tzinfo=UTC)  # 12:00 in Chicago: the visit ended at 11:30
    assert sched.current(after) is None
    assert [v.day.isoformat() for v in sched.upcoming(after, 2)] == ["2026-09-18", "2026-09-23"]


def test_the_rotation_panel_and_the_receipt_look_as_far_ahead(db: Database) -> None:
    """A visit 17 days away: the receipt named it while the panel said none in the next two weeks."""
    from datetime import timedelta

    from kiosk.domain import walkup

    seed.seed(db, seed.SeedOptions(devices=10, tickets=0, hash_passwords=False, as_of=date(2026, 9, 14)))
    now = datetime(2026, 9, 18, 15, 0, tzinfo=UTC)  # a Friday
    with db.unit() as ctx:
        s = ctx.session
        for table in (RotationException, RotationVisit):
            for row in s.scalars(select(table)):
                s.delete(row)
        campus = s.scalars(select(Campus).order_by(Campus.code)).first()
        maria = s.scalars(select(StaffUser).where(StaffUser.username == "mlopez")).one()
        assert campus is not None
        day = date(2026, 10, 5)  # a Monday 17 days ahead
        s.add(RotationVisit(technician_id=maria.id, campus_id=campus.id, weekdays="0", cycle_weeks=1,
                            anchor_date=day, start_time=time(8), end_time=time(11), valid_from=day,
                            created_at=now, updated_at=now))
        s.flush()
        receipt = walkup.next_visit(s, campus.id, now)
        panel = walkup.week_schedule(s, campus.id, now).upcoming(now, 3)
    assert receipt is not None and receipt.day == day
    assert panel and panel[0].day == receipt.day
    assert (day - now.date()) == timedelta(days=17)
