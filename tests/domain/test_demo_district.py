"""The demo district behaves like a real one (issue 16, item 3): its own checks, on the rows `kiosk seed` writes."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from kiosk.domain import fleet, rotation, seed
from kiosk.domain.business_hours import business_window
from kiosk.domain.clock import FakeClock
from kiosk.domain.db import Database
from kiosk.domain.models import (
    Campus,
    Holiday,
    RepairLog,
    ServiceCategory,
    Survey,
    Ticket,
    TicketEvent,
    TicketEventKind,
)
from kiosk.domain.reports import generate
from kiosk.domain.sla import load_calendar

AS_OF = date(2026, 11, 20)


def _demo(db: Database, as_of: date = AS_OF, **kw: Any) -> datetime:
    now = datetime(as_of.year, as_of.month, as_of.day, 15, 0, tzinfo=UTC)  # the seeder's "now"
    assert isinstance(db.clock, FakeClock)
    db.clock.set(now)
    seed.seed(db, seed.SeedOptions(hash_passwords=False, as_of=as_of, **({"devices": 900, "tickets": 900} | kw)))
    return now


@pytest.fixture
def demo(db: Database) -> tuple[Database, datetime]:
    return db, _demo(db)


def test_nothing_in_the_demo_is_dated_after_now(demo: tuple[Database, datetime]) -> None:
    db, now = demo
    with db.unit() as ctx:
        s = ctx.session
        for t in s.scalars(select(Ticket)):
            for when in (t.opened_at, t.first_response_at, t.resolved_at, t.closed_at, t.updated_at):
                assert when is None or when <= now, t.number
        assert all(e.at <= now for e in s.scalars(select(TicketEvent)))
        assert all(r.performed_at <= now for r in s.scalars(select(RepairLog)))
        for sv in s.scalars(select(Survey)):
            assert sv.invited_at <= now and (sv.submitted_at is None or sv.submitted_at <= now)


def test_seeding_today_early_in_the_morning_dates_nothing_after_the_clock(db: Database) -> None:
    assert isinstance(db.clock, FakeClock)
    db.clock.set(datetime(2026, 11, 20, 9, 0, tzinfo=UTC))  # 03:00 in Chicago; the seeder's day ends 15:00 UTC
    seed.seed(db, seed.SeedOptions(devices=300, tickets=300, hash_passwords=False))
    with db.unit() as ctx:
        latest = max(e.at for e in ctx.session.scalars(select(TicketEvent)))
    assert latest <= db.clock.now()


def test_every_not_solved_answer_reopened_its_ticket_and_unanswered_surveys_carry_no_answers(
        demo: tuple[Database, datetime]) -> None:
    db, _ = demo
    with db.unit() as ctx:
        s = ctx.session
        reopens = defaultdict(list)
        for e in s.scalars(select(TicketEvent).where(TicketEvent.kind == TicketEventKind.STATUS,
                                                     TicketEvent.new_value == "reopened")):
            reopens[e.ticket_id].append(e.at)
        not_solved = list(s.scalars(select(Survey).where(Survey.solved.is_(False))))
        assert len(not_solved) >= 3
        for sv in not_solved:
            assert sv.submitted_at in reopens[sv.ticket_id], "a 'not solved' answer that did not reopen"
        for sv in s.scalars(select(Survey).where(Survey.submitted_at.is_(None))):
            assert (sv.solved, sv.overall, sv.timeliness, sv.comment) == (None, None, None, None)
        for sv in s.scalars(select(Survey)):
            assert sv.technician_id == s.get(Ticket, sv.ticket_id).assignee_id  # type: ignore[union-attr]
        # some tickets were reopened, fixed again and surveyed again
        assert any(len(s.scalars(select(Survey).where(Survey.ticket_id == t)).all()) == 2 for t in reopens)


@pytest.mark.parametrize("as_of", [date(2026, 11, 20), date(2027, 3, 3), date(2031, 9, 15)])
def test_holidays_follow_their_rules_on_weekdays_for_the_year_now_falls_in(db: Database, as_of: date) -> None:
    _demo(db, as_of, devices=20, tickets=0)
    with db.unit() as ctx:
        holidays = list(ctx.session.scalars(select(Holiday)))
    years = {h.start_date.year for h in holidays}
    assert as_of.year in years
    for h in holidays:
        assert h.start_date.weekday() < 5 and h.end_date.weekday() < 5, (h.name, h.start_date, h.end_date)
    by_name: dict[str, list[Holiday]] = defaultdict(list)
    for h in holidays:
        by_name[h.name].append(h)
    for h in by_name["Labor Day"]:
        assert h.start_date.month == 9 and h.start_date.weekday() == 0 and h.start_date.day <= 7
    for h in by_name["Thanksgiving break"]:
        thursday = h.start_date + timedelta(days=1)
        assert thursday.weekday() == 3 and 22 <= thursday.day <= 28 and h.end_date == thursday + timedelta(days=1)
    for h in by_name["Martin Luther King Jr. Day"]:
        assert h.start_date.weekday() == 0 and 15 <= h.start_date.day <= 21


def test_technicians_work_in_working_hours_on_working_days_and_fixes_match_faults(
        demo: tuple[Database, datetime]) -> None:
    db, _ = demo
    with db.unit() as ctx:
        s = ctx.session
        cal, _ = load_calendar(s)

        def at_work(when: datetime) -> bool:
            window = business_window(cal, when.astimezone(cal.zone).date())
            return window is not None and window[0] <= when <= window[1]

        work = list(s.scalars(select(TicketEvent).where(
            TicketEvent.actor_id.is_not(None),
            TicketEvent.kind.in_([TicketEventKind.STATUS, TicketEventKind.ASSIGNMENT, TicketEventKind.PRIORITY,
                                  TicketEventKind.REPAIR]))))
        assert len(work) > 1000
        assert [e.at for e in work if not at_work(e.at)] == []
        assert all(at_work(t.opened_at) for t in s.scalars(select(Ticket)))
        codes = {c.id: c.code for c in s.scalars(select(ServiceCategory))}
        for r in s.scalars(select(RepairLog)):
            assert at_work(r.performed_at)
            ticket = s.get(Ticket, r.ticket_id)
            assert ticket is not None
            assert r.action in {fix[0] for fix in seed.FIXES[codes[ticket.category_id]]}, (r.action, ticket.number)


def test_comments_match_ratings_and_some_tickets_went_on_hold_and_came_back(demo: tuple[Database, datetime]) -> None:
    db, _ = demo
    with db.unit() as ctx:
        s = ctx.session
        for sv in s.scalars(select(Survey).where(Survey.comment.is_not(None))):
            if sv.comment in seed.COMMENTS["unhappy"]:
                assert sv.solved is False
            elif sv.comment in seed.COMMENTS["happy"]:
                assert sv.solved is True and (sv.overall or 0) >= 4
            else:
                assert sv.comment in seed.COMMENTS["mixed"] and sv.solved is True
        status: dict[Any, list[str]] = defaultdict(lambda: ["new"])
        for e in s.scalars(select(TicketEvent).where(TicketEvent.kind.in_(
                [TicketEventKind.STATUS, TicketEventKind.ASSIGNMENT])).order_by(TicketEvent.at, TicketEvent.id)):
            if e.kind is TicketEventKind.STATUS:
                status[e.ticket_id].append(e.new_value or "")
            elif status[e.ticket_id][-1] in ("new", "reopened"):  # as tickets.assign does
                status[e.ticket_id].append("assigned")
        held = [v for v in status.values() if "on_hold" in v]
        assert len(held) >= 5
        assert sum(1 for v in held if v.index("on_hold") < len(v) - 1) >= 3  # came back
        for t in s.scalars(select(Ticket)):  # each ticket's status is what its events say, replayed
            assert status[t.id][-1] == t.status.value, t.number


def test_a_few_devices_are_troublesome_one_model_has_a_same_model_problem_and_campuses_have_visits(
        demo: tuple[Database, datetime]) -> None:
    db, now = demo
    with db.unit() as ctx:
        s = ctx.session
        trouble = fleet.troublesome_devices(s, repairs=3, days=90, now=now)
        assert 3 <= len(trouble) <= 40
        outliers = fleet.model_outliers(s, now=now)
        assert any((o.manufacturer, o.model) == seed.PROBLEM_MODEL for o in outliers), outliers
        next_monday = AS_OF - timedelta(days=AS_OF.weekday()) + timedelta(weeks=1)
        for campus in s.scalars(select(Campus)):
            schedule = rotation.campus_schedule(s, campus.id, next_monday, 7)
            assert schedule.visits, f"{campus.code} has no visit in the week after now"


def test_the_demo_weekly_report_has_no_zero_hour_medians(demo: tuple[Database, datetime]) -> None:
    db, now = demo
    with db.unit() as ctx:
        rows = generate(ctx.session, "weekly", now=now).page("summary").tables[0].as_dicts()
    medians = [r["median_resolution_hours"] for r in rows if r["closed"]]
    assert medians and all(m > 0 for m in medians)
