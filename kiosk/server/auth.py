"""Kiosk identity: one-time enrollment codes, bearer tokens stored only as hashes, revocation."""

from __future__ import annotations

import contextlib
import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, bindparam, delete, or_, select, update

from kiosk.domain.db import Database
from kiosk.domain.devices import find_campus
from kiosk.domain.errors import InvalidInput, NotFound
from kiosk.domain.models import EnrollmentCode, Kiosk, SyncState
from kiosk.protocol.scope import write_changes
from kiosk.server.apply import Pusher

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12
CODE_TTL = timedelta(days=7)


class Unauthorized(Exception):
    """Missing, unknown or revoked credentials (HTTP 401)."""


def digest(secret: str) -> str:
    """Tokens and codes are long random strings, so a fast hash is enough to store them safely."""
    return hashlib.sha256(secret.encode()).hexdigest()


def normalize_code(code: str) -> str:
    return "".join(c for c in code.upper() if c.isalnum())


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i:i + 4] for i in range(0, CODE_LENGTH, 4))


def create_enrollment_code(db: Database, campus: str, ttl: timedelta = CODE_TTL) -> tuple[str, str, datetime]:
    """A one-time code for a new kiosk at ``campus``: (code, campus code, expiry)."""
    code = new_code()
    with db.unit() as ctx:
        found = find_campus(ctx.session, campus)
        now = ctx.clock.now()
        ctx.session.add(EnrollmentCode(code_hash=digest(normalize_code(code)), campus_id=found.id, created_at=now,
                                       expires_at=now + ttl))
        return code, found.code, now + ttl


@dataclass(frozen=True)
class Enrolled:
    kiosk_id: uuid.UUID
    campus_id: uuid.UUID
    token: str


def enroll(conn: Connection, code: str, name: str, now: datetime) -> Enrolled:
    """Exchange a code for a new kiosk and its token; the code is spent even if two kiosks race for it."""
    row = conn.execute(
        update(EnrollmentCode)
        .where(EnrollmentCode.code_hash == digest(normalize_code(code)), EnrollmentCode.used_at.is_(None),
               EnrollmentCode.expires_at > now)
        .values(used_at=now)
        .returning(EnrollmentCode.id, EnrollmentCode.campus_id)
    ).first()
    if row is None:
        raise Unauthorized("that enrollment code is unknown, used or expired; ask an admin for a new one")
    token = secrets.token_urlsafe(32)
    kiosk_id = uuid.uuid4()
    conn.execute(Kiosk.__table__.insert().values(  # type: ignore[attr-defined]
        id=kiosk_id, campus_id=row.campus_id, name=name[:100], token_hash=digest(token), enrolled_at=now,
        created_at=now, updated_at=now))
    conn.execute(update(EnrollmentCode).where(EnrollmentCode.id == row.id).values(kiosk_id=kiosk_id))
    write_changes(conn, {("kiosks", kiosk_id): {row.campus_id}}, set())  # the campus's other kiosks learn of it
    return Enrolled(kiosk_id, row.campus_id, token)


_BY_TOKEN = select(Kiosk.id, Kiosk.campus_id, Kiosk.revoked_at).where(Kiosk.token_hash == bindparam("h"))


NEXT_TOKEN = "nt:"  # sync_state keys of tokens issued to a kiosk and not used yet


def issue_next_token(conn: Connection, kiosk_id: uuid.UUID) -> str:
    """A fresh token for this kiosk (the rotation at each sync): its current token keeps working until the kiosk
    first uses this one, and then stops, with every other token issued to it meanwhile. So a copied token dies
    at the next sync of the real kiosk (and if the copy is used first, the real kiosk's next request is refused,
    which shows the theft)."""
    from kiosk.protocol.capture import set_state

    token = secrets.token_urlsafe(32)
    set_state(conn, NEXT_TOKEN + digest(token)[:61], str(kiosk_id))
    return token


def _promote(conn: Connection, token: str) -> bool:
    """The token is one issued to a kiosk and not used yet: it becomes the kiosk's token, in the request's own
    transaction (a request that is rolled back leaves it pending, still good for the next one)."""
    key = NEXT_TOKEN + digest(token)[:61]
    found = conn.execute(select(SyncState.value).where(SyncState.key == key)).scalar()
    if found is None:
        return False
    if conn.execute(select(Kiosk.revoked_at).where(Kiosk.id == uuid.UUID(found))).scalar() is not None:
        raise Unauthorized("this kiosk's token was revoked; enroll it again with a new code")
    conn.execute(update(Kiosk).where(Kiosk.id == uuid.UUID(found), Kiosk.revoked_at.is_(None))
                 .values(token_hash=digest(token)))
    conn.execute(delete(SyncState).where(SyncState.key.like(NEXT_TOKEN + "%"), SyncState.value == found))
    return True


def authenticate(conn: Connection, token: str | None) -> Pusher:
    if not token:
        raise Unauthorized("this request needs a kiosk token (Authorization: Bearer ...)")
    row = conn.execute(_BY_TOKEN, {"h": digest(token)}).first()
    if row is None and _promote(conn, token):
        row = conn.execute(_BY_TOKEN, {"h": digest(token)}).first()
    if row is None:
        raise Unauthorized("unknown kiosk token; enroll this kiosk again")
    if row.revoked_at is not None:
        raise Unauthorized("this kiosk's token was revoked; enroll it again with a new code")
    return Pusher(kiosk_id=row.id, campus_id=row.campus_id, node=row.id.hex)


def revoke(db: Database, ref: str) -> Kiosk:
    """Revoke a kiosk by id or name; its token stops working at once."""
    with db.unit() as ctx:
        s = ctx.session
        cond = [Kiosk.name == ref]
        with contextlib.suppress(ValueError):
            cond.append(Kiosk.id == uuid.UUID(ref))
        found = list(s.scalars(select(Kiosk).where(or_(*cond))))
        if not found:
            raise NotFound(f"no kiosk {ref!r}")
        if len(found) > 1:
            raise InvalidInput(f"{len(found)} kiosks are named {ref!r}; give the kiosk id")
        kiosk = found[0]
        if kiosk.revoked_at is None:
            kiosk.revoked_at = ctx.clock.now()
            kiosk.updated_at = kiosk.revoked_at
            s.flush()
            write_changes(s.connection(), {("kiosks", kiosk.id): {kiosk.campus_id}}, set())
        return kiosk


