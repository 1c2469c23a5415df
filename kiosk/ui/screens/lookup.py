"""Typing a tag, and checking a ticket by its number or its receipt's QR code."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit

from kiosk.domain.walkup import TicketStatusView
from kiosk.ui import language
from kiosk.ui.qt_models import local_time
from kiosk.ui.screens.base import Screen
from kiosk.ui.widgets import OnScreenKeyboard, button, label


class _EntryScreen(Screen):
    entered = Signal(str)

    def __init__(self, title: str, placeholder: str, action: str, hint: str) -> None:
        super().__init__(title)
        self.outer.addWidget(label(hint, "muted"))
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
    def __init__(self, tz: ZoneInfo) -> None:
        super().__init__(self.tr("Check a ticket"), self.tr("Ticket number, e.g. LE01-7KQ2MX"), self.tr("Check"),
                         self.tr("Hold your receipt's code up to the camera, or type the ticket number."))
        self.tz = tz
        self.result = label("", "subtitle")
        self.detail = label("")
        self.outer.addWidget(self.result)
        self.outer.addWidget(self.detail)
        self.outer.addWidget(self.keyboard)
        self.outer.addStretch(1)

    def show_status(self, view: TicketStatusView) -> None:
        t = view.ticket
        self.show_error("")
        self.result.setText(self.tr("Ticket {0}: {1}").format(t.number, language.status(t.status)))
        lines = [self.tr("Problem: {0}, {1}").format(language.catalog(t.category), t.place),
                 self.tr("Reported: {0}").format(local_time(t.opened_at, self.tz))]
        if t.last_update:
            lines.append(self.tr("Last update ({0}): {1}").format(local_time(t.last_update_at, self.tz),
                                                                   t.last_update))
        if t.status not in ("resolved", "closed") and view.resolution_due_at:
            lines.append(self.tr("Expected fix by: {0}").format(local_time(view.resolution_due_at, self.tz)))
        v = view.next_visit
        if v is not None:
            lines.append(self.tr("Next technician visit: {0} {1}–{2}").format(
                language.dates(v.day.strftime("%a %d %b").replace(" 0", " ")), v.start.strftime("%I:%M %p").lstrip("0"),
                v.end.strftime("%I:%M %p").lstrip("0")))
        self.detail.setText("<br>".join(lines))

    def show_error(self, text: str) -> None:
        super().show_error(text)
        if text:
            self.result.clear()
            self.detail.clear()

    def reset(self) -> None:
        super().reset()
        self.result.clear()
        self.detail.clear()
