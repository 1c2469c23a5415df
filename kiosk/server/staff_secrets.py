"""A technician's own PIN or password, changed from an enrolled kiosk: ``POST /v1/staff/secret``.

An enrolled kiosk holds no hashes (they live on the service only, argon2id), so "My PIN and password" sends the
change here. Two proofs, both required: the kiosk's bearer token (which kiosk asks) and the staff member's
current secret of the same kind (who asks). A copied kiosk token alone changes nobody's secret.

The change itself is the domain's (``kiosk.domain.staff_accounts.change_own_pin`` / ``change_own_password``):
the same PIN and password rules as everywhere, the "must change" flag cleared, the audit log written naming
the kiosk. A wrong current secret is a failed sign-in attempt (``staff.sign_in_failed``), so guesses here share
the account's lockout budget with sign-in (5 in 5 minutes); a locked account is refused before its secret is
checked. The endpoint is rate-limited per address and per kiosk like sign-in. The answer holds nothing secret.
The staff row's public fields (the cleared flag) reach every kiosk through the change log.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, FastAPI, Header, Request
from fastapi.responses import JSONResponse
from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from sqlalchemy import select

from kiosk.domain import audit_log, schema, staff_accounts
from kiosk.domain import auth as staff_auth
from kiosk.domain.db import Actor, Database
from kiosk.domain.errors import InvalidInput, PermissionDenied
from kiosk.domain.models import Kiosk, StaffUser
from kiosk.protocol.tables import PROTOCOL_VERSION
from kiosk.server import auth, ratelimit
from kiosk.server.app import ERRORS, ErrorBody, VersionRefused
from kiosk.server.signin import _clean

router = APIRouter()

PATH = "/v1/staff/secret"
PER_MINUTE = 10  # per address and per kiosk (ratelimit.LIMITS)
WRONG_CURRENT = {"pin": "Your current PIN is not right.", "password": "Your current password is not right."}
Secret = Annotated[str, Field(min_length=1, max_length=256), AfterValidator(_clean)]


class SecretChange(BaseModel):
    model_config = ConfigDict(extra="forbid")
    protocol: int = Field(ge=0, le=1000)
    schema_rev: str = Field(max_length=64)
    staff_id: uuid.UUID
    kind: Literal["pin", "password"]
    current: Secret
    new: Secret


class SecretChanged(BaseModel):
    changed: Literal["pin", "password"]
    must_change: list[Literal["pin", "password"]]  # what is still temporary on this account


class SecretRefused(BaseModel):
    detail: str
    reason: Literal["wrong", "locked", "rule"]


RESPONSES: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    403: {"model": SecretRefused, "description": "The current secret is not right (or no such active account)"},
    422: {"model": SecretRefused, "description": "The new secret breaks the PIN or password rules"},
    429: {"model": SecretRefused, "description": "The account is locked after repeated failures, or too many "
                                                 "requests"},
    401: {"model": ErrorBody, "description": "Missing, unknown or revoked kiosk token"},
}


def _bearer(authorization: str | None) -> str | None:
    if authorization and authorization.lower().startswith("bearer "):
        return authorization[7:].strip()
    return None


def _refused(status: int, detail: str, reason: str) -> JSONResponse:
    headers = {"Retry-After": "300"} if reason == "locked" else {}
    return JSONResponse(SecretRefused(detail=detail, reason=reason).model_dump(),  # type: ignore[arg-type]
                        status_code=status, headers=headers)


@router.post(PATH, response_model=SecretChanged, responses=RESPONSES,
             summary="A technician changes their own PIN or password from an enrolled kiosk")
def change_secret(body: SecretChange, request: Request,
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
        if db.dialect == "postgresql":  # attempts on one account take turns (the lockout counts the audit log)
            s.execute(select(Kiosk.id).where(Kiosk.id == kiosk.kiosk_id).with_for_update())
            s.execute(select(StaffUser.id).where(StaffUser.id == body.staff_id).with_for_update())
        user = s.get(StaffUser, body.staff_id)
        ctx.actor = Actor(kiosk_id=kiosk.kiosk_id, staff_id=user.id if user else None, label="kiosk via server")
        if user is None or not user.active:
            return _refused(403, WRONG_CURRENT[body.kind], "wrong")
        until = staff_auth.lock_state(ctx, user.id)
        if until is not None:
            audit_log.record(ctx, "staff.secret_change_refused_locked", "staff", user.id, kind=body.kind)
            return _refused(429, f"This account is locked after {staff_auth.MAX_FAILURES} failed attempts; try "
                                 f"again after {until:%H:%M} UTC.", "locked")
        change = staff_accounts.change_own_pin if body.kind == "pin" else staff_accounts.change_own_password
        try:
            change(ctx, user.id, body.current, body.new)
        except staff_accounts.WrongSecret:
            # a guess at the current secret counts against the account like a failed sign-in
            audit_log.record(ctx, staff_auth.FAILED, "staff", user.id, method=f"{body.kind} change")
            return _refused(403, WRONG_CURRENT[body.kind], "wrong")
        except (InvalidInput, PermissionDenied) as exc:
            return _refused(422, str(exc), "rule")
        still = [k for k, on in (("password", user.password_temporary), ("pin", user.pin_temporary)) if on]
        return SecretChanged(changed=body.kind, must_change=still)  # type: ignore[arg-type]


def install(app: FastAPI, db: Database) -> None:
    """Rate-limit the endpoint like sign-in (the middleware reads ``LIMITS`` at each request)."""
    ratelimit.LIMITS.setdefault(PATH, PER_MINUTE)
