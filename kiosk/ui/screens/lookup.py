"""Typing a tag, and checking a ticket by its number or its receipt's QR code."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QWidget

from kiosk.domain.walkup import TicketStatusView
from kiosk.ui import language
from kiosk.ui.qt_models import local_time
from kiosk.ui.screens.base import Screen
from kiosk.ui.widgets import OnScreenKeyboard, button, label


class _EntryScreen(Screen):
    entered = Signal(str)

    def __init__(self, title: str, placeholder: str, action: str, hint: str) -> None:
        super().__init__(title)
        self.hint = label(hint, "muted")
        self.outer.addWidget(self.hint)
        row = QHBoxLayout()
        self.field = QLineEdit()
        self.field.setPlaceholderText(placeholder)
        self.field.setAccessibleName(placeholder)
        self.field.setMaxLength(40)
        self.field.returnPressed.connect(self._enter)
        row.addWidget(self.field, 1)
        self.go = button(action, self._enter, "primary")
        row.addWidget(self.go)
        self.outer.addLayout(row)
        self.outer.addWidget(self.error_label)
        self.keyboard = OnScreenKeyboard()
        self.keyboard.attach(self.field)

    def _enter(self) -> None:
        text = self.field.text().strip()
        if text:
            self.entered.emit(text)

    def focus_field(self) -> None:
        self.field.setFocus()

    def reset(self) -> None:
        super().reset()
        self.field.clear()


class TypeTagScreen(_EntryScreen):
    def __init__(self) -> None:
        super().__init__(self.tr("Type the tag"), self.tr("Asset tag, e.g. DS104233"), self.tr("Find"),
                         self.tr("The tag is the sticker with a barcode, usually on the bottom of the device."))
        self.outer.addWidget(self.keyboard)
        self.outer.addStretch(1)


class CheckTicketScreen(_EntryScreen):
    """The status of a ticket from its receipt; on a resolved ticket, its reporter may say "Not solved" (their ID
    is checked first, as in the kiosk survey; then the ticket reopens, so it never closes by itself)."""

    not_solved_reporter = Signal(str, str)  # ticket number, the reporter's ID or email: check it first
    not_solved = Signal(str, str, str)  # ticket number, reporter, what is still wrong (optional)

    def __init__(self, tz: ZoneInfo) -> None:
        super().__init__(self.tr("Check a ticket"), self.tr("Ticket number, e.g. LE01-7KQ2MX"), self.tr("Check"),
                         self.tr("Hold your receipt's code up to the camera, or type the ticket number."))
        self.tz = tz
        self.number: str | None = None  # the ticket shown
        self.result = label("", "subtitle")
        self.detail = label("")
        self.outer.addWidget(self.result)
        self.outer.addWidget(self.detail)
        self.not_solved_button = button(self.tr("Not solved? Tell the technician"), self._open_not_solved)
        self.not_solved_button.hide()
        self.outer.addWidget(self.not_solved_button)
        self.not_solved_box = QWidget()
        box = QHBoxLayout(self.not_solved_box)
        box.setContentsMargins(0, 0, 0, 0)
        self.reporter = QLineEdit()
        self.reporter.setPlaceholderText(self.tr("The school ID number or email you reported with"))
        self.reporter.setAccessibleName(self.tr("The school ID number or email you reported with"))
        self.reporter.setMaxLength(254)
        self.reporter.returnPressed.connect(self._check_reporter)
        self.reporter_next = button(self.tr("Next"), self._check_reporter, "primary")
        self.comment = QLineEdit()
        self.comment.setPlaceholderText(self.tr("What is still wrong? (optional)"))
        self.comment.setAccessibleName(self.tr("What is still wrong? (optional)"))
        self.comment.setMaxLength(300)
        self.reopen_button = button(self.tr("Reopen my ticket"), self._reopen, "primary")
        for w, stretch in ((self.reporter, 2), (self.reporter_next, 0), (self.comment, 3), (self.reopen_button, 0)):
            box.addWidget(w, stretch)
        self.not_solved_box.hide()
        self.outer.addWidget(self.not_solved_box)
        self.keyboard.attach(self.reporter, self.comment)
        self.outer.addWidget(self.keyboard)
        self.outer.addStretch(1)

    def show_status(self, view: TicketStatusView) -> None:
        t = view.ticket
        self.show_error("")
        self.number = t.number
        self.result.setText(self.tr("Ticket {0}: {1}").format(t.number, language.status(t.status)))
        lines = [self.tr("Problem: {0}, {1}").format(language.category(t.category, t.category_es), t.place),
                 self.tr("Reported: {0}").format(local_time(t.opened_at, self.tz))]
        if t.last_update:
            lines.append(self.tr("Last update ({0}): {1}").format(local_time(t.last_update_at, self.tz),
                                                                   language.update(t.last_update)))
        if t.status not in ("resolved", "closed") and view.resolution_due_at:
            lines.append(self.tr("Expected fix by: {0}").format(local_time(view.resolution_due_at, self.tz)))
        v = view.next_visit
        if v is not None:
            lines.append(self.tr("Next technician visit: {0} {1}–{2}").format(
                language.dates(v.day.strftime("%a %d %b").replace(" 0", " ")), language.clock(v.start),
                language.clock(v.end)))
        self.detail.setText("<br>".join(lines))
        self._close_not_solved()
        self.not_solved_button.setVisible(t.status == "resolved")

    # --- "Not solved": the reporter's ID first, then what is still wrong ----------------------------------
    def _open_not_solved(self) -> None:
        self.not_solved_button.hide()
        for w in (self.hint, self.field, self.go):  # the ticket is chosen: room for the keyboard below
            w.hide()
        self.not_solved_box.show()
        for w in (self.comment, self.reopen_button):
            w.hide()
        for w in (self.reporter, self.reporter_next):
            w.show()
        self.reporter_next.setEnabled(True)
        self.reporter.setFocus()

    def _check_reporter(self) -> None:
        if self.number and self.reporter.text().strip():
            self.show_error("")
            self.reporter_next.setEnabled(False)
            self.not_solved_reporter.emit(self.number, self.reporter.text().strip())

    def reporter_ok(self) -> None:
        self.show_error("")
        self.reporter.setEnabled(False)
        self.reporter_next.hide()
        self.comment.show()
        self.reopen_button.show()
        self.reopen_button.setEnabled(True)
        self.comment.setFocus()

    def reporter_refused(self, message: str) -> None:
        self.show_error(message)
        self.reporter_next.setEnabled(True)
        self.reporter.selectAll()
        self.reporter.setFocus()

    def _reopen(self) -> None:
        if self.number:
            self.reopen_button.setEnabled(False)
            self.not_solved.emit(self.number, self.reporter.text().strip(), self.comment.text().strip())

    def reopen_failed(self, message: str) -> None:
        self.show_error(message)
        self.reopen_button.setEnabled(True)

    def _close_not_solved(self) -> None:
        for w in (self.hint, self.field, self.go):
            w.show()
        self.not_solved_box.hide()
        self.not_solved_button.hide()
        self.reporter.setEnabled(True)
        self.reporter.clear()
        self.comment.clear()

    def show_error(self, text: str) -> None:
        super().show_error(text)
        if text and self.not_solved_box.isHidden():
            self.result.clear()
            self.detail.clear()

    def reset(self) -> None:
        super().reset()
        self.number = None
        self.result.clear()
        self.detail.clear()
        self._close_not_solved()
