"""The weekly report: per technician, tickets closed, response and resolution times, SLA, surveys and rank.

Definitions (every figure is for tickets or surveys of the period, optionally one campus):

* **closed**: tickets whose ``closed_at`` falls in the period, counted for their assignee (unassigned tickets
  get their own row, never ranked). A ticket reopened and not closed again is not counted.
* **median first response / resolution**: the median, over those tickets, of the SLA clock's elapsed business
  time (district calendar, time on hold excluded) from opening to the first response (a resolution without an
  earlier response counts as one) and to the resolution. With an even count, the mean of the two middle values.
* **response / resolution SLA met %**: share of those tickets whose clock never exceeded the target in force
  (priority overrides re-target the clock, see :mod:`kiosk.domain.sla_clock`); **SLA met %**: both met.
* **surveys**: surveys submitted in the period for the technician (the survey keeps the ticket's assignee at
  the closing it was sent for; a ticket closed unassigned has its survey under "(unassigned)", whoever closed
  it); every submitted answer counts as received, rated or not; **average rating** is the mean "overall" rating
  of those that have one, **solved %** the share answering "solved" of those that answered the question.
* **rank**: staff with the technician role and at least one rated survey in the period (an admin's surveys
  are shown, never ranked), ordered by average rating, highest first. Ties share a rank and the next rank is skipped (standard competition ranking: 1, 1, 3), computed on
  the exact average (not the rounded figure shown). Technicians without surveys are not ranked.

The summary page has one chart: each technician with closed tickets and a rated survey in the period as a point,
SLA met % across and average rating up, with dotted lines at the medians (so a point reads against colleagues).
One chart, not one per technician page: a district-wide week has a page for each of ~160 technicians.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.domain.models import Campus, StaffRole, StaffUser
from kiosk.domain.reports import desk_figures
from kiosk.domain.reports.base import Chart, Page, Period, Report, Table, as_uuid, hours, pct, ratio, shown
from kiosk.domain.reports.sla_sql import run_with_sla, typed_text
from kiosk.domain.sla import load_calendar

CLOSED_TICKETS = """
SELECT id, opened_at, reporter_priority, assignee_id,
       COALESCE(CASE WHEN first_response_at IS NULL OR resolved_at < first_response_at THEN resolved_at
                     ELSE first_response_at END, closed_at) AS resp_stop,
       COALESCE(resolved_at, closed_at) AS res_stop
FROM tickets
WHERE closed_at >= :start AND closed_at < :end {campus}
"""

PER_TECHNICIAN = """,
per AS (SELECT assignee_id AS tech, resp_ms, res_ms, resp_breached, res_breached FROM sla),
rk AS (
    SELECT tech, resp_ms, res_ms, resp_breached, res_breached,
           ROW_NUMBER() OVER (PARTITION BY tech ORDER BY resp_ms) AS r1,
           ROW_NUMBER() OVER (PARTITION BY tech ORDER BY res_ms) AS r2,
           COUNT(*) OVER (PARTITION BY tech) AS n
    FROM per
)
SELECT tech, n,
       AVG(CASE WHEN r1 IN ((n + 1) / 2, (n + 2) / 2) THEN resp_ms END) AS med_resp_ms,
       AVG(CASE WHEN r2 IN ((n + 1) / 2, (n + 2) / 2) THEN res_ms END) AS med_res_ms,
       SUM(1 - resp_breached) AS resp_met,
       SUM(1 - res_breached) AS res_met,
       SUM(CASE WHEN resp_breached = 0 AND res_breached = 0 THEN 1 ELSE 0 END) AS both_met
FROM rk GROUP BY tech, n
"""

SURVEYS = """
WITH agg AS (
    SELECT s.technician_id AS tech, COUNT(*) AS received, COUNT(s.overall) AS rated,
           SUM(s.overall) AS overall_sum,
           SUM(CASE WHEN s.solved THEN 1 ELSE 0 END) AS solved, COUNT(s.solved) AS answered_solved,
           MAX(CASE WHEN su.role = 'technician' THEN 1 ELSE 0 END) AS is_tech
    FROM surveys s JOIN tickets tk ON tk.id = s.ticket_id LEFT JOIN staff_users su ON su.id = s.technician_id
    WHERE s.submitted_at >= :start AND s.submitted_at < :end {campus}
    GROUP BY s.technician_id
)
SELECT tech, received, rated, overall_sum, solved, answered_solved, is_tech FROM agg
"""

COMMENTS = """
SELECT s.technician_id, tk.number, s.overall, s.solved, s.comment
FROM surveys s JOIN tickets tk ON tk.id = s.ticket_id
WHERE s.submitted_at >= :start AND s.submitted_at < :end AND s.comment IS NOT NULL AND s.comment <> '' {campus}
ORDER BY s.submitted_at, tk.number
"""

SUMMARY_COLUMNS = ["technician", "closed", "median_first_response_hours", "median_resolution_hours",
                   "response_sla_met_pct", "resolution_sla_met_pct", "sla_met_pct", "surveys", "average_rating",
                   "solved_pct", "rank"]
HEADERS = ["Technician", "Closed", "Median first response (business h)", "Median resolution (business h)",
           "Response SLA met %", "Resolution SLA met %", "SLA met %", "Surveys", "Average rating", "Solved %",
           "Rank"]


def competition_ranks(averages: dict[uuid.UUID, Any]) -> dict[uuid.UUID, int]:
    """Standard competition ranks (1, 1, 3) by exact average, highest first."""
    ordered = sorted(averages.values(), reverse=True)
    first: dict[Any, int] = {}
    for i, value in enumerate(ordered):
        first.setdefault(value, i + 1)
    return {k: first[v] for k, v in averages.items()}


def sla_and_rating_chart(rows: list[list[Any]]) -> Chart | None:
    """Technicians (not the unassigned row) with both an SLA met % and an average rating; None if there are none."""
    sla, rating = SUMMARY_COLUMNS.index("sla_met_pct"), SUMMARY_COLUMNS.index("average_rating")
    points = [r for r in rows if r[0] is not None and r[sla] is not None and r[rating] is not None]
    if not points:
        return None
    return Chart("sla_and_rating", "Technicians: SLA met % and average rating", "scatter",
                 [str(r[0]) for r in points],
                 {"SLA met %": [r[sla] for r in points], "Average overall rating (1-5)": [r[rating] for r in points]},
                 "Average overall rating (1-5)")


def build(session: Session, period: Period, campus: Campus | None, now: datetime) -> Report:
    cal, _targets = load_calendar(session)
    params: dict[str, Any] = {"start": period.start, "end": period.end}
    campus_sql = ""
    if campus is not None:
        params["campus"] = campus.id
        campus_sql = "AND campus_id = :campus"
    tickets_sql = CLOSED_TICKETS.format(campus=campus_sql)
    closed = {as_uuid(r.tech): r for r in run_with_sla(session, cal, tickets_sql, PER_TECHNICIAN, params, now)}
    tk_campus = campus_sql.replace("campus_id", "tk.campus_id")
    surveys = {as_uuid(r.tech): r for r in session.execute(typed_text(SURVEYS.format(campus=tk_campus), params))}
    comments: dict[uuid.UUID | None, list[list[Any]]] = {}
    for r in session.execute(typed_text(COMMENTS.format(campus=tk_campus), params)):
        comments.setdefault(as_uuid(r.technician_id), []).append(
            [r.number, r.overall, None if r.solved is None else bool(r.solved), r.comment])
    ranks = competition_ranks({k: ratio(int(r.overall_sum), int(r.rated)) for k, r in surveys.items()
                               if k is not None and int(r.is_tech) == 1 and int(r.rated) > 0})
    ranked = len(ranks)

    staff = {u.id: u for u in session.scalars(select(StaffUser))}
    tech_ids = {u.id for u in staff.values() if u.role is StaffRole.TECHNICIAN and u.active}
    tech_ids |= {k for k in (*closed, *surveys) if k is not None}
    order = sorted(tech_ids, key=lambda k: (staff[k].last_name, staff[k].first_name, staff[k].username)
                   if k in staff else ("", "", str(k)))
    keys: list[uuid.UUID | None] = list(order)
    if None in closed or None in surveys:
        keys.append(None)

    summary_rows = []
    pages = []
    for key in keys:
        user = staff.get(key) if key is not None else None
        name = f"{user.first_name} {user.last_name}" if user else "(unassigned)"
        c = closed.get(key)
        s = surveys.get(key)
        n = int(c.n) if c else 0
        row = [
            user.username if user else None,
            n,
            hours(c.med_resp_ms) if c else None,
            hours(c.med_res_ms) if c else None,
            pct(int(c.resp_met), n) if c else None,
            pct(int(c.res_met), n) if c else None,
            pct(int(c.both_met), n) if c else None,
            int(s.received) if s else 0,
            shown(ratio(int(s.overall_sum), int(s.rated)), 2) if s and int(s.rated) else None,
            pct(int(s.solved), int(s.answered_solved)) if s else None,
            ranks.get(key) if key is not None else None,
        ]
        summary_rows.append(row)
        facts = dict(zip(SUMMARY_COLUMNS, row, strict=True))
        facts["name"] = name
        facts["ranked_technicians"] = ranked
        pages.append(Page(
            key=user.username if user else "unassigned",
            title=f"{name}: week {period.label}",
            facts=facts,
            tables=[Table("comments", "Customers' comments this week", ["ticket", "overall", "solved", "comment"],
                          comments.get(key, []), ["Ticket", "Overall", "Solved", "Comment"])],
        ))
    chart = sla_and_rating_chart(summary_rows)
    summary = Page("summary", f"All technicians: {period.label}",
                   facts={"closed": sum(r[1] for r in summary_rows), "ranked_technicians": ranked},
                   tables=[Table("technicians", "Technicians", SUMMARY_COLUMNS, summary_rows, HEADERS)],
                   charts=[chart] if chart is not None else [])
    summary.tables.append(desk_figures.walkins_per_technician(session, period, campus))
    return Report("weekly", "Weekly technician report", period, campus.code if campus else None, now,
                  [summary, *pages],
                  notes=["Times are business hours on the district calendar, time on hold excluded.",
                         "Rank: by average overall rating; ties share a rank (1, 1, 3); no surveys, no rank."])
