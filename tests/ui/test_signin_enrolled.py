"""The sign-in screen on an enrolled kiosk (pytest-qt, offscreen): it signs in through kiosk.sync.signin, on a
worker thread, never against hashes in its own database. The server side of that function is tested over real
HTTP in tests/sync/test_signin.py; here the server is either a fake answer or unreachable."""

from __future__ import annotations

import threading
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.domain import seed
from kiosk.domain.models import StaffUser
from kiosk.sync import config, local, signin
from kiosk.sync.signin import Refused, SignedIn

from .conftest import Kiosk

UNREACHABLE = "http://127.0.0.1:9"  # the discard port: connection refused at once


def _enroll_here(k: Kiosk) -> tuple[config.KioskConfig, Path]:
    """Make the test kiosk's database an enrolled node, with its enrollment file in the data folder."""
    assert k.flow.campus_id is not None
    cfg = config.KioskConfig(server=UNREACHABLE, token="t" * 43, kiosk_id=uuid.uuid4(),
                             campus_id=k.flow.campus_id, name="front desk")
    path = config.save(cfg)
    local.enroll_node(k.db, cfg.kiosk_id, cfg.campus_id)
    return cfg, path


def _staff(k: Kiosk, username: str) -> StaffUser:
    with k.db.unit() as ctx:
        return ctx.session.scalars(select(StaffUser).where(StaffUser.username == username)).one()


def _try(k: Kiosk, username: str, secret: str, *, badge: bool = False) -> None:
    if k.window.current is not k.flow.sign_in:
        k.flow.home.staff_button.click()
        k.wait_for(k.flow.sign_in)
    if badge:
        k.flow.on_wedge(username)  # scanned with the USB scanner
    else:
        k.flow.sign_in.username.setText(username)
    k.flow.sign_in.password.setText(secret)
    k.flow.sign_in.go.click()


def _refused_with(k: Kiosk, text: str) -> None:
    k.qtbot.waitUntil(lambda: k.flow.sign_in.go.isEnabled(), timeout=10_000)
    assert k.window.current is k.flow.sign_in
    assert text in k.flow.sign_in.error_label.text()
    assert k.flow.lockdown.locked and k.flow.staff_id is None


def test_the_screen_signs_in_with_the_servers_answer_on_a_worker(kiosk: Kiosk,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    k = kiosk
    tech = _staff(k, "mlopez")
    calls: list[tuple[str, str | None, str | None, bool]] = []

    def fake(db: object, secret: str, *, username: str | None = None, badge: str | None = None,
             **_kw: object) -> SignedIn | Refused:
        calls.append((secret, username, badge, threading.current_thread() is threading.main_thread()))
        if badge == "BADGE1001" and secret == "480213":  # not the PIN this database's hashes know
            return SignedIn(tech.id, "Maria (from the server)", False, None, "server")
        return Refused("Wrong sign-in details.")

    monkeypatch.setattr(signin, "sign_in", fake)
    _try(k, "BADGE1001", seed.DEMO_PIN, badge=True)  # right for the local hashes, wrong for the "server"
    _refused_with(k, "Wrong sign-in details.")
    _try(k, "BADGE1001", "480213", badge=True)
    k.wait_for(k.flow.tech.home)
    assert "Maria (from the server)" in k.flow.tech.home.who.text()
    assert k.flow.staff_id == tech.id and not k.flow.lockdown.locked
    assert calls == [(seed.DEMO_PIN, None, "BADGE1001", False), ("480213", None, "BADGE1001", False)]


def test_an_enrolled_kiosk_offline_says_sign_in_needs_the_server_and_ignores_local_hashes(kiosk: Kiosk) -> None:
    k = kiosk
    _enroll_here(k)
    # the seeded test database does hold demo hashes; an enrolled kiosk must not use them
    _try(k, "BADGE1001", seed.DEMO_PIN, badge=True)
    _refused_with(k, "badge + PIN sign-in needs it")
    _try(k, "mlopez", seed.DEMO_PASSWORD)
    _refused_with(k, "cannot reach the district server")


def test_an_enrolled_kiosk_offline_signs_in_a_technician_with_a_cached_verifier(kiosk: Kiosk) -> None:
    k = kiosk
    cfg, path = _enroll_here(k)
    tech = _staff(k, "mlopez")
    # what an online sign-in with username and password leaves behind (tests/sync/test_signin.py does it live)
    signin._remember(k.db, cfg, signin.cache_path(path), "mlopez", seed.DEMO_PASSWORD, tech.id, admin=False)
    _try(k, "mlopez", "wrong-password")
    _refused_with(k, "Wrong sign-in details.")
    _try(k, "mlopez", seed.DEMO_PASSWORD)
    k.wait_for(k.flow.tech.home, timeout=10_000)
    assert k.flow.staff_id == tech.id and tech.first_name in k.flow.tech.home.who.text()
