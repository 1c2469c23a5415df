"""The fixture week (see fixture_week.py): every report figure below was worked out by hand, on both databases.

Business minutes, worked out from the fixture's times (07:30-16:30 days):

=====  ====  ==========================================  ===========  ================  =========================
 tkt   tech  story                                       first resp.  resolution        SLA
=====  ====  ==========================================  ===========  ================  =========================
 T1    A     P3 Mon 08:00, resp Mon 09:00, res 11:00     60           180               met / met
 T2    A     P2 Mon 15:00, resp Tue 08:30, res Tue 12:30 90+60=150    90+300=390        resp >120 breached / met
 T3    A     P3 Tue 10:00, resp 10:30, hold 11:00 to     30           60+120=180        met / met
             Wed 10:00, res Wed 12:00
 T4    A     P4 Thu(prev) 09:00, resp 10:00, res Mon     60           450+540+510=1500  met / met
             16:00 (closed Tue: counts this week)
 T5    B     P1 Mon 10:00, resp 10:20, res 15:00         20           300               met / res >240 breached
 T6    B     P3 Tue 08:00, override to P1 at 09:00,      70           180               resp: 70 > 30 under P1,
             resp 09:10, res 11:00                                                      breached / res met
 T7    B     P2 Wed 16:00, resp Thu 08:00, hold Thu      30+30=60     30+90=120         met / met
             09:00, res Fri 10:00 (from hold)
 T8    B     P3 Thu 14:00, resp 14:30, res Sat 10:00     30           150+540=690       met / met
 T9    C     P2 Wed 09:00, resp 09:30, res Thu 09:00     30           450+90=540        met / met
 T10   C     P3 Fri 09:00, resolved 10:00 (no resp.)     60           60                met / met
 T14   -     P4 Thu 10:00, closed 10:30, never assigned  30           30                met / met
=====  ====  ==========================================  ===========  ================  =========================

Not counted as closed this week: T11 (resolved, not closed), T12 (closed next Monday), T13 (closed Wednesday,
then reopened by its "not solved" survey).
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from kiosk.domain import escalation
from kiosk.domain.db import Database
from kiosk.domain.models import (
    Campus,
    EmailMessage,
    StaffRole,
    StaffUser,
    Ticket,
    TicketEvent,
    TicketEventKind,
)
from kiosk.domain.reports import accountability, backlog, weekly
from kiosk.domain.reports.base import Period, district_tz
from kiosk.domain.sla_clock import Escalation
from tests.reports.fixture_week import Week, build


@pytest.fixture
def week(any_db: Database) -> Week:
    return build(any_db)


def _row(table: Any, key: str) -> dict[str, Any]:
    rows = {r[table.columns[0]]: r for r in table.as_dicts()}
    return rows[key]


def test_weekly_report_matches_the_hand_computed_week(week: Week) -> None:
    with week.db.unit() as ctx:
        period = Period.iso_week(district_tz(ctx.session), "2026-W38")
        report = weekly.build(ctx.session, period, None, week.clock.now())
    table = report.page("summary").tables[0]
    # A: response 30, 60, 60, 150 -> median 60 min = 1.0 h; resolution 180, 180, 390, 1500 -> (180+390)/2 = 285
    # min = 4.75 h; response met 3/4 (T2 breached); resolution met 4/4; both 3/4.
    # Surveys T1 5, T2 3, T3 4, T13 1 (not solved): 4 received, average 13/4 = 3.25, solved 3/4.
    assert _row(table, "mlopez") == {
        "technician": "mlopez", "closed": 4, "median_first_response_hours": 1.0, "median_resolution_hours": 4.75,
        "response_sla_met_pct": 75.0, "resolution_sla_met_pct": 100.0, "sla_met_pct": 75.0, "surveys": 4,
        "average_rating": 3.25, "solved_pct": 75.0, "rank": 3}
    # B: response 20, 30, 60, 70 -> (30+60)/2 = 45 min = 0.75 h; resolution 120, 180, 300, 690 -> 240 min = 4 h;
    # response met 3/4 (T6), resolution met 3/4 (T5), both 2/4. Surveys 4 and 4: average 4.0.
    assert _row(table, "jcarter") == {
        "technician": "jcarter", "closed": 4, "median_first_response_hours": 0.75, "median_resolution_hours": 4.0,
        "response_sla_met_pct": 75.0, "resolution_sla_met_pct": 75.0, "sla_met_pct": 50.0, "surveys": 2,
        "average_rating": 4.0, "solved_pct": 100.0, "rank": 1}
    # C: response 30, 60 -> 45 min; resolution 540, 60 -> 300 min = 5 h. Surveys 5 and 3: average 4.0, a tie
    # with B: both rank 1, and A, next, is rank 3 (competition ranking).
    assert _row(table, "akhan") == {
        "technician": "akhan", "closed": 2, "median_first_response_hours": 0.75, "median_resolution_hours": 5.0,
        "response_sla_met_pct": 100.0, "resolution_sla_met_pct": 100.0, "sla_met_pct": 100.0, "surveys": 2,
        "average_rating": 4.0, "solved_pct": 100.0, "rank": 1}
    unassigned = [r for r in table.as_dicts() if r["technician"] is None]
    assert unassigned == [{
        "technician": None, "closed": 1, "median_first_response_hours": 0.5, "median_resolution_hours": 0.5,
        "response_sla_met_pct": 100.0, "resolution_sla_met_pct": 100.0, "sla_met_pct": 100.0, "surveys": 0,
        "average_rating": None, "solved_pct": None, "rank": None}]
    assert report.page("summary").facts == {"closed": 11, "ranked_technicians": 3}
    # one page per technician, with the week's comments of their own customers only
    a_page = report.page("mlopez")
    assert a_page.facts["rank"] == 3 and a_page.facts["ranked_technicians"] == 3
    comments = a_page.tables[0].as_dicts()
    assert [(c["ticket"], c["overall"], c["solved"], c["comment"]) for c in comments] == [
        (week.numbers["T2"], 3, True, "Took two days to hear back"),
        (week.numbers["T13"], 1, False, "Still broken")]
    assert [c["comment"] for c in report.page("jcarter").tables[0].as_dicts()] == ["Fast and friendly"]
    assert report.page("akhan").tables[0].rows == []


def test_weekly_report_for_another_campus_is_empty(week: Week) -> None:
    with week.db.unit() as ctx:
        other = ctx.session.scalars(select(Campus).where(Campus.code != week.campus)).first()
        period = Period.iso_week(district_tz(ctx.session), "2026-W38")
        report = weekly.build(ctx.session, period, other, week.clock.now())
    assert report.page("summary").facts["closed"] == 0
    assert all(r["surveys"] == 0 and r["rank"] is None for r in report.page("summary").tables[0].as_dicts())


def test_accountability_report_matches_the_hand_computed_week(week: Week) -> None:
    with week.db.unit() as ctx:
        period = Period.iso_week(district_tz(ctx.session), "2026-W38")
        report = accountability.build(ctx.session, period, None, week.clock.now())
    page = report.page("summary")
    table = page.tables[0]
    days = ["2026-09-14", "2026-09-15", "2026-09-16", "2026-09-17", "2026-09-18", "2026-09-19", "2026-09-20"]
    assert table.columns == ["technician", *days, "week_minutes", "tickets_worked", "closed", "closed_without_time"]
    rows = {r[0]: r[1:] for r in table.rows}
    # A: Mon 40 (T1), Tue 25 (T2), Wed 30+15 (T3), Thu 20 (T11, resolved not closed); 4 tickets worked;
    # closed T1-T4, T4 without any logged time.
    assert rows["mlopez"] == [40, 25, 45, 20, 0, 0, 0, 130, 4, 4, 1]
    # B: Mon 60 (T5), Tue 35 (T6), Fri 50 (T8), Sun 23:30 local 10 (T8; Monday in UTC); T7 closed without time.
    assert rows["jcarter"] == [60, 35, 0, 0, 50, 0, 10, 155, 3, 4, 1]
    # C: Wed 45 (T9); the 30 minutes logged Sunday 23:00 before the week (Monday in UTC) do not count; T10
    # closed without time.
    assert rows["akhan"] == [0, 0, 45, 0, 0, 0, 0, 45, 1, 2, 1]
    assert rows[None] == [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1]  # T14, closed unassigned
    flagged = page.tables[1].rows
    n = week.numbers
    assert flagged == [[n["T4"], "mlopez"], [n["T14"], None], [n["T10"], "akhan"], [n["T7"], "jcarter"]]
    assert page.facts == {"minutes": 330, "closed_without_time": 4}


def test_backlog_report_matches_the_hand_computed_monday(week: Week) -> None:
    with week.db.unit() as ctx:
        report = backlog.build(ctx.session, None, None, week.clock.now())
    page = report.page("summary")
    n, c = week.numbers, week.campus
    # Open on Monday 21 10:00: T13 (reopened, opened Wed 16 09:00: 5 days 1 h), T15 (P1, Fri 16:00: 2 d 18 h),
    # T16 (P2 on hold, Thu 09:00: 4 d 1 h), T17 (P4, today 08:00: 2 h), T18 (P4, Thu 14:00: 3 d 20 h).
    assert page.tables[0].rows == [[c, "<1d", "P4", 1], [c, "1-3d", "P1", 1], [c, "3-7d", "P2", 1],
                                   [c, "3-7d", "P3", 1], [c, "3-7d", "P4", 1]]
    oldest = page.tables[1].as_dicts()
    assert [r["ticket"] for r in oldest] == [n["T13"], n["T16"], n["T18"], n["T15"], n["T17"]]
    assert [r["age_days"] for r in oldest] == [5.0, 4.0, 3.8, 2.8, 0.1]
    assert oldest[0]["status"] == "reopened" and oldest[1]["status"] == "on_hold"
    # T15 (P1, no response): Fri 16:00-16:30 + Mon 07:30-10:00 = 180 min against 30: 600% used, breached.
    assert page.tables[2].rows == [[n["T15"], c, "P1", None, 600.0, "response"]]
    # T18 (P4, no response): 150 + 540 + 150 = 840 of 1080 = 77.8%: at risk. T13's resolution clock runs again
    # since the reopen: 450 + 540 + 540 + 150 = 1680 of 2700 = 62.2%: fine. T16 is on hold: 60 of 1080.
    assert page.tables[3].rows == [[n["T18"], c, "P4", None, 77.8]]
    assert page.facts == {"open": 5, "breached": 1, "at_risk": 1, "by_priority": {"P1": 1, "P2": 1, "P3": 1, "P4": 2}}


def test_escalation_warns_and_escalates_once(week: Week) -> None:
    with week.db.unit() as ctx:
        result = escalation.run(ctx)
        admins = set(ctx.session.scalars(select(StaffUser.username).where(StaffUser.role == StaffRole.ADMIN)))
        leads = set(ctx.session.scalars(select(StaffUser.username).join(
            Campus, StaffUser.lead_of_campus_id == Campus.id).where(Campus.code == week.campus)))
    n = week.numbers
    raised = {(r.ticket, r.clock): r for r in result.raised}
    # T15: response 180 of 30 min -> breached; resolution 180 of 240 = 75% -> warn. T18: response 77.8% -> warn.
    assert set(raised) == {(n["T15"], "response"), (n["T15"], "resolution"), (n["T18"], "response")}
    assert raised[(n["T15"], "response")].level is Escalation.BREACHED
    assert raised[(n["T15"], "resolution")].level is Escalation.WARN
    assert raised[(n["T18"], "response")].level is Escalation.WARN
    assert leads and admins  # the seeded district has a lead for this campus and an admin
    assert set(raised[(n["T15"], "response")].notified) == admins | leads
    assert raised[(n["T18"], "response")].notified == ()  # unassigned: a warning has no one to go to yet
    with week.db.unit() as ctx:
        events = list(ctx.session.scalars(select(TicketEvent).where(TicketEvent.kind == TicketEventKind.ESCALATION)))
        mails = list(ctx.session.scalars(select(EmailMessage).where(EmailMessage.kind == "escalation")))
        again = escalation.run(ctx)
    assert len(events) == 3
    assert sorted(m.to_address.split("@")[0] for m in mails) == sorted(admins | leads)
    assert again.raised == [] and again.checked == 5
    with week.db.unit() as ctx:  # the technician queue shows each ticket's highest flag
        ids = {t.number: t.id for t in ctx.session.scalars(select(Ticket))}
        flags = escalation.queue_flags(ctx, ids.values())
    assert {n: (f.level, f.clock) for n, f in ((k, flags.get(v)) for k, v in ids.items()) if f} == {
        n["T15"]: (Escalation.BREACHED, "response"), n["T18"]: (Escalation.WARN, "response")}


def test_escalation_at_the_kiosk_flags_without_email(week: Week) -> None:
    with week.db.unit() as ctx:
        result = escalation.run(ctx, notify=False)
        mails = ctx.session.scalars(select(EmailMessage).where(EmailMessage.kind == "escalation")).all()
    assert len(result.raised) == 3 and all(r.notified == () for r in result.raised)
    assert mails == []


def test_objectives_report_matches_the_hand_computed_week(week: Week) -> None:
    from kiosk.domain.reports import objectives

    with week.db.unit() as ctx:
        period = Period.iso_week(district_tz(ctx.session), "2026-W38")
        report = objectives.build(ctx.session, period, None, week.clock.now())
    monthly = {r["metric"]: r for r in report.page("summary").tables[1].as_dicts()}
    # Satisfaction: overall 4 or 5 in T1 (5), T3 (4), T5 (4), T6 (4), T9 (5) of the 8 answers: 5/8 = 62.5%.
    assert monthly["satisfaction_pct"] == {"month": "2026-09", "metric": "satisfaction_pct", "actual": 62.5,
                                           "target": ">=94", "status": "missed"}
    # P1 now and resolved this week: T5 (300 min) and T6 (180 min, overridden to P1): median 240 min = 4 h.
    assert monthly["p1_median_resolution_hours"]["actual"] == 4.0
    assert monthly["p1_median_resolution_hours"]["status"] == "met"
    # Resolved this week (resolved_at in the week): T1-T12 and T14 but not T13 (reopened): 13 tickets;
    # first response missed by T2 and T6: 11/13 = 84.6%.
    assert monthly["first_response_met_pct"]["actual"] == 84.6
    assert monthly["first_response_met_pct"]["status"] == "missed"
    assert report.page("summary").tables[0].rows == [
        ["satisfaction_pct", "Satisfaction (overall 4-5) >= 94%", 0, 1],
        ["p1_median_resolution_hours", "P1 median resolution <= 4 business hours", 1, 1],
        ["first_response_met_pct", "First-response SLA met >= 90%", 0, 1]]


def test_service_report_matches_the_hand_computed_week(week: Week) -> None:
    from kiosk.domain.reports import service

    with week.db.unit() as ctx:
        period = Period.iso_week(district_tz(ctx.session), "2026-W38")
        report = service.build(ctx.session, period, None, week.clock.now())
    page = report.page("summary")
    # Opened in the week: every fixture ticket but T4 (the Thursday before) and T17 (the Monday after): 16,
    # all in "software", none outside the catalog; one campus; one month.
    by_cat = {r["category"]: r["tickets"] for r in page.tables[0].as_dicts()}
    assert by_cat["software"] == 16 and sum(by_cat.values()) == 16
    assert page.tables[1].rows == [[week.campus, page.tables[1].rows[0][1], 16, 0]]
    assert page.tables[2].rows == [["2026-09", 16, 0, None]]
    assert page.facts == {"tickets": 16, "outside_catalog": 0, "outside_catalog_pct": 0.0, "repeat_repair_devices": 0}


def test_followup_report_lists_the_unhappy_answers(week: Week) -> None:
    from kiosk.domain.reports import followups

    with week.db.unit() as ctx:
        period = Period.iso_week(district_tz(ctx.session), "2026-W38")
        report = followups.build(ctx.session, period, None, week.clock.now())
    # T13: not solved, all ratings 1. No other answer has a rating of 2 or less (T2 and T10 gave 3).
    rows = report.page("summary").tables[0].as_dicts()
    assert [(r["ticket"], r["solved"], r["lowest_rating"], r["technician"]) for r in rows] == [
        (week.numbers["T13"], False, 1, "mlopez")]
