"""The hand-computed fixture week: ISO week 2026-W38 (Mon 14 to Sun 20 September 2026) at one campus.

Every figure the reports must give for this week is worked out by hand in ``test_fixture_week.py``. Times
below are Chicago wall-clock times (CDT, UTC-5); business hours are 07:30-16:30, Monday to Friday. SLA targets
(business minutes, first response / resolution): P1 30/240, P2 120/1080, P3 480/2700, P4 1080/5400.

Technicians: A = mlopez, B = jcarter, C = akhan. "Now" for the backlog is Monday 21 September, 10:00.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from kiosk.domain import seed, surveys, tickets
from kiosk.domain.clock import FakeClock
from kiosk.domain.db import Actor, Ctx, Database
from kiosk.domain.models import Campus, RepairLog, StaffUser, TicketStatus

MONDAY = date(2026, 9, 14)
DAYS = {"Thu-": -4, "Sun-": -1, "Mon": 0, "Tue": 1, "Wed": 2, "Thu": 3, "Fri": 4, "Sat": 5, "Sun": 6, "Mon+": 7}
NOW = "Mon+ 10:00"


def at(when: str) -> datetime:
    """'Tue 08:30' in Chicago (CDT) as a UTC instant."""
    day, hm = when.split()
    hours, minutes = (int(x) for x in hm.split(":"))
    local = datetime(MONDAY.year, MONDAY.month, MONDAY.day) + timedelta(days=DAYS[day], hours=hours,
                                                                       minutes=minutes)
    return (local + timedelta(hours=5)).replace(tzinfo=UTC)


@dataclass
class Week:
    db: Database
    campus: str = ""
    staff: dict[str, uuid.UUID] = field(default_factory=dict)
    numbers: dict[str, str] = field(default_factory=dict)

    @property
    def clock(self) -> FakeClock:
        assert isinstance(self.db.clock, FakeClock)
        return self.db.clock

    @contextmanager
    def at(self, when: str, who: str | None = None) -> Iterator[Ctx]:
        self.clock.set(at(when))
        actor = Actor(staff_id=self.staff[who], label="test") if who else Actor(label="kiosk")
        with self.db.unit(actor) as ctx:
            yield ctx

    def open(self, name: str, when: str, prio: str, reporter: str = "200001") -> None:
        with self.at(when) as ctx:
            self.numbers[name] = tickets.create_ticket(ctx, category="software", description=f"fixture {name}",
                                                       reporter=reporter, campus=self.campus, priority=prio).number

    def assign(self, name: str, when: str, who: str) -> None:
        with self.at(when, who) as ctx:
            tickets.assign(ctx, self.numbers[name], self.staff[who])

    def status(self, name: str, when: str, who: str, status: str) -> None:
        with self.at(when, who) as ctx:
            tickets.change_status(ctx, self.numbers[name], status, resolution="Fixed it" if status == "resolved"
                                  else None)
            if status == TicketStatus.CLOSED.value:  # a no-op once tickets.change_status invites by itself
                surveys.invite_on_close(ctx, tickets.get_ticket(ctx.session, self.numbers[name]))

    def override(self, name: str, when: str, who: str, prio: str) -> None:
        with self.at(when, who) as ctx:
            tickets.override_priority(ctx, self.numbers[name], prio, "Affects a whole class")

    def repair(self, name: str, when: str, who: str, minutes: int) -> None:
        with self.at(when, who) as ctx:
            t = tickets.get_ticket(ctx.session, self.numbers[name])
            ctx.session.add(RepairLog(ticket_id=t.id, device_id=t.device_id, technician_id=self.staff[who],
                                      action="work", minutes=minutes, performed_at=at(when)))

    def answer(self, name: str, when: str, overall: int, solved: bool = True, comment: str | None = None) -> None:
        with self.at(when) as ctx:  # answered at the kiosk (the reporters here have ID numbers, no email)
            ticket = tickets.get_ticket(ctx.session, self.numbers[name])
            survey = surveys.for_ticket(ctx.session, ticket.id)
            assert survey is not None
            surveys.submit_pending(ctx, survey.id, surveys.Answers(
                solved=solved, timeliness=overall, courtesy=overall, communication=overall, quality=overall,
                overall=overall, comment=comment))

    def life(self, name: str, who: str, opened: str, prio: str, *, respond: str | None = None,
             resolve: str | None = None, close: str | None = None, reporter: str = "200001") -> None:
        self.open(name, opened, prio, reporter)
        self.assign(name, opened, who)
        if respond:
            self.status(name, respond, who, "in_progress")
        if resolve:
            self.status(name, resolve, who, "resolved")
        if close:
            self.status(name, close, who, "closed")


def build(db: Database) -> Week:
    seed.seed(db, seed.SeedOptions(devices=12, tickets=0, campuses=3, hash_passwords=False, as_of=MONDAY))
    w = Week(db)
    with db.unit() as ctx:
        w.campus = ctx.session.scalars(select(Campus.code).order_by(Campus.code)).first() or ""
        for user in ctx.session.scalars(select(StaffUser)):
            w.staff[user.username] = user.id
    A, B, C = "mlopez", "jcarter", "akhan"
    # --- A -------------------------------------------------------------------------------------------
    w.open("T1", "Mon 08:00", "P3", reporter="teacher1@fixture.example.org")
    w.assign("T1", "Mon 08:30", A)
    w.status("T1", "Mon 09:00", A, "in_progress")
    w.repair("T1", "Mon 10:30", A, 40)
    w.status("T1", "Mon 11:00", A, "resolved")
    w.status("T1", "Tue 10:00", A, "closed")
    w.life("T2", A, "Mon 15:00", "P2", respond="Tue 08:30", resolve="Tue 12:30", close="Wed 09:00")
    w.repair("T2", "Tue 12:00", A, 25)
    w.open("T3", "Tue 10:00", "P3")
    w.assign("T3", "Tue 10:00", A)
    w.status("T3", "Tue 10:30", A, "in_progress")
    w.status("T3", "Tue 11:00", A, "on_hold")
    w.status("T3", "Wed 10:00", A, "in_progress")
    w.repair("T3", "Wed 11:30", A, 30)
    w.repair("T3", "Wed 11:45", A, 15)
    w.status("T3", "Wed 12:00", A, "resolved")
    w.status("T3", "Wed 12:30", A, "closed")
    w.life("T4", A, "Thu- 09:00", "P4", respond="Thu- 10:00", resolve="Mon 16:00", close="Tue 09:00")
    w.life("T11", A, "Mon 09:00", "P3", respond="Mon 09:30", resolve="Fri 09:00")
    w.repair("T11", "Thu 10:00", A, 20)
    w.life("T12", A, "Fri 14:00", "P4", respond="Fri 14:10", resolve="Fri 15:00", close="Mon+ 09:00")
    w.life("T13", A, "Wed 09:00", "P3", respond="Wed 09:15", resolve="Wed 13:00", close="Wed 14:00")
    # --- B -------------------------------------------------------------------------------------------
    w.life("T5", B, "Mon 10:00", "P1", respond="Mon 10:20", resolve="Mon 15:00", close="Mon 15:30")
    w.repair("T5", "Mon 14:00", B, 60)
    w.open("T6", "Tue 08:00", "P3")
    w.assign("T6", "Tue 08:00", B)
    w.override("T6", "Tue 09:00", B, "P1")
    w.status("T6", "Tue 09:10", B, "in_progress")
    w.repair("T6", "Tue 10:30", B, 35)
    w.status("T6", "Tue 11:00", B, "resolved")
    w.status("T6", "Tue 11:30", B, "closed")
    w.open("T7", "Wed 16:00", "P2")
    w.assign("T7", "Wed 16:00", B)
    w.status("T7", "Thu 08:00", B, "in_progress")
    w.status("T7", "Thu 09:00", B, "on_hold")
    w.status("T7", "Fri 10:00", B, "resolved")
    w.status("T7", "Fri 10:30", B, "closed")
    w.life("T8", B, "Thu 14:00", "P3", respond="Thu 14:30", resolve="Sat 10:00", close="Sat 10:05")
    w.repair("T8", "Fri 16:00", B, 50)
    w.repair("T8", "Sun 23:30", B, 10)  # Monday 04:30 UTC, but Sunday in Chicago: counts this week
    # --- C -------------------------------------------------------------------------------------------
    w.life("T9", C, "Wed 09:00", "P2", respond="Wed 09:30", resolve="Thu 09:00", close="Thu 09:30")
    w.repair("T9", "Wed 15:00", C, 45)
    w.repair("T9", "Sun- 23:00", C, 30)  # Monday 04:00 UTC, but the Sunday before in Chicago: not this week
    w.open("T10", "Fri 09:00", "P3")
    w.assign("T10", "Fri 09:05", C)
    w.status("T10", "Fri 10:00", C, "resolved")
    w.status("T10", "Fri 10:15", C, "closed")
    w.open("T14", "Thu 10:00", "P4")
    w.status("T14", "Thu 10:30", C, "closed")  # closed at once, never assigned
    # --- surveys (T13's "not solved" reopens it) ------------------------------------------------------
    w.answer("T1", "Tue 12:00", 5)
    w.answer("T2", "Wed 10:00", 3, comment="Took two days to hear back")
    w.answer("T3", "Thu 08:00", 4)
    w.answer("T13", "Thu 09:00", 1, solved=False, comment="Still broken")
    w.answer("T5", "Tue 09:00", 4, comment="Fast and friendly")
    w.answer("T6", "Wed 09:00", 4)
    w.answer("T9", "Fri 08:00", 5)
    w.answer("T10", "Sat 11:00", 3)
    # --- still open on Monday 21 ----------------------------------------------------------------------
    w.open("T15", "Fri 16:00", "P1")
    w.open("T16", "Thu 09:00", "P2")
    w.assign("T16", "Thu 09:00", B)
    w.status("T16", "Thu 09:30", B, "in_progress")
    w.status("T16", "Thu 10:00", B, "on_hold")
    w.open("T17", "Mon+ 08:00", "P4")
    w.open("T18", "Thu 14:00", "P4")
    w.clock.set(at(NOW))
    return w
