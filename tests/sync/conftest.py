"""Fixtures for sync tests: a seeded district on PostgreSQL and its server process."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kiosk.domain import schema, seed
from kiosk.domain.db import Database
from kiosk.server import auth
from kiosk.server.app import create_app
from kiosk.sync import local
from kiosk.sync.client import Syncer
from kiosk.sync.config import KioskConfig
from tests.sync.harness import ServerProcess, signed_in_at


@dataclass
class District:
    db: Database
    url: str
    campus: str
    other_campus: str
    tags: list[str]


def seeded(url: str, devices: int = 80, tickets: int = 40) -> District:
    db = Database(url)
    schema.upgrade(db.engine)
    summary = seed.seed(db, seed.SeedOptions(devices=devices, tickets=tickets, hash_passwords=False))
    from sqlalchemy import select

    from kiosk.domain.models import Campus, Device

    with db.unit() as ctx:
        codes = list(ctx.session.scalars(select(Campus.code).order_by(Campus.code)))
        demo = summary.demo_campus
        demo_id = ctx.session.scalars(select(Campus.id).where(Campus.code == demo)).one()
        tags = list(ctx.session.scalars(select(Device.asset_tag).where(Device.campus_id == demo_id)
                                        .order_by(Device.asset_tag)))
    other = next(c for c in codes if c != demo)
    return District(db, url, demo, other, tags)


@pytest.fixture
def district(pg_url: str) -> Iterator[District]:
    d = seeded(pg_url)
    try:
        yield d
    finally:
        d.db.dispose()


@pytest.fixture
def server(district: District, tmp_path: Path) -> Iterator[ServerProcess]:
    proc = ServerProcess(district.url, log=tmp_path / "server.log").start()
    try:
        yield proc
    finally:
        proc.stop()


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[Database, Database, Syncer, TestClient]]:
    server = Database(f"sqlite:///{tmp_path / 'server.sqlite3'}")
    schema.upgrade(server.engine)
    summary = seed.seed(server, seed.SeedOptions(devices=20, tickets=4, campuses=1, hash_passwords=False))
    client = TestClient(create_app(server))
    code, _, _ = auth.create_enrollment_code(server, summary.demo_campus)
    with server.engine.begin() as conn:
        got = auth.enroll(conn, code, "front desk", server.clock.now())
    cfg = KioskConfig("http://testserver", got.token, got.kiosk_id, got.campus_id, "front desk")
    signed_in_at(server, got.kiosk_id)
    kiosk = Database(f"sqlite:///{tmp_path / 'kiosk.sqlite3'}")
    schema.upgrade(kiosk.engine)
    local.enroll_node(kiosk, cfg.kiosk_id, cfg.campus_id)
    syncer = Syncer(kiosk, cfg, client=client)
    syncer.sync_once()
    try:
        yield server, kiosk, syncer, client
    finally:
        syncer.close()
        kiosk.dispose()
        server.dispose()
