"""The public campus status page (``/status``): open requests by category and age, work in progress, next visits.

It shows no personal data: no names (not even technicians'), no descriptions, no ticket numbers; only counts
per service category, the rotation's visit times, and each kiosk's last sync. ``export_static`` writes the
same pages as plain HTML files for a district website.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from kiosk.domain import rotation
from kiosk.domain.db import Database
from kiosk.domain.district import local_zone
from kiosk.domain.models import OPEN_STATUSES, Campus, Kiosk, ServiceCategory, Ticket, TicketStatus

router = APIRouter()

AGE_BUCKETS: list[tuple[str, float | None]] = [("under 1 day", 1), ("1-3 days", 3), ("3-7 days", 7),
                                               ("1-2 weeks", 14), ("over 2 weeks", None)]
VISIT_DAYS = 21


@dataclass
class CampusStatus:
    code: str
    name: str
    open_total: int = 0
    by_category: list[dict[str, Any]] = field(default_factory=list)  # category, then counts per age bucket
    in_progress: list[dict[str, Any]] = field(default_factory=list)  # category, count being worked on
    visits: list[dict[str, str]] = field(default_factory=list)
    kiosks: list[dict[str, str | None]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"campus": self.code, "name": self.name, "open": self.open_total, "by_category": self.by_category,
                "in_progress": self.in_progress, "next_visits": self.visits, "kiosks": self.kiosks}


def campus_status(session: Session, campus: Campus, now: datetime) -> CampusStatus:
    """Counts only: open tickets per category and age bucket, and per category what is in progress."""
    out = CampusStatus(campus.code, campus.name)
    whens = [(Ticket.opened_at > now - timedelta(days=limit), label) for label, limit in AGE_BUCKETS if limit]
    bucket = case(*whens, else_=AGE_BUCKETS[-1][0])
    rows = session.execute(
        select(ServiceCategory.name, Ticket.status, bucket, func.count())
        .join(ServiceCategory, ServiceCategory.id == Ticket.category_id)
        .where(Ticket.campus_id == campus.id, Ticket.status.in_(OPEN_STATUSES))
        .group_by(ServiceCategory.name, Ticket.status, bucket))
    counts: dict[str, dict[str, int]] = {}
    working: dict[str, int] = {}
    for name, status, label, n in rows:
        per = counts.setdefault(name, {label: 0 for label, _ in AGE_BUCKETS})
        per[label] += n
        out.open_total += n
        if status is TicketStatus.IN_PROGRESS:
            working[name] = working.get(name, 0) + n
    out.by_category = [{"category": name, **per} for name, per in sorted(counts.items())]
    out.in_progress = [{"category": name, "tickets": n} for name, n in sorted(working.items())]
    tz = local_zone(session)
    schedule = rotation.campus_schedule(session, campus.id, now.astimezone(tz).date(), VISIT_DAYS)
    out.visits = [{"day": v.day.isoformat(), "weekday": v.day.strftime("%A"),
                   "from": v.start.strftime("%H:%M"), "to": v.end.strftime("%H:%M")}
                  for v in schedule.upcoming(now, 5)]
    out.kiosks = [{"kiosk": k.name, "last_sync": k.last_sync_at.isoformat(timespec="minutes") if k.last_sync_at
                   else None}
                  for k in session.scalars(select(Kiosk).where(Kiosk.campus_id == campus.id, Kiosk.revoked_at.is_(None))
                                           .order_by(Kiosk.name))]
    return out


def _campuses(session: Session) -> list[Campus]:
    return list(session.scalars(select(Campus).order_by(Campus.code)))


CSS = ("body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:.5em 0 1.5em}"
       "th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left}th{background:#f2f2f2}")


def _page(title: str, body: str) -> str:
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f'<meta name="viewport" content="width=device-width"><style>{CSS}</style></head><body>'
            f"<h1>{html.escape(title)}</h1>{body}</body></html>\n")


def index_html(session: Session, now: datetime, link: str = "/status/{code}") -> str:
    rows = []
    for campus in _campuses(session):
        st = campus_status(session, campus, now)
        nxt = f"{st.visits[0]['weekday']} {st.visits[0]['day']} {st.visits[0]['from']}" if st.visits else "-"
        href = html.escape(link.format(code=campus.code))
        rows.append(f'<tr><td><a href="{href}">{html.escape(campus.name)}</a></td><td>{st.open_total}</td>'
                    f"<td>{sum(i['tickets'] for i in st.in_progress)}</td><td>{html.escape(nxt)}</td></tr>")
    body = (f"<p>Updated {now.isoformat(timespec='minutes')}</p><table><tr><th>Campus</th><th>Open requests</th>"
            f"<th>Being worked on</th><th>Next technician visit</th></tr>{''.join(rows)}</table>")
    return _page("Technology service status", body)


def campus_html(st: CampusStatus, now: datetime, back: str = "/status") -> str:
    head = "".join(f"<th>{html.escape(label)}</th>" for label, _ in AGE_BUCKETS)
    cat_rows = "".join(
        f"<tr><td>{html.escape(r['category'])}</td>" + "".join(f"<td>{r[label]}</td>" for label, _ in AGE_BUCKETS)
        + "</tr>" for r in st.by_category) or f'<tr><td colspan="{len(AGE_BUCKETS) + 1}">No open requests</td></tr>'
    work = "".join(f"<li>{html.escape(r['category'])}: {r['tickets']}</li>" for r in st.in_progress) or "<li>none</li>"
    visits = "".join(f"<li>{html.escape(v['weekday'])} {html.escape(v['day'])}, {html.escape(v['from'])}-"
                     f"{html.escape(v['to'])}</li>" for v in st.visits) or "<li>none scheduled</li>"
    kiosks = "".join(f"<li>{html.escape(k['kiosk'] or '')}: last sync {html.escape(k['last_sync'] or 'never')}</li>"
                     for k in st.kiosks) or "<li>none</li>"
    body = (f'<p><a href="{html.escape(back)}">All campuses</a> - updated {now.isoformat(timespec="minutes")}</p>'
            f"<h2>Open requests: {st.open_total}</h2><table><tr><th>Category</th>{head}</tr>{cat_rows}</table>"
            f"<h2>Being worked on</h2><ul>{work}</ul><h2>Next technician visits</h2><ul>{visits}</ul>"
            f"<h2>Kiosks</h2><ul>{kiosks}</ul>")
    return _page(f"{st.name}: technology service status", body)


def _db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def _campus(session: Session, code: str) -> Campus:
    campus = session.scalars(select(Campus).where(func.upper(Campus.code) == code.upper())).one_or_none()
    if campus is None:
        raise HTTPException(status_code=404, detail="no such campus")
    return campus


@router.get("/status", response_class=HTMLResponse)
def status_index(request: Request) -> HTMLResponse:
    db = _db(request)
    with db.unit() as ctx:
        return HTMLResponse(index_html(ctx.session, ctx.clock.now()))


@router.get("/status/{code}.json")
def status_campus_json(code: str, request: Request) -> JSONResponse:
    db = _db(request)
    with db.unit() as ctx:
        return JSONResponse(campus_status(ctx.session, _campus(ctx.session, code), ctx.clock.now()).as_dict())


@router.get("/status/{code}", response_class=HTMLResponse)
def status_campus(code: str, request: Request) -> HTMLResponse:
    db = _db(request)
    with db.unit() as ctx:
        now = ctx.clock.now()
        return HTMLResponse(campus_html(campus_status(ctx.session, _campus(ctx.session, code), now), now))


def export_static(db: Database, directory: Path) -> list[Path]:
    """Write ``index.html`` and one ``<CODE>.html`` per campus, linked relatively, for a static website."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    with db.unit() as ctx:
        now = ctx.clock.now()
        index = directory / "index.html"
        index.write_text(index_html(ctx.session, now, link="{code}.html"), encoding="utf-8")
        written.append(index)
        for campus in _campuses(ctx.session):
            path = directory / f"{campus.code}.html"
            path.write_text(campus_html(campus_status(ctx.session, campus, now), now, back="index.html"),
                            encoding="utf-8")
            written.append(path)
    return written
