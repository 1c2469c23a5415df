"""The admin screens on an enrolled kiosk (pytest-qt, offscreen), against a real district service process on
PostgreSQL: an admin signed in online holds the service's staff session, so a change goes to
``POST /v1/admin/act`` and arrives in this kiosk's copy by the sync that follows; without a session the screens
are read-only and say why; with the service gone the form keeps what was typed and says so plainly.

With KIOSK_SCREENSHOTS=docs/screenshots the test also saves the writable staff screen at 1366x768.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from kiosk.domain import staff_accounts
from kiosk.domain.db import Actor, Database
from kiosk.domain.models import Campus, StaffRole, StaffUser
from kiosk.server import auth
from kiosk.settings import KioskPrefs
from kiosk.sync import signin
from kiosk.sync.client import Syncer, enroll
from kiosk.sync.signin import SignedIn
from kiosk.ui import theme
from kiosk.ui.admin.screens import AdminTableScreen
from kiosk.ui.app import KioskOptions, build
from kiosk.ui.flow import KioskFlow
from kiosk.ui.main_window import KioskWindow
from tests.sync.conftest import District, district, server
from tests.sync.harness import ServerProcess

__all__ = ["district", "server"]

PASSWORD = "admin-own-password-42"


@dataclass
class Enrolled:
    window: KioskWindow
    flow: KioskFlow
    qtbot: QtBot
    admin: StaffUser

    def wait_for(self, screen: object, timeout: int = 10_000) -> None:
        self.qtbot.waitUntil(lambda: self.window.current is screen, timeout=timeout)

    def idle_workers(self) -> None:
        self.qtbot.waitUntil(lambda: self.flow.runner.pending == 0, timeout=20_000)


@pytest.fixture
def enrolled(qtbot: QtBot, district: District, server: ServerProcess, tmp_path: Path) -> Iterator[Enrolled]:
    """A kiosk enrolled at the service (the enrollment file in the data folder, as `kiosk enroll` writes it),
    its copy pulled once, and the kiosk app running on it."""
    from PySide6.QtCore import QSize
    from PySide6.QtWidgets import QApplication

    url = f"sqlite:///{tmp_path / 'kiosk.sqlite3'}"
    node = Database(url)
    from kiosk.domain import schema

    schema.upgrade(node.engine)
    code, _, _ = auth.create_enrollment_code(district.db, district.campus)
    cfg, path = enroll(node, server.url, code, "admin desk")
    syncer = Syncer(node, cfg, config_path=path)
    syncer.sync_once()
    syncer.close()
    node.dispose()
    with district.db.unit(Actor(label="cli")) as ctx:  # the admin's own password, set after a reset
        admin = ctx.session.scalars(select(StaffUser).where(StaffUser.role == StaffRole.ADMIN, StaffUser.active)
                                    .order_by(StaffUser.username)).first()
        assert admin is not None
        temp = staff_accounts.reset_password(ctx, admin.username)
        staff_accounts.change_own_password(ctx, admin.id, temp, PASSWORD)
        ctx.session.flush()
        ctx.session.expunge(admin)
    KioskPrefs(campus_id=str(cfg.campus_id)).save("kiosk-test.json")
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    theme.apply(app, QSize(1366, 768))
    window, flow = build(KioskOptions(url=url, windowed=True, camera=None, config_name="kiosk-test.json"))
    qtbot.addWidget(window)
    window.present()
    with qtbot.waitSignal(flow.ready, timeout=20_000):
        flow.start()
    e = Enrolled(window, flow, qtbot, admin)
    flow.start_sync()  # as the app does once Home is shown
    qtbot.waitUntil(lambda: flow.tech.district_admin.sync is not None, timeout=20_000)  # the sync worker is up
    e.idle_workers()
    yield e
    if flow.sync_indicator is not None:
        flow.sync_indicator.worker.stop()
    flow.runner.wait()
    window.unlock()
    for f in (flow.wedge, flow.idle, flow.lockdown):
        app.removeEventFilter(f)
    flow.db.dispose()


def _sign_in(e: Enrolled) -> None:
    e.flow.home.staff_button.click()
    e.wait_for(e.flow.sign_in)
    e.flow.sign_in.username.setText(e.admin.username)
    e.flow.sign_in.password.setText(PASSWORD)
    e.flow.sign_in.go.click()
    e.qtbot.waitUntil(lambda: e.window.current is not e.flow.sign_in or e.flow.sign_in.go.isEnabled(),
                      timeout=30_000)
    assert e.window.current is e.flow.tech.home, (e.window.current, e.flow.sign_in.error_label.text())


def _open(e: Enrolled, key: str) -> AdminTableScreen:
    admin = e.flow.tech.district_admin
    e.flow.tech.home.setup_button.click()
    e.wait_for(admin.home)
    admin.home.buttons[key].click()
    screen = admin.screens[key]
    e.wait_for(screen)
    e.idle_workers()
    return screen


def _act(e: Enrolled, screen: AdminTableScreen, action: str, **values: object) -> str:
    for key, value in values.items():
        screen.set_value(key, value)
    screen.action_buttons[action].click()
    e.qtbot.waitUntil(lambda: bool(screen.result.text()) or screen.error_label.isVisible(), timeout=30_000)
    e.idle_workers()
    return screen.error_label.text() if screen.error_label.isVisible() else screen.result.text()


def _codes(screen: AdminTableScreen) -> list[str]:
    m = screen.model
    return [m.data(m.index(r, 0)) for r in range(m.rowCount())]


def _campus(db: Database, code: str) -> Campus | None:
    with db.unit() as ctx:
        return ctx.session.scalars(select(Campus).where(Campus.code == code)).one_or_none()


def test_an_admin_signed_in_online_changes_the_setup_on_the_service_and_it_arrives_here(
        enrolled: Enrolled, district: District, server: ServerProcess) -> None:
    e = enrolled
    _sign_in(e)
    assert e.flow.tech.service_session  # granted by the service at sign-in, in memory only
    screen = _open(e, "campuses")
    assert not screen.read_only and not screen.notice.isVisible()
    said = _act(e, screen, "add_campus", code="EAST", name="East Campus")
    assert "EAST" in said or "East Campus" in said, said
    assert _campus(district.db, "EAST") is not None  # made on the service ...
    assert _campus(e.flow.db, "EAST") is not None  # ... and pulled into this kiosk's copy by the sync after it
    assert "EAST" in _codes(screen)  # the rows were re-read after the pull
    if out := os.environ.get("KIOSK_SCREENSHOTS"):
        e.window.resize(1366, 768)
        e.qtbot.wait(100)
        assert e.window.grab().save(str(Path(out) / "admin-enrolled-online.png"))

    refused = _act(e, screen, "add_campus", code="bad code!", name="Nope")  # the service's rule, its words
    assert "campus code" in refused and _campus(district.db, "bad code!") is None

    server.stop()  # the network goes down: a plain message, and the form keeps what was typed
    gone = _act(e, screen, "add_campus", code="WEST", name="West Campus")
    assert "cannot be reached" in gone and "nothing was changed" in gone
    assert screen.values()["code"] == "WEST" and screen.values()["name"] == "West Campus"
    assert _campus(e.flow.db, "WEST") is None

    e.flow.sign_out()
    assert e.flow.tech.service_session is None  # forgotten at sign-out


def test_without_a_service_session_the_screens_stay_read_only(enrolled: Enrolled,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    e = enrolled

    def no_session(db: object, secret: str, **_kw: object) -> SignedIn:  # e.g. a service that grants none
        return SignedIn(e.admin.id, "Admin", True, None, "server")

    monkeypatch.setattr(signin, "sign_in", no_session)
    _sign_in(e)
    assert e.flow.tech.service_session is None
    screen = _open(e, "campuses")
    assert screen.read_only and "This kiosk is enrolled" in screen.notice.text()
    assert not any(b.isEnabled() for b in screen.action_buttons.values())
