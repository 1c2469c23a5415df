"""The walk-up kiosk, driven the way a student or teacher would use it (pytest-qt, offscreen)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPushButton
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from kiosk.domain import sla, tickets
from kiosk.domain.models import Channel, Ticket, TicketEvent, TicketEventKind, UnknownTagScan
from kiosk.ui.app import make_scan_adapter

from .conftest import FakeCamera, Kiosk, code128, qr


def _category_button(k: Kiosk, code_not: str | None = None, code: str | None = None) -> QPushButton:
    k.wait_for(k.flow.categories)
    with k.db.unit() as ctx:
        from kiosk.domain import walkup
        from kiosk.domain.models import CategoryScope

        cats = walkup.categories(ctx.session, CategoryScope.DEVICE)
    index = next(i for i, c in enumerate(cats) if (code is None or c.code == code) and c.code != code_not)
    return k.flow.categories.buttons[index]


def _fill_details(k: Kiosk, description: str, reporter: str) -> None:
    k.wait_for(k.flow.details)
    k.flow.details.description.setPlainText(description)
    k.flow.details.reporter.setText(reporter)


def type_like_a_person(k: Kiosk, widget: object, text: str) -> None:
    """Keys 180 ms apart on the wedge detector's clock, as a person types."""
    now = [1000.0]
    k.flow.wedge.clock = lambda: now[0]
    for ch in text:
        now[0] += 0.18
        QTest.keyClick(widget, ch)  # type: ignore[call-overload]
    now[0] += 0.3


def _ticket_count(k: Kiosk) -> int:
    with k.db.unit() as ctx:
        return ctx.session.scalar(select(func.count()).select_from(Ticket)) or 0


def test_a_student_holds_a_tag_to_the_camera_and_files_a_report(kiosk: Kiosk, tmp_path: Path) -> None:
    k = kiosk
    camera = FakeCamera()
    adapter = make_scan_adapter(lambda: camera, k.flow)
    adapter.start()
    before = _ticket_count(k)
    camera.hold(code128(k.quiet_tag, tmp_path))
    k.wait_for(k.flow.card)
    camera.hold(None)
    assert k.quiet_tag in k.flow.card.summary.text()
    assert k.flow.last_scan_to_card_ms is not None
    assert adapter.stats.decoded >= 1
    QTest.mouseClick(k.flow.card.report_button, Qt.MouseButton.LeftButton)
    QTest.mouseClick(_category_button(k, code="screen"), Qt.MouseButton.LeftButton)
    _fill_details(k, "Cracked along the top edge", "204511")
    QTest.mouseClick(k.flow.details.submit_button, Qt.MouseButton.LeftButton)
    k.wait_for(k.flow.receipt)
    number = k.flow.receipt.number.text()
    assert number and k.flow.receipt.qr.pixmap() is not None and not k.flow.receipt.qr.pixmap().isNull()
    assert "respond by" in k.flow.receipt.response.text()
    assert _ticket_count(k) == before + 1
    with k.db.unit() as ctx:
        t = tickets.get_ticket(ctx.session, number, related=True)
        assert t.device is not None and t.device.asset_tag == k.quiet_tag
        assert t.channel is Channel.KIOSK and t.category.code == "screen"
        assert t.reporter is not None and t.reporter.id_number == "204511"
        assert t.description == "Cracked along the top edge"


def test_a_second_student_adds_to_the_open_ticket_instead_of_a_duplicate(kiosk: Kiosk) -> None:
    k = kiosk
    before = _ticket_count(k)
    k.flow.on_tag(k.tag_with_open_ticket)
    k.wait_for(k.flow.card)
    assert k.flow.card.model.rowCount() >= 1
    shown = [k.flow.card.model.data(k.flow.card.model.index(r, c)) for r in range(k.flow.card.model.rowCount())
             for c in range(k.flow.card.model.columnCount())]
    with k.db.unit() as ctx:
        from kiosk.domain.models import Device

        open_t = ctx.session.scalars(select(Ticket).join(Device, Device.id == Ticket.device_id).where(
            Device.asset_tag == k.tag_with_open_ticket, Ticket.status.in_(["new", "assigned", "in_progress"]))
            .options(joinedload(Ticket.reporter)).order_by(Ticket.number)).first()  # the device's own open ticket
        assert open_t is not None
        number, description = open_t.number, open_t.description
        reporter_id = open_t.reporter.id_number or open_t.reporter.email if open_t.reporter else None
    assert number in shown
    assert description not in shown and reporter_id not in shown  # no one else's words or identity
    k.flow.card.report.emit()
    QTest.mouseClick(_category_button(k, code=k.open_category_code), Qt.MouseButton.LeftButton)
    k.wait_for(k.flow.duplicate)
    QTest.mouseClick(k.flow.duplicate.add_button, Qt.MouseButton.LeftButton)
    _fill_details(k, "Mine does it too", "teacher.one@demosprings.example.org")
    k.flow.details.submit_button.click()
    k.qtbot.waitUntil(lambda: k.flow.details.kind_row.isVisible())  # a new email: "student or staff?"
    k.flow.details.kind_buttons["teacher"].click()
    k.wait_for(k.flow.receipt)
    assert k.flow.receipt.number.text() == number
    assert _ticket_count(k) == before
    with k.db.unit() as ctx:
        kinds = [e.kind for e in tickets.view(ctx.session, number).events]
        assert kinds[-1] is TicketEventKind.REPORT_ADDED


def test_an_unknown_tag_is_recorded_and_can_still_be_reported(kiosk: Kiosk) -> None:
    k = kiosk
    k.flow.home.type_button.click()
    k.wait_for(k.flow.type_tag)
    type_like_a_person(k, k.flow.type_tag.field, "zz4242")
    QTest.keyClick(k.flow.type_tag.field, Qt.Key.Key_Return)
    k.wait_for(k.flow.unknown)
    assert "ZZ4242" in k.flow.unknown.info.text()
    with k.db.unit() as ctx:
        assert ctx.session.scalars(select(UnknownTagScan.tag)).all() == ["ZZ4242"]
    k.flow.unknown.report_button.click()
    QTest.mouseClick(_category_button(k, code="power"), Qt.MouseButton.LeftButton)
    _fill_details(k, "Won't turn on", "204777")
    k.flow.details.submit_button.click()
    k.wait_for(k.flow.receipt)
    with k.db.unit() as ctx:
        t = tickets.get_ticket(ctx.session, k.flow.receipt.number.text())
        assert t.device_id is None and "ZZ4242" in t.description
        assert t.campus_id == k.flow.campus_id


def test_a_usb_scanner_works_on_any_screen_and_types_nothing_into_the_form(kiosk: Kiosk) -> None:
    k = kiosk
    k.flow.home.room_button.click()
    k.wait_for(k.flow.rooms)
    k.flow.rooms.filter.setFocus()
    type_like_a_person(k, k.flow.rooms.filter, "Li")  # a person starts typing a room name...
    k.flow.wedge.clock = __import__("time").monotonic
    # ...and a scanner sends a whole tag and Enter a few milliseconds apart
    QTest.keyClicks(k.flow.rooms.filter, k.quiet_tag)
    QTest.keyClick(k.flow.rooms.filter, Qt.Key.Key_Return)
    k.wait_for(k.flow.card)
    assert k.quiet_tag in k.flow.card.summary.text()
    assert k.quiet_tag not in k.flow.rooms.filter.text()


def test_slow_human_typing_is_not_taken_for_a_scan(kiosk: Kiosk) -> None:
    k = kiosk
    k.flow.home.type_button.click()
    k.wait_for(k.flow.type_tag)
    type_like_a_person(k, k.flow.type_tag.field, k.quiet_tag.lower())
    QTest.keyClick(k.flow.type_tag.field, Qt.Key.Key_Return)  # Enter submits the typed tag
    k.wait_for(k.flow.card)
    assert k.flow.type_tag.field.text() == ""  # the field was cleared after the lookup


def test_idle_returns_to_home_and_clears_what_was_typed(kiosk: Kiosk) -> None:
    k = kiosk
    k.flow.idle.timer.setInterval(300)
    k.flow.on_tag(k.quiet_tag)
    k.wait_for(k.flow.card)
    k.flow.card.report.emit()
    QTest.mouseClick(_category_button(k, code="screen"), Qt.MouseButton.LeftButton)
    _fill_details(k, "half-typed secret", "204511")
    k.flow.idle.poke()
    k.wait_for(k.flow.home, timeout=3000)
    assert k.flow.details.description.toPlainText() == ""
    assert k.flow.details.reporter.text() == ""


def test_the_lockdown_keys_and_close_do_nothing(kiosk: Kiosk) -> None:
    k = kiosk
    w = k.window
    for key, mods in ((Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
                      (Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier),
                      (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier),
                      (Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)):
        QTest.keyClick(w, key, mods)
    assert w.close() is False and w.isVisible()
    # a technician signs in, then may leave kiosk mode
    k.flow.home.staff_button.click()
    k.wait_for(k.flow.sign_in)
    k.flow.sign_in.username.setText("admin")
    k.flow.sign_in.password.setText("wrong")
    k.flow.sign_in.go.click()
    k.qtbot.waitUntil(lambda: k.flow.sign_in.error_label.isVisible())
    assert w.current is k.flow.sign_in
    k.flow.sign_in.password.setText("kiosk-demo")
    k.flow.sign_in.go.click()
    k.wait_for(k.flow.tech.home)
    k.flow.exit_kiosk()
    assert not w.isVisible()


def test_a_ticket_is_checked_by_its_receipt_qr_and_by_its_number(kiosk: Kiosk) -> None:
    k = kiosk
    with k.db.unit() as ctx:
        t = ctx.session.scalars(select(Ticket).order_by(Ticket.number)).first()
        assert t is not None
        number, description = t.number, t.description
    camera = FakeCamera()
    adapter = make_scan_adapter(lambda: camera, k.flow)
    adapter.start()
    k.flow.home.check_button.click()
    k.wait_for(k.flow.check)
    camera.hold(qr(f"TICKET:{number}"))
    k.qtbot.waitUntil(lambda: number in k.flow.check.result.text(), timeout=5000)
    camera.hold(None)
    assert description not in k.flow.check.detail.text()
    k.flow.check.reset()
    type_like_a_person(k, k.flow.check.field, number.lower())
    k.flow.check.go.click()
    k.qtbot.waitUntil(lambda: number in k.flow.check.result.text())
    k.flow.check.field.setText("XX-NOPE42")
    k.flow.check.go.click()
    k.qtbot.waitUntil(lambda: k.flow.check.error_label.isVisible())
    assert k.flow.check.result.text() == ""


def test_the_rotation_panel_shows_a_visit_under_way(kiosk: Kiosk) -> None:
    k = kiosk
    from datetime import datetime, timedelta

    from kiosk.domain import walkup

    with k.db.unit() as ctx:
        assert k.flow.campus_id is not None
        sched = walkup.week_schedule(ctx.session, k.flow.campus_id, ctx.clock.now())
    visit = sched.visits[0]
    during = datetime.combine(visit.day, visit.start, tzinfo=sched.tz) + timedelta(minutes=30)
    k.db.clock.set(during)  # type: ignore[attr-defined]
    k.flow.load_home()
    k.idle_workers()
    panel = k.flow.home.rotation
    assert panel.now_banner.isVisible()
    assert visit.technician in panel.now_banner.text()
    assert "Mon" in panel.week_label.text() and "Fri" in panel.week_label.text()


def test_reporting_works_with_the_network_down(kiosk: Kiosk) -> None:
    k = kiosk

    def network_down() -> str:
        raise ConnectionError("district server unreachable: reports are kept on this kiosk")

    k.flow.sync_status = network_down
    k.flow.refresh_sync()
    k.idle_workers()
    assert "unreachable" in k.flow.home.sync_label.text()
    k.flow.on_tag(k.quiet_tag)
    k.wait_for(k.flow.card)
    k.flow.card.report.emit()
    QTest.mouseClick(_category_button(k, code="keyboard"), Qt.MouseButton.LeftButton)
    _fill_details(k, "Keys stuck", "204511")
    k.flow.details.submit_button.click()
    k.wait_for(k.flow.receipt)
    with k.db.unit() as ctx:
        assert tickets.get_ticket(ctx.session, k.flow.receipt.number.text()).description == "Keys stuck"


def test_a_failure_while_saving_leaves_nothing_half_written_and_keeps_the_form(
    kiosk: Kiosk, monkeypatch: pytest.MonkeyPatch
) -> None:
    k = kiosk
    before = _ticket_count(k)
    with k.db.unit() as ctx:
        events_before = ctx.session.scalar(select(func.count()).select_from(TicketEvent))

    def crash(ctx: object, ticket: object) -> None:
        raise RuntimeError("power cut in the middle of the write")

    monkeypatch.setattr(sla, "refresh_due", crash)
    k.flow.on_tag(k.quiet_tag)
    k.wait_for(k.flow.card)
    k.flow.card.report.emit()
    QTest.mouseClick(_category_button(k, code="screen"), Qt.MouseButton.LeftButton)
    _fill_details(k, "Screen flickers", "204511")
    k.flow.details.submit_button.click()
    k.qtbot.waitUntil(lambda: k.flow.details.error_label.isVisible())
    assert "Nothing was lost" in k.flow.details.error_label.text()
    assert k.flow.details.description.toPlainText() == "Screen flickers"
    assert k.flow.details.submit_button.isEnabled()
    assert _ticket_count(k) == before
    with k.db.unit() as ctx:
        assert ctx.session.scalar(select(func.count()).select_from(TicketEvent)) == events_before


def test_the_description_is_limited_and_bad_reporters_are_refused(kiosk: Kiosk) -> None:
    k = kiosk
    k.flow.on_tag(k.quiet_tag)
    k.wait_for(k.flow.card)
    k.flow.card.report.emit()
    QTest.mouseClick(_category_button(k, code="screen"), Qt.MouseButton.LeftButton)
    _fill_details(k, "x" * 900, "not an id!")
    assert len(k.flow.details.description.toPlainText()) == 500
    k.flow.details.submit_button.click()
    assert "school ID" in k.flow.details.error_label.text()
    assert k.window.current is k.flow.details


def test_at_first_run_a_technician_signs_in_and_chooses_the_campus(
    qtbot: object, sqlite_url: str, clock: object
) -> None:
    from pytestqt.qtbot import QtBot

    from kiosk.domain import schema, seed
    from kiosk.domain.clock import FakeClock
    from kiosk.domain.db import Database
    from kiosk.settings import KioskPrefs
    from kiosk.ui.app import KioskOptions, build

    assert isinstance(qtbot, QtBot) and isinstance(clock, FakeClock)
    db = Database(sqlite_url, clock=clock)
    schema.upgrade(db.engine)
    seed.seed(db, seed.SeedOptions(devices=30, tickets=0))
    window, flow = build(KioskOptions(url=sqlite_url, windowed=True, camera=None, config_name="first-run.json"),
                         clock=clock)
    qtbot.addWidget(window)
    window.present()
    flow.start()
    qtbot.waitUntil(lambda: window.current is flow.sign_in, timeout=10_000)
    assert "First run" in flow.sign_in.intro.text()
    flow.on_wedge("DS100001")  # the public cannot use the kiosk before it has a campus
    qtbot.wait(200)
    assert window.current is flow.sign_in
    flow.sign_in.username.setText("admin")
    flow.sign_in.password.setText(seed.DEMO_PASSWORD)
    flow.sign_in.go.click()
    qtbot.waitUntil(lambda: window.current is flow.campus_pick, timeout=10_000)
    flow.campus_pick.list.setCurrentRow(1)
    flow.campus_pick._pick(flow.campus_pick.list.item(1))
    qtbot.waitUntil(lambda: window.current is flow.home, timeout=10_000)
    qtbot.waitUntil(lambda: flow.runner.pending == 0)
    assert flow.staff_id is None and flow.lockdown.locked
    assert KioskPrefs.load("first-run.json").campus_id == str(flow.campus_id)
    flow.runner.wait()
    window.unlock()
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    assert app is not None
    for f in (flow.wedge, flow.idle, flow.lockdown):
        app.removeEventFilter(f)
    flow.db.dispose()
    db.dispose()


def test_the_reporter_answers_the_survey_at_the_kiosk_after_a_repair(kiosk: Kiosk) -> None:
    from kiosk.domain.db import Actor
    from kiosk.domain.models import StaffUser, Survey

    k = kiosk
    with k.db.unit() as ctx:
        tech = ctx.session.scalars(select(StaffUser.id).where(StaffUser.username == "mlopez")).one()
        number = tickets.create_ticket(ctx, category="power", description="Does not charge", reporter="204999",
                                       tag=k.quiet_tag).number
    with k.db.unit(Actor(staff_id=tech)) as ctx:
        tickets.change_status(ctx, number, "resolved", resolution="Replaced the charger")
        tickets.change_status(ctx, number, "closed")
    k.flow.on_tag(k.quiet_tag)
    k.wait_for(k.flow.card)
    k.qtbot.waitUntil(lambda: k.flow.card.survey_button.isVisible())
    assert number in k.flow.card.survey_button.text()
    k.flow.card.survey_button.click()
    k.wait_for(k.flow.survey)
    s = k.flow.survey

    def answer(who: str) -> None:
        s.reporter.setText(who)
        s._next()
        s.groups["solved"].buttons()[0].click()
        for name in ("timeliness", "courtesy", "communication", "quality", "overall"):
            s.groups[name].buttons()[3].click()  # 4 of 5
        s.send.click()

    answer("205000")  # someone else cannot answer it
    k.qtbot.waitUntil(lambda: s.error_label.isVisible())
    assert "belongs to the person who reported" in s.error_label.text()
    k.qtbot.waitUntil(s.send.isEnabled)  # the refused answer's own reply too (Send stays off until it comes)
    answer("204999")
    k.wait_for(k.flow.home)
    with k.db.unit() as ctx:
        survey = ctx.session.scalars(select(Survey).join(Ticket, Ticket.id == Survey.ticket_id)
                                     .where(Ticket.number == number)).one()
        assert survey.submitted_at is not None and survey.solved is True and survey.overall == 4
