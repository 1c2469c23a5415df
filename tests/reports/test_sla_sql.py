"""The SQL SLA clock agrees with the Python reference clock on random ticket histories (holds, overrides, DST)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from kiosk.domain import seed
from kiosk.domain.db import Database
from kiosk.domain.models import (
    Campus,
    Channel,
    Priority,
    ServiceCategory,
    Ticket,
    TicketEvent,
    TicketEventKind,
    TicketStatus,
)
from kiosk.domain.reports.sla_sql import run_with_sla
from kiosk.domain.sla import load_calendar, ticket_history
from kiosk.domain.sla_clock import compute_ticket_sla

# Around the end of daylight saving time (Sunday 2026-11-01 in Chicago) and the Thanksgiving break.
BASE = datetime(2026, 10, 26, 12, 0, tzinfo=UTC)

TICKETS_SQL = """
SELECT id, opened_at, reporter_priority,
       COALESCE(CASE WHEN first_response_at IS NULL OR resolved_at < first_response_at THEN resolved_at
                     ELSE first_response_at END, :now) AS resp_stop,
       COALESCE(resolved_at, :now) AS res_stop
FROM tickets WHERE id = :id
"""
SELECT_SQL = "SELECT resp_ms, res_ms, resp_breached, res_breached, resp_target_ms, res_target_ms FROM sla"

minutes = st.integers(min_value=0, max_value=60 * 24 * 40)
history = st.fixed_dictionaries({
    "opened": minutes,
    "priority": st.sampled_from(list(Priority)),
    "steps": st.lists(st.tuples(st.sampled_from(["hold", "resume", "override", "respond"]),
                                st.integers(min_value=0, max_value=60 * 24 * 6),
                                st.sampled_from(list(Priority))), max_size=6),
    "resolve_after": st.one_of(st.none(), st.integers(min_value=0, max_value=60 * 24 * 20)),
    "now_after": st.integers(min_value=0, max_value=60 * 24 * 30),
})


@pytest.fixture
def district(db: Database) -> Database:
    seed.seed(db, seed.SeedOptions(devices=5, tickets=0, hash_passwords=False, as_of=db.clock.now().date()))
    return db


def _insert(db: Database, h: dict[str, object]) -> tuple[uuid.UUID, datetime]:
    """A ticket with the given history written as rows (the services would refuse some odd but legal orders)."""
    opened = BASE + timedelta(minutes=int(h["opened"]))  # type: ignore[call-overload]
    prio = h["priority"]
    assert isinstance(prio, Priority)
    with db.unit() as ctx:
        s = ctx.session
        campus = s.scalars(select(Campus)).first()
        cat = s.scalars(select(ServiceCategory)).first()
        assert campus is not None and cat is not None
        t = Ticket(number=f"T-{uuid.uuid4().hex[:10]}", campus_id=campus.id, category_id=cat.id, description="x",
                   reporter_priority=prio, priority=prio, status=TicketStatus.NEW, channel=Channel.KIOSK,
                   opened_at=opened, created_at=opened, updated_at=opened)
        s.add(t)
        s.flush()
        at = opened
        on_hold = False
        events = [TicketEvent(ticket_id=t.id, at=opened, kind=TicketEventKind.CREATED, new_value="new")]
        for kind, gap, new_prio in h["steps"]:  # type: ignore[attr-defined]
            at = at + timedelta(minutes=gap)
            if kind == "hold" and not on_hold:
                events.append(TicketEvent(ticket_id=t.id, at=at, kind=TicketEventKind.STATUS, new_value="on_hold"))
                on_hold = True
            elif kind == "resume" and on_hold:
                events.append(TicketEvent(ticket_id=t.id, at=at, kind=TicketEventKind.STATUS,
                                          new_value="in_progress"))
                on_hold = False
            elif kind == "override":
                events.append(TicketEvent(ticket_id=t.id, at=at, kind=TicketEventKind.PRIORITY,
                                          old_value=t.priority.value, new_value=new_prio.value))
                t.priority = t.override_priority = new_prio  # as tickets.override_priority does
            elif kind == "respond" and t.first_response_at is None:
                t.first_response_at = at
        if h["resolve_after"] is not None:
            at = at + timedelta(minutes=int(h["resolve_after"]))  # type: ignore[call-overload]
            t.resolved_at = at
            events.append(TicketEvent(ticket_id=t.id, at=at, kind=TicketEventKind.STATUS, new_value="resolved"))
        for e in events:
            e.created_at = e.updated_at = e.at
            s.add(e)
        now = at + timedelta(minutes=int(h["now_after"]))  # type: ignore[call-overload]
        return t.id, now


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(h=history)
def test_sql_clock_matches_the_python_clock(district: Database, h: dict[str, object]) -> None:
    tid, now = _insert(district, h)
    with district.unit() as ctx:
        s = ctx.session
        t = s.get(Ticket, tid)
        assert t is not None
        events = list(s.scalars(select(TicketEvent).where(TicketEvent.ticket_id == tid)))
        cal, targets = load_calendar(s)
        segments, holds = ticket_history(events, t)
        ref = compute_ticket_sla(cal, targets, created_at=t.opened_at, priorities=segments, holds=holds,
                                 first_response_at=t.first_response_at, resolved_at=t.resolved_at, now=now)
        rows = run_with_sla(s, cal, TICKETS_SQL, SELECT_SQL, {"id": tid, "now": now}, now)
    assert len(rows) == 1
    got = rows[0]
    assert int(got.resp_ms) == ref.response.elapsed // timedelta(milliseconds=1)
    assert int(got.res_ms) == ref.resolution.elapsed // timedelta(milliseconds=1)
    assert bool(got.resp_breached) == ref.response.breached
    assert bool(got.res_breached) == ref.resolution.breached
    assert int(got.resp_target_ms) == ref.response.target // timedelta(milliseconds=1)
    assert int(got.res_target_ms) == ref.resolution.target // timedelta(milliseconds=1)
