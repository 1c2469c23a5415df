"""Fixtures for sync tests: a seeded district on PostgreSQL and its server process."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from kiosk.domain import schema, seed
from kiosk.domain.db import Database
from tests.sync.harness import ServerProcess


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
