"""Two kiosks lend the same loaner while offline: the first check-out wins everywhere and the second kiosk is told.

In-process district service (the same apply and pull code as the real service) on SQLite and on PostgreSQL, two
enrolled kiosks on SQLite.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from kiosk.domain import devices, loaners, schema, seed
from kiosk.domain.db import Actor, Database
from kiosk.domain.models import Device, Loan, StaffUser, SyncOutbox
from kiosk.server import auth
from kiosk.server.app import create_app
from kiosk.sync import local
from kiosk.sync.client import Syncer
from kiosk.sync.config import KioskConfig
from tests.sync.harness import signed_in_at


def _kiosk(server: Database, client: TestClient, campus: str, path: Path, name: str) -> tuple[Database, Syncer]:
    code, _, _ = auth.create_enrollment_code(server, campus)
    with server.engine.begin() as conn:
        got = auth.enroll(conn, code, name, server.clock.now())
    cfg = KioskConfig("http://testserver", got.token, got.kiosk_id, got.campus_id, name)
    db = Database(f"sqlite:///{path}")
    schema.upgrade(db.engine)
    local.enroll_node(db, cfg.kiosk_id, cfg.campus_id)
    signed_in_at(server, cfg.kiosk_id)  # as /v1/signin records it: the service takes work from staff signed in there
    syncer = Syncer(db, cfg, client=client)
    syncer.sync_once()
    return db, syncer


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def district(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Database, list[tuple[Database, Syncer]], str]]:
    url = f"sqlite:///{tmp_path / 'server.sqlite3'}" if request.param == "sqlite" else str(
        request.getfixturevalue("pg_url"))
    server = Database(url)
    schema.upgrade(server.engine)
    summary = seed.seed(server, seed.SeedOptions(devices=20, tickets=4, campuses=2, hash_passwords=False))
    with server.unit() as ctx:
        tag = ctx.session.scalars(select(Device.asset_tag).join(Device.campus).where(
            Device.campus.has(code=summary.demo_campus)).order_by(Device.asset_tag.desc())).first()
        assert tag is not None
        devices.set_fields(ctx, tag, {"status": "loaner"}, reason="loaner pool")
    client = TestClient(create_app(server))
    kiosks = [_kiosk(server, client, summary.demo_campus, tmp_path / f"k{i}.sqlite3", name)
              for i, name in enumerate(("front desk", "library"))]
    try:
        yield server, kiosks, tag
    finally:
        for db, syncer in kiosks:
            syncer.close()
            db.dispose()
        server.dispose()


def _tech(db: Database) -> object:
    with db.unit() as ctx:
        return ctx.session.scalars(select(StaffUser.id).where(StaffUser.role == "technician")
                                   .order_by(StaffUser.username)).first()


def test_two_kiosks_lend_the_same_loaner_offline_the_first_wins_and_the_second_is_told(
        district: tuple[Database, list[tuple[Database, Syncer]], str]) -> None:
    server, [(a, sync_a), (b, sync_b)], tag = district
    tech = _tech(a)
    # both offline: each kiosk sees the loaner available and lends it
    with a.unit(Actor(staff_id=tech, kiosk_id=sync_a.config.kiosk_id)) as ctx:
        first = loaners.check_out(ctx, loaner_tag=tag, reporter="204511")
    time.sleep(0.01)  # B lends a moment later
    with b.unit(Actor(staff_id=tech, kiosk_id=sync_b.config.kiosk_id)) as ctx:
        second = loaners.check_out(ctx, loaner_tag=tag, reporter="300777")
    assert first.out_at < second.out_at

    # the later check-out reaches the service first: arrival order does not decide, check-out order does
    for syncer in (sync_b, sync_a, sync_b, sync_a):
        report = syncer.sync_once()
        assert report.rejected == 0, [r.reason for r in local.refused_changes(syncer.db)]
    for db in (server, a, b):
        with db.unit() as ctx:
            now = ctx.clock.now()
            assert len(list(ctx.session.scalars(select(Loan)))) == 2
            views = {v.reporter: v for v in loaners.list_loans(ctx.session, now)}
            assert views["204511"].state == "out"
            assert views["300777"].state == "void"
            assert views["300777"].beaten_by is not None and views["300777"].beaten_by.startswith(
                "to 204511 at front desk")
            pool = [p for p in loaners.pool(ctx.session, now) if p.loaners]
            assert [(p.out, p.conflicts) for p in pool if p.out] == [(1, 1)]
    # the second kiosk is told (its technician home lists the conflict), the first is not
    with b.unit() as ctx:
        told = loaners.conflicts_for(ctx.session, ctx.clock.now(), kiosk_id=sync_b.config.kiosk_id)
        assert [v.reporter for v in told] == ["300777"]
    with a.unit() as ctx:
        assert loaners.conflicts_for(ctx.session, ctx.clock.now(), kiosk_id=sync_a.config.kiosk_id) == []
    # B's technician settles it (gives the student another loaner); it syncs and leaves every list
    with b.unit(Actor(staff_id=tech, kiosk_id=sync_b.config.kiosk_id)) as ctx:
        loaners.settle(ctx, told[0].id)
    sync_b.sync_once()
    sync_a.sync_once()
    for db in (server, a, b):
        with db.unit() as ctx:
            assert [v.reporter for v in loaners.list_loans(ctx.session, ctx.clock.now())] == ["204511"]


def test_a_kiosk_cannot_push_a_loan_of_another_campus_loaner(
        district: tuple[Database, list[tuple[Database, Syncer]], str]) -> None:
    server, [(a, sync_a), _], tag = district
    with server.unit() as ctx:  # a loaner of the other campus
        other = ctx.session.scalars(select(Device).where(Device.campus_id != sync_a.config.campus_id)
                                    .order_by(Device.asset_tag)).first()
        assert other is not None
        other_id = other.id
    with a.unit(Actor(staff_id=_tech(a), kiosk_id=sync_a.config.kiosk_id)) as ctx:
        loaners.check_out(ctx, loaner_tag=tag, reporter="204511")
    with a.engine.begin() as conn:  # a hostile kiosk rewrites its outbox to lend another campus's device
        for row in conn.execute(select(SyncOutbox).where(SyncOutbox.table_name == "loans")):
            data = dict(row.data)
            data["set"] = {**data["set"], "loaner_id": str(other_id)}
            conn.execute(update(SyncOutbox).where(SyncOutbox.seq == row.seq).values(data=data))
    sync_a.sync_once()
    assert local.rejected_count(a) == 1
    with a.engine.connect() as conn:
        reason = conn.execute(select(SyncOutbox.rejected_reason).where(SyncOutbox.table_name == "loans")).scalar()
    assert reason is not None and "loans.loaner_id names a devices row outside campus" in reason
    with server.unit() as ctx:
        assert list(ctx.session.scalars(select(Loan))) == []
