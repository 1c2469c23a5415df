"""Admin actions from an enrolled kiosk, run by the district service over real HTTP (a real server process,
PostgreSQL): the kiosk token says which kiosk asks, the staff session granted at sign-in says who. A copied kiosk
token alone, a technician's session, another kiosk's session or an expired one changes nothing."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta

import httpx
import pytest
from sqlalchemy import select

from kiosk.domain import schema, staff_accounts
from kiosk.domain.db import Actor
from kiosk.domain.models import AuditLogEntry, Campus, StaffRole, StaffUser, SyncChange, SyncState
from kiosk.protocol.tables import PROTOCOL_VERSION
from kiosk.server import admin_act, auth
from tests.sync.conftest import District, district, server
from tests.sync.harness import ServerProcess

__all__ = ["district", "server"]


def _body(**kw: object) -> dict[str, object]:
    return {"protocol": PROTOCOL_VERSION, "schema_rev": schema.head_revision(), **kw}


def _enroll(district: District, server: ServerProcess, name: str) -> tuple[uuid.UUID, str]:
    code, _, _ = auth.create_enrollment_code(district.db, district.campus)
    resp = httpx.post(server.url + "/v1/enroll", json=_body(code=code, name=name))
    assert resp.status_code == 200, resp.text
    return uuid.UUID(resp.json()["kiosk_id"]), resp.json()["token"]


def _user(district: District, role: StaffRole) -> StaffUser:
    with district.db.unit() as ctx:
        user = ctx.session.scalars(select(StaffUser).where(StaffUser.role == role, StaffUser.active)
                                   .order_by(StaffUser.username)).first()
        assert user is not None
        ctx.session.expunge(user)
        return user


def _signed_in(district: District, server: ServerProcess, token: str, user: StaffUser) -> str:
    """Sign ``user`` in at the kiosk with a password an admin reset (what the kiosk's sign-in screen sends)."""
    with district.db.unit(Actor(label="cli")) as ctx:
        password = staff_accounts.reset_password(ctx, user.username)
    resp = httpx.post(server.url + "/v1/signin", json=_body(username=user.username, password=password),
                      headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert resp.status_code == 200, resp.text
    session = resp.json()["staff_session"]
    assert isinstance(session, str) and len(session) >= 22  # 32 random bytes, base64: 256 bits
    return session


def _act(server: ServerProcess, token: str | None, session: str | None, key: str, action: str,
         ref: object = None, **values: object) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    body = _body(key=key, action=action, ref=ref, values=values)
    if session is not None:
        body["session"] = session
    return httpx.post(server.url + "/v1/admin/act", json=body, headers=headers, timeout=30)


def _campus(district: District, code: str) -> Campus | None:
    with district.db.unit() as ctx:
        c = ctx.session.scalars(select(Campus).where(Campus.code == code)).one_or_none()
        if c is not None:
            ctx.session.expunge(c)
        return c


def _sessions(district: District) -> dict[str, dict[str, str]]:
    with district.db.unit() as ctx:
        return {k: json.loads(v) for k, v in ctx.session.execute(
            select(SyncState.key, SyncState.value).where(SyncState.key.like("ss:%")))}


def test_an_admins_session_changes_the_district_and_the_change_log_and_audit_name_the_kiosk(
        district: District, server: ServerProcess) -> None:
    kiosk_id, token = _enroll(district, server, "admin desk")
    admin = _user(district, StaffRole.ADMIN)
    session = _signed_in(district, server, token, admin)
    stored = _sessions(district)
    assert session not in json.dumps(stored) and all(session not in k for k in stored)  # kept hashed only
    entry = next(iter(stored.values()))
    assert entry["staff"] == str(admin.id) and entry["kiosk"] == str(kiosk_id)
    lives = datetime.fromisoformat(entry["expires"]) - datetime.now(datetime.fromisoformat(entry["expires"]).tzinfo)
    assert timedelta(minutes=4) < lives <= timedelta(minutes=15)

    done = _act(server, token, session, "campuses", "add_campus", code="NEW1", name="New Campus")
    assert done.status_code == 200, done.text
    assert "NEW1" in done.json()["text"] or "New Campus" in done.json()["text"]
    campus = _campus(district, "NEW1")
    assert campus is not None and campus.name == "New Campus"
    with district.db.unit() as ctx:
        audit = ctx.session.execute(select(AuditLogEntry.actor_id, AuditLogEntry.kiosk_id)
                                    .where(AuditLogEntry.entity_id == str(campus.id))).all()
        assert (admin.id, kiosk_id) in audit
        assert ctx.session.scalars(select(SyncChange.seq).where(SyncChange.row_id == campus.id)).first()

    pin = _act(server, token, session, "staff", "reset_pin", ref=_user(district, StaffRole.TECHNICIAN).username)
    assert pin.status_code == 200 and pin.json()["template"].startswith("Temporary PIN")
    bad = _act(server, token, session, "campuses", "add_campus", code="bad code!", name="X")
    assert bad.status_code == 422 and "campus code" in bad.json()["detail"]
    missing = _act(server, token, session, "campuses", "rename", ref="NOPE", name="Y")
    assert missing.status_code == 404 and missing.json()["reason"] == "not_found"


def test_a_copied_kiosk_token_without_a_session_changes_nothing(district: District,
                                                                 server: ServerProcess) -> None:
    _kiosk_id, token = _enroll(district, server, "copied")
    assert _act(server, token, None, "campuses", "add_campus", code="T1", name="Thief").status_code == 422
    guessed = _act(server, token, "x" * 43, "campuses", "add_campus", code="T1", name="Thief")
    assert guessed.status_code == 403 and guessed.json()["reason"] == "session"
    assert _act(server, None, "x" * 43, "campuses", "add_campus", code="T1", name="Thief").status_code == 401
    assert _act(server, "not-a-token", "x" * 43, "campuses", "add_campus", code="T1",
                name="Thief").status_code == 401
    assert _campus(district, "T1") is None


def test_a_technicians_session_is_refused(district: District, server: ServerProcess) -> None:
    _kiosk_id, token = _enroll(district, server, "tech room")
    tech = _user(district, StaffRole.TECHNICIAN)
    session = _signed_in(district, server, token, tech)
    refused = _act(server, token, session, "campuses", "add_campus", code="T2", name="Tech")
    assert refused.status_code == 403 and refused.json()["reason"] == "admin"
    promote = _act(server, token, session, "staff", "set_role", ref=tech.username, role="admin")
    assert promote.status_code == 403
    assert _campus(district, "T2") is None
    with district.db.unit() as ctx:
        assert ctx.session.get(StaffUser, tech.id).role is StaffRole.TECHNICIAN  # type: ignore[union-attr]


def test_a_session_from_another_kiosk_is_refused(district: District, server: ServerProcess) -> None:
    _a, token_a = _enroll(district, server, "kiosk a")
    _b, token_b = _enroll(district, server, "kiosk b")
    session_a = _signed_in(district, server, token_a, _user(district, StaffRole.ADMIN))
    moved = _act(server, token_b, session_a, "campuses", "add_campus", code="T3", name="Moved")
    assert moved.status_code == 403 and moved.json()["reason"] == "session"
    assert _campus(district, "T3") is None
    # the session still works at its own kiosk
    assert _act(server, token_a, session_a, "campuses", "add_campus", code="T3", name="Own").status_code == 200


def test_an_expired_session_is_refused_and_deleted(district: District, server: ServerProcess) -> None:
    _kiosk_id, token = _enroll(district, server, "expiring")
    session = _signed_in(district, server, token, _user(district, StaffRole.ADMIN))
    assert _act(server, token, session, "holidays", "save", start="2030-01-02", end="2030-01-02",
                name="Kept").status_code == 200
    with district.db.unit() as ctx:  # the session was last used 16 minutes ago (its lifetime is 5-15 minutes)
        row = ctx.session.get(SyncState, admin_act._key(session))
        assert row is not None
        data = json.loads(row.value)
        data["expires"] = (datetime.fromisoformat(data["expires"]) - timedelta(minutes=16)).isoformat()
        row.value = json.dumps(data)
    late = _act(server, token, session, "campuses", "add_campus", code="T4", name="Late")
    assert late.status_code == 403 and late.json()["reason"] == "session"
    assert _campus(district, "T4") is None
    with district.db.unit() as ctx:
        assert ctx.session.get(SyncState, admin_act._key(session)) is None


def test_a_disabled_admins_session_stops_working(district: District, server: ServerProcess) -> None:
    _kiosk_id, token = _enroll(district, server, "leaver")
    admin = _user(district, StaffRole.ADMIN)
    session = _signed_in(district, server, token, admin)
    with district.db.unit() as ctx:  # (the services keep the last admin; a database edit does not)
        ctx.session.get(StaffUser, admin.id).active = False  # type: ignore[union-attr]
    refused = _act(server, token, session, "campuses", "add_campus", code="T5", name="Leaver")
    assert refused.status_code == 403 and refused.json()["reason"] == "admin"
    assert _campus(district, "T5") is None


def test_signing_out_ends_the_session_on_the_service_and_only_its_own_kiosk_can(
        district: District, server: ServerProcess, monkeypatch: pytest.MonkeyPatch) -> None:
    from kiosk.sync import admin_remote, config

    _a, token_a = _enroll(district, server, "signs out")
    _b, token_b = _enroll(district, server, "copied token")
    session = _signed_in(district, server, token_a, _user(district, StaffRole.ADMIN))
    # another kiosk's token cannot end it (nor learn whether it exists)
    other = httpx.post(server.url + "/v1/staff/signout", json=_body(session=session),
                       headers={"Authorization": f"Bearer {token_b}"}, timeout=30)
    assert other.status_code == 200 and other.json() == {"ended": False}
    assert _act(server, token_a, session, "campuses", "add_campus", code="T6", name="Before").status_code == 200
    nobody = httpx.post(server.url + "/v1/staff/signout", json=_body(session=session), timeout=30)
    assert nobody.status_code == 401
    # the kiosk's sign-out: its own token and the session, as TechFlow.end sends them
    monkeypatch.setattr(config, "load", lambda _path=None: type("Enrolled", (), {"server": server.url,
                                                                                  "token": token_a}))
    assert admin_remote.end_session(session) is True
    assert admin_remote.end_session(session) is False  # already gone
    assert admin_act._key(session) not in _sessions(district)
    after = _act(server, token_a, session, "campuses", "add_campus", code="T7", name="After")
    assert after.status_code == 403 and after.json()["reason"] == "session"
    assert _campus(district, "T7") is None
