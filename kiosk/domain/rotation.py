"""The technicians' rotation: which visits happen on a campus, with holidays and exceptions applied."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.domain.district import local_zone
from kiosk.domain.models import (
    Holiday,
    RotationException,
    RotationVisit,
    StaffUser,
    VisitExceptionKind,
)


@dataclass(frozen=True)
class Visit:
    day: date
    start: time
    end: time
    technician: str  # first name only: this is shown on a public screen
    note: str | None = None
    extra: bool = False

    def starts_at(self, tz: ZoneInfo) -> datetime:
        return datetime.combine(self.day, self.start, tzinfo=tz)

    def ends_at(self, tz: ZoneInfo) -> datetime:
        return datetime.combine(self.day, self.end, tzinfo=tz)


@dataclass(frozen=True)
class Cancelled:
    day: date
    technician: str
    reason: str


@dataclass
class Schedule:
    visits: list[Visit]
    cancelled: list[Cancelled]
    tz: ZoneInfo

    def current(self, now: datetime) -> Visit | None:
        """The visit under way at ``now``, if any."""
        local = now.astimezone(self.tz)
        for v in self.visits:
            if v.starts_at(self.tz) <= local < v.ends_at(self.tz):
                return v
        return None

    def upcoming(self, now: datetime, limit: int = 3) -> list[Visit]:
        """Visits that have not ended yet, soonest first."""
        local = now.astimezone(self.tz)
        return [v for v in self.visits if v.ends_at(self.tz) > local][:limit]


def _weekdays(text: str) -> set[int]:
    return {int(x) for x in text.split(",") if x.strip() != ""}


def campus_schedule(session: Session, campus_id: uuid.UUID, start: date, days: int) -> Schedule:
    """Every visit to the campus from ``start`` for ``days`` days, exceptions and district holidays applied."""
    end = start + timedelta(days=days - 1)
    tz = local_zone(session)
    names = {u.id: u.first_name for u in session.scalars(select(StaffUser))}
    rules = list(session.scalars(select(RotationVisit).where(RotationVisit.campus_id == campus_id)))
    exceptions = list(session.scalars(select(RotationException).where(
        RotationException.campus_id == campus_id, RotationException.on_date >= start,
        RotationException.on_date <= end)))
    holidays = list(session.scalars(select(Holiday).where(Holiday.start_date <= end, Holiday.end_date >= start)))

    def holiday_on(day: date) -> str | None:
        for h in holidays:
            if h.start_date <= day <= h.end_date:
                return h.name
        return None

    visits: list[Visit] = []
    cancelled: list[Cancelled] = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        todays = [e for e in exceptions if e.on_date == day]
        campus_closed = next((e for e in todays if e.kind is VisitExceptionKind.HOLIDAY), None)
        holiday = holiday_on(day)
        for rule in rules:
            if day.weekday() not in _weekdays(rule.weekdays):
                continue
            if rule.valid_from and day < rule.valid_from or rule.valid_to and day > rule.valid_to:
                continue
            weeks = (day - timedelta(days=day.weekday()) - rule.anchor_date).days // 7
            if weeks % rule.cycle_weeks:
                continue
            who = names.get(rule.technician_id, "A technician")
            cancel = next((e for e in todays if e.kind is VisitExceptionKind.CANCELLED and (
                e.visit_id == rule.id or (e.visit_id is None and e.technician_id in (None, rule.technician_id)))),
                None)
            reason = (holiday if holiday else campus_closed.note or "campus closed" if campus_closed
                      else cancel.note or "cancelled" if cancel else None)
            if reason:
                cancelled.append(Cancelled(day, who, reason))
                continue
            visits.append(Visit(day, rule.start_time, rule.end_time, who))
        for e in todays:
            if e.kind is VisitExceptionKind.EXTRA and e.start_time and e.end_time and not holiday:
                visits.append(Visit(day, e.start_time, e.end_time,
                                    names.get(e.technician_id, "A technician") if e.technician_id else "A technician",
                                    note=e.note, extra=True))
    visits.sort(key=lambda v: (v.day, v.start))
    return Schedule(visits, cancelled, tz)
