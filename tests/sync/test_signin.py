"""Kiosk-side sign-in (kiosk.sync.signin): an enrolled kiosk signs technicians in through a real server process
over HTTP; with the server stopped, only a technician who signed in here with username and password in the
last 14 days can sign in, against the verifier cached then; standalone kiosks sign in locally as before."""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from argon2 import extract_parameters
from sqlalchemy import func, select

from kiosk.domain import auth as staff_auth
from kiosk.domain import schema, seed
from kiosk.domain.clock import FakeClock
from kiosk.domain.db import Database
from kiosk.domain.models import AuditLogEntry, StaffRole, StaffUser
from kiosk.domain.passwords import hash_secret
from kiosk.server import auth
from kiosk.sync import config, local, signin
from kiosk.sync.signin import Refused, SignedIn
from tests.sync.conftest import District
from tests.sync.harness import KioskNode, ServerProcess, make_kiosk

PASSWORD = "rotation-visit-42"
PIN = "480213"


def _credentials(district: District, role: StaffRole = StaffRole.TECHNICIAN, skip: int = 0,
                 password: str = PASSWORD) -> StaffUser:
    with district.db.unit() as ctx:
        users = list(ctx.session.scalars(select(StaffUser).where(StaffUser.role == role)
                                         .order_by(StaffUser.username)))
        u = users[skip]
        u.password_hash = hash_secret(password)
        u.pin_hash = hash_secret(PIN)
        return u


@pytest.fixture
def node(district: District, server: ServerProcess, tmp_path: Path) -> Iterator[KioskNode]:
    n = make_kiosk(district.db, server.url, district.campus, tmp_path / "k.sqlite3", "front desk", staff_signed_in=False)
    n.syncer.sync_once()  # staff rows (public fields only), campuses, this kiosk's own row
    n.db.clock = FakeClock(datetime.now(UTC))
    try:
        yield n
    finally:
        n.close()


def _cfg_path(tmp_path: Path) -> Path:
    return tmp_path / "k.json"


def _local_audit(db: Database, action: str) -> list[AuditLogEntry]:
    with db.unit() as ctx:
        return list(ctx.session.scalars(select(AuditLogEntry).where(AuditLogEntry.action == action)))


def test_a_standalone_kiosk_signs_in_against_its_own_database_as_before(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path}/alone.sqlite3")
    schema.upgrade(db.engine)
    seed.seed(db, seed.SeedOptions(devices=10, tickets=5))
    try:
        ok = signin.sign_in(db, seed.DEMO_PIN, badge="BADGE1001", config_path=tmp_path / "none.json")
        assert isinstance(ok, SignedIn) and ok.via == "local" and not ok.admin
        admin = signin.sign_in(db, seed.DEMO_PASSWORD, username="admin", config_path=tmp_path / "none.json")
        assert isinstance(admin, SignedIn) and admin.admin
        wrong = signin.sign_in(db, "0000", badge="BADGE1001")
        assert wrong == Refused("Wrong sign-in details.")
        assert not (tmp_path / "none-signin.json").exists()
    finally:
        db.dispose()


def test_an_enrolled_kiosk_signs_a_technician_in_through_the_server(
        district: District, node: KioskNode, tmp_path: Path) -> None:
    tech = _credentials(district)
    got = signin.sign_in(node.db, PIN, badge=tech.badge_code, config_path=_cfg_path(tmp_path))
    assert isinstance(got, SignedIn), got
    assert (got.staff_id, got.name, got.admin, got.via) == (
        tech.id, f"{tech.first_name} {tech.last_name}", False, "server")
    wrong = signin.sign_in(node.db, "999999", badge=tech.badge_code, config_path=_cfg_path(tmp_path))
    assert wrong == Refused("Wrong sign-in details.")
    with district.db.unit() as ctx:  # the attempts are in the central log, naming this kiosk
        rows = list(ctx.session.scalars(select(AuditLogEntry).where(AuditLogEntry.entity_id == str(tech.id))
                                        .order_by(AuditLogEntry.at)))
    assert [(r.action, r.kiosk_id) for r in rows] == [(staff_auth.SUCCEEDED, node.config.kiosk_id),
                                                     (staff_auth.FAILED, node.config.kiosk_id)]
    with node.db.unit() as ctx:  # the kiosk still holds no secrets
        assert ctx.session.scalar(select(func.count()).select_from(StaffUser).where(
            (StaffUser.pin_hash.is_not(None)) | (StaffUser.password_hash.is_not(None))
            | (StaffUser.badge_code.is_not(None)))) == 0
    assert not signin.cache_path(_cfg_path(tmp_path)).exists()  # badge + PIN is never cached


def test_lockout_through_the_server_shows_when_it_ends(district: District, node: KioskNode,
                                                      tmp_path: Path) -> None:
    tech = _credentials(district)
    for _ in range(5):
        signin.sign_in(node.db, "nope-nope-nope", username=tech.username, config_path=_cfg_path(tmp_path))
    locked = signin.sign_in(node.db, PASSWORD, username=tech.username, config_path=_cfg_path(tmp_path))
    assert isinstance(locked, Refused) and locked.locked_until is not None
    from kiosk.domain.district import local_zone

    with node.db.unit() as ctx:
        zone = local_zone(ctx.session)  # the district's, not this machine's
    assert "locked" in locked.message and f"{locked.locked_until.astimezone(zone):%H:%M}" in locked.message


def test_offline_a_cached_password_works_for_14_days_and_pin_badge_and_strangers_get_a_clear_message(
        district: District, server: ServerProcess, node: KioskNode, tmp_path: Path) -> None:
    cfg = _cfg_path(tmp_path)
    tech = _credentials(district)
    other = _credentials(district, skip=1)
    online = signin.sign_in(node.db, PASSWORD, username=tech.username, config_path=cfg)
    assert isinstance(online, SignedIn) and online.via == "server"
    cache = signin.cache_path(cfg)
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600
    stored = cache.read_text()
    assert PASSWORD not in stored and PIN not in stored
    verifier = json.loads(stored)["entries"][tech.username]["verifier"]
    params = extract_parameters(verifier)
    assert params.type.name == "ID" and params.memory_cost >= 128 * 1024 and params.time_cost >= 4
    assert signin.cached_usernames(cfg) == [tech.username]

    server.stop()
    node.db.clock.advance(days=13)  # type: ignore[attr-defined]
    offline = signin.sign_in(node.db, PASSWORD, username=tech.username.upper(), config_path=cfg)
    assert isinstance(offline, SignedIn) and offline.via == "offline" and offline.staff_id == tech.id
    assert signin.sign_in(node.db, "not-it-at-all", username=tech.username, config_path=cfg) == Refused(
        "Wrong sign-in details.")
    badge = signin.sign_in(node.db, PIN, badge=tech.badge_code, config_path=cfg)
    assert badge == Refused(signin.OFFLINE_BADGE)
    stranger = signin.sign_in(node.db, PASSWORD, username=other.username, config_path=cfg)
    assert stranger == Refused(signin.OFFLINE_UNKNOWN)
    # offline attempts go to this kiosk's audit log (pushed to the server later), naming the kiosk
    ok_rows = _local_audit(node.db, staff_auth.SUCCEEDED)
    assert [(r.entity_id, r.kiosk_id) for r in ok_rows] == [(str(tech.id), node.config.kiosk_id)]
    assert len(_local_audit(node.db, staff_auth.FAILED)) == 1

    node.db.clock.advance(days=1, seconds=1)  # type: ignore[attr-defined]
    expired = signin.sign_in(node.db, PASSWORD, username=tech.username, config_path=cfg)
    assert expired == Refused(signin.OFFLINE_UNKNOWN)
    assert not cache.exists()  # the expired verifier is deleted, not merely ignored


def test_offline_lockout_applies_to_the_cached_verifier(district: District, server: ServerProcess,
                                                       node: KioskNode, tmp_path: Path) -> None:
    cfg = _cfg_path(tmp_path)
    tech = _credentials(district)
    assert isinstance(signin.sign_in(node.db, PASSWORD, username=tech.username, config_path=cfg), SignedIn)
    server.stop()
    answers = [signin.sign_in(node.db, f"guess-number-{i}", username=tech.username, config_path=cfg)
               for i in range(5)]
    assert [a.locked_until is not None for a in answers if isinstance(a, Refused)] == [False] * 4 + [True]
    locked = signin.sign_in(node.db, PASSWORD, username=tech.username, config_path=cfg)
    assert isinstance(locked, Refused) and "locked" in locked.message
    node.db.clock.advance(minutes=6)  # type: ignore[attr-defined]
    assert isinstance(signin.sign_in(node.db, PASSWORD, username=tech.username, config_path=cfg), SignedIn)


def test_admins_and_short_passwords_are_never_cached(district: District, server: ServerProcess, node: KioskNode,
                                                    tmp_path: Path) -> None:
    cfg = _cfg_path(tmp_path)
    admin = _credentials(district, StaffRole.ADMIN)
    short = _credentials(district, password="short-pw1")
    got = signin.sign_in(node.db, PASSWORD, username=admin.username, config_path=cfg)
    assert isinstance(got, SignedIn) and got.admin
    assert isinstance(signin.sign_in(node.db, "short-pw1", username=short.username, config_path=cfg), SignedIn)
    assert not signin.cache_path(cfg).exists()
    server.stop()
    assert signin.sign_in(node.db, PASSWORD, username=admin.username, config_path=cfg) == Refused(
        signin.OFFLINE_UNKNOWN)


def test_a_changed_password_drops_the_old_verifier(district: District, node: KioskNode, tmp_path: Path) -> None:
    cfg = _cfg_path(tmp_path)
    tech = _credentials(district)
    assert isinstance(signin.sign_in(node.db, PASSWORD, username=tech.username, config_path=cfg), SignedIn)
    _credentials(district, password="a-brand-new-passphrase")
    assert signin.sign_in(node.db, PASSWORD, username=tech.username, config_path=cfg) == Refused(
        "Wrong sign-in details.")
    assert signin.cached_usernames(cfg) == []


def test_revoking_or_enrolling_again_wipes_the_verifiers(district: District, node: KioskNode,
                                                        tmp_path: Path) -> None:
    cfg = _cfg_path(tmp_path)
    tech = _credentials(district)
    assert isinstance(signin.sign_in(node.db, PASSWORD, username=tech.username, config_path=cfg), SignedIn)
    # enrolled again (a new token in the enrollment file): the old cache no longer counts and is deleted
    config.save(config.KioskConfig(**{**node.config.__dict__, "token": "another-token"}), cfg)
    assert signin.cached_usernames(cfg) == [] and not signin.cache_path(cfg).exists()
    config.save(node.config, cfg)
    assert isinstance(signin.sign_in(node.db, PASSWORD, username=tech.username, config_path=cfg), SignedIn)
    assert signin.cached_usernames(cfg) == [tech.username]
    auth.revoke(district.db, str(node.config.kiosk_id))
    refused = signin.sign_in(node.db, PASSWORD, username=tech.username, config_path=cfg)
    assert isinstance(refused, Refused) and "revoked" in refused.message and "enroll it again" in refused.message
    assert not signin.cache_path(cfg).exists()


def test_a_technician_not_pulled_yet_is_written_locally_from_the_answer(
        district: District, server: ServerProcess, tmp_path: Path) -> None:
    fresh = make_kiosk(district.db, server.url, district.campus, tmp_path / "new.sqlite3", "new kiosk")
    try:
        tech = _credentials(district)
        got = signin.sign_in(fresh.db, PIN, badge=tech.badge_code, config_path=tmp_path / "new.json")
        assert isinstance(got, SignedIn) and got.via == "server"
        with fresh.db.unit() as ctx:
            row = ctx.session.get(StaffUser, tech.id)
            assert row is not None and row.username == tech.username and row.pin_hash is None
        assert local.pending_count(fresh.db) == 0  # staff rows are never pushed
        fresh.syncer.sync_once()
        assert local.rejected_count(fresh.db) == 0
        with fresh.db.unit() as ctx:
            row = ctx.session.get(StaffUser, tech.id)
            assert row is not None and row.lead_of_campus_id == tech.lead_of_campus_id
    finally:
        fresh.close()


def test_an_enrolled_database_without_its_enrollment_file_says_so(node: KioskNode, tmp_path: Path) -> None:
    got = signin.sign_in(node.db, PIN, badge="BADGE1001", config_path=tmp_path / "missing.json")
    assert isinstance(got, Refused) and "enroll it again" in got.message


def test_unreachable_means_connection_refused_not_a_guess(node: KioskNode, tmp_path: Path) -> None:
    cfg = _cfg_path(tmp_path)
    moved = config.KioskConfig(**{**node.config.__dict__, "server": "http://127.0.0.1:9"})
    config.save(moved, cfg)
    got = signin.sign_in(node.db, PASSWORD, username="whoever", config_path=cfg)
    assert got == Refused(signin.OFFLINE_UNKNOWN)
    assert config.load(cfg).token == node.config.token  # the enrollment itself is untouched
