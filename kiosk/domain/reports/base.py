"""Report building blocks: the reporting period, tables, pages and the report value every renderer takes."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.domain.devices import find_campus
from kiosk.domain.errors import InvalidInput
from kiosk.domain.models import Campus, District

_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)


def district_tz(session: Session) -> ZoneInfo:
    """The district's time zone (reports count days and weeks in local time)."""
    return ZoneInfo(session.scalars(select(District.timezone).limit(1)).first() or "America/Chicago")


@dataclass(frozen=True)
class Period:
    """Local dates ``first`` .. ``last`` inclusive, and the UTC instants [start, end) that cover them."""

    first: date
    last: date
    start: datetime
    end: datetime
    label: str

    @classmethod
    def of_dates(cls, tz: ZoneInfo, first: date, last: date, label: str | None = None) -> Period:
        if last < first:
            raise InvalidInput(f"the period ends ({last}) before it starts ({first})")
        start = datetime.combine(first, time(0), tzinfo=tz).astimezone(UTC)
        end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC)
        return cls(first, last, start, end, label or f"{first.isoformat()} to {last.isoformat()}")

    @classmethod
    def iso_week(cls, tz: ZoneInfo, text: str) -> Period:
        match = _WEEK.match(text.strip())
        if not match:
            raise InvalidInput(f"a week looks like 2026-W38, not {text!r}")
        year, week = int(match.group(1)), int(match.group(2))
        try:
            monday = date.fromisocalendar(year, week, 1)
        except ValueError:
            raise InvalidInput(f"{year} has no week {week}") from None
        return cls.of_dates(tz, monday, monday + timedelta(days=6), f"{year}-W{week:02d}")

    def days(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range((self.last - self.first).days + 1)]

    def day_bounds(self, tz: ZoneInfo) -> list[tuple[date, datetime, datetime]]:
        """Each local day of the period with its UTC [start, end) (23 or 25 hours on DST days)."""
        out = []
        for day in self.days():
            out.append((day,
                        datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC),
                        datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC)))
        return out

    def month_bounds(self, tz: ZoneInfo) -> list[tuple[str, datetime, datetime]]:
        """Each calendar month touched by the period, clipped to it, as ("YYYY-MM", UTC start, UTC end)."""
        out = []
        cursor = self.first
        while cursor <= self.last:
            nxt = date(cursor.year + (cursor.month == 12), cursor.month % 12 + 1, 1)
            last = min(self.last, nxt - timedelta(days=1))
            p = Period.of_dates(tz, cursor, last)
            out.append((f"{cursor.year:04d}-{cursor.month:02d}", p.start, p.end))
            cursor = nxt
        return out


def resolve_period(session: Session, *, week: str | None = None, first: date | None = None,
                   last: date | None = None, today: date, default_weeks: int = 1) -> Period:
    """The period asked for on the command line; by default the last ``default_weeks`` complete ISO weeks."""
    tz = district_tz(session)
    if week and (first or last):
        raise InvalidInput("give either --week or --from/--to, not both")
    if week:
        return Period.iso_week(tz, week)
    if first or last:
        if not (first and last):
            raise InvalidInput("--from and --to go together")
        return Period.of_dates(tz, first, last)
    this_monday = today - timedelta(days=today.weekday())
    start = this_monday - timedelta(weeks=default_weeks)
    if default_weeks == 1:
        iso = start.isocalendar()
        return Period.of_dates(tz, start, this_monday - timedelta(days=1), f"{iso.year}-W{iso.week:02d}")
    return Period.of_dates(tz, start, this_monday - timedelta(days=1))


def resolve_campus(session: Session, code: str | None) -> Campus | None:
    return find_campus(session, code) if code else None


@dataclass
class Table:
    """A titled table: column keys, human headers, rows of plain values (str, int, float, None)."""

    key: str
    title: str
    columns: list[str]
    rows: list[list[Any]]
    headers: list[str] | None = None

    def as_dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


@dataclass
class Chart:
    """What to draw; the renderers turn it into SVG (HTML) or PNG (PDF) with matplotlib."""

    key: str
    title: str
    kind: str  # "bar", "line", "barh"
    labels: list[str]
    series: dict[str, list[float | None]]
    y_label: str = ""
    targets: dict[str, float] = field(default_factory=dict)  # horizontal reference lines


@dataclass
class Page:
    """One page of a report (the weekly report has one per technician, so each can be sent on)."""

    key: str
    title: str
    facts: dict[str, Any] = field(default_factory=dict)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)


@dataclass
class Report:
    name: str
    title: str
    period: Period | None
    campus: str | None
    generated_at: datetime
    pages: list[Page]
    notes: list[str] = field(default_factory=list)

    def page(self, key: str) -> Page:
        for p in self.pages:
            if p.key == key:
                return p
        raise KeyError(key)

    def as_dict(self) -> dict[str, Any]:
        return {
            "report": self.name,
            "title": self.title,
            "period": None if self.period is None else {
                "label": self.period.label, "from": self.period.first.isoformat(),
                "to": self.period.last.isoformat()},
            "campus": self.campus,
            "generated_at": self.generated_at.isoformat(),
            "notes": self.notes,
            "pages": [
                {"key": p.key, "title": p.title, "facts": p.facts,
                 "tables": {t.key: t.as_dicts() for t in p.tables}}
                for p in self.pages
            ],
        }


def as_uuid(value: Any) -> uuid.UUID | None:
    """A UUID from whatever a raw SQL row holds (PostgreSQL gives UUID, SQLite a 32-digit hex string)."""
    if value is None or isinstance(value, uuid.UUID):
        return value
    return uuid.UUID(str(value))


def pct(numerator: int | float, denominator: int | float) -> float | None:
    """A percentage rounded to one decimal, None when there is nothing to divide by."""
    if not denominator:
        return None
    return round(100.0 * float(numerator) / float(denominator), 1)
