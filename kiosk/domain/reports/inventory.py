"""The inventory report: devices by campus, category, model and age; warranty, replacement age, repair cost.

As of the day it runs (the period is ignored), over devices not retired:

* **age**: days since ``purchase_date`` in the district's today, in 365-day years (``<1y`` is 0-364 days;
  devices without one are counted as "unknown"); the average age of a model is the exact mean of its devices'
  days divided by 365, shown to one decimal (half-up).
* **past warranty**: ``warranty_end`` before today (a warranty ending today still covers today).
* **past replacement age**: from the day the device's age in days reaches 365 times the category's replacement
  years (``REPLACEMENT_YEARS``): a 4-year Chromebook is past it on day 1,460, not on day 1,459.
* **repair cost**: parts cost of every repair logged on the device, ever; devices whose repairs cost at least
  ``COSTLY_SHARE`` of their purchase cost are listed, most expensive share first.
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
    ratio,
    shown,
)
from kiosk.domain.reports.sla_sql import typed_text

REPLACEMENT_YEARS = {"chromebook": 4, "tablet": 4, "laptop": 5, "hotspot": 4, "desktop": 6, "monitor": 7,
                     "projector": 7, "interactive_panel": 8, "printer": 6, "document_camera": 6,
                     "access_point": 7, "other": 6}
DEFAULT_REPLACEMENT_YEARS = 6
COSTLY_SHARE = 0.5
AGE_LABELS = ["<1y", "1-2y", "2-3y", "3-4y", "4-5y", "5y+", "unknown"]
LIST_LIMIT = 200


def build(session: Session, period: Period | None, campus: Campus | None, now: datetime) -> Report:
    dialect = session.get_bind().dialect.name
    today = now.astimezone(district_tz(session)).date()
    params: dict[str, Any] = {"today": today}
    cf = ""
    if campus is not None:
        params["campus"] = campus.id
        cf = "AND d.campus_id = :campus"
    if dialect == "postgresql":
        age_days = "(CAST(:today AS DATE) - d.purchase_date)"
    else:
        age_days = "CAST(julianday(:today) - julianday(d.purchase_date) AS INTEGER)"
    bucket = ("CASE WHEN d.purchase_date IS NULL THEN 'unknown' "
              + " ".join(f"WHEN {age_days} < {365 * (i + 1)} THEN '{label}'" for i, label in enumerate(AGE_LABELS[:5]))
              + " ELSE '5y+' END")
    repl = "CASE d.category " + " ".join(f"WHEN '{k}' THEN {v}" for k, v in REPLACEMENT_YEARS.items()) \
        + f" ELSE {DEFAULT_REPLACEMENT_YEARS} END"
    base = f"FROM devices d LEFT JOIN campuses c ON c.id = d.campus_id WHERE d.status <> 'retired' {cf}"
    by_campus = [[r.campus, r.category, int(r.n)] for r in session.execute(typed_text(f"""
SELECT COALESCE(c.code, '(none)') AS campus, d.category, COUNT(*) AS n {base}
GROUP BY c.code, d.category ORDER BY c.code, d.category""", params))]
    by_age = {r.age: int(r.n) for r in session.execute(typed_text(f"""
SELECT {bucket} AS age, COUNT(*) AS n {base} GROUP BY {bucket}""", params))}
    repairs = """(SELECT device_id, COALESCE(SUM(parts_cost_cents), 0) AS parts, COUNT(*) AS repairs
                  FROM repair_logs WHERE device_id IS NOT NULL GROUP BY device_id)"""
    models = [[r.manufacturer, r.model, r.category, int(r.n),
               shown(ratio(int(r.age_days_sum), 365 * int(r.dated)), 1) if int(r.dated or 0) else None,
               int(r.past_warranty), int(r.past_replacement),
               int(r.repairs or 0), Money.cents(r.parts), Money.cents(r.purchase)]
              for r in session.execute(typed_text(f"""
SELECT d.manufacturer, d.model, d.category, COUNT(*) AS n, COALESCE(SUM({age_days}), 0) AS age_days_sum,
       COUNT(d.purchase_date) AS dated,
       SUM(CASE WHEN d.warranty_end < :today THEN 1 ELSE 0 END) AS past_warranty,
       SUM(CASE WHEN {age_days} >= 365 * {repl} THEN 1 ELSE 0 END) AS past_replacement,
       SUM(rp.repairs) AS repairs, SUM(rp.parts) AS parts, SUM(d.purchase_cost_cents) AS purchase
FROM devices d LEFT JOIN campuses c ON c.id = d.campus_id LEFT JOIN {repairs} rp ON rp.device_id = d.id
WHERE d.status <> 'retired' {cf}
GROUP BY d.manufacturer, d.model, d.category ORDER BY COUNT(*) DESC, d.manufacturer, d.model""", params))]
    costly = [[r.asset_tag, r.model, r.campus, int(r.repairs), Money.cents(r.parts), Money.cents(r.purchase),
               pct(int(r.parts), int(r.purchase))]
              for r in session.execute(typed_text(f"""
SELECT d.asset_tag, d.model, c.code AS campus, rp.repairs, rp.parts, d.purchase_cost_cents AS purchase
FROM devices d JOIN {repairs} rp ON rp.device_id = d.id LEFT JOIN campuses c ON c.id = d.campus_id
WHERE d.status <> 'retired' AND d.purchase_cost_cents > 0 AND rp.parts >= {COSTLY_SHARE} * d.purchase_cost_cents {cf}
ORDER BY 1.0 * rp.parts / d.purchase_cost_cents DESC, d.asset_tag LIMIT {LIST_LIMIT}""", params))]
    totals = session.execute(typed_text(f"""
SELECT COUNT(*) AS n, SUM(CASE WHEN d.warranty_end < :today THEN 1 ELSE 0 END) AS past_warranty,
       SUM(CASE WHEN {age_days} >= 365 * {repl} THEN 1 ELSE 0 END) AS past_replacement,
       SUM(CASE WHEN {age_days} >= 365 * {repl} THEN d.purchase_cost_cents ELSE 0 END) AS replacement_cents
{base}""", params)).one()
    age_rows: list[list[Any]] = [[label, by_age.get(label, 0)] for label in AGE_LABELS]
    page = Page("summary", f"Inventory as of {today.isoformat()}",
                facts={"devices": int(totals.n or 0), "past_warranty": int(totals.past_warranty or 0),
                       "past_replacement_age": int(totals.past_replacement or 0),
                       "replacement_budget": Money.cents(totals.replacement_cents)},
                tables=[Table("by_campus", "Devices by campus and category", ["campus", "category", "devices"],
                              by_campus),
                        Table("by_age", "Devices by age", ["age", "devices"], age_rows),
                        Table("by_model", "Devices by model",
                              ["manufacturer", "model", "category", "devices", "avg_age_years", "past_warranty",
                               "past_replacement_age", "repairs", "repair_parts_cost", "purchase_cost"], models),
                        Table("costly", f"Repairs costing {int(COSTLY_SHARE * 100)}% or more of the device",
                              ["tag", "model", "campus", "repairs", "repair_parts_cost", "purchase_cost",
                               "repair_share_pct"], costly)],
                charts=[Chart("by_age", "Devices by age", "bar", AGE_LABELS,
                              {"devices": [float(r[1]) for r in age_rows]}, "devices")])
    page.tables += [desk_figures.loaner_pool(session, now, campus), desk_figures.low_stock(session, campus)]
    return Report("inventory", "Inventory and replacement planning", None, campus.code if campus else None, now,
                  [page], notes=["Replacement budget: purchase cost of devices past their replacement age."])
