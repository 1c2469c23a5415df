"""A ticket from the walk-up to closed-with-survey: assign, repair with cost, resolve, auto-close, CLI alike."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from kiosk import cli
from kiosk.domain import seed, ticket_work, tickets
from kiosk.domain.clock import FakeClock
from kiosk.domain.db import Actor, Database
from kiosk.domain.errors import InvalidInput, PermissionDenied
from kiosk.domain.models import Device, District, RepairLog, StaffUser, Survey, Ticket, TicketStatus


def _district(db: Database) -> tuple[str, StaffUser]:
    seed.seed(db, seed.SeedOptions(devices=20, tickets=0, hash_passwords=False))
    with db.unit() as ctx:
        tag = ctx.session.scalars(select(Device.asset_tag).order_by(Device.asset_tag)).first()
        tech = ctx.session.scalars(select(StaffUser).where(StaffUser.role == "technician")
                                   .order_by(StaffUser.username)).first()
        assert tag and tech
        return tag, tech


def _file(db: Database, tag: str, reporter: str = "204511") -> str:
    with db.unit() as ctx:
        return tickets.create_ticket(ctx, category="screen", description="Cracked screen", reporter=reporter,
                                     tag=tag).number


def test_a_resolved_ticket_closes_itself_after_five_business_days_and_the_reporter_gets_a_survey(
        db: Database, clock: FakeClock) -> None:
    tag, tech = _district(db)
    number = _file(db, tag)
    me = Actor(staff_id=tech.id, label="technician")
    with db.unit() as ctx, pytest.raises(PermissionDenied):
        ticket_work.ticket_card(ctx, number)  # nobody signed in: no internal notes for anyone
    with db.unit(me) as ctx:
        done = ticket_work.log_repair(ctx, number, action="Replaced the panel", minutes=30, parts="LCD 11.6",
                                      cost="45.90")
        assert done.assigned and done.ticket.assignee_id == tech.id  # a repair on an unassigned ticket assigns it
        assert done.ticket.parts_cost_cents == 4590 and done.ticket.minutes == 30
        card = ticket_work.resolve(ctx, number, "New panel fitted")
    assert card.status == "resolved" and card.closes_on is not None
    # resolved on Monday 14 Sept: it waits Tue..Mon (5 business days) and closes once Monday 21 Sept is over
    assert card.closes_on.isoformat() == "2026-09-21"
    with db.unit(me) as ctx:  # the queue's "waiting to close" view lists it; the open view does not
        campus = ctx.session.scalars(select(Ticket.campus_id).where(Ticket.number == number)).one()
        view = ticket_work.work_queue(ctx, campus, "waiting", run_rules=False)
        assert [r.number for r in view.rows] == [number] and view.rows[0].closes_on == card.closes_on
        assert number not in [r.number for r in ticket_work.work_queue(ctx, campus, "open").rows]
    clock.advance(timedelta(days=7))  # Monday 21 Sept, still its last waiting day
    with db.unit() as ctx:
        assert ticket_work.auto_close(ctx).closed == ()
    clock.advance(timedelta(days=1))
    with db.unit() as ctx:
        result = ticket_work.auto_close(ctx)
    assert result.closed == (number,) and result.surveys == 1
    with db.unit() as ctx:
        t = tickets.get_ticket(ctx.session, number)
        assert t.status is TicketStatus.CLOSED
        survey = ctx.session.scalars(select(Survey).where(Survey.ticket_id == t.id)).one()
        assert survey.technician_id == tech.id and survey.submitted_at is None


def test_the_reporter_says_not_solved_and_the_ticket_does_not_close(db: Database, clock: FakeClock) -> None:
    tag, tech = _district(db)
    number = _file(db, tag, reporter="204511")
    with db.unit(Actor(staff_id=tech.id)) as ctx:
        ticket_work.resolve(ctx, number, "Reseated the cable")
    with db.unit() as ctx, pytest.raises(PermissionDenied):
        ticket_work.reporter_not_solved(ctx, number, "999999")  # someone else cannot reopen it
    with db.unit() as ctx:
        assert ticket_work.reporter_not_solved(ctx, number, "204511", "still flickers") == "reopened"
    clock.advance(timedelta(days=30))
    with db.unit() as ctx:
        assert ticket_work.auto_close(ctx).closed == ()
        assert tickets.get_ticket(ctx.session, number).status is TicketStatus.REOPENED


def test_the_district_sets_the_waiting_days(db: Database, clock: FakeClock) -> None:
    tag, tech = _district(db)
    number = _file(db, tag)
    with db.unit() as ctx:
        ctx.session.scalars(select(District)).one().auto_close_business_days = 2
    with db.unit(Actor(staff_id=tech.id)) as ctx:
        assert ticket_work.resolve(ctx, number, "Fixed").closes_on.isoformat() == "2026-09-16"
    clock.advance(timedelta(days=3))  # Thursday
    with db.unit() as ctx:
        assert ticket_work.auto_close(ctx).closed == (number,)


def test_parts_cost_is_checked() -> None:
    assert ticket_work.parse_cost("12.50") == 1250 and ticket_work.parse_cost("$1,012") == 101200
    assert ticket_work.parse_cost("") is None
    for bad in ("abc", "-3", "1.005", "99999"):
        with pytest.raises(InvalidInput):
            ticket_work.parse_cost(bad)


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return cli.main(list(argv), out=out), out.getvalue()


def test_the_cli_takes_a_ticket_through_its_lifecycle(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    run("seed", "--url", sqlite_url, "--devices", "20", "--tickets", "0")
    code, text = run("ticket", "new", "--url", sqlite_url, "--tag", "DS100003", "--category", "screen",
                     "--description", "Cracked screen", "--reporter", "204511", "--json")
    assert code == 0
    number = json.loads(text)["number"]
    db = Database(sqlite_url)
    with db.unit() as ctx:
        users = list(ctx.session.scalars(select(StaffUser.username).where(StaffUser.role == "technician")
                                         .order_by(StaffUser.username)))
    db.dispose()
    first, other = users[0], users[1]
    assert run("ticket", "note", number, "Picked up", "--url", sqlite_url)[0] == 2
    assert "--as USERNAME" in capsys.readouterr().err
    code, text = run("repair", "add", "--ticket", number, "--action", "Replaced panel", "--parts", "LCD",
                     "--minutes", "25", "--cost", "12.50", "--as", first, "--url", sqlite_url, "--json")
    assert code == 0, capsys.readouterr().err
    logged = json.loads(text)
    assert logged["parts_cost_cents"] == 1250 and logged["assigned"] is True
    assert run("ticket", "assign", number, other, "--as", first, "--url", sqlite_url)[0] == 0
    assert run("ticket", "note", number, "Ordered a part", "--public", "--as", other, "--url", sqlite_url)[0] == 0
    assert run("ticket", "status", number, "on_hold", "--note", "waiting on the part", "--as", other,
               "--url", sqlite_url)[0] == 0
    code, text = run("ticket", "resolve", number, "Panel replaced", "--as", other, "--url", sqlite_url)
    assert code == 0 and "closes by itself after" in text
    code, text = run("ticket", "close", number, "--as", other, "--url", sqlite_url, "--json")
    assert code == 0 and json.loads(text)["status"] == "closed" and json.loads(text)["survey"] == "invited"
    code, _ = run("repair", "add", "--ticket", number, "--action", "More", "--minutes", "5", "--cost", "abc",
                  "--as", other, "--url", sqlite_url)
    assert code == 2 and "12.50" in capsys.readouterr().err
    db = Database(sqlite_url)
    with db.unit() as ctx:
        t = tickets.get_ticket(ctx.session, number)
        assert ctx.session.scalars(select(RepairLog.parts_cost_cents).where(RepairLog.ticket_id == t.id)).all() \
            == [1250]
    db.dispose()
    code, text = run("devices", "show", "DS100003", "--url", sqlite_url, "--json")
    assert json.loads(text)["parts_cost"] == 12.5


def test_the_central_services_scheduled_job_closes_them_too(db: Database, clock: FakeClock) -> None:
    import threading

    from kiosk.server import jobs

    tag, tech = _district(db)
    number = _file(db, tag)
    with db.unit(Actor(staff_id=tech.id)) as ctx:
        ticket_work.resolve(ctx, number, "Fixed")
    assert "closed 0" in jobs.auto_close(db, threading.Event())
    clock.advance(timedelta(days=8))
    assert jobs.auto_close(db, threading.Event()).startswith("closed 1 resolved tickets (1 surveys)")
    with db.unit() as ctx:
        assert tickets.get_ticket(ctx.session, number).status is TicketStatus.CLOSED
