"""Technician sign-in: password or badge + PIN, lockout after five failures per account and per kiosk."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kiosk.domain import auth, seed
from kiosk.domain.clock import FakeClock
from kiosk.domain.db import Actor, Database
from kiosk.domain.models import AuditLogEntry


@pytest.fixture
def district(db: Database) -> Database:
    seed.seed(db, seed.SeedOptions(devices=10, tickets=0))
    return db


def _try(db: Database, username: str, password: str) -> auth.SignInResult:
    with db.unit(Actor(label="kiosk")) as ctx:
        return auth.sign_in(ctx, username, password)


def test_password_and_badge_sign_in(district: Database) -> None:
    assert _try(district, "MLopez", seed.DEMO_PASSWORD).ok
    with district.unit() as ctx:
        assert auth.sign_in_badge(ctx, "BADGE1001", seed.DEMO_PIN).ok
        assert not auth.sign_in_badge(ctx, "BADGE1001", "0000").ok
        assert not auth.sign_in_badge(ctx, "NOBADGE", seed.DEMO_PIN).ok


def test_five_failures_lock_the_account_for_five_minutes(district: Database, clock: FakeClock) -> None:
    for _ in range(4):
        r = _try(district, "mlopez", "guess")
        assert not r.ok and r.locked_until is None
    r = _try(district, "mlopez", "guess")
    assert not r.ok and r.locked_until is not None and "locked" in r.message
    # even the right password is refused while locked
    r = _try(district, "mlopez", seed.DEMO_PASSWORD)
    assert not r.ok and "locked" in r.message
    clock.advance(minutes=5, seconds=1)
    assert _try(district, "mlopez", seed.DEMO_PASSWORD).ok
    with district.unit() as ctx:
        actions = [e.action for e in ctx.session.scalars(select(AuditLogEntry).order_by(AuditLogEntry.at))]
    assert actions.count("staff.sign_in_failed") == 5
    assert "staff.sign_in_refused_locked" in actions and actions[-1] == "staff.sign_in"


def test_the_kiosk_locks_when_many_accounts_are_tried(district: Database, clock: FakeClock) -> None:
    for name in ("nobody1", "nobody2", "nobody3", "nobody4", "nobody5"):
        _try(district, name, "x")
        clock.advance(seconds=10)
    r = _try(district, "jcarter", seed.DEMO_PASSWORD)
    assert not r.ok and "This kiosk is locked" in r.message
    clock.advance(minutes=5)
    assert _try(district, "jcarter", seed.DEMO_PASSWORD).ok


def test_failures_spread_out_in_time_do_not_lock(district: Database, clock: FakeClock) -> None:
    for _ in range(8):
        _try(district, "mlopez", "typo")
        clock.advance(minutes=2)
    assert _try(district, "mlopez", seed.DEMO_PASSWORD).ok
