"""The service report: request volume by category and campus, requests outside the catalog, repeat repairs, trends.

* **volume**: tickets opened in the period, by service category and by campus.
* **outside the catalog**: tickets in categories marked not covered by the service catalog.
* **repeat-repair devices**: devices with at least ``REPEAT`` repair logs in the period (all of them counted; the
  list shows the first ``LIST_LIMIT``); **models** sums them up. With ``--campus``, a repair counts under the
  campus of the ticket it was logged on (where the device was when it was reported), whatever campus the device
  has moved to since; a repair without a ticket under the device's current campus. The list shows each device's
  current campus.
* **trend**: tickets opened per calendar month of the period, with the change from the month before.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from kiosk.domain.models import Campus
from kiosk.domain.reports import desk_figures
from kiosk.domain.reports.base import (
    Chart,
    Money,
    Page,
    Period,
    Report,
    Table,
    district_tz,
    pct,
    pct_exact,
    shown,
)
from kiosk.domain.reports.sla_sql import typed_text

REPEAT = 2
LIST_LIMIT = 100


def build(session: Session, period: Period, campus: Campus | None, now: datetime) -> Report:
    params: dict[str, Any] = {"start": period.start, "end": period.end}
    cf = ""
    if campus is not None:
        params["campus"] = campus.id
        cf = "AND tk.campus_id = :campus"
    opened = f"tk.opened_at >= :start AND tk.opened_at < :end {cf}"
    by_cat = [[r.code, r.name, bool(r.covered), int(r.n)] for r in session.execute(typed_text(f"""
SELECT sc.code, sc.name, sc.covered, COUNT(tk.id) AS n
FROM service_categories sc LEFT JOIN tickets tk ON tk.category_id = sc.id AND {opened}
GROUP BY sc.code, sc.name, sc.covered, sc.sort_order ORDER BY COUNT(tk.id) DESC, sc.sort_order""", params))]
    by_campus = [[r.code, r.name, int(r.n), int(r.outside)] for r in session.execute(typed_text(f"""
SELECT c.code, c.name, COUNT(*) AS n, SUM(CASE WHEN sc.covered THEN 0 ELSE 1 END) AS outside
FROM tickets tk JOIN campuses c ON c.id = tk.campus_id JOIN service_categories sc ON sc.id = tk.category_id
WHERE {opened} GROUP BY c.code, c.name ORDER BY COUNT(*) DESC, c.code""", params))]
    total = sum(r[3] for r in by_cat)
    outside = sum(r[3] for r in by_cat if not r[2])
    repeat_sql = f"""
SELECT d.asset_tag, d.manufacturer, d.model, c.code AS campus, COUNT(*) AS repairs,
       COALESCE(SUM(r.parts_cost_cents), 0) AS parts_cents
FROM repair_logs r JOIN devices d ON d.id = r.device_id LEFT JOIN campuses c ON c.id = d.campus_id
LEFT JOIN tickets tk ON tk.id = r.ticket_id
WHERE r.performed_at >= :start AND r.performed_at < :end
      {cf.replace('tk.campus_id', 'COALESCE(tk.campus_id, d.campus_id)')}
GROUP BY d.asset_tag, d.manufacturer, d.model, c.code
HAVING COUNT(*) >= {REPEAT}
ORDER BY COUNT(*) DESC, d.asset_tag"""
    repeat = [[r.asset_tag, r.manufacturer, r.model, r.campus, int(r.repairs), Money.cents(r.parts_cents)]
              for r in session.execute(typed_text(repeat_sql + f" LIMIT {LIST_LIMIT}", params))]
    models = [[r.manufacturer, r.model, int(r.devices), int(r.repairs)] for r in session.execute(typed_text(f"""
WITH rep AS ({repeat_sql})
SELECT manufacturer, model, COUNT(*) AS devices, SUM(repairs) AS repairs FROM rep
GROUP BY manufacturer, model ORDER BY COUNT(*) DESC, manufacturer, model""", params))]
    repeat_devices = sum(m[2] for m in models)  # every repeat-repair device, not the listed ones
    tz = district_tz(session)
    months = period.month_bounds(tz)
    mparams = dict(params)
    month_sql = []
    for i, (label, start, end) in enumerate(months):
        mparams[f"m{i}"], mparams[f"ms{i}"], mparams[f"me{i}"] = label, start, end
        month_sql.append(f"SELECT :m{i} AS m, :ms{i} AS ms, :me{i} AS me")
    counts = {r.m: (int(r.n), int(r.outside or 0)) for r in session.execute(typed_text(f"""
WITH months AS ({' UNION ALL '.join(month_sql)})
SELECT months.m AS m, COUNT(tk.id) AS n, SUM(CASE WHEN sc.covered THEN 0 ELSE 1 END) AS outside
FROM months JOIN tickets tk ON tk.opened_at >= months.ms AND tk.opened_at < months.me {cf}
JOIN service_categories sc ON sc.id = tk.category_id
GROUP BY months.m""", mparams))}
    trend: list[list[Any]] = []
    previous: int | None = None
    for label, _, _ in months:
        n, out = counts.get(label, (0, 0))
        change = None if not previous else shown(pct_exact(n - previous, previous), 1)
        trend.append([label, n, out, change])
        previous = n
    charts = [Chart("by_category", "Requests by category", "barh", [r[0] for r in by_cat],
                    {"tickets": [float(r[3]) for r in by_cat]}, "tickets"),
              Chart("trend", "Requests per month", "line", [r[0] for r in trend],
                    {"tickets": [float(r[1]) for r in trend]}, "tickets")]
    page = Page("summary", f"Service: {period.label}",
                facts={"tickets": total, "outside_catalog": outside, "outside_catalog_pct": pct(outside, total),
                       "repeat_repair_devices": repeat_devices},
                tables=[Table("by_category", "Requests by category", ["category", "name", "covered", "tickets"],
                              by_cat),
                        Table("by_campus", "Requests by campus", ["campus", "name", "tickets", "outside_catalog"],
                              by_campus),
                        Table("trend", "Month over month", ["month", "tickets", "outside_catalog", "change_pct"],
                              trend),
                        Table("repeat_devices", f"Devices repaired {REPEAT} or more times"
                              + (f" (first {LIST_LIMIT} of {repeat_devices})" if repeat_devices > len(repeat) else ""),
                              ["tag", "manufacturer", "model", "campus", "repairs", "parts_cost"], repeat),
                        Table("repeat_models", "Models of repeat-repair devices",
                              ["manufacturer", "model", "devices", "repairs"], models)],
                charts=charts)
    desk_figures.add_to_service(session, period, campus, page)  # first-contact resolution, cause, resolution
    return Report("service", "Service requests", period, campus.code if campus else None, now, [page],
                  notes=[f"Repeat repair: {REPEAT} or more repair logs on one device in the period."])
