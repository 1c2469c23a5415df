"""Auto-close on an enrolled kiosk and the central job must not race: a resolved ticket whose waiting days are over
is closed once, with one survey and one invitation, however the kiosk's queue and the district's job interleave.

The district service closes them (its scheduled job); an enrolled kiosk's queue leaves the closing to it and
pulls the closure, so the two can never both write a close. In-process service (the same apply and pull code as
the real service), on SQLite and on PostgreSQL, one enrolled kiosk on SQLite, one fake clock for both.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from kiosk.domain import schema, seed, ticket_work, tickets
from kiosk.domain.clock import FakeClock
from kiosk.domain.db import Actor, Database
from kiosk.domain.models import (
    Campus,
    Device,
    EmailMessage,
    StaffUser,
    Survey,
    Ticket,
    TicketEvent,
    TicketEventKind,
    TicketStatus,
)
from kiosk.server import auth, jobs
from kiosk.server.app import create_app
from kiosk.sync import local
from kiosk.sync.client import Syncer
from kiosk.sync.config import KioskConfig
from tests.sync.harness import signed_in_at


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def district(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Database, Database, Syncer, str]]:
    clock = FakeClock(datetime(2026, 9, 14, 15, 0, tzinfo=UTC))  # a Monday, 10:00 in Chicago
    url = f"sqlite:///{tmp_path / 'server.sqlite3'}" if request.param == "sqlite" else str(
        request.getfixturevalue("pg_url"))
    server = Database(url, clock=clock)
    schema.upgrade(server.engine)
    summary = seed.seed(server, seed.SeedOptions(devices=20, tickets=0, campuses=2, hash_passwords=False))
    client = TestClient(create_app(server))
    code, _, _ = auth.create_enrollment_code(server, summary.demo_campus)
    with server.engine.begin() as conn:
        got = auth.enroll(conn, code, "front desk", clock.now())
    cfg = KioskConfig("http://testserver", got.token, got.kiosk_id, got.campus_id, "front desk")
    kiosk = Database(f"sqlite:///{tmp_path / 'kiosk.sqlite3'}", clock=clock)
    schema.upgrade(kiosk.engine)
    local.enroll_node(kiosk, cfg.kiosk_id, cfg.campus_id)
    signed_in_at(server, cfg.kiosk_id)
    syncer = Syncer(kiosk, cfg, client=client)
    try:
        yield server, kiosk, syncer, summary.demo_campus
    finally:
        syncer.close()
        kiosk.dispose()
        server.dispose()


def _closes(db: Database, number: str) -> tuple[int, int, int]:
    """(close events, surveys, survey emails) of the ticket."""
    with db.read() as ctx:
        s = ctx.session
        t = tickets.get_ticket(s, number)
        closes = s.scalar(select(func.count()).select_from(TicketEvent).where(
            TicketEvent.ticket_id == t.id, TicketEvent.kind == TicketEventKind.STATUS,
            TicketEvent.new_value == TicketStatus.CLOSED.value)) or 0
        surveys = s.scalar(select(func.count()).select_from(Survey).where(Survey.ticket_id == t.id)) or 0
        mails = s.scalar(select(func.count()).select_from(EmailMessage).where(
            EmailMessage.ticket_id == t.id, EmailMessage.kind == "ticket_resolved")) or 0
        return closes, surveys, mails


@pytest.mark.parametrize("kiosk_first", [True, False], ids=["kiosk-queue-first", "central-job-first"])
def test_a_ticket_past_its_waiting_days_is_closed_once_with_one_survey(
        district: tuple[Database, Database, Syncer, str], kiosk_first: bool) -> None:
    server, kiosk, syncer, campus = district
    with server.unit() as ctx:
        s = ctx.session
        tech = s.scalars(select(StaffUser.id).where(StaffUser.role == "technician")
                         .order_by(StaffUser.username)).first()
        tag = s.scalars(select(Device.asset_tag).join(Campus, Campus.id == Device.campus_id)
                        .where(Campus.code == campus).order_by(Device.asset_tag)).first()
        assert tag is not None
        number = tickets.create_ticket(ctx, category="screen", description="Cracked screen",
                                       reporter="ana.ruiz@demosprings.example.org", tag=tag).number
    with server.unit(Actor(staff_id=tech)) as ctx:
        ticket_work.resolve(ctx, number, "Replaced the panel")
    syncer.sync_once()  # the kiosk has the resolved ticket
    server.clock.advance(timedelta(days=10))  # type: ignore[attr-defined]  # the waiting days are over

    def kiosk_queue() -> tuple[str, ...]:  # a technician opens the queue on the kiosk, offline or not
        with kiosk.unit(Actor(staff_id=tech, kiosk_id=syncer.config.kiosk_id)) as ctx:
            return ticket_work.work_queue(ctx, ctx.session.scalars(select(Ticket.campus_id)).first(),
                                          "waiting").auto_closed

    if kiosk_first:
        assert kiosk_queue() == ()  # the kiosk leaves the closing to the district's job
        assert "closed 1 resolved tickets (1 surveys)" in jobs.auto_close(server, threading.Event())
    else:
        assert "closed 1 resolved tickets (1 surveys)" in jobs.auto_close(server, threading.Event())
        assert kiosk_queue() == ()  # before the kiosk has pulled the closure
    syncer.sync_once()
    syncer.sync_once()
    assert _closes(server, number) == (1, 1, 1)
    with server.read() as ctx:
        assert tickets.get_ticket(ctx.session, number).status is TicketStatus.CLOSED
    closes, surveys, _ = _closes(kiosk, number)  # the kiosk has the district's one close and its one survey
    assert (closes, surveys) == (1, 1)  # (pulled, so the reporter can answer it at the kiosk)
    with kiosk.read() as ctx:
        assert tickets.get_ticket(ctx.session, number).status is TicketStatus.CLOSED
