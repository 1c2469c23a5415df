"""Admin actions from an enrolled kiosk: staff sessions granted at sign-in, and ``POST /v1/admin/act``.

An enrolled kiosk's database is the service's copy; the service refuses district changes a kiosk pushes. So an
admin signed in at a kiosk sends each admin-screen action here, and the service runs it on its own database with
the domain's one admin-action function (``kiosk.domain.admin_actions.perform``), as that admin, in one unit:
the services check the role (``district_admin.require_admin``), write the audit log (naming the kiosk) and the
change log, so every kiosk receives the change at its next pull.

Two proofs, both required: the kiosk's bearer token (which kiosk asks) and a **staff session** (who asks). The
service grants the session at an online sign-in (``POST /v1/signin`` answers it once): 256 random bits, kept
only as a SHA-256 digest in ``sync_state`` (``ss:`` keys) with the staff member, the kiosk that asked and the
expiry. The expiry is the district's technician idle sign-out (5 to 15 minutes), sliding: each use moves it on.
A session is refused from any other kiosk, after its expiry, or when its holder is no longer an active admin. A
copied kiosk token alone changes nothing here. The kiosk keeps the session in memory only, with the signed-in
actor, and at sign-out (or the idle sign-out) forgets it and asks ``POST /v1/staff/signout`` to end it here
(best effort: offline, it expires by itself). Rate-limited per address and per kiosk; the request log has no bodies.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import uuid
from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, FastAPI, Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import delete, select

from kiosk.domain import admin_actions, audit_log, schema
from kiosk.domain.db import Actor, Ctx, Database
from kiosk.domain.district import idle_times
from kiosk.domain.errors import DomainError, NotFound, PermissionDenied
from kiosk.domain.models import StaffRole, StaffUser, SyncState
from kiosk.protocol.tables import PROTOCOL_VERSION
from kiosk.server import auth, ratelimit
from kiosk.server.app import ERRORS, ErrorBody, VersionRefused

router = APIRouter()

PATH = "/v1/admin/act"
END_PATH = "/v1/staff/signout"
PER_MINUTE = 30  # per address and per kiosk (ratelimit.LIMITS): an admin at a screen, not a script
PREFIX = "ss:"
MIN_SECONDS, MAX_SECONDS = 300, 900  # the session follows the technician idle time, within these bounds
ENDED = "Your staff session on the district service has ended; sign out and sign in again to make changes."
NOT_ADMIN = "Only a district admin can change the district's setup."

Plain = str | int | float | bool | None


class AdminAct(BaseModel):
    model_config = ConfigDict(extra="forbid")
    protocol: int = Field(ge=0, le=1000)
    schema_rev: str = Field(max_length=64)
    session: str = Field(min_length=1, max_length=128)
    key: Literal["staff", "campuses", "catalog", "sla", "hours", "holidays", "objectives", "rotation"]
    action: str = Field(min_length=1, max_length=32)
    ref: Annotated[str, Field(max_length=128)] | int | None = None
    values: dict[Annotated[str, Field(max_length=32)], Plain] = Field(default_factory=dict, max_length=32)


class AdminDone(BaseModel):
    text: str
    template: str = ""
    args: list[str] = []


class AdminRefused(BaseModel):
    detail: str
    reason: Literal["session", "admin", "invalid", "not_found"]


RESPONSES: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    401: {"model": ErrorBody, "description": "Missing, unknown or revoked kiosk token"},
    403: {"model": AdminRefused, "description": "No valid staff session for this kiosk, or not an active admin"},
    404: {"model": AdminRefused, "description": "The row the action names is not there"},
    422: {"model": AdminRefused, "description": "The domain refused the values (the reason is in detail)"},
}


# ---------------------------------------------------------------------------------------------- sessions

def _key(token: str) -> str:
    return PREFIX + hashlib.sha256(token.encode()).hexdigest()[:61]  # sync_state keys hold 64 characters


def lifetime(ctx: Ctx) -> int:
    """Seconds a staff session lives without use: the district's technician idle sign-out, 5 to 15 minutes."""
    return max(MIN_SECONDS, min(MAX_SECONDS, idle_times(ctx.session).technician_seconds))


def grant(ctx: Ctx, staff_id: uuid.UUID, kiosk_id: uuid.UUID) -> str:
    """A new staff session for ``staff_id`` at ``kiosk_id``; returns the token (shown once, stored hashed).
    Expired sessions are deleted on the way."""
    now = ctx.clock.now()
    s = ctx.session
    for key, value in s.execute(select(SyncState.key, SyncState.value).where(SyncState.key.like(PREFIX + "%"))):
        if _expired(value, now):
            s.execute(delete(SyncState).where(SyncState.key == key))
    token = secrets.token_urlsafe(32)
    seconds = lifetime(ctx)
    s.add(SyncState(key=_key(token), value=json.dumps({
        "staff": str(staff_id), "kiosk": str(kiosk_id), "expires": (now + timedelta(seconds=seconds)).isoformat(),
        "seconds": seconds})))
    s.flush()
    return token


def _expired(value: str, now: datetime) -> bool:
    try:
        return datetime.fromisoformat(json.loads(value)["expires"]) <= now
    except (ValueError, KeyError, TypeError):
        return True


def check(ctx: Ctx, token: str, kiosk_id: uuid.UUID) -> uuid.UUID | None:
    """The staff id of a live session of ``kiosk_id`` (and its expiry moved on), else None."""
    row = ctx.session.get(SyncState, _key(token))
    if row is None:
        return None
    now = ctx.clock.now()
    try:
        data = json.loads(row.value)
        staff, kiosk = uuid.UUID(data["staff"]), uuid.UUID(data["kiosk"])
        expires, seconds = datetime.fromisoformat(data["expires"]), int(data["seconds"])
    except (ValueError, KeyError, TypeError):
        ctx.session.delete(row)
        return None
    if expires <= now:
        ctx.session.delete(row)
        return None
    if kiosk != kiosk_id:
        return None  # another kiosk's session: refused, and left to its own kiosk
    data["expires"] = (now + timedelta(seconds=seconds)).isoformat()
    row.value = json.dumps(data)
    return staff


def end(ctx: Ctx, token: str, kiosk_id: uuid.UUID) -> bool:
    """End one session at its own kiosk's request (sign-out, idle); True when there was one to end. Another
    kiosk's session is left alone (a copied token cannot end someone else's)."""
    row = ctx.session.get(SyncState, _key(token))
    if row is None:
        return False
    try:
        mine = json.loads(row.value).get("kiosk") == str(kiosk_id)
    except ValueError:
        mine = True  # unreadable: no use to anyone
    if mine:
        ctx.session.delete(row)
    return mine


def end_sessions(ctx: Ctx, staff_id: uuid.UUID) -> int:
    """Delete every session of ``staff_id`` (for support and tests); returns how many."""
    gone = 0
    for key, value in ctx.session.execute(select(SyncState.key, SyncState.value)
                                          .where(SyncState.key.like(PREFIX + "%"))):
        try:
            mine = json.loads(value).get("staff") == str(staff_id)
        except ValueError:
            mine = False
        if mine:
            ctx.session.execute(delete(SyncState).where(SyncState.key == key))
            gone += 1
    return gone


# ---------------------------------------------------------------------------------------------- endpoint

def _bearer(authorization: str | None) -> str | None:
    if authorization and authorization.lower().startswith("bearer "):
        return authorization[7:].strip()
    return None


def _check_version(protocol: int, schema_rev: str) -> None:
    head = schema.head_revision()
    if protocol != PROTOCOL_VERSION or schema_rev != head:
        raise VersionRefused(
            f"this server serves sync protocol {PROTOCOL_VERSION} with schema {head}; the kiosk speaks "
            f"protocol {protocol} with schema {schema_rev}: install the matching kiosk version")


def _refused(status: int, detail: str, reason: str) -> JSONResponse:
    return JSONResponse(AdminRefused(detail=detail[:500], reason=reason).model_dump(),  # type: ignore[arg-type]
                        status_code=status)


@router.post(PATH, response_model=AdminDone, responses=RESPONSES,
             summary="An admin signed in at an enrolled kiosk changes the district's setup")
def admin_act(body: AdminAct, request: Request, authorization: Annotated[str | None, Header()] = None) -> Any:
    db: Database = request.app.state.db
    with db.unit() as ctx:
        s = ctx.session
        kiosk = auth.authenticate(s.connection(), _bearer(authorization))
        _check_version(body.protocol, body.schema_rev)
        ctx.actor = Actor(kiosk_id=kiosk.kiosk_id, label="admin via server")
        staff_id = check(ctx, body.session, kiosk.kiosk_id)
        if staff_id is None:
            audit_log.record(ctx, "admin.act_refused", "district", None, reason="session", key=body.key,
                             what=body.action)
            return _refused(403, ENDED, "session")
        user = s.get(StaffUser, staff_id)
        ctx.actor = Actor(kiosk_id=kiosk.kiosk_id, staff_id=staff_id, label="admin via server")
        if user is None or not user.active or user.role is not StaffRole.ADMIN:
            audit_log.record(ctx, "admin.act_refused", "district", None, reason="not admin", key=body.key,
                             what=body.action)
            return _refused(403, NOT_ADMIN, "admin")
        kiosk_id = kiosk.kiosk_id
    actor = Actor(kiosk_id=kiosk_id, staff_id=staff_id, label="admin via server")
    try:
        with db.unit(actor) as ctx:  # the action alone: a refusal rolls all of it back
            result = admin_actions.perform(ctx, body.key, body.action, body.ref, body.values)
    except DomainError as exc:
        with db.unit(actor) as ctx:
            audit_log.record(ctx, "admin.act_refused", "district", None, reason=type(exc).__name__,
                             key=body.key, what=body.action)
        if isinstance(exc, PermissionDenied):
            return _refused(403, str(exc), "admin")
        if isinstance(exc, NotFound):
            return _refused(404, str(exc), "not_found")
        return _refused(422, str(exc), "invalid")
    return AdminDone(text=result.text, template=result.template, args=list(result.args))


class SessionEnd(BaseModel):
    model_config = ConfigDict(extra="forbid")
    protocol: int = Field(ge=0, le=1000)
    schema_rev: str = Field(max_length=64)
    session: str = Field(min_length=1, max_length=128)


class SessionEnded(BaseModel):
    ended: bool


@router.post(END_PATH, response_model=SessionEnded, responses=ERRORS,
             summary="The kiosk's signed-in staff member signed out (or was signed out idle): end the session")
def end_session(body: SessionEnd, request: Request, authorization: Annotated[str | None, Header()] = None) -> Any:
    db: Database = request.app.state.db
    with db.unit() as ctx:
        kiosk = auth.authenticate(ctx.session.connection(), _bearer(authorization))
        _check_version(body.protocol, body.schema_rev)
        return SessionEnded(ended=end(ctx, body.session, kiosk.kiosk_id))


def install(app: FastAPI, db: Database) -> None:
    """Rate-limit the endpoints like sign-in (the middleware reads ``LIMITS`` at each request)."""
    ratelimit.LIMITS.setdefault(PATH, PER_MINUTE)
    ratelimit.LIMITS.setdefault(END_PATH, PER_MINUTE)
