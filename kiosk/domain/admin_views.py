"""What the admin screens show: the district's setup as plain frozen rows, and the rotation as a calendar."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.domain import district_admin as admin
from kiosk.domain import rotation
from kiosk.domain.models import (
    Campus,
    Holiday,
    Objective,
    Room,
    ServiceCategory,
    SlaTarget,
    StaffRole,
    StaffUser,
    WorkingHours,
)


@dataclass(frozen=True)
class CampusRow:
    id: uuid.UUID
    code: str
    name: str
    level: str | None
    active: bool
    rooms: tuple[str, ...]
    retired_rooms: tuple[str, ...]


def campuses(session: Session) -> list[CampusRow]:
    rooms: dict[uuid.UUID, list[Room]] = {}
    for r in session.scalars(select(Room).order_by(Room.name)):
        rooms.setdefault(r.campus_id, []).append(r)
    return [CampusRow(c.id, c.code, c.name, c.level, c.active,
                      tuple(r.name for r in rooms.get(c.id, []) if r.active),
                      tuple(r.name for r in rooms.get(c.id, []) if not r.active))
            for c in session.scalars(select(Campus).order_by(Campus.active.desc(), Campus.code))]


@dataclass(frozen=True)
class CategoryRow:
    code: str
    name: str
    priority: str
    icon: str
    covered: bool
    scope: str
    sort_order: int
    active: bool


def categories(session: Session) -> list[CategoryRow]:
    return [CategoryRow(c.code, c.name, c.default_priority.value, c.icon, c.covered, c.scope.value, c.sort_order,
                        c.active)
            for c in session.scalars(select(ServiceCategory).order_by(ServiceCategory.sort_order,
                                                                      ServiceCategory.code))]


@dataclass(frozen=True)
class SlaRow:
    priority: str
    first_response: str
    resolution: str


def sla_targets(session: Session) -> list[SlaRow]:
    return [SlaRow(t.priority.value, admin.format_duration(t.first_response_minutes),
                   admin.format_duration(t.resolution_minutes))
            for t in session.scalars(select(SlaTarget).order_by(SlaTarget.priority))]


@dataclass(frozen=True)
class HoursRow:
    weekday: int
    day: str
    window: str | None  # None: closed


def hours(session: Session) -> list[HoursRow]:
    rows = {h.weekday: h for h in session.scalars(select(WorkingHours))}
    return [HoursRow(d, admin.WEEKDAYS[d], admin.format_window(rows[d].opens, rows[d].closes) if d in rows else None)
            for d in range(7)]


@dataclass(frozen=True)
class HolidayRow:
    id: uuid.UUID
    start: date
    end: date
    name: str


def holidays(session: Session) -> list[HolidayRow]:
    return [HolidayRow(h.id, h.start_date, h.end_date, h.name)
            for h in session.scalars(select(Holiday).order_by(Holiday.start_date))]


@dataclass(frozen=True)
class ObjectiveRow:
    id: uuid.UUID
    metric: str
    comparator: str
    target: float
    valid_from: date


def objectives(session: Session) -> list[ObjectiveRow]:
    return [ObjectiveRow(o.id, o.metric, o.comparator, o.target, o.valid_from)
            for o in session.scalars(select(Objective).order_by(Objective.valid_from.desc(), Objective.metric))]


def technicians(session: Session) -> list[tuple[uuid.UUID, str, str]]:
    """Active staff who can be on the rotation: (id, username, full name)."""
    return [(u.id, u.username, f"{u.first_name} {u.last_name}") for u in session.scalars(
        select(StaffUser).where(StaffUser.active).order_by(StaffUser.role != StaffRole.TECHNICIAN,
                                                           StaffUser.username))]


@dataclass(frozen=True)
class CalendarVisit:
    day: date
    start: time
    end: time
    technician: str  # first name, as the walk-up panel shows it
    extra: bool
    cancelled: bool
    note: str | None


@dataclass(frozen=True)
class Calendar:
    """A campus's rotation from ``first`` to ``last``: every visit, cancelled ones included, by day."""

    campus_id: uuid.UUID
    first: date
    last: date
    visits: tuple[CalendarVisit, ...]

    def on(self, day: date) -> list[CalendarVisit]:
        return [v for v in self.visits if v.day == day]


def calendar(session: Session, campus_id: uuid.UUID, first: date, days: int) -> Calendar:
    sched = rotation.campus_schedule(session, campus_id, first, days)
    visits = [CalendarVisit(v.day, v.start, v.end, v.technician, v.extra, False, v.note) for v in sched.visits]
    visits += [CalendarVisit(c.day, time(0), time(0), c.technician, False, True, c.reason) for c in sched.cancelled]
    visits.sort(key=lambda v: (v.day, v.cancelled, v.start))
    return Calendar(campus_id, first, first + timedelta(days=days - 1), tuple(visits))


def month_start(day: date) -> date:
    """The Monday on or before the first of ``day``'s month (a month view starts there)."""
    first = day.replace(day=1)
    return first - timedelta(days=first.weekday())
