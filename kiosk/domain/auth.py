"""Staff sign-in: username and password or badge and PIN, checked against argon2id hashes."""

from __future__ import annotations

from sqlalchemy import func, select

from kiosk.domain import audit_log
from kiosk.domain.db import Ctx
from kiosk.domain.models import StaffUser
from kiosk.domain.passwords import verify_secret


def authenticate(ctx: Ctx, username: str, password: str) -> StaffUser | None:
    """The staff member, or None; both outcomes go to the audit log (commit the unit either way)."""
    user = ctx.session.scalars(
        select(StaffUser).where(func.lower(StaffUser.username) == username.strip().lower())
    ).one_or_none()
    ok = user is not None and user.active and verify_secret(user.password_hash, password)
    audit_log.record(ctx, "staff.sign_in" if ok else "staff.sign_in_failed", "staff",
                     user.id if user else None, username=username.strip()[:64])
    return user if ok else None


def authenticate_badge(ctx: Ctx, badge: str, pin: str) -> StaffUser | None:
    user = ctx.session.scalars(select(StaffUser).where(StaffUser.badge_code == badge.strip())).one_or_none()
    ok = user is not None and user.active and verify_secret(user.pin_hash, pin)
    audit_log.record(ctx, "staff.sign_in" if ok else "staff.sign_in_failed", "staff",
                     user.id if user else None, badge=badge.strip()[:64])
    return user if ok else None
