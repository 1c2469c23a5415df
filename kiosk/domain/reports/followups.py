"""The follow-up report: the period's unhappy survey answers (not solved, or a rating of 2 or less), for admins."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from kiosk.domain import surveys
from kiosk.domain.models import Campus
from kiosk.domain.reports.base import Page, Period, Report, Table, district_tz, local_text


def build(session: Session, period: Period, campus: Campus | None, now: datetime) -> Report:
    items = surveys.followups(session, period.start, period.end, campus_id=campus.id if campus else None)
    tz = district_tz(session)
    rows = [[f.ticket, f.technician, local_text(f.submitted_at, tz), f.solved, f.lowest, f.overall,
             f.comment, f.reporter] for f in items]
    page = Page("summary", f"Customer follow-ups: {period.label}", facts={"followups": len(rows)},
                tables=[Table("followups", "Answers to follow up",
                              ["ticket", "technician", "submitted_at", "solved", "lowest_rating", "overall",
                               "comment", "reporter"], rows)])
    return Report("followups", "Weekly customer follow-up list", period, campus.code if campus else None, now,
                  [page], notes=[f"Not solved, or any rating of {surveys.LOW_SCORE} or less. Admins only: "
                                 "it names the reporter so someone can call back."])
