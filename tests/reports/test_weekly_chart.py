"""The weekly report's chart: each technician's SLA met % and average rating, one point each, on the summary page.

The figures are the fixture week's (test_fixture_week.py worked them out by hand): A (mlopez) 75 % and 3.25,
B (jcarter) 50 % and 4.0, C (akhan) 100 % and 4.0; the unassigned row has no rating and is not drawn.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kiosk.domain.db import Database
from kiosk.domain.models import Campus
from kiosk.domain.reports import charts, weekly
from kiosk.domain.reports.base import Period, district_tz
from kiosk.domain.reports.render import to_html
from tests.reports.fixture_week import Week, build


@pytest.fixture
def week(db: Database) -> Week:
    return build(db)


def test_the_summary_page_charts_each_technicians_sla_met_and_rating(week: Week) -> None:
    with week.db.unit() as ctx:
        period = Period.iso_week(district_tz(ctx.session), "2026-W38")
        report = weekly.build(ctx.session, period, None, week.clock.now())
    summary = report.page("summary")
    assert [c.key for c in summary.charts] == ["sla_and_rating"]
    chart = summary.charts[0]
    assert chart.kind == "scatter"
    points = dict(zip(chart.labels, zip(*chart.series.values(), strict=True), strict=True))
    assert points == {"mlopez": (75.0, 3.25), "jcarter": (50.0, 4.0), "akhan": (100.0, 4.0)}
    assert all(not p.charts for p in report.pages[1:])  # one chart for the week, not one per technician page
    svg = charts.render(chart, "svg").decode()
    assert "<svg" in svg and "mlopez" in svg and "median" in svg
    assert charts.render(chart, "png").startswith(b"\x89PNG")
    assert to_html(report).count("<svg") == 1


def test_a_week_without_rated_technicians_has_no_chart(week: Week) -> None:
    with week.db.unit() as ctx:
        other = ctx.session.scalars(select(Campus).where(Campus.code != week.campus)).first()
        period = Period.iso_week(district_tz(ctx.session), "2026-W38")
        report = weekly.build(ctx.session, period, other, week.clock.now())
    assert report.page("summary").charts == []
