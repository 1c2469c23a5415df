"""Property: the weekly report's medians, SLA met %, averages and ranks equal a plain Python computation."""

from __future__ import annotations

import statistics
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from kiosk.domain import seed
from kiosk.domain.db import Database
from kiosk.domain.models import (
    Campus,
    Channel,
    Priority,
    ServiceCategory,
    StaffRole,
    StaffUser,
    Survey,
    Ticket,
    TicketEvent,
    TicketStatus,
)
from kiosk.domain.reports import weekly
from kiosk.domain.reports.base import Period, district_tz

# Tuesday 15 September 2026, 07:30 in Chicago: every ticket opens and closes that business day (07:30-16:30),
# so its business time is its wall-clock time. Durations are multiples of 6 minutes (0.1 h).
DAY_START = datetime(2026, 9, 15, 12, 30, tzinfo=UTC)

ticket = st.tuples(st.integers(0, 2),                 # technician
                   st.integers(0, 40),                # first response, in 6-minute steps
                   st.integers(0, 40),                # then resolution after the response, in 6-minute steps
                   st.sampled_from(["P1", "P2", "P3"]),
                   st.one_of(st.none(), st.integers(1, 5)))  # survey's overall rating, if answered


@pytest.fixture
def district(db: Database) -> Database:
    seed.seed(db, seed.SeedOptions(devices=5, tickets=0, hash_passwords=False, as_of=date(2026, 9, 14)))
    return db


def _competition_ranks(averages: dict[str, Fraction]) -> dict[str, int]:
    return {k: 1 + sum(1 for other in averages.values() if other > v) for k, v in averages.items()}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(ticket, min_size=1, max_size=14))
def test_weekly_figures_equal_a_python_computation(district: Database, rows: list[tuple]) -> None:  # type: ignore[type-arg]
    targets = {"P1": (30, 240), "P2": (120, 1080), "P3": (480, 2700)}
    with district.unit() as ctx:
        s = ctx.session
        for table in (Survey, TicketEvent, Ticket):
            s.execute(delete(table))
        campus = s.scalars(select(Campus)).first()
        cat = s.scalars(select(ServiceCategory)).first()
        techs = list(s.scalars(select(StaffUser).where(StaffUser.role == StaffRole.TECHNICIAN)
                               .order_by(StaffUser.username)))[:3]
        assert campus is not None and cat is not None and len(techs) == 3
        for i, (tech, resp, res, prio, overall) in enumerate(rows):
            opened = DAY_START + timedelta(minutes=i)
            first = opened + timedelta(minutes=6 * resp)
            resolved = first + timedelta(minutes=6 * res)
            t = Ticket(number=f"P-{i:04d}", campus_id=campus.id, category_id=cat.id, description="x",
                       reporter_priority=Priority(prio), priority=Priority(prio), status=TicketStatus.CLOSED,
                       channel=Channel.KIOSK, assignee_id=techs[tech].id, opened_at=opened, created_at=opened,
                       updated_at=opened, first_response_at=first, resolved_at=resolved, closed_at=resolved)
            s.add(t)
            s.flush()
            if overall is not None:
                s.add(Survey(ticket_id=t.id, technician_id=techs[tech].id, invited_at=resolved,
                             submitted_at=resolved + timedelta(hours=1), solved=overall > 2, overall=overall))
        names = [u.username for u in techs]
    with district.unit() as ctx:
        period = Period.iso_week(district_tz(ctx.session), "2026-W38")
        report = weekly.build(ctx.session, period, None, DAY_START + timedelta(days=3))
    got = {r["technician"]: r for r in report.page("summary").tables[0].as_dicts()}

    averages = {}
    for k, name in enumerate(names):
        mine = [r for r in rows if r[0] == k]
        rated = [r[4] for r in mine if r[4] is not None]
        if rated:
            averages[name] = Fraction(sum(rated), len(rated))
    ranks = _competition_ranks(averages)
    for k, name in enumerate(names):
        mine = [r for r in rows if r[0] == k]
        row = got[name]
        assert row["closed"] == len(mine)
        if not mine:
            assert row["median_first_response_hours"] is None and row["sla_met_pct"] is None
        else:
            resp = [6 * r[1] for r in mine]
            res = [6 * (r[1] + r[2]) for r in mine]
            assert row["median_first_response_hours"] == round(statistics.median(resp) / 60, 2)
            assert row["median_resolution_hours"] == round(statistics.median(res) / 60, 2)
            met = [a <= targets[r[3]][0] and b <= targets[r[3]][1] for r, a, b in zip(mine, resp, res, strict=True)]
            assert row["sla_met_pct"] == round(100 * sum(met) / len(met), 1)
        rated = [r[4] for r in mine if r[4] is not None]
        assert row["surveys"] == len(rated)
        assert row["average_rating"] == (round(sum(rated) / len(rated), 2) if rated else None)
        assert row["rank"] == ranks.get(name)
