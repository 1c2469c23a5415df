"""Technician sign-in for enrolled kiosks: ``POST /v1/signin``, checked centrally.

Kiosks never hold password, PIN or badge hashes (sync sends staff rows with public fields only), so an enrolled
kiosk sends what the technician typed to this endpoint, authenticated by its own bearer token. The server
verifies it with the domain's sign-in (``kiosk.domain.auth``): the lockout (5 failures, 5 minutes, per account
and per kiosk) is computed from the central audit log, and every attempt is recorded there with the kiosk's id.
The answer names the staff member and nothing secret.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse
from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from sqlalchemy import func, select

from kiosk.domain import auth as staff_auth
from kiosk.domain import schema
from kiosk.domain.db import Actor, Database
from kiosk.domain.models import Kiosk, StaffRole, StaffUser
from kiosk.protocol.tables import PROTOCOL_VERSION
from kiosk.server import auth
from kiosk.server.app import ERRORS, ErrorBody, VersionRefused

router = APIRouter()

WRONG = "Wrong sign-in details."  # the kiosk's own wording for any wrong username, password, badge or PIN


def _clean(value: str) -> str:
    """PostgreSQL text cannot hold NUL and lone surrogates cannot be encoded; no account has either, so they
    become U+FFFD: the attempt then fails like any other wrong one (and is counted), never a 500."""
    return "".join("\ufffd" if ch == "\x00" or "\ud800" <= ch <= "\udfff" else ch for ch in value)


Username = Annotated[str, Field(min_length=1, max_length=64), AfterValidator(_clean)]
Password = Annotated[str, Field(min_length=1, max_length=256), AfterValidator(_clean)]
Badge = Annotated[str, Field(min_length=1, max_length=64), AfterValidator(_clean)]
Pin = Annotated[str, Field(min_length=1, max_length=32), AfterValidator(_clean)]


class _Versioned(BaseModel):
    model_config = ConfigDict(extra="forbid")
    protocol: int = Field(ge=0, le=1000)
    schema_rev: str = Field(max_length=64)


class PasswordSignIn(_Versioned):
    username: Username
    password: Password


class BadgeSignIn(_Versioned):
    badge: Badge
    pin: Pin


class SignedIn(BaseModel):
    """Who signed in: public fields only (the same ones a kiosk pulls for staff rows)."""

    staff_id: uuid.UUID
    username: str
    first_name: str
    last_name: str
    display_name: str
    admin: bool
    home_campus_id: uuid.UUID | None  # the campus this technician leads, if any
    signed_in_at: datetime
    # temporary secrets (an admin's reset) to replace before anything else (POST /v1/staff/secret)
    must_change: list[Literal["pin", "password"]] = []
    # a short-lived staff session bound to this kiosk (kiosk.server.admin_act): admin changes go with it
    staff_session: str | None = None


class SignInRefused(BaseModel):
    detail: str
    reason: Literal["wrong", "locked"]
    locked_until: datetime | None = None


RESPONSES: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    403: {"model": SignInRefused, "description": "Wrong sign-in details (the same answer for every cause)"},
    429: {"model": SignInRefused, "description": "The account or this kiosk is locked after repeated failures"},
    401: {"model": ErrorBody, "description": "Missing, unknown or revoked kiosk token"},
}


def _bearer(authorization: str | None) -> str | None:
    if authorization and authorization.lower().startswith("bearer "):
        return authorization[7:].strip()
    return None


def _refused(status: int, detail: str, reason: str, until: datetime | None = None) -> JSONResponse:
    body = SignInRefused(detail=detail, reason=reason, locked_until=until)  # type: ignore[arg-type]
    headers = {}
    if until is not None:
        headers["Retry-After"] = "300"
    return JSONResponse(body.model_dump(mode="json"), status_code=status, headers=headers)


@router.post("/v1/signin", response_model=SignedIn, responses=RESPONSES,
             summary="Sign a technician in at this kiosk (username and password, or badge and PIN)")
def sign_in(body: PasswordSignIn | BadgeSignIn, request: Request,
            authorization: Annotated[str | None, Header()] = None) -> Any:
    db: Database = request.app.state.db
    with db.unit() as ctx:
        s = ctx.session
        kiosk = auth.authenticate(s.connection(), _bearer(authorization))
        head = schema.head_revision()
        if body.protocol != PROTOCOL_VERSION or body.schema_rev != head:
            raise VersionRefused(
                f"this server serves sync protocol {PROTOCOL_VERSION} with schema {head}; the kiosk speaks "
                f"protocol {body.protocol} with schema {body.schema_rev}: install the matching kiosk version")
        if isinstance(body, PasswordSignIn):
            who = select(StaffUser.id).where(func.lower(StaffUser.username) == body.username.strip().lower())
        else:
            who = select(StaffUser.id).where(StaffUser.badge_code == body.badge.strip())
        if db.dialect == "postgresql":
            # Attempts from one kiosk, and attempts on one account, take turns: the lockout counts from the
            # audit log, so parallel guesses must not all read it before any of them is written.
            s.execute(select(Kiosk.id).where(Kiosk.id == kiosk.kiosk_id).with_for_update())
            s.execute(who.with_for_update())
        ctx.actor = Actor(kiosk_id=kiosk.kiosk_id, label="kiosk via server")
        if isinstance(body, PasswordSignIn):
            result = staff_auth.sign_in(ctx, body.username, body.password)
        else:
            result = staff_auth.sign_in_badge(ctx, body.badge, body.pin)
        if result.user is None:
            if result.locked_until is not None:
                return _refused(429, f"{result.message} (locked until {result.locked_until:%H:%M} UTC)",
                                "locked", result.locked_until)
            return _refused(403, WRONG, "wrong")
        u = result.user
        from kiosk.server import admin_act

        session = admin_act.grant(ctx, u.id, kiosk.kiosk_id)
        return SignedIn(staff_id=u.id, username=u.username, first_name=u.first_name, last_name=u.last_name,
                        display_name=f"{u.first_name} {u.last_name}", admin=u.role == StaffRole.ADMIN,
                        home_campus_id=u.lead_of_campus_id, signed_in_at=ctx.clock.now(),
                        must_change=_temporary(u), staff_session=session)


def _temporary(u: StaffUser) -> list[Literal["pin", "password"]]:
    """The secrets an admin's reset left temporary on this account (to be replaced before anything else)."""
    out: list[Literal["pin", "password"]] = []
    if u.password_temporary:
        out.append("password")
    if u.pin_temporary:
        out.append("pin")
    return out
