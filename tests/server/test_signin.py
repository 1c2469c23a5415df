"""POST /v1/signin over real HTTP against a real server process and PostgreSQL: technicians sign in at enrolled
kiosks through the server, with the central lockout and audit log, and nothing secret in the answer."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy import select, text, update

from kiosk.domain import auth as staff_auth
from kiosk.domain import schema
from kiosk.domain.models import AuditLogEntry, StaffRole, StaffUser
from kiosk.domain.passwords import hash_secret
from kiosk.protocol.tables import PROTOCOL_VERSION
from kiosk.server import auth
from tests.sync.conftest import District
from tests.sync.harness import ServerProcess

PASSWORD = "rotation-visit-42"
PIN = "480213"
WRONG = "Wrong sign-in details."


@dataclass
class Tech:
    id: uuid.UUID
    username: str
    badge: str
    first_name: str
    last_name: str
    email: str | None
    home: uuid.UUID | None


def _body(**kw: object) -> dict[str, object]:
    return {"protocol": PROTOCOL_VERSION, "schema_rev": schema.head_revision(), **kw}


def _enroll(district: District, server: ServerProcess, name: str) -> tuple[uuid.UUID, str]:
    code, _, _ = auth.create_enrollment_code(district.db, district.campus)
    resp = httpx.post(server.url + "/v1/enroll", json=_body(code=code, name=name))
    assert resp.status_code == 200, resp.text
    return uuid.UUID(resp.json()["kiosk_id"]), resp.json()["token"]


def _give_credentials(district: District, role: StaffRole = StaffRole.TECHNICIAN, skip: int = 0) -> Tech:
    """The seeded district has no hashes (seeding is faster without); give one staff member real ones."""
    with district.db.unit() as ctx:
        users = list(ctx.session.scalars(select(StaffUser).where(StaffUser.role == role)
                                         .order_by(StaffUser.username)))
        u = users[skip]
        u.password_hash = hash_secret(PASSWORD)
        u.pin_hash = hash_secret(PIN)
        assert u.badge_code is not None
        return Tech(u.id, u.username, u.badge_code, u.first_name, u.last_name, u.email, u.lead_of_campus_id)


def _sign_in(server: ServerProcess, token: str | None, **creds: str) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.post(server.url + "/v1/signin", json=_body(**creds), headers=headers, timeout=30)


@pytest.fixture
def kiosk_token(district: District, server: ServerProcess) -> tuple[uuid.UUID, str]:
    return _enroll(district, server, "front desk")


def test_right_pin_and_password_sign_in_and_the_answer_holds_nothing_secret(
        district: District, server: ServerProcess, kiosk_token: tuple[uuid.UUID, str]) -> None:
    _kiosk_id, token = kiosk_token
    tech = _give_credentials(district)
    by_badge = _sign_in(server, token, badge=tech.badge, pin=PIN)
    assert by_badge.status_code == 200, by_badge.text
    got = by_badge.json()
    assert set(got) == {"staff_id", "username", "first_name", "last_name", "display_name", "admin",
                        "home_campus_id", "signed_in_at", "must_change", "staff_session"}
    assert got["staff_id"] == str(tech.id) and got["admin"] is False
    assert isinstance(got["staff_session"], str) and len(got["staff_session"]) >= 43  # 256 random bits
    assert got["display_name"] == f"{tech.first_name} {tech.last_name}"
    assert got["home_campus_id"] == (str(tech.home) if tech.home else None)
    raw = by_badge.text.replace(got["staff_session"], "")  # (random: it could hold "pin" by chance)
    for secret in (PIN, PASSWORD, tech.badge, "$argon2", "password", "pin_hash"):
        assert secret not in raw
    assert tech.email is not None and tech.email not in raw
    by_name = _sign_in(server, token, username=tech.username.upper(), password=PASSWORD)
    assert by_name.status_code == 200 and by_name.json()["staff_id"] == str(tech.id)
    assert PASSWORD not in by_name.text and "$argon2" not in by_name.text


def test_an_admin_signs_in_with_the_admin_flag(district: District, server: ServerProcess,
                                               kiosk_token: tuple[uuid.UUID, str]) -> None:
    admin = _give_credentials(district, StaffRole.ADMIN)
    resp = _sign_in(server, kiosk_token[1], username=admin.username, password=PASSWORD)
    assert resp.status_code == 200 and resp.json()["admin"] is True


def test_wrong_pin_wrong_password_and_unknown_people_get_the_same_generic_answer(
        district: District, server: ServerProcess, kiosk_token: tuple[uuid.UUID, str]) -> None:
    _kiosk_id, token = kiosk_token
    tech = _give_credentials(district)
    answers = [
        _sign_in(server, token, badge=tech.badge, pin="000000"),
        _sign_in(server, token, username=tech.username, password="not-the-password"),
        _sign_in(server, token, username="nobody-here", password=PASSWORD),
        _sign_in(server, token, badge="BADGE-NOPE", pin=PIN),
    ]
    for resp in answers:
        assert resp.status_code == 403, resp.text
        assert resp.json() == {"detail": WRONG, "reason": "wrong", "locked_until": None}
    assert _sign_in(server, token, badge=tech.badge, pin=PIN).status_code == 200  # 4 failures: not locked


def test_five_failures_lock_the_account_for_five_minutes_even_with_the_right_pin(
        district: District, server: ServerProcess, kiosk_token: tuple[uuid.UUID, str]) -> None:
    _kiosk_id, token = kiosk_token
    tech = _give_credentials(district)
    codes = [_sign_in(server, token, badge=tech.badge, pin=f"00000{i}").status_code for i in range(5)]
    assert codes == [403, 403, 403, 403, 429]
    locked = _sign_in(server, token, badge=tech.badge, pin=PIN)
    assert locked.status_code == 429
    body = locked.json()
    assert body["reason"] == "locked" and body["locked_until"] is not None
    assert "locked" in body["detail"] and "UTC" in body["detail"] and locked.headers["Retry-After"] == "300"
    # the account is locked, by username too
    assert _sign_in(server, token, username=tech.username, password=PASSWORD).status_code == 429
    # five minutes later (moved back in the log rather than waiting) the right PIN works again
    with district.db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET at = at - interval '6 minutes'"))
    assert _sign_in(server, token, badge=tech.badge, pin=PIN).status_code == 200


def test_a_kiosk_trying_many_accounts_locks_itself_not_other_kiosks(
        district: District, server: ServerProcess, kiosk_token: tuple[uuid.UUID, str]) -> None:
    _kiosk_id, token = kiosk_token
    _other_id, other_token = _enroll(district, server, "library")
    tech = _give_credentials(district)
    for i in range(5):
        _sign_in(server, token, username=f"guess{i}", password="x")
    assert _sign_in(server, token, username=tech.username, password=PASSWORD).status_code == 429
    assert _sign_in(server, other_token, username=tech.username, password=PASSWORD).status_code == 200


def test_missing_unknown_and_revoked_tokens_get_401_and_versions_426(
        district: District, server: ServerProcess, kiosk_token: tuple[uuid.UUID, str]) -> None:
    kiosk_id, token = kiosk_token
    tech = _give_credentials(district)
    assert _sign_in(server, None, badge=tech.badge, pin=PIN).status_code == 401
    assert _sign_in(server, "not-a-token", badge=tech.badge, pin=PIN).status_code == 401
    old = httpx.post(server.url + "/v1/signin", headers={"Authorization": f"Bearer {token}"},
                     json={"protocol": 99, "schema_rev": "0001", "badge": tech.badge, "pin": PIN})
    assert old.status_code == 426 and "install the matching kiosk version" in old.json()["detail"]
    assert _sign_in(server, token, badge=tech.badge, pin=PIN).status_code == 200
    auth.revoke(district.db, str(kiosk_id))
    revoked = _sign_in(server, token, badge=tech.badge, pin=PIN)
    assert revoked.status_code == 401 and "revoked" in revoked.json()["detail"]


def test_bodies_must_be_one_kind_of_sign_in(district: District, server: ServerProcess,
                                            kiosk_token: tuple[uuid.UUID, str]) -> None:
    token = kiosk_token[1]
    assert _sign_in(server, token, username="a", password="b", badge="c").status_code == 422
    assert _sign_in(server, token, username="a").status_code == 422
    assert _sign_in(server, token, badge="a" * 65, pin="1").status_code == 422
    nul = _sign_in(server, token, username="mlo\x00pez", password="x")  # a NUL anywhere in a body: 400
    assert nul.status_code == 400 and "NUL" in nul.json()["detail"]


def test_every_attempt_is_in_the_central_audit_log_with_the_kiosk(
        district: District, server: ServerProcess, kiosk_token: tuple[uuid.UUID, str]) -> None:
    kiosk_id, token = kiosk_token
    tech = _give_credentials(district)
    _sign_in(server, token, badge=tech.badge, pin="111111")
    _sign_in(server, token, badge=tech.badge, pin=PIN)
    with district.db.unit() as ctx:
        rows = list(ctx.session.scalars(select(AuditLogEntry).where(
            AuditLogEntry.entity_id == str(tech.id)).order_by(AuditLogEntry.at)))
    assert [r.action for r in rows] == [staff_auth.FAILED, staff_auth.SUCCEEDED]
    assert all(r.kiosk_id == kiosk_id for r in rows)
    assert all(r.detail is not None and r.detail["via"] == "kiosk via server" for r in rows)
    assert all(PIN not in str(r.detail) and "111111" not in str(r.detail) for r in rows)


def test_an_inactive_technician_is_refused_like_a_wrong_pin(
        district: District, server: ServerProcess, kiosk_token: tuple[uuid.UUID, str]) -> None:
    tech = _give_credentials(district)
    with district.db.engine.begin() as conn:
        conn.execute(update(StaffUser).where(StaffUser.id == tech.id).values(active=False))
    resp = _sign_in(server, kiosk_token[1], badge=tech.badge, pin=PIN)
    assert resp.status_code == 403 and resp.json()["detail"] == WRONG
