"""A check that cannot drift: every figure of every report, recomputed from the raw tables (``recompute.py``).

Two districts, on SQLite and PostgreSQL: the demo (``kiosk seed``) and a hand-built edge-case district made
through the services (DST end, a week on hold, overrides at opening and after resolution, a response exactly
on target and one 1 ms late, a tie in rank, a technician with no surveys, an empty week, a "not solved" answer
and its reopen and second survey, a ticket closed during the Thanksgiving break, holiday plus weekend, an
admin closing an unassigned ticket). The recomputation must find 0 mismatches and must compare thousands of
figures (so a report that lost a table would fail too).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from kiosk.domain import repairs, seed, surveys, tickets
from kiosk.domain.clock import FakeClock
from kiosk.domain.db import Actor, Ctx, Database
from kiosk.domain.models import Campus, Device, StaffUser
from kiosk.domain.reports import generate
from tests.reports import recompute as rc
from tests.reports import recompute_desk as rd

CHICAGO = ZoneInfo("America/Chicago")
KEYS: dict[str, dict[str, list[str]]] = {
    "weekly": {"technicians": ["technician"]},
    "accountability": {"technicians": ["technician"], "closed_without_time": ["ticket"]},
    "backlog": {"counts": ["campus", "age", "priority"], "oldest": ["ticket"], "breached": ["ticket"],
                "at_risk": ["ticket"]},
    "service": {"by_category": ["category"], "by_campus": ["campus"], "trend": ["month"], "repeat_devices": ["tag"],
                "repeat_models": ["manufacturer", "model"]},
    "objectives": {"monthly": ["month", "metric"], "objectives": ["metric"]},
    "inventory": {"by_campus": ["campus", "category"], "by_age": ["age"],
                  "by_model": ["manufacturer", "model", "category"], "costly": ["tag"]},
    "followups": {},
}
for _name in ("weekly", "accountability", "service", "inventory"):  # the repair desk's tables (recompute_desk.py)
    KEYS[_name].update(rd.KEYS)


def local(text: str) -> datetime:
    """'2026-10-30 15:00' (or with seconds and fractions) in Chicago, as a UTC instant."""
    return datetime.fromisoformat(text).replace(tzinfo=CHICAGO).astimezone(UTC)


def weeks_between(first: date, last: date) -> list[str]:
    out, d = [], first - timedelta(days=first.weekday())
    while d <= last:
        iso = d.isocalendar()
        out.append(f"{iso.year}-W{iso.week:02d}")
        d += timedelta(weeks=1)
    return out


@dataclass
class Check:
    compared: int = 0
    mismatches: list[str] = field(default_factory=list)

    def compare(self, what: str, got: dict[str, Any], want: dict[str, Any]) -> None:
        got = {k: v for k, v in got.items() if not k.endswith(".objective")}  # a label, not a figure
        for key in sorted(set(got) | set(want)):
            self.compared += 1
            a, b = got.get(key, "<missing>"), want.get(key, "<missing>")
            if a != b:
                self.mismatches.append(f"{what}: {key}: report {a!r}, recomputed {b!r}")


def report_figures(db: Database, name: str, now: datetime, **period: Any) -> tuple[dict[str, Any], Any]:
    with db.unit() as ctx:
        report = generate(ctx.session, name, now=now, **period)
        data = json.loads(json.dumps(report.as_dict(), default=str))
    return rc.flatten(data, KEYS[name]), report


def desk(db: Database, fn: Any, *args: Any) -> dict[str, Any]:
    with db.unit() as ctx:
        return dict(fn(ctx.session, *args))


def check_district(db: Database, now: datetime, weeks: list[str], first: date, last: date) -> Check:
    check = Check()
    with db.unit() as ctx:
        raw = rc.Raw.load(ctx.session)
    for week in weeks:
        got, report = report_figures(db, "weekly", now, week=week)
        check.compare(f"weekly {week}", got, {**rc.expected_weekly(raw, report.period.start, report.period.end),
                                              **desk(db, rd.expected_walkins, report.period.start, report.period.end)})
        got, report = report_figures(db, "accountability", now, week=week)
        check.compare(f"accountability {week}", got, {**rc.expected_accountability(
            raw, report.period.start, report.period.end, report.period.days()),
            **desk(db, rd.expected_walkins, report.period.start, report.period.end)})
        got, report = report_figures(db, "followups", now, week=week)
        check.compare(f"followups {week}", got, rc.expected_followups(raw, report.period.start, report.period.end))
    got, _ = report_figures(db, "backlog", now)
    check.compare("backlog", got, rc.expected_backlog(raw, now))
    got, report = report_figures(db, "service", now, first=first, last=last)
    check.compare("service", got, {**rc.expected_service(raw, report.period.start, report.period.end, first, last),
                                   **desk(db, rd.expected_service, report.period.start, report.period.end)})
    got, _ = report_figures(db, "objectives", now, first=first, last=last)
    check.compare("objectives", got, rc.expected_objectives(raw, first, last))
    got, _ = report_figures(db, "inventory", now)
    check.compare("inventory", got, {**rc.expected_inventory(raw, now.astimezone(raw.tz).date()),
                                     **desk(db, rd.expected_inventory, now)})
    return check


# --- the edge-case district ------------------------------------------------------------------------------------


class Edge:
    """Tickets made through the services at given Chicago times."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.numbers: dict[str, str] = {}
        with db.unit() as ctx:
            self.campus = ctx.session.scalars(select(Campus.code).order_by(Campus.code)).first() or ""
            self.staff = {u.username: u.id for u in ctx.session.scalars(select(StaffUser))}
            self.tags = list(ctx.session.scalars(select(Device.asset_tag).join(Campus, Campus.id == Device.campus_id)
                                                 .where(Campus.code == self.campus).order_by(Device.asset_tag)))

    @property
    def clock(self) -> FakeClock:
        assert isinstance(self.db.clock, FakeClock)
        return self.db.clock

    @contextmanager
    def at(self, when: str, who: str | None = None) -> Iterator[Ctx]:
        self.clock.set(local(when))
        with self.db.unit(Actor(staff_id=self.staff[who], label="test") if who else Actor(label="kiosk")) as ctx:
            yield ctx

    def open(self, name: str, when: str, prio: str, *, tag: str | None = None, reporter: str = "200001") -> None:
        with self.at(when) as ctx:
            self.numbers[name] = tickets.create_ticket(
                ctx, category="screen" if tag else "software", description=f"edge {name}", reporter=reporter,
                tag=tag, campus=None if tag else self.campus, priority=prio).number

    def do(self, name: str, when: str, who: str, status: str) -> None:
        with self.at(when, who) as ctx:
            tickets.change_status(ctx, self.numbers[name], status,
                                  resolution="Replaced the screen" if status == "resolved" else None)

    def assign(self, name: str, when: str, who: str) -> None:
        with self.at(when, who) as ctx:
            tickets.assign(ctx, self.numbers[name], self.staff[who])

    def override(self, name: str, when: str, who: str, prio: str) -> None:
        with self.at(when, who) as ctx:
            tickets.override_priority(ctx, self.numbers[name], prio, "Affects a whole class")

    def repair(self, name: str, when: str, who: str, minutes: int, cents: int | None = None) -> None:
        with self.at(when, who) as ctx:
            repairs.log_repair(ctx, self.numbers[name], action="Replaced screen panel", minutes=minutes,
                               parts_cost_cents=cents)

    def answer(self, name: str, when: str, overall: int, solved: bool = True, comment: str | None = None) -> None:
        with self.at(when) as ctx:
            survey = surveys.for_ticket(ctx.session, tickets.get_ticket(ctx.session, self.numbers[name]).id)
            assert survey is not None
            surveys.submit_pending(ctx, survey.id, surveys.Answers(
                solved=solved, timeliness=overall, courtesy=overall, communication=overall, quality=overall,
                overall=overall, comment=comment))

    def life(self, name: str, who: str, opened: str, prio: str, respond: str, resolve: str, close: str | None,
             tag: str | None = None) -> None:
        self.open(name, opened, prio, tag=tag)
        self.assign(name, opened, who)
        self.do(name, respond, who, "in_progress")
        self.do(name, resolve, who, "resolved")
        if close:
            self.do(name, close, who, "closed")


EDGE_NOW = "2026-11-30 10:30"


def build_edge(db: Database) -> Edge:
    seed.seed(db, seed.SeedOptions(devices=30, tickets=0, campuses=3, hash_passwords=False, as_of=date(2026, 10, 1)))
    e = Edge(db)
    a, b, c = "mlopez", "jcarter", "akhan"
    # DST ends Sunday 1 November 02:00: Friday CDT to Monday CST
    e.life("dst", a, "2026-10-30 15:00", "P3", "2026-10-30 15:30", "2026-11-02 09:00", "2026-11-02 09:30",
           tag=e.tags[0])
    e.repair("dst", "2026-10-30 23:30", a, 30, 4500)  # Saturday 04:30 UTC, Friday in Chicago
    e.repair("dst", "2026-11-02 08:30", a, 25, 1800)
    # a week on hold
    e.open("hold", "2026-10-26 09:00", "P4")
    e.assign("hold", "2026-10-26 09:00", a)
    e.do("hold", "2026-10-26 09:30", a, "in_progress")
    e.do("hold", "2026-10-26 10:00", a, "on_hold")
    e.do("hold", "2026-11-02 10:00", a, "in_progress")
    e.do("hold", "2026-11-02 11:00", a, "resolved")
    e.do("hold", "2026-11-03 08:00", a, "closed")
    # an override at opening (same instant) and one after resolution
    e.open("ovr_open", "2026-10-27 08:00", "P3")
    e.override("ovr_open", "2026-10-27 08:00", b, "P1")
    e.assign("ovr_open", "2026-10-27 08:00", b)
    e.do("ovr_open", "2026-10-27 08:45", b, "in_progress")
    e.do("ovr_open", "2026-10-27 10:00", b, "resolved")
    e.do("ovr_open", "2026-10-27 10:30", b, "closed")
    e.life("ovr_after", b, "2026-10-28 08:00", "P2", "2026-10-28 08:30", "2026-10-28 09:00", None)
    e.override("ovr_after", "2026-10-28 09:30", b, "P1")
    e.do("ovr_after", "2026-10-28 10:00", b, "closed")
    # a response exactly on target, and 1 ms late (P1: 30 business minutes)
    e.life("on_time", c, "2026-10-29 08:00", "P1", "2026-10-29 08:30", "2026-10-29 11:00", "2026-10-29 11:30")
    e.life("late_1ms", c, "2026-10-29 09:00", "P1", "2026-10-29 09:30:00.001", "2026-10-29 12:00",
           "2026-10-29 12:30")
    # surveys: a tie between A (3 and 3) and B (4, 1 and 4, below); C (akhan) has closed tickets and no surveys
    e.answer("dst", "2026-11-02 12:00", 3)
    e.answer("hold", "2026-11-03 09:00", 3, comment="Took a week")
    e.answer("ovr_open", "2026-11-02 09:00", 4, comment="Fast")
    # "not solved": reopened, fixed again, closed again, surveyed again
    e.life("reopen", b, "2026-11-03 08:00", "P3", "2026-11-03 08:15", "2026-11-03 10:00", "2026-11-03 10:30",
           tag=e.tags[0])
    e.repair("reopen", "2026-11-03 09:45", b, 20, 3900)
    e.answer("reopen", "2026-11-04 08:00", 1, solved=False, comment="Still broken")
    e.do("reopen", "2026-11-05 09:00", b, "resolved")
    e.do("reopen", "2026-11-05 09:30", b, "closed")
    e.answer("reopen", "2026-11-05 14:00", 4)
    # an admin closes an unassigned ticket; its survey counts under "(unassigned)"
    e.open("unassigned", "2026-11-04 10:00", "P4")
    e.do("unassigned", "2026-11-04 10:30", "admin", "closed")
    e.answer("unassigned", "2026-11-04 13:00", 5)
    # week 46 (9-15 November) stays empty
    # Thanksgiving break (the district calendar) plus the weekend; a ticket closed during the break
    e.life("holiday", a, "2026-11-24 15:00", "P2", "2026-11-24 15:30", "2026-11-30 09:00", "2026-11-30 10:00")
    e.life("in_break", c, "2026-11-23 09:00", "P3", "2026-11-23 09:30", "2026-11-24 16:00", "2026-11-26 10:00")
    e.repair("in_break", "2026-11-24 15:00", c, 40)
    # still open at "now": breached, at risk, on hold
    e.open("breached", "2026-11-23 08:00", "P2")
    e.assign("breached", "2026-11-23 08:00", a)
    e.do("breached", "2026-11-24 08:00", a, "in_progress")  # response 540 min > 120: breached
    e.open("at_risk", "2026-11-30 10:05", "P1")  # response: 25 of 30 min used at 10:30 (83 %)
    e.open("held", "2026-11-20 09:00", "P3")
    e.assign("held", "2026-11-20 09:00", c)
    e.do("held", "2026-11-20 09:30", c, "in_progress")
    e.do("held", "2026-11-20 10:00", c, "on_hold")
    rd.add_cases(e)  # walk-ins, codes, loans (one lent twice), parts: week 47
    e.clock.set(local(EDGE_NOW))
    return e


def test_every_figure_of_the_edge_case_district_matches_an_independent_recomputation(any_db: Database) -> None:
    build_edge(any_db)
    now = local(EDGE_NOW)
    check = check_district(any_db, now, weeks_between(date(2026, 10, 26), date(2026, 11, 29)),
                           date(2026, 10, 1), date(2026, 11, 30))
    assert check.mismatches == []
    print(f"compared {check.compared} figures")
    assert check.compared > 600


def test_the_edge_case_district_has_the_cases_it_claims(any_db: Database) -> None:
    """So the recomputation above really meets them: each case shows in the figures as described."""
    build_edge(any_db)
    now = local(EDGE_NOW)
    weekly44, _ = report_figures(any_db, "weekly", now, week="2026-W44")
    assert weekly44["jcarter.response_sla_met_pct"] == 50.0  # override at opening breached, the other met
    assert weekly44["akhan.response_sla_met_pct"] == 50.0  # on target met, 1 ms late breached
    assert weekly44["akhan.surveys"] == 0 and weekly44["akhan.rank"] is None
    weekly45, _ = report_figures(any_db, "weekly", now, week="2026-W45")
    assert weekly45["mlopez.rank"] == weekly45["jcarter.rank"] == 1  # 3.0 each
    assert weekly45["mlopez.average_rating"] == weekly45["jcarter.average_rating"] == 3.0
    assert weekly45["mlopez.median_resolution_hours"] == 2.5  # DST: 90 + 90 min; the held week: 60 + 60 min
    assert weekly45["unassigned.surveys"] == 1 and weekly45["unassigned.rank"] is None
    weekly46, _ = report_figures(any_db, "weekly", now, week="2026-W46")
    assert weekly46["summary.closed"] == 0 and weekly46["summary.ranked_technicians"] == 0
    weekly48, _ = report_figures(any_db, "weekly", now, week="2026-W48")
    assert weekly48["akhan.closed"] == 1  # closed on Thanksgiving: counts in the week it was closed
    weekly47, _ = report_figures(any_db, "weekly", now, week="2026-W47")  # the repair desk (recompute_desk.py)
    assert weekly47["summary.walk_ins[mlopez].minutes"] == 12 and weekly47["summary.walk_ins[jcarter].walk_ins"] == 1
    inventory, _ = report_figures(any_db, "inventory", now)
    pool = {k.rsplit(".", 1)[1]: v for k, v in inventory.items() if k.startswith("summary.loaner_pool[")}
    # the library's earlier loan (due 27 Nov) stands over the front desk's (due 4 Dec): two overdue
    assert (pool["loaners"], pool["out"], pool["overdue"], pool["conflicts"]) == (3, 2, 2, 1)
    assert inventory[f"summary.low_stock[{e_campus(any_db)}|LCD-116].stock"] == 2
    backlog, _ = report_figures(any_db, "backlog", now)
    assert any(k.startswith("summary.breached[") for k in backlog)
    assert any(k.startswith("summary.at_risk[") for k in backlog)


def e_campus(db: Database) -> str:
    with db.unit() as ctx:
        return str(ctx.session.scalars(select(Campus.code).join(Device, Device.campus_id == Campus.id)
                                       .where(Device.status == "loaner")).first())


DEMO_AS_OF = date(2026, 11, 20)


def test_every_figure_of_the_demo_district_matches_an_independent_recomputation(any_db: Database) -> None:
    now = datetime(DEMO_AS_OF.year, DEMO_AS_OF.month, DEMO_AS_OF.day, 15, 0, tzinfo=UTC)  # the seeder's "now"
    assert isinstance(any_db.clock, FakeClock)
    any_db.clock.set(now)
    seed.seed(any_db, seed.SeedOptions(hash_passwords=False, as_of=DEMO_AS_OF))
    with any_db.unit() as ctx:
        from kiosk.domain.reports import default_period

        svc, obj = default_period(ctx.session, "service", now), default_period(ctx.session, "objectives", now)
    assert svc is not None and obj is not None
    check = check_district(any_db, now, weeks_between(DEMO_AS_OF - timedelta(weeks=8), DEMO_AS_OF),
                           min(svc.first, obj.first), DEMO_AS_OF)
    print(f"compared {check.compared} figures")
    assert check.mismatches == []
    assert check.compared > 2000
