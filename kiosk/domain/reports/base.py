"""Report building blocks: the reporting period, tables, pages and the report value every renderer takes."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from kiosk.domain.devices import find_campus
from kiosk.domain.district import local_zone as district_tz  # reports count days and weeks in local time
from kiosk.domain.errors import InvalidInput
from kiosk.domain.models import Campus

_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)


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
    zone: ZoneInfo | None = None  # the district's, for showing times; set by ``generate``

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
            "generated_at": (self.generated_at.astimezone(self.zone) if self.zone else self.generated_at).isoformat(),
            "time_zone": self.zone.key if self.zone else None,
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


Exact = int | float | Fraction | Decimal


def exact(value: Exact | Any) -> Fraction:
    """The exact rational value of a number as SQL returns it: ints and Decimals (PostgreSQL's ``AVG``) exactly,
    a float as the shortest decimal that reads back as it (``2.675``, not its binary neighbour 2.67499...)."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, (int, Decimal)):
        return Fraction(value)
    return Fraction(Decimal(repr(float(value))))


def shown(value: Exact | None, places: int = 1) -> float | None:
    """``value`` rounded for display: decimal half-up at the last shown digit (81.25 -> 81.3, 0.625 -> 0.63,
    -0.25 -> -0.3), computed on the exact value, never on a binary float's approximation of a half."""
    if value is None:
        return None
    f = exact(value)
    quantum = Decimal(1).scaleb(-places)
    # The exact fraction to enough digits that only a true half sits on the rounding boundary.
    scaled = f * 10 ** places
    whole, rest = divmod(abs(scaled.numerator), scaled.denominator)
    sign = -1 if scaled < 0 else 1
    if 2 * rest >= scaled.denominator:
        whole += 1
    return float((Decimal(sign * whole) * quantum).quantize(quantum, rounding=ROUND_HALF_UP))


def ratio(numerator: Exact, denominator: Exact) -> Fraction | None:
    """numerator / denominator exactly; None when there is nothing to divide by."""
    if not denominator:
        return None
    return exact(numerator) / exact(denominator)


def pct_exact(numerator: Exact, denominator: Exact) -> Fraction | None:
    """The exact percentage (what an objective is judged on); None when there is nothing to divide by."""
    r = ratio(numerator, denominator)
    return None if r is None else 100 * r


def pct(numerator: Exact, denominator: Exact) -> float | None:
    """A percentage as shown: one decimal, rounded half-up on the exact value; None without a denominator."""
    return shown(pct_exact(numerator, denominator), 1)


def hours(milliseconds: Exact | None, places: int = 2) -> float | None:
    """Business (or calendar) milliseconds as hours, shown with ``places`` decimals (half-up, exact)."""
    return None if milliseconds is None else shown(exact(milliseconds) / 3_600_000, places)


class Money(float):
    """An amount in dollars: a plain number in JSON and CSV, ``$44,093.00`` wherever a person reads it."""

    @classmethod
    def cents(cls, cents: Exact | None) -> Money:
        return cls(float(exact(cents or 0) / 100))

    def text(self) -> str:
        sign = "-" if self < 0 else ""
        return f"{sign}${abs(float(self)):,.2f}"


def local_text(when: datetime | None, tz: ZoneInfo, *, seconds: bool = False) -> str:
    """An instant as a person in the district reads it: ``2026-12-01 11:30 CST`` (local time and zone)."""
    if when is None:
        return ""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    local = when.astimezone(tz)
    return local.strftime("%Y-%m-%d %H:%M:%S %Z" if seconds else "%Y-%m-%d %H:%M %Z")


# Labels people read for the keys reports use in JSON (keys stay as they are for machines).
LABELS: dict[str, str] = {
    "sla_met_pct": "SLA met %", "response_sla_met_pct": "Response SLA met %",
    "resolution_sla_met_pct": "Resolution SLA met %", "median_first_response_hours": "Median first response (business h)",
    "median_resolution_hours": "Median resolution (business h)", "average_rating": "Average rating",
    "solved_pct": "Solved %", "ranked_technicians": "Ranked technicians", "closed": "Closed",
    "outside_catalog": "Outside the catalog", "outside_catalog_pct": "Outside the catalog %",
    "repeat_repair_devices": "Repeat-repair devices", "replacement_budget": "Replacement budget",
    "past_replacement_age": "Past replacement age", "past_warranty": "Past warranty",
    "repair_parts_cost": "Repair parts cost", "purchase_cost": "Purchase cost", "parts_cost": "Parts cost",
    "repair_share_pct": "Repair cost share %", "avg_age_years": "Average age (years)", "target_used_pct":
    "Target used %", "closed_without_time": "Closed without time", "week_minutes": "Week minutes",
    "tickets_worked": "Tickets worked", "at_risk": "At risk", "age_days": "Age (days)", "change_pct": "Change %",
    "satisfaction_pct": "Satisfaction %", "p1_median_resolution_hours": "P1 median resolution (business h)",
    "first_response_met_pct": "First-response SLA met %", "months_met": "Months met",
    "months_with_data": "Months with data", "lowest_rating": "Lowest rating", "submitted_at": "Submitted",
    "followups": "Follow-ups", "as_of": "As of", "surveys": "Surveys", "rank": "Rank", "name": "Name",
}
_WORDS = {"sla": "SLA", "pct": "%", "p1": "P1", "id": "ID"}


def label(key: str) -> str:
    """A report key as a person reads it (``sla_met_pct`` -> ``SLA met %``)."""
    if key in LABELS:
        return LABELS[key]
    if key.endswith("_months_met") and key[: -len("_months_met")] in LABELS:
        return f"{LABELS[key[: -len('_months_met')]]}: months met"
    words = [_WORDS.get(w, w) for w in key.split("_")]
    text = " ".join(words)
    return text[:1].upper() + text[1:] if text else text
