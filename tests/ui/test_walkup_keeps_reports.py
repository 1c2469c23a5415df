"""The walk-up keeps what the person typed: scans mid-report ask first, IDs stay IDs, nothing leaks to the next."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtGui import QClipboard
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select

from kiosk.domain import tickets
from kiosk.domain.db import Actor
from kiosk.domain.models import Device, Room, StaffUser, Ticket, UnknownTagScan
from kiosk.scan.model import ScanEvent

from .conftest import Kiosk
from .test_walkup import _category_button, _ticket_count


def _camera(k: Kiosk, tag: str) -> None:
    k.flow.on_scan(ScanEvent(tag, tag, "code128", "camera", "zxing", time.monotonic()))


def _other_tag(k: Kiosk) -> str:
    with k.db.unit() as ctx:
        tag = ctx.session.scalars(select(Device.asset_tag).where(
            Device.asset_tag.not_in([k.quiet_tag, k.tag_with_open_ticket]), Device.status == "in_service")).first()
        assert tag is not None
        return tag


def _start_report(k: Kiosk, tag: str) -> None:
    k.flow.on_tag(tag)
    k.wait_for(k.flow.card)
    k.flow.card.report_button.click()
    _category_button(k, code_not=k.open_category_code).click()
    k.wait_for(k.flow.details)


def test_a_tag_seen_while_writing_a_report_asks_first_and_keeps_the_report(kiosk: Kiosk) -> None:
    k = kiosk
    other = _other_tag(k)
    _start_report(k, k.quiet_tag)
    d = k.flow.details
    d.description.setPlainText("The hinge is broken on the left side")
    _camera(k, other)  # the next student in line holds up a laptop
    k.idle_workers()
    assert k.window.current is d and k.flow.scan_prompt.isVisible()
    assert other in k.flow.scan_prompt.text.text()
    assert d.description.toPlainText() == "The hinge is broken on the left side"
    k.flow.scan_prompt.keep_button.click()
    assert not k.flow.scan_prompt.isVisible() and k.window.current is d
    assert d.description.toPlainText() == "The hinge is broken on the left side"
    _camera(k, k.quiet_tag)  # the student's own laptop, raised for its photo: not a new scan
    assert not k.flow.scan_prompt.isVisible()
    k.flow._photo_at = time.monotonic()  # "Add a photo" was just pressed: the camera's tags are ignored
    _camera(k, other)
    assert not k.flow.scan_prompt.isVisible()
    k.flow._photo_at = 0.0
    _camera(k, other)
    k.flow.scan_prompt.switch_button.click()  # they do mean the other device
    k.wait_for(k.flow.card)
    assert other in k.flow.card.summary.text()


def test_a_student_id_scanned_into_who_are_you_is_an_id_not_a_tag(kiosk: Kiosk) -> None:
    k = kiosk
    _start_report(k, k.quiet_tag)
    d = k.flow.details
    d.description.setPlainText("Keyboard keys stick")
    d.reporter.setFocus()
    k.flow.on_wedge("204777")  # the barcode on the student's ID card, read by the USB scanner
    k.idle_workers()
    assert k.window.current is d and d.reporter.text() == "204777"
    assert d.description.toPlainText() == "Keyboard keys stick"
    with k.db.unit() as ctx:
        assert ctx.session.scalar(select(func.count()).select_from(UnknownTagScan)
                                  .where(UnknownTagScan.tag == "204777")) == 0


def test_start_over_clears_the_clipboard_and_walk_up_fields_have_no_context_menu(kiosk: Kiosk) -> None:
    k = kiosk
    board = QApplication.clipboard()
    board.setText("previous.person@school.org", QClipboard.Mode.Clipboard)
    if board.supportsSelection():
        board.setText("previous.person@school.org", QClipboard.Mode.Selection)
    k.flow.go_home()
    assert board.text(QClipboard.Mode.Clipboard) == ""
    if board.supportsSelection():
        assert board.text(QClipboard.Mode.Selection) == ""
    for field in (k.flow.details.reporter, k.flow.details.description, k.flow.survey.reporter,
                  k.flow.type_tag.field):
        assert field.contextMenuPolicy() == Qt.ContextMenuPolicy.NoContextMenu


def test_a_second_report_of_the_same_room_problem_is_offered_to_add_to_the_first(kiosk: Kiosk) -> None:
    k = kiosk
    with k.db.unit() as ctx:
        room = ctx.session.scalars(select(Room).where(Room.campus_id == k.flow.campus_id,
                                                      Room.name == "Library")).one()
        room_id = room.id

    def report(who: str) -> None:
        k.flow.start_room_problem()
        k.wait_for(k.flow.rooms)
        k.flow.on_room(room_id, "Library")
        k.wait_for(k.flow.categories)
        k.idle_workers()
        k.flow.categories.buttons[0].click()

    before = _ticket_count(k)
    report("204100")
    k.wait_for(k.flow.details)
    k.flow.details.description.setPlainText("The projector shows no picture")
    k.flow.details.reporter.setText("204100")
    k.flow.details.submit_button.click()
    k.wait_for(k.flow.receipt)
    first = k.flow.receipt.number.text()
    k.flow.go_home()
    report("204101")
    k.wait_for(k.flow.duplicate)  # "this room already has an open ticket for that: add my report?"
    k.flow.duplicate.add_to_existing.emit()
    k.wait_for(k.flow.details)
    k.flow.details.description.setPlainText("Same here, no picture")
    k.flow.details.reporter.setText("204101")
    k.flow.details.submit_button.click()
    k.wait_for(k.flow.receipt)
    assert k.flow.receipt.number.text() == first and _ticket_count(k) == before + 1
    assert not k.flow.receipt.response.isVisible()  # no blank line where the response time would be


def test_a_missing_device_card_asks_to_bring_it_to_the_tech_room(kiosk: Kiosk) -> None:
    k = kiosk
    with k.db.unit() as ctx:
        ctx.session.scalars(select(Device).where(Device.asset_tag == k.quiet_tag)).one().status = "missing"
    k.flow.on_tag(k.quiet_tag.lower()[:2] + " " + k.quiet_tag[2:])  # typed with a space: still the tag
    k.wait_for(k.flow.card)
    assert k.flow.card.prompt.isVisible() and "listed as missing" in k.flow.card.prompt.text()
    assert k.flow.card.report_button.isVisible()
    with k.db.unit() as ctx:
        ctx.session.scalars(select(Device).where(Device.asset_tag == k.quiet_tag)).one().status = "retired"
    k.flow.on_tag(k.quiet_tag)
    k.qtbot.waitUntil(lambda: "retired" in k.flow.card.prompt.text())
    assert not k.flow.card.report_button.isVisible()


def test_the_survey_checks_the_id_first_and_any_of_the_reporters_surveys_counts(kiosk: Kiosk) -> None:
    k = kiosk
    other = _other_tag(k)
    with k.db.unit() as ctx:
        tech = ctx.session.scalars(select(StaffUser.id).where(StaffUser.username == "mlopez")).one()
        numbers = [tickets.create_ticket(ctx, category="power", description="Does not charge", reporter="204999",
                                         tag=tag).number for tag in (other, k.quiet_tag)]
    with k.db.unit(Actor(staff_id=tech)) as ctx:
        for number in numbers:  # the teacher has two closed tickets; the newer one is for the device in hand
            tickets.change_status(ctx, number, "resolved", resolution="Replaced the charger")
            tickets.change_status(ctx, number, "closed")
    k.flow.on_tag(k.quiet_tag)
    k.wait_for(k.flow.card)
    k.qtbot.waitUntil(lambda: k.flow.card.survey_button.isVisible())
    k.flow.card.survey_button.click()
    k.wait_for(k.flow.survey)
    s = k.flow.survey
    s.reporter.setText("205000")
    s._next()
    k.idle_workers()
    assert s.pages.currentIndex() == 0 and "belongs to the person who reported" in s.error_label.text()
    s.reporter.setText("204999")
    s._next()
    k.idle_workers()
    assert s.pages.currentIndex() == 1  # the questions only now
    s.groups["solved"].buttons()[0].click()
    for name in ("timeliness", "courtesy", "communication", "quality", "overall"):
        s.groups[name].buttons()[4].click()
    s.more.click()
    assert s.pages.currentIndex() == 2 and s.comment_keyboard.isVisible()
    s.send.click()
    k.wait_for(k.flow.home)
    with k.db.unit() as ctx:
        from kiosk.domain.models import Survey

        answered = ctx.session.scalars(select(Ticket.number).join(Survey, Survey.ticket_id == Ticket.id)
                                       .where(Survey.submitted_at.is_not(None))).all()
        assert numbers[1] in answered and numbers[0] not in answered
