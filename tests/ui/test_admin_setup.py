"""The admin's district setup screens: staff, campuses and rooms, rotation calendar, catalog, SLA, hours, holidays
and objectives, each a thin screen over the district services (checked in the database and the audit log).

With KIOSK_SCREENSHOTS=docs/screenshots the tests also save each screen at 1366x768.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from kiosk.domain import auth, seed
from kiosk.domain.models import (
    AuditLogEntry,
    Campus,
    Holiday,
    Objective,
    Room,
    RotationException,
    ServiceCategory,
    SlaTarget,
    StaffUser,
    WorkingHours,
)
from kiosk.ui.admin.screens import AdminTableScreen

from .conftest import Kiosk
from .test_technician import sign_in


def shot(k: Kiosk, name: str) -> None:
    out = os.environ.get("KIOSK_SCREENSHOTS")
    if not out:
        return
    k.window.resize(1366, 768)
    k.qtbot.wait(100)
    path = Path(out) / f"admin-{name}.png"
    assert k.window.grab().save(str(path))


def open_section(k: Kiosk, key: str) -> AdminTableScreen:
    admin = k.flow.tech.district_admin
    if k.window.current is not admin.home:
        k.flow.tech.home.setup_button.click()
        k.wait_for(admin.home)
    admin.home.buttons[key].click()
    screen = admin.screens[key]
    k.wait_for(screen)
    return screen


def act(k: Kiosk, screen: AdminTableScreen, action: str, **values: object) -> str:
    for key, value in values.items():
        screen.set_value(key, value)
    screen.action_buttons[action].click()
    k.qtbot.waitUntil(lambda: bool(screen.result.text()) or screen.error_label.isVisible(), timeout=10_000)
    k.idle_workers()
    return screen.error_label.text() if screen.error_label.isVisible() else screen.result.text()


def select_where(screen: AdminTableScreen, column: int, text: str) -> None:
    m = screen.model
    row = next(r for r in range(m.rowCount()) if m.data(m.index(r, column)) == text)
    screen.select_row(row)


def audited(k: Kiosk, action: str) -> int:
    with k.db.unit() as ctx:
        return int(ctx.session.scalar(select(func.count()).select_from(AuditLogEntry)
                                      .where(AuditLogEntry.action == action)) or 0)


def test_a_technician_has_no_district_setup_and_an_admin_does(kiosk: Kiosk) -> None:
    sign_in(kiosk, "mlopez")
    assert not kiosk.flow.tech.home.setup_button.isVisible()
    kiosk.flow.tech.home.sign_out_button.click()
    sign_in(kiosk, "admin")
    assert kiosk.flow.tech.home.setup_button.isVisible()
    kiosk.flow.tech.home.setup_button.click()
    kiosk.wait_for(kiosk.flow.tech.district_admin.home)
    shot(kiosk, "menu")


def test_an_admin_adds_a_technician_gives_a_temporary_pin_disables_and_unlocks(kiosk: Kiosk) -> None:
    k = kiosk
    sign_in(k, "admin")
    screen = open_section(k, "staff")
    assert screen.model.rowCount() >= 4
    msg = act(k, screen, "add", username="jdoe", first_name="Jo", last_name="Doe", email="jdoe@example.org",
              badge="B7001", role="technician")
    assert "created staff jdoe" in msg, msg
    select_where(screen, 0, "jdoe")
    msg = act(k, screen, "reset_pin")
    pin = msg.split(": ", 1)[1].split(" ", 1)[0]
    assert pin.isdigit() and len(pin) >= 6
    with k.db.unit() as ctx:
        assert auth.sign_in_badge(ctx, "B7001", pin).ok
        user = ctx.session.scalars(select(StaffUser).where(StaffUser.username == "jdoe")).one()
        assert user.pin_temporary and pin not in str(user.pin_hash)
    assert audited(k, "staff.pin_reset") == 1
    select_where(screen, 0, "jdoe")
    assert "disabled staff jdoe" in act(k, screen, "disable")
    with k.db.unit() as ctx:
        assert not auth.sign_in_badge(ctx, "B7001", pin).ok
    select_where(screen, 0, "jdoe")
    assert act(k, screen, "unlock") in ("jdoe was not locked.", "jdoe unlocked.")
    select_where(screen, 0, "admin")
    assert "last active admin" in act(k, screen, "disable")
    shot(k, "staff")


def test_an_admin_adds_a_campus_and_rooms_and_retires_one(kiosk: Kiosk) -> None:
    k = kiosk
    sign_in(k, "admin")
    screen = open_section(k, "campuses")
    assert "created campus NEW" in act(k, screen, "add_campus", code="NEW", name="New Elementary")
    select_where(screen, 0, "NEW")
    assert "created room NEW / Library" in act(k, screen, "add_room", room="Library")
    select_where(screen, 0, "NEW")
    assert "created room NEW / Room 1" in act(k, screen, "add_room", room="Room 1")
    select_where(screen, 0, "NEW")
    assert "retired room NEW / Room 1" in act(k, screen, "retire_room", room="room 1")
    select_where(screen, 0, "NEW")
    assert "already has a room" in act(k, screen, "add_room", room="LIBRARY")
    with k.db.unit() as ctx:
        campus = ctx.session.scalars(select(Campus).where(Campus.code == "NEW")).one()
        rooms = {r.name: r.active for r in ctx.session.scalars(select(Room).where(Room.campus_id == campus.id))}
    assert rooms == {"Library": True, "Room 1": False}
    select_where(screen, 0, "NEW")
    shot(k, "campuses")


def test_the_rotation_calendar_shows_a_week_and_a_month_and_takes_an_extra_visit(kiosk: Kiosk) -> None:
    k = kiosk
    sign_in(k, "admin")
    admin = k.flow.tech.district_admin
    k.flow.tech.home.setup_button.click()
    k.wait_for(admin.home)
    admin.home.buttons["rotation"].click()
    k.wait_for(admin.rotation)
    cal = admin.rotation
    k.qtbot.waitUntil(lambda: cal.calendar is not None, timeout=10_000)
    k.idle_workers()
    assert cal.grid.rowCount() == 1 and cal.calendar is not None
    assert cal.calendar.first == date(2026, 9, 14)  # the Monday of the fake clock's week
    cal.mode.setCurrentIndex(cal.mode.findData(42))
    k.qtbot.waitUntil(lambda: cal.grid.rowCount() == 6, timeout=10_000)
    k.idle_workers()
    assert "September 2026" in cal.heading.text()
    # the seeded rotation has visits on weekdays (a fortnightly campus may have none in this very week: the
    # demo anchors it to the week after "now"), so look over the month
    cells = [cal.grid.item(r, c).text() for r in range(6) for c in range(7)]
    assert any(":" in text for r in range(6) for text in cells[r * 7:r * 7 + 5]), cells
    cal.mode.setCurrentIndex(cal.mode.findData(7))
    k.qtbot.waitUntil(lambda: cal.grid.rowCount() == 1, timeout=10_000)
    k.idle_workers()
    cal.select_day(date(2026, 9, 19))  # a Saturday
    cal.window_edit.setText("09:00-11:00")
    assert cal.selected_day() == date(2026, 9, 19) and cal.extra_button.isEnabled()
    cal.extra_button.click()
    k.qtbot.waitUntil(lambda: bool(cal.result.text()) or cal.error_label.isVisible(), timeout=10_000)
    assert "created rotation_exception" in cal.result.text(), cal.error_label.text()
    k.idle_workers()
    assert "(extra)" in cal.grid.item(0, 5).text()
    with k.db.unit() as ctx:
        assert ctx.session.scalars(select(RotationException).where(
            RotationException.on_date == date(2026, 9, 19), RotationException.kind == "extra")).one()
    cal.select_day(date(2026, 9, 19))
    shot(k, "rotation-week")
    cal.mode.setCurrentIndex(cal.mode.findData(42))
    k.qtbot.waitUntil(lambda: cal.grid.rowCount() == 6, timeout=10_000)
    k.idle_workers()
    shot(k, "rotation-month")


def test_catalog_sla_hours_holidays_and_objectives_are_edited_through_the_services(kiosk: Kiosk) -> None:
    k = kiosk
    sign_in(k, "admin")
    cat = open_section(k, "catalog")
    assert "created category lost_charger" in act(k, cat, "save", key="lost_charger", name="Lost charger",
                                                 priority="P4", icon="power", scope="device", order="900",
                                                 covered=False)
    select_where(cat, 0, "lost_charger")
    assert "hidden category lost_charger" in act(k, cat, "hide")
    with k.db.unit() as ctx:
        c = ctx.session.scalars(select(ServiceCategory).where(ServiceCategory.code == "lost_charger")).one()
        assert (c.active, c.covered, c.default_priority.value) == (False, False, "P4")
    shot(k, "catalog")
    k.flow.tech.district_admin.open_menu()
    sla = open_section(k, "sla")
    assert "changed sla_target P1" in act(k, sla, "save", priority="P1", first="45m", resolution="1h30m")
    assert "is not a duration" in act(k, sla, "save", priority="P1", first="soon", resolution="4h")
    with k.db.unit() as ctx:
        t = ctx.session.scalars(select(SlaTarget).where(SlaTarget.priority == "P1")).one()
        assert (t.first_response_minutes, t.resolution_minutes) == (45, 90)
    shot(k, "sla")
    k.flow.tech.district_admin.open_menu()
    hours = open_section(k, "hours")
    assert "created hours sat" in act(k, hours, "save", weekday=5, window="08:00-12:00")
    assert "ends before it starts" in act(k, hours, "save", weekday=5, window="12:00-08:00")
    with k.db.unit() as ctx:
        assert ctx.session.scalars(select(WorkingHours).where(WorkingHours.weekday == 5)).one()
    select_where(hours, 0, "Sat")
    assert "removed hours sat" in act(k, hours, "close")
    shot(k, "hours")
    k.flow.tech.district_admin.open_menu()
    hol = open_section(k, "holidays")
    assert "created holiday 2026-12-07" in act(k, hol, "save", start=date(2026, 12, 7), end=date(2026, 12, 7),
                                               name="Training day")
    with k.db.unit() as ctx:
        assert ctx.session.scalars(select(Holiday).where(Holiday.start_date == date(2026, 12, 7))).one()
    shot(k, "holidays")
    k.flow.tech.district_admin.open_menu()
    obj = open_section(k, "objectives")
    assert "created objective satisfaction_pct from 2026-07-01" in act(
        k, obj, "save", metric="satisfaction_pct", comparator=">=", target="97", **{"from": date(2026, 7, 1)})
    with k.db.unit() as ctx:
        o = ctx.session.scalars(select(Objective)).one()
        assert (o.metric, o.target, o.valid_from) == ("satisfaction_pct", 97.0, date(2026, 7, 1))
    shot(k, "objectives")
    assert audited(k, "district.objective_created") == 1 and audited(k, "district.category_created") == 1
    assert seed.DEMO_PASSWORD  # the admin signed in with the demo password: nothing else was needed


def test_a_technician_with_a_temporary_pin_must_choose_their_own_before_the_menu(kiosk: Kiosk) -> None:
    from kiosk.domain import staff_accounts

    k = kiosk
    with k.db.unit() as ctx:
        staff_accounts.reset_pin(ctx, "mlopez", "480716")
    k.flow.home.staff_button.click()
    k.wait_for(k.flow.sign_in)
    k.flow.on_wedge("BADGE1001")
    k.flow.sign_in.password.setText("480716")
    k.flow.sign_in.go.click()
    account = k.flow.tech.account
    k.wait_for(account, timeout=10_000)
    assert not account.home_button.isVisible() and "PIN is temporary" in account.notice.text()
    shot(k, "my-pin-forced")
    current, new, again = account.fields["pin"]
    current.setText("480716")
    new.setText("123456")
    again.setText("123456")
    pin_button = next(b for b in account.findChildren(type(account.home_button)) if b.text() == "Change my PIN")
    pin_button.click()
    k.qtbot.waitUntil(account.error_label.isVisible, timeout=10_000)
    assert "too easy" in account.error_label.text()
    new.setText("731904")
    again.setText("731904")
    pin_button.click()
    k.wait_for(k.flow.tech.home, timeout=10_000)
    with k.db.unit() as ctx:
        assert staff_accounts.must_change(ctx.session, k.flow.tech.staff_id) == (False, False)
        assert auth.sign_in_badge(ctx, "BADGE1001", "731904").ok
