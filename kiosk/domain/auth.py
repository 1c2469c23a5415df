"""Staff sign-in: username and password or badge and PIN (argon2id), with lockout after repeated failures.

Lockout: after ``MAX_FAILURES`` failed attempts within ``LOCK_MINUTES`` (counted since the last successful
sign-in), the account is locked for ``LOCK_MINUTES`` from the last failure; the same holds per kiosk, so a
kiosk being tried against many accounts locks too. Attempts are read from the append-only audit log, which
records every sign-in, failure and refusal: who, when, and from which kiosk. Only entries this database made
itself count (``detail.via`` is not ``PUSHED_VIA``): an audit row a kiosk pushed can neither lock an account
nor reset its count. ``unlock`` (an admin's) ends a lock at once.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from kiosk.domain import audit_log
from kiosk.domain.db import Ctx
from kiosk.domain.errors import NotFound, PermissionDenied
from kiosk.domain.models import AuditLogEntry, StaffRole, StaffUser
from kiosk.domain.passwords import burn_time, verify_secret

MAX_FAILURES = 5
LOCK_MINUTES = 5
FAILED = "staff.sign_in_failed"
SUCCEEDED = "staff.sign_in"
UNLOCKED = "staff.unlocked"
PUSHED_VIA = "pushed by a kiosk"  # the service writes this into every audit row a kiosk pushes


@dataclass(frozen=True)
class SignInResult:
    user: StaffUser | None
    locked_until: datetime | None = None
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.user is not None


def _locked_until(ctx: Ctx, *, user_id: uuid.UUID | None) -> datetime | None:
    """When the lock on this account (or, with user_id None, on this kiosk) ends, if it is locked now."""
    now = ctx.clock.now()
    window_start = now - timedelta(minutes=LOCK_MINUTES)
    s = ctx.session
    if user_id is not None:
        scope = AuditLogEntry.entity_id == str(user_id)
    elif ctx.actor.kiosk_id is not None:
        scope = AuditLogEntry.kiosk_id == ctx.actor.kiosk_id
    else:
        scope = AuditLogEntry.kiosk_id.is_(None)
    resets = [SUCCEEDED, UNLOCKED] if user_id is not None else [SUCCEEDED]
    last_ok = max((at for at, detail in s.execute(
        select(AuditLogEntry.at, AuditLogEntry.detail).where(scope, AuditLogEntry.action.in_(resets),
                                                             AuditLogEntry.at > window_start))
        if _vouched(detail)), default=None)
    if user_id is None:
        place = str(ctx.actor.kiosk_id) if ctx.actor.kiosk_id is not None else "none"
        unlocked = [at for at, detail in s.execute(select(AuditLogEntry.at, AuditLogEntry.detail).where(
            AuditLogEntry.action == UNLOCKED, AuditLogEntry.at > window_start)) if _vouched(detail)
            and isinstance(detail, dict) and detail.get("place") == place]
        last_ok = max([*unlocked, *([last_ok] if last_ok else [])], default=None)
    since = max(window_start, last_ok) if last_ok else window_start
    failures = sorted(at for at, detail in s.execute(select(AuditLogEntry.at, AuditLogEntry.detail).where(
        scope, AuditLogEntry.action == FAILED, AuditLogEntry.at > since, AuditLogEntry.at <= now))
        if _vouched(detail))
    if len(failures) < MAX_FAILURES:
        return None
    until: datetime = failures[-1] + timedelta(minutes=LOCK_MINUTES)
    return until if until > now else None


def _vouched(detail: object) -> bool:
    """An entry this database wrote itself, not one a kiosk pushed."""
    return not (isinstance(detail, dict) and detail.get("via") == PUSHED_VIA)


def lock_state(ctx: Ctx, staff_id: uuid.UUID) -> datetime | None:
    """When the lock on this account ends, if it is locked now."""
    return _locked_until(ctx, user_id=staff_id)


def unlock(ctx: Ctx, staff_id: uuid.UUID, kiosk_id: uuid.UUID | None = None) -> bool:
    """End the sign-in lock on an account, and on the place it was tried from (``kiosk_id``; None: this
    machine itself), now; says whether the account was locked.

    An admin's action: a signed-in admin, or the command line on the district's own machine (no staff actor
    and no kiosk). Recorded in the audit log as ``staff.unlocked``.
    """
    s = ctx.session
    if ctx.actor.kiosk_id is not None or ctx.actor.staff_id is not None:
        me = s.get(StaffUser, ctx.actor.staff_id) if ctx.actor.staff_id else None
        if me is None or me.role is not StaffRole.ADMIN:
            raise PermissionDenied("only an admin can unlock an account")
    user = s.get(StaffUser, staff_id)
    if user is None:
        raise NotFound("no such staff account")
    was = _locked_until(ctx, user_id=staff_id) is not None
    audit_log.record(ctx, UNLOCKED, "staff", staff_id, was_locked=was,
                     place=str(kiosk_id) if kiosk_id is not None else "none")
    s.flush()
    return was


def _attempt(ctx: Ctx, user: StaffUser | None, secret_hash: str | None, secret: str, **who: str) -> SignInResult:
    for scope_user in ((user.id,) if user else ()) + (None,):
        until = _locked_until(ctx, user_id=scope_user)
        if until is not None:
            audit_log.record(ctx, "staff.sign_in_refused_locked", "staff", user.id if user else None, **who)
            what = "This account" if scope_user else "This kiosk"
            return SignInResult(None, until, f"{what} is locked after {MAX_FAILURES} failed attempts; "
                                             f"try again in {LOCK_MINUTES} minutes.")
    # The hash is checked for unknown names and badges too (against a stand-in), so the time an answer takes
    # does not tell a real account from an unknown one.
    matched = verify_secret(secret_hash, secret) if secret_hash else burn_time(secret)
    ok = matched and user is not None and user.active
    audit_log.record(ctx, SUCCEEDED if ok else FAILED, "staff", user.id if user else None, **who)
    if ok:
        return SignInResult(user)
    ctx.session.flush()
    for scope_user in ((user.id,) if user else ()) + (None,):
        until = _locked_until(ctx, user_id=scope_user)
        if until is not None:
            return SignInResult(None, until, f"Too many failed attempts: locked for {LOCK_MINUTES} minutes.")
    return SignInResult(None, None, "Wrong sign-in details.")


def sign_in(ctx: Ctx, username: str, password: str) -> SignInResult:
    user = ctx.session.scalars(
        select(StaffUser).where(func.lower(StaffUser.username) == username.strip().lower())
    ).one_or_none()
    return _attempt(ctx, user, user.password_hash if user else None, password, username=username.strip()[:64])


def sign_in_badge(ctx: Ctx, badge: str, pin: str) -> SignInResult:
    user = ctx.session.scalars(select(StaffUser).where(StaffUser.badge_code == badge.strip())).one_or_none()
    # The typed badge code is not recorded (it is half of a credential); a known badge names its account.
    return _attempt(ctx, user, user.pin_hash if user else None, pin, method="badge")


def sign_in_with_verifier(ctx: Ctx, user: StaffUser | None, verifier: str | None, secret: str,
                          **who: str) -> SignInResult:
    """Check ``secret`` against a verifier held elsewhere than the staff row (an enrolled kiosk's offline cache),
    with the same lockout and audit entries as ``sign_in``; ``who`` names the attempt (e.g. username=...)."""
    return _attempt(ctx, user, verifier, secret, **who)


def authenticate(ctx: Ctx, username: str, password: str) -> StaffUser | None:
    """The staff member, or None (locked or wrong); the attempt goes to the audit log either way."""
    return sign_in(ctx, username, password).user
