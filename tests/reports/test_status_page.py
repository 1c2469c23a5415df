"""The public status page: served by the central service, counts only, no personal data; static export."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from kiosk.domain.db import Database
from kiosk.domain.models import Campus, Kiosk, Reporter, StaffUser, Ticket
from kiosk.server.status_page import export_static
from kiosk.server.status_page import router as status_router
from tests.reports.fixture_week import Week, at, build


@pytest.fixture
def week(db: Database) -> Week:
    w = build(db)
    with db.unit() as ctx:
        campus = ctx.session.scalars(select(Campus).where(Campus.code == w.campus)).one()
        ctx.session.add(Kiosk(campus_id=campus.id, name="Library kiosk", last_sync_at=at("Mon+ 09:55")))
    return w


def _client(db: Database) -> TestClient:
    app = FastAPI()
    app.state.db = db
    app.include_router(status_router)
    return TestClient(app)


def _personal_strings(db: Database) -> list[str]:
    with db.unit() as ctx:
        s = ctx.session
        words: list[str] = []
        for u in s.scalars(select(StaffUser)):
            words += [u.first_name, u.last_name, u.username]
        for r in s.scalars(select(Reporter)):
            words += [w for w in (r.id_number, r.email) if w]
        for t in s.scalars(select(Ticket)):
            words += [t.description, t.number]
        return words


def test_the_campus_page_shows_counts_and_no_personal_data(week: Week) -> None:
    client = _client(week.db)
    index = client.get("/status")
    assert index.status_code == 200 and f'href="/status/{week.campus}"' in index.text
    page = client.get(f"/status/{week.campus}")
    assert page.status_code == 200
    data = client.get(f"/status/{week.campus.lower()}.json").json()
    # Monday 21 10:00: T17 is 2 hours old, T15 2 days 18 h; T18, T16 and T13 are 3 to 7 days old. None is in
    # progress (T16 is on hold, T13 reopened, the rest new).
    assert data["open"] == 5
    assert data["by_category"] == [{"category": "App or website not working", "under 1 day": 1, "1-3 days": 1,
                                    "3-7 days": 3, "1-2 weeks": 0, "over 2 weeks": 0}]
    assert data["in_progress"] == []
    assert data["kiosks"] == [{"kiosk": "Library kiosk", "last_sync": "2026-09-21T14:55+00:00"}]
    assert data["next_visits"] and set(data["next_visits"][0]) == {"day", "weekday", "from", "to"}
    for text in (index.text, page.text, str(data)):
        leaked = [w for w in _personal_strings(week.db) if w and w in text]
        assert leaked == []
    assert client.get("/status/NOPE").status_code == 404


def test_the_status_pages_export_as_static_html(week: Week, tmp_path: Path) -> None:
    files = export_static(week.db, tmp_path / "site")
    names = sorted(p.name for p in files)
    with week.db.unit() as ctx:
        codes = sorted(f"{c}.html" for c in ctx.session.scalars(select(Campus.code)))
    assert names == sorted(["index.html", *codes])
    campus_page = (tmp_path / "site" / f"{week.campus}.html").read_text()
    assert "Open requests: 5" in campus_page and 'href="index.html"' in campus_page
    leaked = [w for w in _personal_strings(week.db) if w and w in campus_page]
    assert leaked == []
