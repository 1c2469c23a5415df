"""A technician changes their own PIN and password at an enrolled kiosk, through the district service over real
HTTP (a real server process, PostgreSQL): the hashes live on the service only. The current secret is the proof of
who asks; a copied kiosk token alone changes nobody's PIN, and guesses lock the account like sign-in guesses."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from kiosk.domain import auth as staff_auth
from kiosk.domain import schema, staff_accounts
from kiosk.domain.db import Actor
from kiosk.domain.errors import InvalidInput
from kiosk.domain.models import AuditLogEntry, StaffRole, StaffUser, SyncChange
from kiosk.protocol.tables import PROTOCOL_VERSION
from kiosk.server import auth
from kiosk.sync import staff_secrets
from tests.sync.conftest import District, district, server
from tests.sync.harness import ServerProcess, make_kiosk

__all__ = ["district", "server"]  # the sync tests' fixtures: a seeded district on PostgreSQL, its server process


def _body(**kw: object) -> dict[str, object]:
    return {"protocol": PROTOCOL_VERSION, "schema_rev": schema.head_revision(), **kw}


def _enroll(district: District, server: ServerProcess, name: str) -> tuple[uuid.UUID, str]:
    code, _, _ = auth.create_enrollment_code(district.db, district.campus)
    resp = httpx.post(server.url + "/v1/enroll", json=_body(code=code, name=name))
    assert resp.status_code == 200, resp.text
    return uuid.UUID(resp.json()["kiosk_id"]), resp.json()["token"]


def _technician(district: District, skip: int = 0) -> StaffUser:
    with district.db.unit() as ctx:
        users = list(ctx.session.scalars(select(StaffUser).where(StaffUser.role == StaffRole.TECHNICIAN,
                                                                 StaffUser.active).order_by(StaffUser.username)))
        ctx.session.expunge(users[skip])
        return users[skip]


def _reset(district: District, user: StaffUser) -> tuple[str, str]:
    """What `kiosk staff reset-pin` / `reset-password` do on the district database: temporary secrets."""
    with district.db.unit(Actor(label="cli")) as ctx:
        return (staff_accounts.reset_pin(ctx, user.username),
                staff_accounts.reset_password(ctx, user.username))


def _change(server: ServerProcess, token: str | None, staff_id: uuid.UUID, kind: str, current: str,
            new: str) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.post(server.url + "/v1/staff/secret", headers=headers, timeout=30,
                      json=_body(staff_id=str(staff_id), kind=kind, current=current, new=new))


def _sign_in(server: ServerProcess, token: str, **creds: str) -> httpx.Response:
    return httpx.post(server.url + "/v1/signin", json=_body(**creds), headers={"Authorization": f"Bearer {token}"},
                      timeout=30)


def _row(district: District, staff_id: uuid.UUID) -> StaffUser:
    with district.db.unit() as ctx:
        user = ctx.session.get(StaffUser, staff_id)
        assert user is not None
        ctx.session.expunge(user)
        return user


def _actions(district: District, staff_id: uuid.UUID) -> list[tuple[str, uuid.UUID | None]]:
    with district.db.unit() as ctx:
        return [(a, k) for a, k in ctx.session.execute(
            select(AuditLogEntry.action, AuditLogEntry.kiosk_id).where(AuditLogEntry.entity_id == str(staff_id))
            .order_by(AuditLogEntry.at, AuditLogEntry.id))]


def _logged(district: District, staff_id: uuid.UUID) -> int:
    with district.db.unit() as ctx:
        return len(ctx.session.scalars(select(SyncChange.seq).where(SyncChange.table_name == "staff_users",
                                                                    SyncChange.row_id == staff_id)).all())


def test_a_reset_is_forced_at_the_kiosk_and_the_technician_changes_pin_and_password_there(
        district: District, server: ServerProcess) -> None:
    kiosk_id, token = _enroll(district, server, "tech room")
    tech = _technician(district)
    temp_pin, temp_password = _reset(district, tech)
    signed = _sign_in(server, token, badge=tech.badge_code or "", pin=temp_pin)
    assert signed.status_code == 200, signed.text
    assert sorted(signed.json()["must_change"]) == ["password", "pin"]  # the kiosk forces the change now

    wrong = _change(server, token, tech.id, "pin", "000000", "730519")
    assert wrong.status_code == 403 and wrong.json()["reason"] == "wrong"
    easy = _change(server, token, tech.id, "pin", temp_pin, "123456")  # the domain's rule, not a copy of it
    assert easy.status_code == 422 and "too easy" in easy.json()["detail"]
    short = _change(server, token, tech.id, "pin", temp_pin, "73051")
    assert short.status_code == 422 and "6 to 12 digits" in short.json()["detail"]
    assert _row(district, tech.id).pin_temporary  # nothing changed by the refusals
    logged_before = _logged(district, tech.id)

    done = _change(server, token, tech.id, "pin", temp_pin, "730519")
    assert done.status_code == 200, done.text
    assert done.json() == {"changed": "pin", "must_change": ["password"]}
    weak = _change(server, token, tech.id, "password", temp_password, "short")
    assert weak.status_code == 422 and "at least 10" in weak.json()["detail"]
    done = _change(server, token, tech.id, "password", temp_password, "my-own-password-42")
    assert done.status_code == 200 and done.json()["must_change"] == []

    after = _row(district, tech.id)
    assert not after.pin_temporary and not after.password_temporary
    assert "730519" not in (after.pin_hash or "") and (after.pin_hash or "").startswith("$argon2id$")
    assert _sign_in(server, token, badge=tech.badge_code or "", pin=temp_pin).status_code == 403
    again = _sign_in(server, token, username=tech.username, password="my-own-password-42")
    assert again.status_code == 200 and again.json()["must_change"] == []
    actions = _actions(district, tech.id)
    assert ("staff.pin_changed", kiosk_id) in actions and ("staff.password_changed", kiosk_id) in actions
    assert ("staff.pin_change_refused", kiosk_id) in actions  # the wrong current PIN, recorded
    assert _logged(district, tech.id) > logged_before  # the cleared flag reaches every kiosk by the change log


def test_a_copied_kiosk_token_alone_cannot_change_anyones_pin(district: District, server: ServerProcess) -> None:
    _kiosk_id, token = _enroll(district, server, "copied")
    tech = _technician(district, skip=1)
    temp_pin, _ = _reset(district, tech)
    before = _row(district, tech.id).pin_hash
    assert _change(server, None, tech.id, "pin", temp_pin, "730519").status_code == 401  # no token
    assert _change(server, "not-a-token", tech.id, "pin", temp_pin, "730519").status_code == 401
    # the thief has the token and the technician's id (public), and guesses the current PIN
    answers = [_change(server, token, tech.id, "pin", guess, "864209")
               for guess in ("111111", "222222", "333333", "444444", "555555")]
    assert [a.status_code for a in answers] == [403] * 5
    locked = _change(server, token, tech.id, "pin", "666666", "864209")
    assert locked.status_code == 429 and locked.json()["reason"] == "locked"
    # even the right PIN is refused while the account is locked, and so is sign-in: guesses share one budget
    assert _change(server, token, tech.id, "pin", temp_pin, "864209").status_code == 429
    assert _sign_in(server, token, badge=tech.badge_code or "", pin=temp_pin).status_code == 429
    assert _row(district, tech.id).pin_hash == before and _row(district, tech.id).pin_temporary
    failures = [a for a, _ in _actions(district, tech.id) if a == staff_auth.FAILED]
    assert len(failures) == 5
    # an unknown staff id answers like a wrong PIN (nothing to learn about who exists)
    ghost = _change(server, token, uuid.uuid4(), "pin", "111111", "864209")
    assert ghost.status_code == 403 and ghost.json()["detail"] == answers[0].json()["detail"]
    answer_text = " ".join(a.text for a in answers)
    assert temp_pin not in answer_text and "argon2" not in answer_text


def test_the_endpoint_is_rate_limited_per_kiosk(district: District, server: ServerProcess) -> None:
    _kiosk_id, token = _enroll(district, server, "busy")
    codes = [_change(server, token, uuid.uuid4(), "pin", "111111", "864209").status_code for _ in range(11)]
    assert codes[:10] == [403] * 10 and codes[10] == 429


def test_the_kiosks_own_client_changes_the_pin_and_says_plainly_when_the_server_is_away(
        district: District, server: ServerProcess, tmp_path: Path) -> None:
    node = make_kiosk(district.db, server.url, district.campus, tmp_path / "kiosk.sqlite3", "front desk")
    path = tmp_path / "kiosk.json"
    try:
        tech = _technician(district, skip=2)
        temp_pin, _ = _reset(district, tech)
        assert staff_secrets.enrolled(node.db)
        with pytest.raises(InvalidInput, match="current PIN is not right"):
            staff_secrets.change_own_secret(node.db, tech.id, "pin", "999999", "730519", config_path=path)
        left = staff_secrets.change_own_secret(node.db, tech.id, "pin", temp_pin, "730519", config_path=path)
        assert left == frozenset({"password"})
        assert not _row(district, tech.id).pin_temporary
        server.stop()
        with pytest.raises(staff_secrets.ServiceUnreachable, match="cannot be reached, so your password is not"):
            staff_secrets.change_own_secret(node.db, tech.id, "password", "x" * 12, "y" * 12, config_path=path)
    finally:
        node.close()
