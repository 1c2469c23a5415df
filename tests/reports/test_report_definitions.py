"""Issue 16, item 2: each definition the docs left open, decided (docs/reports.md, "Rules decided") and checked."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from kiosk.domain import devices, sla, surveys, tickets
from kiosk.domain.db import Actor, Database
from kiosk.domain.models import Device, Ticket
from kiosk.domain.reports import inventory, objectives, service, weekly
from kiosk.domain.reports.base import Period, district_tz
from kiosk.domain.sla_clock import compute_ticket_sla
from tests.reports.fixture_week import at
from tests.reports.test_report_fixes import small_district, summary_row, week_period


def test_the_resolution_clock_runs_while_a_ticket_sat_resolved_before_its_reopen(db: Database) -> None:
    w = small_district(db)
    w.life("R", "mlopez", "Mon 08:00", "P3", respond="Mon 08:10", resolve="Mon 09:00", close="Mon 09:30")
    w.answer("R", "Mon 15:00", 1, solved=False)  # reopened Monday 15:00
    w.status("R", "Tue 09:00", "mlopez", "resolved")
    w.status("R", "Tue 09:30", "mlopez", "closed")
    with db.unit() as ctx:
        report = weekly.build(ctx.session, week_period(db), None, w.clock.now())
    # opened Mon 08:00, finally resolved Tue 09:00: Monday 510 min + Tuesday 90 min, the six hours it sat
    # "resolved" on Monday included (the reporter's problem was not solved meanwhile): 600 min = 10 h
    assert summary_row(report, "mlopez")["median_resolution_hours"] == 10.0


def test_the_p1_objective_counts_the_priority_in_force_when_the_ticket_was_resolved(db: Database) -> None:
    w = small_district(db)

    def ticket(name: str, prio: str, start: str, end: str, override: tuple[str, str] | None, before: bool) -> None:
        w.open(name, start, prio)
        w.assign(name, start, "mlopez")
        if override and before:
            w.override(name, override[0], "mlopez", override[1])
        w.status(name, end, "mlopez", "resolved")
        if override and not before:
            w.override(name, override[0], "mlopez", override[1])

    ticket("up_before", "P3", "Mon 08:00", "Mon 09:00", ("Mon 08:30", "P1"), before=True)  # 60 min: counts
    ticket("up_after", "P2", "Mon 10:00", "Mon 14:00", ("Mon 15:00", "P1"), before=False)  # after: not P1
    ticket("down_before", "P1", "Tue 08:00", "Tue 16:00", ("Tue 08:10", "P3"), before=True)  # no longer P1
    with db.unit() as ctx:
        period = Period.of_dates(district_tz(ctx.session), date(2026, 9, 1), date(2026, 9, 30))
        report = objectives.build(ctx.session, period, None, w.clock.now())
    monthly = {r["metric"]: r for r in report.page("summary").tables[1].as_dicts()}
    assert monthly["p1_median_resolution_hours"]["actual"] == 1.0  # only "up_before"


def test_past_replacement_age_starts_on_the_day_the_age_reaches_365_times_the_years(db: Database) -> None:
    small_district(db, devices=2)
    with db.unit() as ctx:
        today = db.clock.now().astimezone(district_tz(ctx.session)).date()
        pair = list(ctx.session.scalars(select(Device).order_by(Device.asset_tag)))
        for device, days in zip(pair, (1459, 1460), strict=True):
            device.category = "chromebook"  # type: ignore[assignment]  # 4 years
            device.status = "in_service"  # type: ignore[assignment]
            device.purchase_date = today - timedelta(days=days)
            device.warranty_end = today  # ends today: still covered today
            device.purchase_cost_cents = 28_900
    with db.unit() as ctx:
        facts = inventory.build(ctx.session, None, None, db.clock.now()).page("summary").facts
    assert facts["past_replacement_age"] == 1 and float(facts["replacement_budget"]) == 289.0
    assert facts["past_warranty"] == 0


def test_a_repair_counts_under_the_campus_of_its_ticket_after_the_device_moved(db: Database) -> None:
    from kiosk.domain import repairs
    from kiosk.domain.devices import find_campus
    from kiosk.domain.models import Campus

    w = small_district(db)
    with db.unit() as ctx:
        here = find_campus(ctx.session, w.campus)
        tag = ctx.session.scalars(select(Device.asset_tag).where(Device.campus_id == here.id)
                                  .order_by(Device.asset_tag)).first()
        other = ctx.session.scalars(select(Campus.code).where(Campus.code != w.campus).order_by(Campus.code)).first()
    assert tag and other
    for hour in ("08", "09"):
        w.clock.set(at(f"Mon {hour}:00"))
        with db.unit(Actor(staff_id=w.staff["mlopez"])) as ctx:
            t = tickets.create_ticket(ctx, category="screen", description="Cracked screen", reporter="200001",
                                      tag=tag)
            repairs.log_repair(ctx, t.number, action="Replaced screen panel", minutes=20, parts_cost_cents=4500)
    w.clock.set(at("Tue 09:00"))
    with db.unit(Actor(staff_id=w.staff["mlopez"])) as ctx:
        devices.set_fields(ctx, tag, {"campus": other}, reason="Moved to the other campus")
    with db.unit() as ctx:
        at_here = service.build(ctx.session, week_period(db), find_campus(ctx.session, w.campus),
                                w.clock.now()).page("summary")
        at_there = service.build(ctx.session, week_period(db), find_campus(ctx.session, other),
                                 w.clock.now()).page("summary")
    assert at_here.facts["repeat_repair_devices"] == 1 and at_there.facts["repeat_repair_devices"] == 0
    row = next(t for t in at_here.tables if t.key == "repeat_devices").as_dicts()[0]
    assert row["campus"] == other  # the list shows where the device is now


def test_unrated_answers_count_as_received_but_not_in_the_average_or_the_solved_share(db: Database) -> None:
    w = small_district(db)
    w.life("A", "mlopez", "Mon 08:00", "P3", respond="Mon 08:10", resolve="Mon 09:00", close="Mon 09:05")
    w.answer("A", "Mon 10:00", 4)
    w.life("B", "mlopez", "Mon 10:00", "P3", respond="Mon 10:10", resolve="Mon 11:00", close="Mon 11:05")
    with db.unit() as ctx:  # an answer without ratings or the solved question (an older kiosk's row, say)
        ticket = ctx.session.scalars(select(Ticket).where(Ticket.number == w.numbers["B"])).one()
        survey = surveys.for_ticket(ctx.session, ticket.id)
        assert survey is not None
        survey.submitted_at = at("Mon 12:00")
    with db.unit() as ctx:
        row = summary_row(weekly.build(ctx.session, week_period(db), None, w.clock.now()), "mlopez")
    assert row["surveys"] == 2 and row["average_rating"] == 4.0 and row["solved_pct"] == 100.0
    assert row["rank"] == 1


def test_events_at_the_same_instant_take_effect_in_the_order_they_were_recorded(db: Database) -> None:
    w = small_district(db)
    w.open("S", "Mon 08:00", "P3")
    w.assign("S", "Mon 08:00", "mlopez")
    w.override("S", "Mon 09:00", "mlopez", "P1")
    w.override("S", "Mon 09:00", "mlopez", "P4")  # the same instant, recorded after: P4 is in force
    w.status("S", "Mon 09:30", "mlopez", "in_progress")
    with db.unit() as ctx:
        ticket = ctx.session.scalars(select(Ticket).where(Ticket.number == w.numbers["S"])).one()
        events = list(ctx.session.scalars(select(sla.TicketEvent).where(sla.TicketEvent.ticket_id == ticket.id)))
        segments, holds = sla.ticket_history(list(reversed(events)), ticket)  # whatever order they are read in
        assert [s.priority for s in segments][-1] == "P4"
        cal, targets = sla.load_calendar(ctx.session)
        state = compute_ticket_sla(cal, targets, created_at=ticket.opened_at, priorities=segments, holds=holds,
                                   first_response_at=ticket.first_response_at, resolved_at=None, now=at("Mon 09:30"))
        assert state.response.breached is False  # 90 min against P4's 1080 (P1's 30 never ran a moment)
        report = weekly.build(ctx.session, week_period(db), None, at("Mon 09:30"))
    assert summary_row(report, "mlopez")["closed"] == 0


def test_a_ticket_closed_during_a_break_counts_in_the_week_it_was_closed_and_its_clock_stood_still(
        db: Database) -> None:
    w = small_district(db)
    with db.unit() as ctx:
        from kiosk.domain.models import Holiday

        ctx.session.add(Holiday(name="Fall break", start_date=date(2026, 9, 17), end_date=date(2026, 9, 18)))
    w.open("H", "Wed 15:00", "P3")
    w.assign("H", "Wed 15:00", "mlopez")
    w.status("H", "Wed 15:30", "mlopez", "in_progress")
    w.status("H", "Thu 10:00", "mlopez", "resolved")  # on the break: no business time passes
    w.status("H", "Fri 11:00", "mlopez", "closed")
    with db.unit() as ctx:
        row = summary_row(weekly.build(ctx.session, week_period(db), None, w.clock.now()), "mlopez")
    assert row["closed"] == 1
    assert row["median_resolution_hours"] == 1.5  # Wednesday 15:00-16:30; Thursday is closed
    assert row["median_first_response_hours"] == 0.5
