"""The accountability report: minutes logged per technician per day and week, against tickets worked and closed.

* **minutes**: the sum of ``repair_logs.minutes`` the technician logged, by the local day of ``performed_at``.
* **tickets worked**: distinct tickets the technician logged time on in the period.
* **closed**: tickets assigned to the technician whose ``closed_at`` falls in the period.
* **closed without time**: those of them with no repair log at all (by anyone, ever); they are listed so the
  time can be tracked down. Tickets closed while unassigned are listed too, under "(unassigned)".
* With ``--campus``, minutes count when the repair's ticket belongs to that campus.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.domain.models import Campus, StaffRole, StaffUser
from kiosk.domain.reports import desk_figures
from kiosk.domain.reports.base import Chart, Page, Period, Report, Table, as_uuid, district_tz
from kiosk.domain.reports.sla_sql import typed_text


def build(session: Session, period: Period, campus: Campus | None, now: datetime) -> Report:
    tz = district_tz(session)
    days = period.day_bounds(tz)
    params: dict[str, Any] = {"start": period.start, "end": period.end}
    day_sql = []
    for i, (day, start, end) in enumerate(days):
        params[f"d{i}"], params[f"s{i}"], params[f"e{i}"] = day.isoformat(), start, end
        day_sql.append(f"SELECT :d{i} AS d, :s{i} AS ds, :e{i} AS de")
    campus_sql = campus_join = ""
    if campus is not None:
        params["campus"] = campus.id
        campus_sql = "AND tk.campus_id = :campus"
        campus_join = "JOIN tickets tk ON tk.id = r.ticket_id"
    minutes_sql = f"""
WITH days AS ({' UNION ALL '.join(day_sql)})
SELECT r.technician_id AS tech, days.d AS d, SUM(r.minutes) AS minutes
FROM repair_logs r JOIN days ON r.performed_at >= days.ds AND r.performed_at < days.de
{campus_join}
WHERE r.performed_at >= :start AND r.performed_at < :end {campus_sql}
GROUP BY r.technician_id, days.d
"""
    worked_sql = f"""
SELECT r.technician_id AS tech, COUNT(DISTINCT r.ticket_id) AS worked, SUM(r.minutes) AS minutes
FROM repair_logs r {campus_join}
WHERE r.performed_at >= :start AND r.performed_at < :end {campus_sql}
GROUP BY r.technician_id
"""
    closed_sql = f"""
SELECT tk.assignee_id AS tech, COUNT(*) AS closed
FROM tickets tk
WHERE tk.closed_at >= :start AND tk.closed_at < :end {campus_sql}
GROUP BY tk.assignee_id
"""
    flagged_sql = f"""
SELECT tk.number, tk.assignee_id AS tech, tk.closed_at
FROM tickets tk
WHERE tk.closed_at >= :start AND tk.closed_at < :end {campus_sql}
  AND NOT EXISTS (SELECT 1 FROM repair_logs r WHERE r.ticket_id = tk.id)
ORDER BY tk.closed_at, tk.number
"""
    per_day: dict[Any, dict[str, int]] = {}
    for r in session.execute(typed_text(minutes_sql, params)):
        per_day.setdefault(as_uuid(r.tech), {})[str(r.d)] = int(r.minutes)
    worked = {as_uuid(r.tech): r for r in session.execute(typed_text(worked_sql, params))}
    closed = {as_uuid(r.tech): r for r in session.execute(typed_text(closed_sql, params))}
    flagged = list(session.execute(typed_text(flagged_sql, params)))
    without_time: dict[Any, int] = {}
    for f in flagged:  # the flagged list is the report's output; its per-technician counts come with it
        key = as_uuid(f.tech)
        without_time[key] = without_time.get(key, 0) + 1

    staff = {u.id: u for u in session.scalars(select(StaffUser))}
    keys = {u.id for u in staff.values() if u.role is StaffRole.TECHNICIAN and u.active}
    keys |= {k for k in (*per_day, *worked, *closed) if k is not None}
    ordered: list[Any] = sorted(keys, key=lambda k: staff[k].username if k in staff else str(k))
    if None in closed:
        ordered.append(None)
    day_keys = [d.isoformat() for d, _, _ in days]
    columns = ["technician", *day_keys, "week_minutes", "tickets_worked", "closed", "closed_without_time"]
    rows = []
    for key in ordered:
        user = staff.get(key) if key is not None else None
        daily = per_day.get(key, {})
        w, c = worked.get(key), closed.get(key)
        rows.append([user.username if user else None, *[daily.get(d, 0) for d in day_keys],
                     int(w.minutes) if w else 0, int(w.worked) if w else 0, int(c.closed) if c else 0,
                     without_time.get(key, 0)])
    flag_rows = []
    for f in flagged:
        tech = staff.get(as_uuid(f.tech)) if f.tech is not None else None  # type: ignore[arg-type]
        flag_rows.append([f.number, tech.username if tech else None])
    totals: list[float | None] = [float(r[len(day_keys) + 1] or 0) for r in rows]
    chart = Chart("minutes", "Minutes logged this period", "bar", [str(r[0] or "(unassigned)") for r in rows],
                  {"minutes": totals}, "minutes")
    page = Page("summary", f"Accountability: {period.label}",
                facts={"minutes": sum(r[len(day_keys) + 1] for r in rows),
                       "closed_without_time": len(flag_rows)},
                tables=[Table("technicians", "Minutes logged per day", columns, rows),
                        Table("closed_without_time", "Tickets closed without any logged time",
                              ["ticket", "technician"], flag_rows)],
                charts=[chart])
    page.tables.append(desk_figures.walkins_per_technician(session, period, campus))
    return Report("accountability", "Accountability: time tracked", period, campus.code if campus else None, now,
                  [page], notes=["Days are local days of the district's time zone."])
