"""Staff accounts: add, disable, enable, roles, temporary passwords and PINs, own changes, unlock, roster import.

Secrets are hashed with argon2id (``kiosk.domain.passwords``) and never logged: the audit log says a password was
reset, not what to. A reset sets a temporary secret that must be replaced at the next sign-in
(``password_temporary`` / ``pin_temporary``); new and reset PINs are at least ``PIN_MIN`` digits.
"""

from __future__ import annotations

import csv
import io
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.domain import audit_log, auth
from kiosk.domain import district_admin as admin
from kiosk.domain.db import Ctx
from kiosk.domain.district_admin import Change, fold
from kiosk.domain.errors import InvalidInput, NotFound, PermissionDenied
from kiosk.domain.models import AuditLogEntry, StaffRole, StaffUser
from kiosk.domain.passwords import hash_secret, verify_secret
from kiosk.domain.validation import EMAIL_RE

PIN_MIN = 6
PIN_MAX = 12
PASSWORD_MIN = 10
_PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/l/I


class WrongSecret(InvalidInput):
    """The current PIN or password given to change it is not right."""


@dataclass(frozen=True)
class StaffRow:
    username: str
    name: str
    first_name: str
    last_name: str
    email: str | None
    role: str
    active: bool
    badge: bool
    has_password: bool
    has_pin: bool
    temporary: bool
    locked_until: datetime | None


def get(session: Session, username: str) -> StaffUser:
    user = session.scalars(select(StaffUser).where(
        func.lower(StaffUser.username) == username.strip().lower())).one_or_none()
    if user is None:
        raise NotFound(f"no staff member {username.strip()!r}")
    return user


def _role(value: str | StaffRole) -> StaffRole:
    try:
        return StaffRole(str(value.value if isinstance(value, StaffRole) else value).strip().lower())
    except ValueError:
        raise InvalidInput(f"{value!r} is not a role (technician, admin)") from None


def _check_fields(ctx: Ctx, username: str, first_name: str, last_name: str, email: str | None,
                  badge_code: str | None, user: StaffUser | None = None) -> None:
    from kiosk.domain.district_file import USERNAME

    if not USERNAME.match(username):
        raise InvalidInput(f"{username!r} is not a username (letters, digits, '.', '_' or '-', at most 64)")
    for label, value in (("first name", first_name), ("last name", last_name)):
        if not value.strip() or len(value) > 64:
            raise InvalidInput(f"the {label} must be 1-64 characters")
    if email and not EMAIL_RE.match(email):
        raise InvalidInput(f"{email!r} is not an email address")
    if badge_code:
        holder = ctx.session.scalars(select(StaffUser).where(StaffUser.badge_code == badge_code)).first()
        if holder is not None and holder is not user:
            raise InvalidInput(f"badge {badge_code!r} already belongs to {holder.username}")


def add(ctx: Ctx, username: str, *, first_name: str, last_name: str, email: str | None = None,
        role: str | StaffRole = StaffRole.TECHNICIAN, badge_code: str | None = None,
        lead_of_campus_id: uuid.UUID | None = None) -> tuple[StaffUser, Change]:
    """A new account with no password or PIN yet (an admin resets one to give it out)."""
    admin.require_admin(ctx)
    username = username.strip()
    if ctx.session.scalars(select(StaffUser).where(
            func.lower(StaffUser.username) == username.lower())).first() is not None:
        raise InvalidInput(f"the username {username!r} is taken")
    email = email.strip().lower() if email else None
    badge_code = badge_code.strip() if badge_code else None
    _check_fields(ctx, username, first_name, last_name, email, badge_code)
    user = StaffUser(username=username, first_name=first_name.strip(), last_name=last_name.strip(), email=email,
                     role=_role(role), badge_code=badge_code, active=True, lead_of_campus_id=lead_of_campus_id,
                     password_temporary=False, pin_temporary=False)
    return user, admin.create(ctx, user, "staff", username)


def edit(ctx: Ctx, username: str, **fields: Any) -> Change | None:
    """Change names, email, badge or role (the fields given)."""
    user = get(ctx.session, username)
    if "role" in fields:
        fields["role"] = _role(fields["role"])
    merged = {k: fields.get(k, getattr(user, k)) for k in ("first_name", "last_name", "email", "badge_code")}
    _check_fields(ctx, user.username, merged["first_name"], merged["last_name"], merged["email"],
                  merged["badge_code"], user)
    if fields.get("role") is StaffRole.TECHNICIAN and user.role is StaffRole.ADMIN:
        _keep_an_admin(ctx, user)
    return admin.update(ctx, user, "staff", user.username, fields)


def set_role(ctx: Ctx, username: str, role: str) -> Change | None:
    return edit(ctx, username, role=role)


def _keep_an_admin(ctx: Ctx, leaving: StaffUser) -> None:
    others = ctx.session.scalar(select(func.count()).select_from(StaffUser).where(
        StaffUser.role == StaffRole.ADMIN, StaffUser.active, StaffUser.id != leaving.id))
    if not others:
        raise InvalidInput(f"{leaving.username} is the last active admin: make someone else admin first")


def set_active(ctx: Ctx, username: str, active: bool) -> Change | None:
    """Disable a leaver (their history stays) or enable them again."""
    user = get(ctx.session, username)
    if not active and user.role is StaffRole.ADMIN and user.active:
        _keep_an_admin(ctx, user)
    if not active and ctx.actor.staff_id == user.id:
        raise InvalidInput("you cannot disable your own account")
    return admin.update(ctx, user, "staff", user.username, {"active": active})


def temporary_password() -> str:
    return "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(14))


def temporary_pin() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(8))


def check_password(secret: str) -> str:
    if len(secret) < PASSWORD_MIN:
        raise InvalidInput(f"a password needs at least {PASSWORD_MIN} characters")
    if len(secret) > 256 or not secret.isprintable():
        raise InvalidInput("a password is at most 256 printable characters")
    return secret


def check_pin(secret: str) -> str:
    if not secret.isdigit() or not PIN_MIN <= len(secret) <= PIN_MAX or not secret.isascii():
        raise InvalidInput(f"a PIN is {PIN_MIN} to {PIN_MAX} digits")
    if len(set(secret)) == 1 or secret in "01234567890123" or secret in "98765432109876":
        raise InvalidInput("that PIN is too easy to guess (all one digit, or a run like 123456)")
    return secret


def reset_password(ctx: Ctx, username: str, secret: str | None = None) -> str:
    """Set a temporary password (generated, or ``secret``), to be changed at the next sign-in; returns it once."""
    admin.require_admin(ctx)
    user = get(ctx.session, username)
    secret = check_password(secret) if secret is not None else temporary_password()
    user.password_hash = hash_secret(secret)
    user.password_temporary = True
    user.updated_at = ctx.clock.now()
    audit_log.record(ctx, "staff.password_reset", "staff", user.id, username=user.username)
    return secret


def reset_pin(ctx: Ctx, username: str, secret: str | None = None) -> str:
    """Set a temporary PIN (generated, or ``secret``), to be changed at the next sign-in; returns it once."""
    admin.require_admin(ctx)
    user = get(ctx.session, username)
    secret = check_pin(secret) if secret is not None else temporary_pin()
    user.pin_hash = hash_secret(secret)
    user.pin_temporary = True
    user.updated_at = ctx.clock.now()
    audit_log.record(ctx, "staff.pin_reset", "staff", user.id, username=user.username)
    return secret


def _own(ctx: Ctx, staff_id: uuid.UUID) -> StaffUser:
    user = ctx.session.get(StaffUser, staff_id)
    if user is None or not user.active:
        raise PermissionDenied("that account is not active")
    return user


def change_own_password(ctx: Ctx, staff_id: uuid.UUID, current: str, new: str) -> None:
    """A signed-in technician replaces their password (the current one is asked again)."""
    user = _own(ctx, staff_id)
    if not verify_secret(user.password_hash, current):
        audit_log.record(ctx, "staff.password_change_refused", "staff", user.id)
        raise WrongSecret("the current password is not right")
    if new == current:
        raise InvalidInput("the new password must differ from the current one")
    user.password_hash = hash_secret(check_password(new))
    user.password_temporary = False
    user.updated_at = ctx.clock.now()
    audit_log.record(ctx, "staff.password_changed", "staff", user.id)


def change_own_pin(ctx: Ctx, staff_id: uuid.UUID, current: str, new: str) -> None:
    """A signed-in technician replaces their PIN (the current one is asked again)."""
    user = _own(ctx, staff_id)
    if not verify_secret(user.pin_hash, current):
        audit_log.record(ctx, "staff.pin_change_refused", "staff", user.id)
        raise WrongSecret("the current PIN is not right")
    if new == current:
        raise InvalidInput("the new PIN must differ from the current one")
    user.pin_hash = hash_secret(check_pin(new))
    user.pin_temporary = False
    user.updated_at = ctx.clock.now()
    audit_log.record(ctx, "staff.pin_changed", "staff", user.id)


def must_change(session: Session, staff_id: uuid.UUID) -> tuple[bool, bool]:
    """(password, PIN): whether this account signed in with a temporary secret that must be replaced now."""
    user = session.get(StaffUser, staff_id)
    return (bool(user and user.password_temporary), bool(user and user.pin_temporary))


def unlock(ctx: Ctx, username: str) -> bool:
    """Lift a sign-in lockout, on the account and on the kiosks it was tried from lately (so the person can sign
    in there now); returns whether the account was locked."""
    admin.require_admin(ctx)
    user = get(ctx.session, username)
    since = ctx.clock.now() - timedelta(minutes=auth.LOCK_MINUTES)
    places = set(ctx.session.scalars(select(AuditLogEntry.kiosk_id).where(
        AuditLogEntry.entity_id == str(user.id), AuditLogEntry.action == auth.FAILED, AuditLogEntry.at > since)))
    was = auth.unlock(ctx, user.id, ctx.actor.kiosk_id)
    for kiosk_id in places - {ctx.actor.kiosk_id}:
        auth.unlock(ctx, user.id, kiosk_id)
    return was


def list_staff(ctx: Ctx, include_disabled: bool = True) -> list[StaffRow]:
    rows = []
    q = select(StaffUser).order_by(StaffUser.username)
    if not include_disabled:
        q = q.where(StaffUser.active)
    for u in ctx.session.scalars(q):
        rows.append(StaffRow(u.username, f"{u.first_name} {u.last_name}", u.first_name, u.last_name, u.email, u.role.value, u.active,
                             bool(u.badge_code), bool(u.password_hash), bool(u.pin_hash),
                             u.password_temporary or u.pin_temporary, auth.lock_state(ctx, u.id)))
    return rows


# ---------------------------------------------------------------------------------------------
# Roster import
# ---------------------------------------------------------------------------------------------

ROSTER_COLUMNS = ("username", "first_name", "last_name", "email", "role", "badge")


def import_roster(ctx: Ctx, text: str, source: str = "roster.csv") -> list[Change]:
    """Create or update staff from a CSV (username, first_name, last_name, email, role, badge); every problem
    is reported with its line and nothing is written when there is one. Nobody is disabled by an import."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [fold(h).replace(" ", "_") for h in (reader.fieldnames or [])]
    missing = [c for c in ("username", "first_name", "last_name") if c not in header]
    if missing:
        raise InvalidInput(f"{source}: the header needs {', '.join(missing)} (columns: {', '.join(ROSTER_COLUMNS)})")
    problems: list[str] = []
    changes: list[Change] = []
    seen: dict[str, int] = {}
    for n, raw in enumerate(reader, start=2):
        row = {fold(k).replace(" ", "_"): (v or "").strip() for k, v in raw.items() if k is not None}
        username = row.get("username", "")
        if not username:
            problems.append(f"{source}:{n}: no username")
            continue
        if fold(username) in seen:
            problems.append(f"{source}:{n}: duplicate username {username!r} (also line {seen[fold(username)]})")
            continue
        seen[fold(username)] = n
        fields: dict[str, Any] = {"first_name": row.get("first_name", ""), "last_name": row.get("last_name", ""),
                  "email": row.get("email") or None, "role": row.get("role") or "technician",
                  "badge_code": row.get("badge") or None}
        try:
            with ctx.session.begin_nested():
                existing = ctx.session.scalars(select(StaffUser).where(
                    func.lower(StaffUser.username) == username.lower())).first()
                if existing is None:
                    changes.append(add(ctx, username, **fields)[1])
                else:
                    change = edit(ctx, username, **{k: v for k, v in fields.items() if v is not None})
                    if change is not None:
                        changes.append(change)
                ctx.session.flush()
        except InvalidInput as exc:
            problems.append(f"{source}:{n}: {exc}")
    if problems:
        raise InvalidInput(f"{len(problems)} problem(s) in {source}, nothing was changed:\n  " + "\n  ".join(problems))
    return changes
