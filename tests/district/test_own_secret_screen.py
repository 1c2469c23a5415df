"""'My PIN and password' on an enrolled kiosk (pytest-qt, offscreen): a reset done on the district service forces
the change at sign-in, the change goes to the service (kiosk.sync.staff_secrets, on a worker), and a network
failure says so plainly and keeps what was typed. The service side is tested over real HTTP in
test_own_secret_enrolled.py."""

from __future__ import annotations

import threading
import uuid

import pytest
from sqlalchemy import select

from kiosk.domain import seed
from kiosk.domain.models import StaffUser
from kiosk.sync import config, local, signin, staff_secrets
from kiosk.sync.signin import Refused, SignedIn
from tests.ui.conftest import Kiosk, kiosk, kiosk_screen_size

__all__ = ["kiosk", "kiosk_screen_size"]

UNREACHABLE = "http://127.0.0.1:9"  # the discard port: connection refused at once


def _enroll_here(k: Kiosk) -> None:
    assert k.flow.campus_id is not None
    cfg = config.KioskConfig(server=UNREACHABLE, token="t" * 43, kiosk_id=uuid.uuid4(),
                             campus_id=k.flow.campus_id, name="front desk")
    config.save(cfg)
    local.enroll_node(k.db, cfg.kiosk_id, cfg.campus_id)


def _sign_in_via_server(k: Kiosk, monkeypatch: pytest.MonkeyPatch, must_change: frozenset[str]) -> StaffUser:
    with k.db.unit() as ctx:
        tech = ctx.session.scalars(select(StaffUser).where(StaffUser.username == "mlopez")).one()
        ctx.session.expunge(tech)

    def answer(db: object, secret: str, **_kw: object) -> SignedIn | Refused:
        # what /v1/signin answers after `kiosk staff reset-pin mlopez` on the district service (its flags are not
        # on this kiosk yet: the local row still says nothing is temporary)
        return SignedIn(tech.id, "Maria Lopez", False, None, "server", must_change)

    monkeypatch.setattr(signin, "sign_in", answer)
    k.flow.home.staff_button.click()
    k.wait_for(k.flow.sign_in)
    k.flow.on_wedge("BADGE1001")
    k.flow.sign_in.password.setText("48071655")
    k.flow.sign_in.go.click()
    return tech


def test_a_reset_on_the_service_forces_the_change_and_the_change_goes_there(
        kiosk: Kiosk, monkeypatch: pytest.MonkeyPatch) -> None:
    k = kiosk
    _enroll_here(k)
    with k.db.unit() as ctx:  # this kiosk's copy knows nothing of the reset
        assert not ctx.session.scalars(select(StaffUser.pin_temporary).where(StaffUser.username == "mlopez")).one()
    tech = _sign_in_via_server(k, monkeypatch, frozenset({"pin"}))
    account = k.flow.tech.account
    k.wait_for(account, timeout=10_000)
    assert not account.home_button.isVisible() and "PIN is temporary" in account.notice.text()

    current, new, again = account.fields["pin"]
    current.setText("48071655")
    new.setText("731904")
    again.setText("731904")
    pin_button = next(b for b in account.findChildren(type(account.home_button)) if b.text() == "Change my PIN")
    pin_button.click()  # the server is unreachable: a plain message, nothing typed is lost, still forced
    k.qtbot.waitUntil(account.error_label.isVisible, timeout=10_000)
    assert "cannot be reached, so your PIN is not changed" in account.error_label.text()
    assert (current.text(), new.text(), again.text()) == ("48071655", "731904", "731904")
    assert k.window.current is account and not account.home_button.isVisible()

    calls: list[tuple[uuid.UUID, str, str, str, bool]] = []

    def service(db: object, staff_id: uuid.UUID, kind: str, cur: str, new_secret: str,
                **_kw: object) -> frozenset[str]:
        calls.append((staff_id, kind, cur, new_secret, threading.current_thread() is threading.main_thread()))
        return frozenset()

    monkeypatch.setattr(staff_secrets, "change_own_secret", service)
    pin_button.click()  # back online
    k.wait_for(k.flow.tech.home, timeout=10_000)
    assert calls == [(tech.id, "pin", "48071655", "731904", False)]
    with k.db.unit() as ctx:  # nothing was changed in this kiosk's database: the service holds the PIN
        row = ctx.session.get(StaffUser, tech.id)
        assert row is not None and row.pin_hash is not None  # the demo's local hash, untouched
    assert seed.DEMO_PIN


def test_nothing_is_forced_when_the_service_says_nothing_is_temporary(
        kiosk: Kiosk, monkeypatch: pytest.MonkeyPatch) -> None:
    k = kiosk
    _enroll_here(k)
    with k.db.unit() as ctx:  # a stale local flag: the service (which holds the account) says it was changed
        ctx.session.scalars(select(StaffUser).where(StaffUser.username == "mlopez")).one().pin_temporary = True
    _sign_in_via_server(k, monkeypatch, frozenset())
    k.wait_for(k.flow.tech.home, timeout=10_000)
    k.idle_workers()
    assert k.window.current is k.flow.tech.home
    k.flow.tech.home.my_account.emit()
    k.wait_for(k.flow.tech.account)
    assert "kept by the district server" in k.flow.tech.account.notice.text()
    assert k.flow.tech.account.home_button.isVisible()
