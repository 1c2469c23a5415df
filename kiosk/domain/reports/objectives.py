"""The objectives report: the district's service objectives against actual values, month by month, with a chart.

Metrics per calendar month (local time) of the period:

* ``satisfaction_pct``: surveys submitted in the month whose overall rating is 4 or 5, as a share of those with
  an overall rating.
* ``p1_median_resolution_hours``: median business hours (holds excluded) to resolve tickets resolved in the
  month whose priority was P1 when they were resolved (the priority in force at the stop of the clock: an
  override before the resolution counts, one made after it does not).
* ``first_response_met_pct``: tickets resolved in the month whose first-response clock met its target.

Each month is judged by the objectives in force on its last day in the period (objectives change by school year:
with 94 % until June 30 and 97 % from July 1, June is judged against 94 % and July against 97 %; an objective that
starts mid-month applies to that whole month). A metric with no objective in force in a month is not judged there.
An objective is judged on the exact value (a P1 median of 4.0033 h misses "<= 4" though it shows as 4.0; 93.95 %
misses ">= 94" though it shows as 94.0); the value shown is rounded half-up at its last digit. A month without
data is "no data", neither met nor missed.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import Any

from sqlalchemy.orm import Session

from kiosk.domain import district
from kiosk.domain.models import Campus
from kiosk.domain.reports.base import (
    Chart,
    Exact,
    Page,
    Period,
    Report,
    Table,
    district_tz,
    exact,
    pct_exact,
    shown,
)
from kiosk.domain.reports.sla_sql import run_with_sla, typed_text
from kiosk.domain.sla import load_calendar


@dataclass(frozen=True)
class Objective:
    metric: str
    label: str
    comparator: str  # ">=" or "<="
    target: float

    places: int = 1  # decimals shown

    def met(self, value: Exact | None) -> bool | None:
        """Judged on the exact value given (not the rounded one shown); None without data."""
        if value is None:
            return None
        ops: dict[str, Callable[[Fraction, Fraction], bool]] = {">=": operator.ge, "<=": operator.le}
        return ops[self.comparator](exact(value), exact(self.target))


METRIC_LABELS = district.METRICS
PLACES = {"p1_median_resolution_hours": 2}  # decimals shown per metric (default 1)


def _objective(o: district.ObjectiveTarget) -> Objective:
    return Objective(o.metric, o.label, o.comparator, o.target, PLACES.get(o.metric, 1))


OBJECTIVES = tuple(_objective(o) for o in district.DEFAULT_OBJECTIVES)  # the product's defaults


def in_force(session: Session, on: date) -> tuple[Objective, ...]:
    """The district's objectives on ``on`` (data: the district file's [[objectives]], by school year)."""
    return tuple(_objective(o) for o in district.objectives(session, on))


def month_last_day(end: datetime, tz: Any, period: Period) -> date:
    """The local date of a month's last day within the period (``end`` is the month's exclusive UTC end)."""
    return min(period.last, (end - timedelta(microseconds=1)).astimezone(tz).date())


def build(session: Session, period: Period, campus: Campus | None, now: datetime,
          objectives: tuple[Objective, ...] | None = None) -> Report:
    """``objectives``: the same objectives for every month (tests); by default each month's own (``in_force``)."""
    tz = district_tz(session)
    months = period.month_bounds(tz)
    per_month = [objectives if objectives is not None else in_force(session, month_last_day(end, tz, period))
                 for _, _, end in months]
    metrics: list[str] = []
    for goals in per_month:
        metrics.extend(o.metric for o in goals if o.metric not in metrics)
    params: dict[str, Any] = {"start": period.start, "end": period.end}
    cf = ""
    if campus is not None:
        params["campus"] = campus.id
        cf = "AND tk.campus_id = :campus"
    month_sql = []
    for i, (label, start, end) in enumerate(months):
        params[f"m{i}"], params[f"ms{i}"], params[f"me{i}"] = label, start, end
        month_sql.append(f"SELECT :m{i} AS m, :ms{i} AS ms, :me{i} AS me")
    months_cte = " UNION ALL ".join(month_sql)
    sat = {r.m: (int(r.happy), int(r.rated)) for r in session.execute(typed_text(f"""
WITH months AS ({months_cte})
SELECT months.m AS m, SUM(CASE WHEN s.overall >= 4 THEN 1 ELSE 0 END) AS happy, COUNT(s.overall) AS rated
FROM months JOIN surveys s ON s.submitted_at >= months.ms AND s.submitted_at < months.me
JOIN tickets tk ON tk.id = s.ticket_id WHERE 1 = 1 {cf}
GROUP BY months.m""", params))}
    cal, _ = load_calendar(session)
    tickets_sql = f"""
SELECT tk.id, tk.opened_at, tk.reporter_priority, tk.priority, tk.resolved_at,
       CASE WHEN tk.override_priority IS NULL THEN tk.reporter_priority ELSE
       COALESCE((SELECT e.new_value FROM ticket_events e WHERE e.ticket_id = tk.id AND e.kind = 'priority'
                   AND e.new_value IS NOT NULL AND e.at <= tk.resolved_at
                 ORDER BY e.at DESC, e.id DESC LIMIT 1), tk.reporter_priority) END AS res_prio,
       CASE WHEN tk.first_response_at IS NULL OR tk.resolved_at < tk.first_response_at THEN tk.resolved_at
            ELSE tk.first_response_at END AS resp_stop,
       tk.resolved_at AS res_stop
FROM tickets tk WHERE tk.resolved_at >= :start AND tk.resolved_at < :end {cf}"""
    select_sql = f""",
months AS ({months_cte}),
per AS (
    SELECT months.m AS m, s.res_prio AS priority, s.res_ms, s.resp_breached
    FROM sla s JOIN months ON s.resolved_at >= months.ms AND s.resolved_at < months.me
),
p1 AS (
    SELECT m, res_ms, ROW_NUMBER() OVER (PARTITION BY m ORDER BY res_ms) AS rn, COUNT(*) OVER (PARTITION BY m) AS n
    FROM per WHERE priority = 'P1'
),
p1m AS (SELECT m, AVG(res_ms) AS med FROM p1 WHERE rn IN ((n + 1) / 2, (n + 2) / 2) GROUP BY m),
agg AS (SELECT m, COUNT(*) AS resolved, SUM(1 - resp_breached) AS resp_met FROM per GROUP BY m)
SELECT agg.m AS m, agg.resolved, agg.resp_met, p1m.med AS p1_med
FROM agg LEFT JOIN p1m ON p1m.m = agg.m"""
    sla = {r.m: r for r in run_with_sla(session, cal, tickets_sql, select_sql, params, now)}
    rows = []
    values: dict[str, list[float | None]] = {m: [] for m in metrics}
    judged_by_metric: dict[str, list[bool | None]] = {m: [] for m in metrics}
    versions: dict[str, list[tuple[Objective, str, str]]] = {m: [] for m in metrics}  # (objective, first, last)
    for (label, _, _), goals in zip(months, per_month, strict=True):
        happy, rated = sat.get(label, (0, 0))
        r = sla.get(label)
        actual: dict[str, Exact | None] = {
            "satisfaction_pct": pct_exact(happy, rated),
            "p1_median_resolution_hours": None if r is None or r.p1_med is None
            else exact(r.p1_med) / 3_600_000,
            "first_response_met_pct": None if r is None else pct_exact(int(r.resp_met), int(r.resolved)),
        }
        for o in goals:
            value = actual.get(o.metric)
            values[o.metric].append(shown(value, o.places))
            met = o.met(value)
            judged_by_metric[o.metric].append(met)
            seen = versions[o.metric]
            if seen and seen[-1][0] == o:
                seen[-1] = (o, seen[-1][1], label)
            else:
                seen.append((o, label, label))
            rows.append([label, o.metric, shown(value, o.places), o.comparator + f"{o.target:g}",
                         "no data" if met is None else "met" if met else "missed"])
        for m in metrics:
            if all(o.metric != m for o in goals):
                values[m].append(None)  # no objective for this metric in this month: not judged
    charts = [Chart(m, _label(versions[m]), "line", [m_ for m_, _, _ in months], {m: values[m]}, m,
                    _targets(versions[m])) for m in metrics]
    summary = []
    for m in metrics:
        judged = [j for j in judged_by_metric[m] if j is not None]
        summary.append([m, _label(versions[m]), sum(1 for j in judged if j), len(judged)])
    objectives = tuple(versions[m][-1][0] for m in metrics)
    page = Page("summary", f"Objectives: {period.label}",
                facts={f"{o.metric}_months_met": f"{s[2]}/{s[3]}" for o, s in zip(objectives, summary, strict=True)},
                tables=[Table("objectives", "Objectives", ["metric", "objective", "months_met", "months_with_data"],
                              summary),
                        Table("monthly", "Actual values per month", ["month", "metric", "actual", "target", "status"],
                              rows)],
                charts=charts)
    return Report("objectives", "Service objectives", period, campus.code if campus else None, now, [page],
                  notes=["Satisfaction: overall rating 4 or 5. P1 median: business hours, holds excluded.",
                         "Each month is judged by the objectives in force on its last day."])


def _month_end(label: str) -> date:
    year, month = int(label[:4]), int(label[5:7])
    return date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)


def _label(versions: list[tuple[Objective, str, str]]) -> str:
    """One objective's label, or each school year's with the months it held: '... <= 4 ... until 2026-06-30,
    <= 2 ... from 2026-07-01'."""
    if len(versions) == 1:
        return versions[0][0].label
    parts = []
    for i, (o, first, last) in enumerate(versions):
        text = o.label.removeprefix(METRIC_LABELS.get(o.metric, "") + " ") if i else o.label
        if i == 0:
            parts.append(f"{text} until {_month_end(last).isoformat()}")
        else:
            parts.append(f"{text} from {first}-01")
    return ", ".join(parts)


def _targets(versions: list[tuple[Objective, str, str]]) -> dict[str, float]:
    if len(versions) == 1:
        return {"target": versions[0][0].target}
    return {f"target from {first}": o.target for o, first, _ in versions}
