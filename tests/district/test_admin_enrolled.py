"""District setup on an enrolled kiosk: the kiosk's copy of the setup belongs to the district service, which refuses
district changes a kiosk pushes, so the admin screens there say where setup is changed and take no change (never
one that would be lost at the next sync). The same rule holds below the screens: the district services refuse to
write an enrolled kiosk's copy, so the commands run there are refused too.

With KIOSK_SCREENSHOTS=docs/screenshots the test also saves the staff screen at 1366x768."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from kiosk.domain import district_admin, district_file, staff_accounts
from kiosk.domain.db import Actor
from kiosk.domain.errors import PermissionDenied
from kiosk.domain.models import AuditLogEntry, Campus, StaffUser
from kiosk.resources import resource_path
from kiosk.sync import config, local
from tests.ui.conftest import Kiosk, kiosk, kiosk_screen_size
from tests.ui.test_admin_setup import open_section, select_where, shot
from tests.ui.test_technician import sign_in

__all__ = ["kiosk", "kiosk_screen_size"]


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
    sign_in(k)  # the demo admin, signed in (this test signs in locally, then makes the database an enrolled node)
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
