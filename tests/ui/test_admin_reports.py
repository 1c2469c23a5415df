"""The admin report screen: an admin picks a report, campus and period, reads its tables and charts, exports it."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.domain import reports
from kiosk.domain.errors import PermissionDenied
from kiosk.domain.models import Campus, StaffUser
from kiosk.domain.reports.render import cell_text
from kiosk.ui.tech.reports_screen import ReportsScreen

from .conftest import Kiosk
from .test_technician import sign_in


def open_reports(k: Kiosk) -> ReportsScreen:
    sign_in(k, "admin")
    home = k.flow.tech.home
    assert home.reports_button.isVisible()
    home.reports_button.click()
    k.wait_for(k.flow.tech.reports)
    return k.flow.tech.reports


def show(k: Kiosk, screen: ReportsScreen, name: str) -> None:
    screen.which.setCurrentIndex(screen.which.findData(name))
    screen.go.click()
    # the screen is busy until the worker answers, and never waits for it
    assert screen.progress.isVisibleTo(screen) and not screen.go.isEnabled()
    k.qtbot.waitUntil(lambda: screen.go.isEnabled(), timeout=30_000)
    assert not screen.error_label.isVisible(), screen.error_label.text()
    assert screen.report is not None and screen.report.name == name


def test_an_admin_reads_the_objectives_report_with_its_charts(kiosk: Kiosk) -> None:
    k = kiosk
    screen = open_reports(k)
    assert [screen.which.itemData(i) for i in range(screen.which.count())] == list(reports.REPORTS)
    show(k, screen, "objectives")
    assert screen.period.currentWidget() is not screen.week  # a from/to period, not a week
    with k.db.unit() as ctx:
        expected = reports.generate(ctx.session, "objectives", now=ctx.clock.now(),
                                    first=screen.report.period.first if screen.report.period else None,
                                    last=screen.report.period.last if screen.report.period else None)
    page = expected.pages[0]
    months = next(t for t in page.tables if t.rows)
    model = next(m for m in screen.models if m.key == months.key)
    assert model.rowCount() == len(months.rows) > 0
    for r in range(model.rowCount()):
        assert [model.data(model.index(r, c)) for c in range(model.columnCount())] == \
            [cell_text(v) for v in months.rows[r]]
    assert screen.tables.count() == len(page.tables)
    # one drawing per chart of the page, from the same Chart objects as the HTML and PDF
    assert [c.chart.key for c in screen.charts] == [c.key for c in page.charts] and screen.charts
    assert all(c.valid and c.isVisibleTo(screen) for c in screen.charts)
    assert screen.charts_area.isVisibleTo(screen)


def test_the_weekly_report_takes_a_week_and_a_campus_and_has_a_page_per_technician(kiosk: Kiosk) -> None:
    k = kiosk
    screen = open_reports(k)
    screen.which.setCurrentIndex(screen.which.findData("weekly"))
    assert screen.period.currentWidget() is screen.week
    assert screen.week.currentData() == "2026-W37"  # the last complete week before Monday 2026-09-14
    with k.db.unit() as ctx:
        code = ctx.session.scalars(select(Campus.code).order_by(Campus.name)).first()
    screen.campus.setCurrentIndex(screen.campus.findData(code))
    screen.week.setCurrentIndex(screen.week.findData("2026-W36"))
    show(k, screen, "weekly")
    r = screen.report
    assert r is not None and r.campus == code and r.period is not None and r.period.label == "2026-W36"
    assert "2026-W36" in screen.summary.text() and code in screen.summary.text()
    assert screen.page.count() == len(r.pages) and screen.page.count() >= 1
    summary_rows = sum(len(t.rows) for t in r.pages[0].tables)
    assert sum(m.rowCount() for m in screen.models) == summary_rows
    if len(r.pages) > 1:
        screen.page.setCurrentIndex(1)
        assert [m.key for m in screen.models] == [t.key for t in r.pages[1].tables]
    # a period that ends before it starts is refused with a message, and the screen is usable again
    screen.which.setCurrentIndex(screen.which.findData("service"))
    screen.first.setDate(screen.last.date().addDays(3))
    screen.last.setDate(screen.first.date().addDays(-3))
    screen.go.click()
    k.qtbot.waitUntil(lambda: screen.error_label.isVisible(), timeout=10_000)
    assert "before it starts" in screen.error_label.text()
    assert screen.go.isEnabled() and not screen.progress.isVisibleTo(screen)


def test_export_writes_the_report_through_the_same_renderers_as_the_command(kiosk: Kiosk, tmp_path: Path) -> None:
    k = kiosk
    screen = open_reports(k)
    assert not screen.export_buttons["html"].isEnabled()  # nothing to export before a report is shown
    show(k, screen, "backlog")
    asked: list[str] = []
    out = tmp_path / "exports"
    out.mkdir()

    def choose(title: str, suggested: str, filters: str) -> str:
        asked.append(suggested)
        return str(out / Path(suggested).name)

    screen.choose_path = choose
    for fmt in ("html", "csv", "pdf"):
        screen.export_buttons[fmt].click()
        k.qtbot.waitUntil(lambda: screen.go.isEnabled(), timeout=30_000)
        assert not screen.error_label.isVisible(), screen.error_label.text()
    files = {p.suffix: p for p in out.iterdir()}
    assert set(files) == {".html", ".csv", ".pdf"} and all(Path(a).name.startswith("backlog-") for a in asked)
    html = files[".html"].read_text(encoding="utf-8")
    assert "<svg" in html and "Backlog" in html  # the chart goes along
    assert files[".csv"].read_text(encoding="utf-8").startswith("# ")
    assert files[".pdf"].read_bytes().startswith(b"%PDF")
    assert "Saved" in screen.summary.text() and str(files[".pdf"]) in screen.summary.text()
    # a folder that does not exist: a clear message, no file, the screen still works
    screen.choose_path = lambda *_: str(tmp_path / "no-such-folder" / "backlog.csv")
    screen.export_buttons["csv"].click()
    k.qtbot.waitUntil(lambda: screen.error_label.isVisible(), timeout=10_000)
    assert "Could not write" in screen.error_label.text()
    assert screen.export_buttons["csv"].isEnabled() and not (tmp_path / "no-such-folder").exists()
    # cancelling the dialog writes nothing
    screen.choose_path = lambda *_: ""
    screen.export_buttons["html"].click()
    assert k.flow.runner.pending == 0


def test_a_technician_who_is_not_an_admin_has_no_reports(kiosk: Kiosk) -> None:
    k = kiosk
    sign_in(k, "mlopez")
    home = k.flow.tech.home
    assert home.isVisible() and not home.reports_button.isVisible()
    k.flow.tech.admin_reports.open()  # even when reached some other way
    k.idle_workers()
    assert k.window.current is home and "admins" in home.error_label.text()
    with k.db.unit() as ctx:
        tech = ctx.session.scalars(select(StaffUser.id).where(StaffUser.username == "mlopez")).one()
        admin = ctx.session.scalars(select(StaffUser.id).where(StaffUser.username == "admin")).one()
        with pytest.raises(PermissionDenied):
            reports.require_admin(ctx.session, tech)
        reports.require_admin(ctx.session, admin)


def test_signing_out_and_in_as_a_technician_hides_the_admin_button(kiosk: Kiosk) -> None:
    k = kiosk
    open_reports(k)
    k.flow.tech.reports.home_requested.emit()
    k.wait_for(k.flow.tech.home)
    k.flow.tech.home.sign_out_button.click()
    k.wait_for(k.flow.home)
    sign_in(k, "mlopez")
    assert not k.flow.tech.home.reports_button.isVisible()
