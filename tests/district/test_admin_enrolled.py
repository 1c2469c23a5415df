"""District setup on an enrolled kiosk: the kiosk's copy of the setup belongs to the district service, which refuses
district changes a kiosk pushes. The district services refuse to write an enrolled kiosk's copy (so commands run
there are refused too); an admin signed in online holds the service's staff session, so the admin screens send a
change to ``POST /v1/admin/act`` and it arrives in this kiosk's copy by the sync that follows (tested against a real
service process on PostgreSQL). Without a session (signed in before the kiosk was enrolled, or a service that
grants none) the screens say where setup is changed and take no change: none that would be lost at the next sync.
With the service gone the form keeps what was typed and says so plainly.

With KIOSK_SCREENSHOTS=docs/screenshots the tests also save the staff and campus screens at 1366x768."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import delete, func, select

from kiosk.domain import district_admin, district_file, staff_accounts
from kiosk.domain.db import Actor, Database
from kiosk.domain.errors import PermissionDenied
from kiosk.domain.models import AuditLogEntry, Campus, StaffRole, StaffUser, SyncState
from kiosk.resources import resource_path
from kiosk.server import admin_act, auth
from kiosk.settings import KioskPrefs
from kiosk.sync import config, local, signin
from kiosk.sync.client import Syncer, enroll
from kiosk.sync.signin import SignedIn
from kiosk.ui import theme
from kiosk.ui.admin.screens import AdminTableScreen
from kiosk.ui.app import KioskOptions, build
from kiosk.ui.flow import KioskFlow
from kiosk.ui.main_window import KioskWindow
from tests.sync.conftest import District, district, server
from tests.sync.harness import ServerProcess
from tests.ui.conftest import Kiosk, kiosk, kiosk_screen_size
from tests.ui.test_admin_setup import open_section, select_where, shot
from tests.ui.test_technician import sign_in

__all__ = ["district", "kiosk", "kiosk_screen_size", "server"]


def _enroll_here(k: Kiosk) -> None:
    assert k.flow.campus_id is not None
    cfg = config.KioskConfig(server="http://127.0.0.1:9", token="t" * 43, kiosk_id=uuid.uuid4(),
                             campus_id=k.flow.campus_id, name="front desk")
    config.save(cfg)
    local.enroll_node(k.db, cfg.kiosk_id, cfg.campus_id)


def _snapshot(k: Kiosk) -> tuple[int, int, list[tuple[str, bool, bool]]]:
    with k.db.unit() as ctx:
        s = ctx.session
        return (int(s.scalar(select(func.count()).select_from(Campus)) or 0),
                int(s.scalar(select(func.count()).select_from(AuditLogEntry)
                             .where(AuditLogEntry.action.like("district.%"))) or 0),
                [(u.username, u.active, u.pin_temporary) for u in s.scalars(select(StaffUser)
                                                                             .order_by(StaffUser.username))])


def test_the_admin_screens_on_an_enrolled_kiosk_say_where_setup_is_done_and_change_nothing(kiosk: Kiosk) -> None:
    k = kiosk
    # the demo admin, signed in locally, then the database made an enrolled node: no service session, so the
    # screens are read-only (as for a service that grants none)
    sign_in(k)
    _enroll_here(k)
    before = _snapshot(k)
    admin = k.flow.tech.district_admin
    k.flow.tech.home.setup_button.click()
    k.wait_for(admin.home)
    assert admin.home.notice.isVisible() and "district service" in admin.home.notice.text()
    assert "kiosk --url postgresql+psycopg://" in admin.home.notice.text()

    staff = open_section(k, "staff")
    assert staff.notice.isVisible() and staff.model.rowCount() > 0  # the setup as of the last sync, to look at
    select_where(staff, 0, "mlopez")
    assert all(not b.isEnabled() for b in staff.action_buttons.values())
    assert not staff.inputs["username"].isEnabled()
    shot(k, "enrolled-read-only")
    staff.act.emit("disable", staff.selected(), staff.values())  # even if a change were asked for
    k.qtbot.waitUntil(staff.error_label.isVisible, timeout=10_000)
    assert "this kiosk is enrolled" in staff.error_label.text().lower()

    k.flow.tech.show_home()
    k.flow.tech.home.setup_button.click()
    k.wait_for(admin.home)
    admin.home.buttons["rotation"].click()
    k.wait_for(admin.rotation)
    k.idle_workers()
    assert admin.rotation.notice.isVisible()
    assert not admin.rotation.cancel_button.isEnabled() and not admin.rotation.extra_button.isEnabled()
    assert _snapshot(k) == before


def test_the_district_services_refuse_to_write_an_enrolled_kiosks_copy(kiosk: Kiosk) -> None:
    k = kiosk
    _enroll_here(k)
    before = _snapshot(k)
    with k.db.unit(Actor(label="cli")) as ctx, pytest.raises(PermissionDenied, match="district service"):
        staff_accounts.reset_pin(ctx, "mlopez")
    with k.db.unit(Actor(label="cli")) as ctx, pytest.raises(PermissionDenied, match="district service"):
        district_admin.add_campus(ctx, "NEW", "New campus")
    text = resource_path("district.example.toml").read_text(encoding="utf-8")
    with k.db.unit(Actor(label="cli")) as ctx, pytest.raises(PermissionDenied, match="district service"):
        district_file.apply(ctx, district_file.read(text, "district.toml"))
    assert _snapshot(k) == before


# --- online: a real district service process on PostgreSQL -------------------------------------------------

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

    with district.db.unit() as ctx:  # the session ends on the service (as 15 idle minutes would end it)
        ctx.session.execute(delete(SyncState).where(SyncState.key == admin_act._key(e.flow.tech.service_session)))
    ended = _act(e, screen, "add_campus", code="LATE", name="Late Campus")
    assert "session on the district server has ended" in ended and _campus(district.db, "LATE") is None

    server.stop()  # the network goes down: a plain message, and the form keeps what was typed
    gone = _act(e, screen, "add_campus", code="WEST", name="West Campus")
    assert "cannot be reached" in gone and "nothing was changed" in gone
    assert screen.values()["code"] == "WEST" and screen.values()["name"] == "West Campus"
    assert _campus(e.flow.db, "WEST") is None

    e.flow.sign_out()
    assert e.flow.tech.service_session is None  # forgotten at sign-out


def test_signing_out_at_the_kiosk_ends_the_staff_session_on_the_service(enrolled: Enrolled,
                                                                         district: District) -> None:
    """Not only forgotten here: a session copied off the kiosk's memory before the sign-out is dead too."""
    e = enrolled
    _sign_in(e)
    session = e.flow.tech.service_session
    assert session

    def live() -> bool:
        with district.db.unit() as ctx:
            return ctx.session.get(SyncState, admin_act._key(session)) is not None

    assert live()
    e.flow.sign_out()
    e.qtbot.waitUntil(lambda: not live(), timeout=15_000)


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
