"""Home: the camera view, the three big choices, the rotation panel and the sync indicator."""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.domain.language import LANGUAGES
from kiosk.domain.rotation import Schedule
from kiosk.ui import icons, language
from kiosk.ui.screens.base import Screen
from kiosk.ui.widgets import CameraView, button, label

log = logging.getLogger(__name__)


def _clock(t: time) -> str:
    return language.clock(t)


class RotationPanel(QFrame):
    """This campus's next technician visits, this week's schedule, and a banner while a visit is under way."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("panel")
        box = QVBoxLayout(self)
        box.setContentsMargins(18, 14, 18, 14)
        self.now_banner = label("", "banner")
        self.now_banner.hide()
        box.addWidget(self.now_banner)
        box.addWidget(label(self.tr("Technician visits"), "subtitle"))
        self.next_label = label(self.tr("Loading the schedule…"))
        box.addWidget(self.next_label)
        box.addSpacing(8)
        box.addWidget(label(self.tr("This week"), "subtitle"))
        self.week_label = label("")
        box.addWidget(self.week_label)
        box.addStretch(1)

    def show_schedule(self, schedule: Schedule, now: datetime) -> None:
        tz = schedule.tz
        current = schedule.current(now)
        if current is not None:
            self.now_banner.setText(self.tr("Technician on campus now: {0}, until {1}")
                                    .format(current.technician, _clock(current.end)))
        self.now_banner.setVisible(current is not None)
        upcoming = [v for v in schedule.upcoming(now, 4) if v is not current][:3]
        if upcoming:
            lines = []
            for v in upcoming:
                extra = self.tr(" (extra visit)") if v.extra else ""
                lines.append(f"<b>{language.dates(v.day.strftime('%a %d %b').replace(' 0', ' '))}</b> · {_clock(v.start)}–"
                             f"{_clock(v.end)} · {language.rotation(v.technician)}{extra}")
            self.next_label.setText("<br>".join(lines))
        else:
            self.next_label.setText(self.tr("No technician visit is scheduled in the next three weeks."))
        today = now.astimezone(tz).date()
        monday = today - timedelta(days=today.weekday())
        rows = []
        for i in range(5):
            day = monday + timedelta(days=i)
            visits = [v for v in schedule.visits if v.day == day]
            cancelled = [c for c in schedule.cancelled if c.day == day]
            parts = [f"{_clock(v.start)}–{_clock(v.end)} {language.rotation(v.technician)}" for v in visits]
            parts += [self.tr("{0}: no visit ({1})").format(language.rotation(c.technician), language.rotation(c.reason))
                      for c in cancelled]
            text = "; ".join(parts) if parts else "—"
            style = "font-weight:700" if day == today else ""
            rows.append(f"<span style='{style}'>{language.dates(day.strftime('%a'))}</span>&nbsp;&nbsp;{text}")
        self.week_label.setText("<br>".join(rows))


class HomeScreen(Screen):
    type_tag = Signal()
    room_problem = Signal()
    check_ticket = Signal()
    staff = Signal()
    language_chosen = Signal(str)  # "en" or "es"

    def __init__(self) -> None:
        super().__init__(self.tr("Something not working? Report it here."), with_home=False)
        # the sync state sits under the visits (in the title row it squeezed the title onto two lines at 1366x768)
        self.sync_label: QLabel = label("", "sync")
        self.sync_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        # each language named in itself, so whoever reads it finds their own (never translated)
        self.language_buttons: dict[str, QPushButton] = {}
        for code, name in LANGUAGES.items():
            b = button(name, None, "small")
            b.clicked.connect(lambda _checked=False, c=code: self.language_chosen.emit(c))
            b.setCheckable(True)
            b.setChecked(code == "en")
            b.setAccessibleName(name)
            self.language_buttons[code] = b
            self.top.addWidget(b)
        self.staff_button = button(self.tr("Staff"), self.staff.emit, "small")
        self.top.addWidget(self.staff_button)
        self.top.setStretch(0, 3)
        row = QHBoxLayout()
        row.setSpacing(24)
        left = QVBoxLayout()
        left.setSpacing(8)
        self.camera = CameraView(self.tr("Hold your device's tag here"))
        left.addWidget(self.camera, 1)
        self.scan_message = label("", "muted")
        left.addWidget(self.scan_message)
        left.addWidget(self.error_label)
        row.addLayout(left, 3)
        right = QVBoxLayout()
        right.setSpacing(12)
        self.type_button = button(self.tr("Type the tag"), self.type_tag.emit, "primary")
        self.room_button = button(self.tr("Problem with a room, not a device"), self.room_problem.emit)
        self.check_button = button(self.tr("Check a ticket"), self.check_ticket.emit)
        for b, name, colour in ((self.type_button, "type-tag", icons.ON_ACCENT), (self.room_button, "room", icons.INK),
                                (self.check_button, "ticket", icons.INK)):
            b.setProperty("choice", True)  # taller: the theme's QPushButton[choice="true"]
            icons.set_icon(b, name, 32, colour)
            right.addWidget(b)
        self.rotation = RotationPanel()
        right.addWidget(self.rotation, 1)
        right.addWidget(self.sync_label)
        row.addLayout(right, 2)
        self.outer.addLayout(row, 1)
        # Tab starts at the main action (the title row with Staff comes first in the layout, not in the order)
        QWidget.setTabOrder(self.type_button, self.room_button)
        QWidget.setTabOrder(self.room_button, self.check_button)
        QWidget.setTabOrder(self.check_button, self.language_buttons["en"])
        QWidget.setTabOrder(self.language_buttons["en"], self.language_buttons["es"])
        QWidget.setTabOrder(self.language_buttons["es"], self.staff_button)
        self.setFocusProxy(self.type_button)

    def show_frame(self, image: QImage) -> None:
        self.camera.show_frame(image)

    def set_camera_status(self, status: str, message: str) -> None:
        problem = status in ("missing", "busy", "unplugged")
        self._camera_problem = problem
        if problem:  # the technical reason (e.g. "no camera at 0") is for the log, not for a student
            log.info("camera %s: %s", status, message)
        self.camera.set_status(self.tr("The camera isn't working. Type the tag instead.") if problem else "")

    def set_scan_message(self, text: str) -> None:
        from kiosk.ui.language import error

        text = error(text)  # a refused scan or a domain message, in the kiosk's language
        self.scan_message.setText(text[:1].upper() + text[1:])

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange and getattr(self, "_camera_problem", False):
            self.camera.set_status(self.tr("The camera isn't working. Type the tag instead."))
        if event.type() == QEvent.Type.LanguageChange and getattr(self, "_sync_text", None):
            self.set_sync(self._sync_text)

    def set_language(self, lang: str) -> None:
        for code, b in self.language_buttons.items():
            b.setChecked(code == lang)

    def set_sync(self, text: str) -> None:
        from kiosk.ui.sync_indicator import LOCAL_ONLY

        self._sync_text = text  # in English: shown again in the new language when it changes
        self.sync_label.setText(self.tr("● Reports are saved on this kiosk (not connected to a district server).")
                                if text == LOCAL_ONLY else language.sync_line(text))

    def reset(self) -> None:
        super().reset()
        self.scan_message.setText("")
