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
    today = now.astimezone(district_tz(session)).date()
    period: Period | None
    if spec.default == "year" and not (week or first or last):
        start = date(today.year - (today.month <= 11), (today.month % 12) + 1 if today.month <= 11 else 1, 1)
        period = Period.of_dates(district_tz(session), start, today)
    elif spec.default == "quarter" and not (week or first or last):
        period = resolve_period(session, today=today, default_weeks=13)
    elif spec.default == "now" and not (week or first or last):
        period = None
    else:
        period = resolve_period(session, week=week, first=first, last=last, today=today)
    module: Any = importlib.import_module(f"kiosk.domain.reports.{spec.module}")
    build: Callable[..., Report] = module.build
    return build(session, period, resolve_campus(session, campus), now)


__all__ = ["REPORTS", "Period", "Report", "ReportSpec", "generate"]
