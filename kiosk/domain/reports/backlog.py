"""The backlog report: open tickets by campus, age and priority, oldest first, with breached and at-risk lists.

As of the moment it runs (the period is ignored; the title gives that moment in the district's local time).
**Age** is calendar time since the ticket was opened, in the buckets of ``AGE_BUCKETS``. **Breached**: either
SLA clock has exceeded its target; ``target_used_pct`` is the breached clock's share of its target (the larger
of the two when both are breached). **At risk**: not breached, and a running clock has used at least 75% of
the target in force (the escalation "warn" level); ``target_used_pct`` is that clock's share.
"""

from __future__ import annotations

from datetime import datetime
from fractions import Fraction
from typing import Any

from sqlalchemy.orm import Session

from kiosk.domain.models import OPEN_STATUSES, Campus
from kiosk.domain.reports.base import (
    Chart,
    Page,
    Period,
    Report,
    Table,
    district_tz,
    exact,
    local_text,
    shown,
)
from kiosk.domain.reports.sla_sql import ms, run_with_sla, typed_text
from kiosk.domain.sla import load_calendar
from kiosk.domain.sla_clock import DEFAULT_WARN_AT

# (label, upper bound in hours, exclusive); the last bucket has no bound
AGE_BUCKETS: list[tuple[str, int | None]] = [("<1d", 24), ("1-3d", 72), ("3-7d", 168), ("7-14d", 336),
                                              ("14-30d", 720), (">30d", None)]
LIST_LIMIT = 200


def _open_filter() -> str:
    return "status IN (" + ", ".join(f"'{s.value}'" for s in OPEN_STATUSES) + ")"


def build(session: Session, period: Period | None, campus: Campus | None, now: datetime) -> Report:
    dialect = session.get_bind().dialect.name
    params: dict[str, Any] = {"now": now}
    campus_sql = ""
    if campus is not None:
        params["campus"] = campus.id
        campus_sql = "AND tk.campus_id = :campus"
    age_ms = f"({ms(dialect, ':now')} - {ms(dialect, 'tk.opened_at')})"
    bucket = "CASE " + " ".join(f"WHEN {age_ms} < {hours * 3_600_000} THEN '{label}'"
                                for label, hours in AGE_BUCKETS if hours) + f" ELSE '{AGE_BUCKETS[-1][0]}' END"
    counts_sql = f"""
SELECT c.code AS campus, {bucket} AS age, tk.priority AS priority, COUNT(*) AS n
FROM tickets tk JOIN campuses c ON c.id = tk.campus_id
WHERE tk.{_open_filter()} {campus_sql}
GROUP BY c.code, {bucket}, tk.priority
ORDER BY c.code, tk.priority
"""
    order = {label: i for i, (label, _) in enumerate(AGE_BUCKETS)}
    counts = sorted(([r.campus, r.age, r.priority, int(r.n)] for r in session.execute(typed_text(counts_sql, params))),
                    key=lambda r: (r[0], order[r[1]], r[2]))
    oldest_sql = f"""
SELECT tk.number, c.code AS campus, sc.code AS category, tk.priority, tk.status,
       {age_ms} AS age_ms, su.username AS assignee
FROM tickets tk JOIN campuses c ON c.id = tk.campus_id JOIN service_categories sc ON sc.id = tk.category_id
LEFT JOIN staff_users su ON su.id = tk.assignee_id
WHERE tk.{_open_filter()} {campus_sql}
ORDER BY tk.opened_at, tk.number
LIMIT {LIST_LIMIT}
"""
    oldest = [[r.number, r.campus, r.category, r.priority, r.status, shown(Fraction(int(r.age_ms), 86_400_000), 1),
               r.assignee]
              for r in session.execute(typed_text(oldest_sql, params))]
    cal, _ = load_calendar(session)
    tickets_sql = f"""
SELECT tk.id, tk.opened_at, tk.reporter_priority,
       COALESCE(CASE WHEN tk.first_response_at IS NULL OR tk.resolved_at < tk.first_response_at
                     THEN tk.resolved_at ELSE tk.first_response_at END, :now) AS resp_stop,
       COALESCE(tk.resolved_at, :now) AS res_stop
FROM tickets tk WHERE tk.{_open_filter()} {campus_sql}
"""
    warn = DEFAULT_WARN_AT
    select_sql = """
SELECT tk.number, c.code AS campus, tk.priority, su.username AS assignee,
       s.resp_breached, s.res_breached, tk.first_response_at, s.resp_ms, s.resp_target_ms, s.res_ms,
       s.res_target_ms
FROM sla s JOIN tickets tk ON tk.id = s.ticket_id JOIN campuses c ON c.id = tk.campus_id
LEFT JOIN staff_users su ON su.id = tk.assignee_id
ORDER BY tk.opened_at, tk.number
"""
    breached, at_risk = [], []
    for r in run_with_sla(session, cal, tickets_sql, select_sql, params, now):
        resp_used = Fraction(int(r.resp_ms), int(r.resp_target_ms))
        res_used = Fraction(int(r.res_ms), int(r.res_target_ms))
        head = [r.number, r.campus, r.priority, r.assignee]
        if r.resp_breached or r.res_breached:
            clock = "both" if r.resp_breached and r.res_breached else "response" if r.resp_breached else "resolution"
            used = {"both": max(resp_used, res_used), "response": resp_used, "resolution": res_used}[clock]
            breached.append([*head, shown(100 * used, 1), clock])
            continue
        running = [res_used] + ([resp_used] if r.first_response_at is None else [])
        used = max(running)
        if used >= exact(warn):
            at_risk.append([*head, shown(100 * used, 1)])
    by_priority: dict[str, int] = {}
    for _, _, prio, n in counts:
        by_priority[prio] = by_priority.get(prio, 0) + n
    chart = Chart("by_age", "Open tickets by age", "bar", [label for label, _ in AGE_BUCKETS],
                  {"tickets": [float(sum(r[3] for r in counts if r[1] == label)) for label, _ in AGE_BUCKETS]},
                  "tickets")
    page = Page("summary", f"Backlog as of {local_text(now, district_tz(session))}",
                facts={"open": sum(r[3] for r in counts), "breached": len(breached), "at_risk": len(at_risk),
                       "by_priority": dict(sorted(by_priority.items()))},
                tables=[Table("counts", "Open tickets by campus, age and priority",
                              ["campus", "age", "priority", "tickets"], counts),
                        Table("oldest", f"Oldest open tickets (first {LIST_LIMIT})",
                              ["ticket", "campus", "category", "priority", "status", "age_days", "assignee"],
                              oldest),
                        Table("breached", "Breached", ["ticket", "campus", "priority", "assignee",
                                                       "target_used_pct", "clock"], breached),
                        Table("at_risk", "At risk (75% of a target used)",
                              ["ticket", "campus", "priority", "assignee", "target_used_pct"], at_risk)],
                charts=[chart])
    return Report("backlog", "Backlog", period, campus.code if campus else None, now, [page],
                  notes=["Breached: a clock exceeded its target. At risk: 75% or more of a running target used."])
