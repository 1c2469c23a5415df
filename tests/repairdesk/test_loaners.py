"""Loaner swaps: a student trades a broken Chromebook for a loaner and brings it back; limits; overdue lists."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from kiosk.cli import main
from kiosk.domain import desk_settings, loaners, tickets
from kiosk.domain.clock import FakeClock
from kiosk.domain.db import Actor, Database
from kiosk.domain.errors import Conflict, PermissionDenied
from kiosk.domain.models import Kiosk, Loan, TicketEvent
from tests.repairdesk.conftest import Desk


def test_a_student_swaps_a_broken_chromebook_for_a_loaner_and_returns_it_a_week_later(
        desk: Desk, clock: FakeClock) -> None:
    db = desk.db
    with db.unit() as ctx:  # the walk-up report
        number = tickets.create_ticket(ctx, category="screen", description="Screen cracked in my bag",
                                       reporter="204511", tag="CB0001").number
    with db.unit(Actor(staff_id=desk.tech_id)) as ctx:  # the technician confirms the swap with a badge
        view = loaners.check_out(ctx, loaner_tag="ln0002", reporter="204511", for_tag="CB0001")
    assert (view.loaner_tag, view.reporter, view.for_tag, view.ticket) == ("LN0002", "204511", "CB0001", number)
    assert view.due_on == date(2026, 9, 21)  # the district's 7 days, from Monday 2026-09-14
    assert view.receipt_payload == "LOAN LN0002 FOR CB0001 TO 204511 DUE 2026-09-21"
    with db.unit() as ctx:
        notes = [e.body for e in ctx.session.scalars(select(TicketEvent).where(TicketEvent.kind == "note"))]
        assert notes == ["Loaner LN0002 lent until 2026-09-21"]
        pool = {p.campus: p for p in loaners.pool(ctx.session, clock.now())}
        assert (pool["LE01"].loaners, pool["LE01"].available, pool["LE01"].out) == (3, 2, 1)
        assert loaners.loans_for_reporter(ctx.session, "204511", clock.now())[0].loaner_tag == "LN0002"
        with pytest.raises(Conflict, match="already out"):
            loaners.check_out(ctx, loaner_tag="LN0002", reporter="300001")

    clock.advance(days=7)  # a week later, the day it is due: on time
    with db.unit(Actor(staff_id=desk.tech_id)) as ctx:
        back = loaners.check_in(ctx, loaner_tag="LN0002")
    assert back.state == "returned" and back.days_late == 0
    with db.unit() as ctx:
        assert loaners.list_loans(ctx.session, clock.now()) == []
        pool = {p.campus: p for p in loaners.pool(ctx.session, clock.now())}
        assert (pool["LE01"].available, pool["LE01"].out) == (3, 0)
        with pytest.raises(Conflict, match="not checked out"):
            loaners.check_in(ctx, loaner_tag="LN0002")


def test_limits_one_at_a_time_and_n_per_term(desk: Desk, clock: FakeClock) -> None:
    db = desk.db
    with db.unit() as ctx:
        desk_settings.set_value(ctx, "loaner.per_term", 2)
    with db.unit(Actor(staff_id=desk.tech_id)) as ctx:
        loaners.check_out(ctx, loaner_tag="LN0001", reporter="204511")
    with db.unit(Actor(staff_id=desk.tech_id)) as ctx, pytest.raises(Conflict, match="already has 1 loaner"):
        loaners.check_out(ctx, loaner_tag="LN0002", reporter="204511")
    with db.unit(Actor(staff_id=desk.tech_id)) as ctx:
        loaners.check_in(ctx, loaner_tag="LN0001")
        loaners.check_out(ctx, loaner_tag="LN0002", reporter="204511")
        loaners.check_in(ctx, loaner_tag="LN0002")
    with db.unit(Actor(staff_id=desk.tech_id)) as ctx, pytest.raises(Conflict, match="2 loaners this term"):
        loaners.check_out(ctx, loaner_tag="LN0003", reporter="204511")
    clock.set(clock.now().replace(year=2027, month=8, day=16))  # the next school year: a new term
    with db.unit(Actor(staff_id=desk.tech_id)) as ctx:
        assert loaners.check_out(ctx, loaner_tag="LN0003", reporter="204511").loaner_tag == "LN0003"


def test_only_loaners_of_this_campus_go_out_and_walk_up_needs_a_badge_unless_self_service(
        desk: Desk, clock: FakeClock) -> None:
    db = desk.db
    with db.unit() as ctx:
        now = clock.now()
        k = Kiosk(campus_id=desk.campus_id, name="front desk", created_at=now, updated_at=now)
        ctx.session.add(k)
        ctx.session.flush()
        kiosk_id = k.id
    with db.unit(Actor(kiosk_id=kiosk_id, label="walk-up")) as ctx, pytest.raises(PermissionDenied, match="badge"):
        loaners.check_out(ctx, loaner_tag="LN0001", reporter="204511")
    with db.unit() as ctx:
        desk_settings.set_value(ctx, "loaner.self_service", True)
    with db.unit(Actor(kiosk_id=kiosk_id, label="walk-up")) as ctx:
        with pytest.raises(Conflict, match="another campus"):
            loaners.check_out(ctx, loaner_tag="LN0101", reporter="204511")
        with pytest.raises(Conflict, match="not a loaner"):
            loaners.check_out(ctx, loaner_tag="CB0002", reporter="204511")
        assert loaners.check_out(ctx, loaner_tag="LN0001", reporter="204511").kiosk == "front desk"
    with db.unit(Actor(kiosk_id=kiosk_id, label="walk-up")) as ctx, pytest.raises(PermissionDenied):
        desk_settings.set_value(ctx, "loaner.self_service", False)


def test_the_command_line_lends_lists_overdue_and_takes_back(desk: Desk, clock: FakeClock, sqlite_url: str,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    desk.db.dispose()
    due = (date.today() + timedelta(days=3)).isoformat()
    assert main(["loaner", "out", "--tag", "LN0001", "--to", "ana@example.org", "--for", "CB0003", "--due", due,
                 "--url", sqlite_url]) == 0
    assert f"lent LN0001 to ana@example.org until {due} for CB0003" in capsys.readouterr().out
    assert main(["loaner", "out", "--tag", "LN0002", "--to", "204511", "--due", "2020-01-01",
                 "--url", sqlite_url]) == 2
    assert "in the past" in capsys.readouterr().err
    db = Database(sqlite_url)
    with db.unit() as ctx:  # a loan from last month, never returned
        loan = ctx.session.scalars(select(Loan)).one()
        loan.due_on = date.today() - timedelta(days=2)
    db.dispose()
    assert main(["loaner", "list", "--overdue", "--json", "--url", sqlite_url]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(r["loaner"], r["state"], r["days_late"]) for r in data["loans"]] == [("LN0001", "overdue", 2)]
    assert data["pool"][0] == {"campus": "HS02", "loaners": 1, "available": 1, "out": 0, "overdue": 0,
                               "conflicts": 0}
    assert main(["loaner", "list", "--campus", "LE01", "--url", sqlite_url]) == 0
    assert "LE01: 3 loaners, 2 available, 1 out, 1 overdue" in capsys.readouterr().out
    assert main(["loaner", "in", "--tag", "LN0001", "--url", sqlite_url]) == 0
    assert "LN0001 is back from ana@example.org, 2 day(s) late" in capsys.readouterr().out
