"""Technician sign-in: password or badge + PIN, lockout after five failures per account and per kiosk."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

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


def test_an_admin_unlocks_a_locked_account_at_once(district: Database) -> None:
    from kiosk.domain.errors import PermissionDenied
    from kiosk.domain.models import StaffRole, StaffUser

    for _ in range(5):
        _try(district, "mlopez", "guess")
    assert "locked" in _try(district, "mlopez", seed.DEMO_PASSWORD).message
    with district.unit() as ctx:
        target = ctx.session.scalars(select(StaffUser.id).where(func.lower(StaffUser.username) == "mlopez")).one()
        tech = ctx.session.scalars(select(StaffUser.id).where(StaffUser.role != StaffRole.ADMIN,
                                                             StaffUser.id != target)).first()
        admin = ctx.session.scalars(select(StaffUser.id).where(StaffUser.role == StaffRole.ADMIN)).first()
    with pytest.raises(PermissionDenied), district.unit(Actor(staff_id=tech)) as ctx:
        auth.unlock(ctx, target)
    with district.unit(Actor(staff_id=admin)) as ctx:
        assert auth.unlock(ctx, target) is True
        assert auth.lock_state(ctx, target) is None
    assert _try(district, "mlopez", seed.DEMO_PASSWORD).ok


def test_audit_rows_a_kiosk_pushed_neither_lock_an_account_nor_reset_its_count(district: Database,
                                                                               clock: FakeClock) -> None:
    from datetime import timedelta

    from kiosk.domain.models import StaffUser

    with district.unit() as ctx:
        target = ctx.session.scalars(select(StaffUser.id).where(func.lower(StaffUser.username) == "mlopez")).one()
        for _ in range(5):  # forged failures, as a push lands them (marked by the service)
            ctx.session.add(AuditLogEntry(at=clock.now() - timedelta(seconds=1), action=auth.FAILED,
                                          entity="staff", entity_id=str(target), detail={"via": auth.PUSHED_VIA}))
    assert _try(district, "mlopez", seed.DEMO_PASSWORD).ok
    clock.advance(seconds=1)
    for _ in range(4):
        _try(district, "mlopez", "guess")
    with district.unit() as ctx:  # a forged success after four guesses does not reset the count
        ctx.session.add(AuditLogEntry(at=clock.now(), action=auth.SUCCEEDED, entity="staff",
                                      entity_id=str(target), detail={"via": auth.PUSHED_VIA}))
    assert _try(district, "mlopez", "guess").locked_until is not None
