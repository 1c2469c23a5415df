"""Repair-desk figures for the reports: first-contact resolution, cause and resolution codes, walk-in time, the
loaner pool and low parts stock. Each is a small function returning report tables; the report modules add them.

* **first-contact resolution** (service report, per campus): walk-ins fixed on the spot (tickets with channel
  ``walk-in``, resolved) over every walk-up contact (those walk-ins plus tickets reported at the kiosk, channel
  ``kiosk``), opened in the period; ``first_contact_resolution_pct`` with one decimal, None without contacts.
* **by cause**: tickets opened in the period by their cause ("(not recorded)" when none).
* **by resolution**: tickets resolved in the period by their resolution code.
* **walk-ins per technician** (weekly and accountability): walk-ins the technician logged in the period and the
  minutes of their repair logs.
* **loaner pool** and **low stock** (inventory report, as of now): ``kiosk.domain.loaners.pool`` and
  ``kiosk.domain.parts.stock_lines(low_only=True)``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from kiosk.domain.models import Campus
from kiosk.domain.reports.base import Page, Period, Table, pct
from kiosk.domain.reports.sla_sql import typed_text


def _params(period: Period, campus: Campus | None) -> tuple[dict[str, Any], str]:
    params: dict[str, Any] = {"start": period.start, "end": period.end}
    if campus is None:
        return params, ""
    params["campus"] = campus.id
    return params, "AND tk.campus_id = :campus"


def first_contact_resolution(session: Session, period: Period, campus: Campus | None) -> tuple[Table, dict[str, Any]]:
    """Per campus: walk-ins fixed on the spot, kiosk reports, walk-up contacts, and the share fixed at once."""
    params, cf = _params(period, campus)
    rows = []
    total_fixed = total_contacts = 0
    for r in session.execute(typed_text(f"""
SELECT c.code, c.name,
       SUM(CASE WHEN tk.channel = 'walk-in' AND tk.resolved_at IS NOT NULL THEN 1 ELSE 0 END) AS fixed,
       SUM(CASE WHEN tk.channel = 'kiosk' THEN 1 ELSE 0 END) AS reported,
       COUNT(*) AS contacts
FROM tickets tk JOIN campuses c ON c.id = tk.campus_id
WHERE tk.opened_at >= :start AND tk.opened_at < :end AND tk.channel IN ('walk-in', 'kiosk') {cf}
GROUP BY c.code, c.name ORDER BY c.code""", params)):
        fixed, contacts = int(r.fixed or 0), int(r.contacts or 0)
        total_fixed += fixed
        total_contacts += contacts
        rows.append([r.code, r.name, fixed, int(r.reported or 0), contacts, pct(fixed, contacts)])
    table = Table("first_contact_resolution", "First-contact resolution at the walk-up",
                  ["campus", "name", "walk_ins_fixed", "kiosk_reports", "walk_up_contacts",
                   "first_contact_resolution_pct"], rows)
    return table, {"walk_ins_fixed": total_fixed, "walk_up_contacts": total_contacts,
                   "first_contact_resolution_pct": pct(total_fixed, total_contacts)}


def by_cause(session: Session, period: Period, campus: Campus | None) -> Table:
    params, cf = _params(period, campus)
    rows = [[r.cause or "(not recorded)", int(r.n)] for r in session.execute(typed_text(f"""
SELECT tk.cause AS cause, COUNT(*) AS n FROM tickets tk
WHERE tk.opened_at >= :start AND tk.opened_at < :end {cf}
GROUP BY tk.cause ORDER BY COUNT(*) DESC, tk.cause""", params))]
    return Table("by_cause", "Requests by cause", ["cause", "tickets"], rows)


def by_resolution(session: Session, period: Period, campus: Campus | None) -> Table:
    params, cf = _params(period, campus)
    rows = [[r.code or "(not recorded)", int(r.n)] for r in session.execute(typed_text(f"""
SELECT tk.resolution_code AS code, COUNT(*) AS n FROM tickets tk
WHERE tk.resolved_at >= :start AND tk.resolved_at < :end {cf}
GROUP BY tk.resolution_code ORDER BY COUNT(*) DESC, tk.resolution_code""", params))]
    return Table("by_resolution", "Resolved requests by resolution code", ["resolution_code", "tickets"], rows)


def walkins_per_technician(session: Session, period: Period, campus: Campus | None) -> Table:
    params, cf = _params(period, campus)
    rows = [[r.username, int(r.walkins), int(r.minutes or 0)] for r in session.execute(typed_text(f"""
SELECT s.username, COUNT(DISTINCT tk.id) AS walkins, SUM(r.minutes) AS minutes
FROM tickets tk JOIN repair_logs r ON r.ticket_id = tk.id JOIN staff_users s ON s.id = r.technician_id
WHERE tk.channel = 'walk-in' AND tk.opened_at >= :start AND tk.opened_at < :end {cf}
GROUP BY s.username ORDER BY s.username""", params))]
    return Table("walk_ins", "Walk-ins fixed on the spot", ["technician", "walk_ins", "minutes"], rows)


def loaner_pool(session: Session, now: datetime, campus: Campus | None) -> Table:
    from kiosk.domain import loaners

    rows: list[list[Any]] = [[p.campus, p.loaners, p.available, p.out, p.overdue, p.conflicts]
                             for p in loaners.pool(session, now, campus.id if campus else None)]
    return Table("loaner_pool", "Loaner pool", ["campus", "loaners", "available", "out", "overdue", "conflicts"],
                 rows)


def low_stock(session: Session, campus: Campus | None) -> Table:
    from kiosk.domain import parts

    rows: list[list[Any]] = [[x.campus, x.code, x.name, x.stock, x.reorder_level]
                             for x in parts.stock_lines(session, campus=campus.id if campus else None, low_only=True)]
    return Table("low_stock", "Parts at or below their reorder level",
                 ["campus", "part", "name", "stock", "reorder_level"], rows)


def add_to_service(session: Session, period: Period, campus: Campus | None, page: Page) -> None:
    """The service report's repair-desk part: first-contact resolution per campus, by cause, by resolution."""
    fcr, _facts = first_contact_resolution(session, period, campus)  # facts kept out: the summary's are the report's
    page.tables += [fcr, by_cause(session, period, campus), by_resolution(session, period, campus)]
