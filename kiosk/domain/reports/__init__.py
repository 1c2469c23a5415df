"""District reports: weekly, accountability, backlog, service, objectives, inventory (SQL aggregation)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from kiosk.domain.reports.base import Period, Report, district_tz, resolve_campus, resolve_period


@dataclass(frozen=True)
class ReportSpec:
    name: str
    title: str
    module: str
    default: str  # "week", "quarter", "year" or "now" (the period is ignored)


REPORTS: dict[str, ReportSpec] = {s.name: s for s in (
    ReportSpec("weekly", "Per technician: closed, response and resolution times, SLA, surveys, rank", "weekly",
               "week"),
    ReportSpec("accountability", "Minutes logged per technician per day, tickets closed without time",
               "accountability", "week"),
    ReportSpec("backlog", "Open tickets by campus, age and priority; breached and at-risk", "backlog", "now"),
    ReportSpec("service", "Volume by category and campus, outside the catalog, repeat repairs, trends", "service",
               "quarter"),
    ReportSpec("objectives", "Objectives against actual values per month", "objectives", "year"),
    ReportSpec("inventory", "Devices by campus, category, model, age; warranty, replacement, repair cost",
               "inventory", "now"),
    ReportSpec("followups", "Unhappy survey answers to follow up", "followups", "week"),
)}


def generate(session: Session, name: str, *, now: datetime, campus: str | None = None, week: str | None = None,
             first: date | None = None, last: date | None = None) -> Report:
    """Build report ``name`` for the period and campus asked for (defaults per report, see ``REPORTS``)."""
    import importlib

    from kiosk.domain.errors import InvalidInput

    spec = REPORTS.get(name)
    if spec is None:
        raise InvalidInput(f"unknown report {name!r}; one of: {', '.join(REPORTS)}")
    period: Period | None
    if not (week or first or last):
        period = default_period(session, name, now)
    else:
        today = now.astimezone(district_tz(session)).date()
        period = resolve_period(session, week=week, first=first, last=last, today=today)
    module: Any = importlib.import_module(f"kiosk.domain.reports.{spec.module}")
    build: Callable[..., Report] = module.build
    report = build(session, period, resolve_campus(session, campus), now)
    report.zone = district_tz(session)
    return report


def default_period(session: Session, name: str, now: datetime) -> Period | None:
    """The period ``generate`` covers when none is given (None: the report is "as of now")."""
    spec = REPORTS[name]
    today = now.astimezone(district_tz(session)).date()
    if spec.default == "year":
        start = date(today.year - (today.month <= 11), (today.month % 12) + 1 if today.month <= 11 else 1, 1)
        return Period.of_dates(district_tz(session), start, today)
    if spec.default == "quarter":
        return resolve_period(session, today=today, default_weeks=13)
    if spec.default == "now":
        return None
    return resolve_period(session, today=today)


@dataclass(frozen=True)
class ReportChoice:
    """One report as a screen offers it: how its period is chosen, and the period it covers by default."""

    name: str
    title: str
    period: str  # "week" (an ISO week), "range" (first and last day) or "none" (as of now)
    week: str | None  # the default, for "week"
    first: date | None  # the default, for "week" and "range"
    last: date | None


@dataclass(frozen=True)
class ReportForm:
    """What the admin report screen offers: the reports, the campuses, the recent ISO weeks, today."""

    reports: list[ReportChoice]
    campuses: list[tuple[str, str]]  # (code, name)
    weeks: list[tuple[str, date, date]]  # ("2026-W38", Monday, Sunday), the last complete week first
    today: date


def form(session: Session, now: datetime, weeks: int = 52) -> ReportForm:
    """The choices for a report screen, with each report's default period (what ``generate`` would use)."""
    from datetime import timedelta

    from sqlalchemy import select

    from kiosk.domain.models import Campus

    today = now.astimezone(district_tz(session)).date()
    choices = []
    for spec in REPORTS.values():
        period = default_period(session, spec.name, now)
        kind = {"week": "week", "now": "none"}.get(spec.default, "range")
        choices.append(ReportChoice(spec.name, spec.title, kind,
                                    period.label if period is not None and kind == "week" else None,
                                    period.first if period else None, period.last if period else None))
    monday = today - timedelta(days=today.weekday())
    recent = []
    for i in range(1, weeks + 1):
        first = monday - timedelta(weeks=i)
        iso = first.isocalendar()
        recent.append((f"{iso.year}-W{iso.week:02d}", first, first + timedelta(days=6)))
    campuses = [(c.code, c.name) for c in session.scalars(select(Campus).order_by(Campus.name))]
    return ReportForm(choices, campuses, recent, today)


def require_admin(session: Session, staff_id: Any) -> None:
    """Reports name technicians and reporters: only an active admin may read them on a kiosk."""
    from kiosk.domain.errors import PermissionDenied
    from kiosk.domain.models import StaffRole, StaffUser

    staff = session.get(StaffUser, staff_id) if staff_id is not None else None
    if staff is None or not staff.active or staff.role is not StaffRole.ADMIN:
        raise PermissionDenied("reports are for district admins")


__all__ = ["REPORTS", "Period", "Report", "ReportChoice", "ReportForm", "ReportSpec", "default_period", "form",
           "generate", "require_admin"]
