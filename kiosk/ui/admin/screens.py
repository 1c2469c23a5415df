"""Admin screens: a menu, one table-and-form screen per part of the district's setup, and the rotation calendar.

Thin: each screen shows plain rows and emits what the admin asked for; ``kiosk.ui.admin.controller`` runs the
district services on the job runner and hands back the rows and a message.

The texts of the sections (``controller.SECTIONS`` and ``MENU``: titles, intros, field labels, choices, actions)
are marked ``QT_TRANSLATE_NOOP("AdminScreen", ...)`` where they are written and shown through ``admin_text``;
every admin screen is an ``AdminScreen``, so a language switch finds them in that context too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from kiosk.domain.admin_views import Calendar
from kiosk.ui.language import dates, rotation
from kiosk.ui.qt_models import RowsModel
from kiosk.ui.screens.base import Screen
from kiosk.ui.tech.screens import table
from kiosk.ui.widgets import button, compact, label

DATE_STYLE = ("QDateEdit { min-height: 44px; border: 3px solid #111111; border-radius: 8px; padding: 2px 10px; "
              "font-size: 19px; background: #ffffff; } QDateEdit:focus { border: 4px solid #ffb300; }")


ACTIONS_PER_ROW = 4  # an admin screen's action buttons, in rows of at most this many
WEEK = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")  # in the kiosk's language through language.dates


def admin_text(text: str) -> str:
    """A text from the sections' tables (marked in the "AdminScreen" context) in the kiosk's language."""
    return QCoreApplication.translate("AdminScreen", text)


@dataclass(frozen=True)
class Field:
    """One input on an admin form: text, a choice, a date or a tick box."""

    key: str
    label: str
    kind: str = "text"  # text | choice | date | check
    choices: tuple[tuple[Any, str], ...] = ()  # (value, shown)
    placeholder: str = ""


@dataclass(frozen=True)
class Action:
    key: str
    label: str
    needs_row: bool = True
    primary: bool = False


@dataclass(frozen=True)
class Section:
    """What one admin screen is: its title, table columns, form fields and actions."""

    key: str
    title: str
    intro: str
    headers: tuple[str, ...]
    fields: tuple[Field, ...] = ()
    actions: tuple[Action, ...] = ()
    fill: dict[str, str] = field(default_factory=dict)  # form field <- attribute of the selected item


class AdminScreen(Screen):
    """What the admin screens share: the "AdminScreen" context of the sections' texts (see ``admin_text``)."""


class AdminHomeScreen(AdminScreen):
    """The admin menu: one button per part of the district's setup (``entries``: key and English title)."""

    chosen = Signal(str)

    def __init__(self, entries: list[tuple[str, str]]) -> None:
        super().__init__(self.tr("District setup"))
        self.outer.addWidget(label(self.tr(
            "Every change here goes through the same services as the district file (kiosk district apply) and the "
            "staff commands: "
            "it is checked, written to the audit log, and reaches every kiosk on its next sync."), "muted"))
        self.notice = label("", "error")  # on an enrolled kiosk: setup is changed on the district service
        self.notice.hide()
        self.outer.addWidget(self.notice)
        grid = QGridLayout()
        grid.setSpacing(14)
        self.buttons: dict[str, Any] = {}
        for i, (key, text) in enumerate(entries):
            b = button(admin_text(text), self._emitter(key), "primary" if i == 0 else None)
            b.setMinimumHeight(76)
            self.buttons[key] = b
            grid.addWidget(b, i // 2, i % 2)
        self.outer.addLayout(grid)
        self.outer.addStretch(1)
        self.outer.addWidget(self.error_label)

    def _emitter(self, key: str) -> Callable[[], None]:
        return lambda: self.chosen.emit(key)

    def set_read_only(self, why: str) -> None:
        """An enrolled kiosk: the sections still open (to look), and say why nothing can be changed here."""
        self.notice.setText(why)
        self.notice.setVisible(bool(why))


class AdminTableScreen(AdminScreen):
    """A table of the current setup, a form, and actions on the selected row or with the form's values."""

    act = Signal(str, object, dict)  # action key, selected item (or None), form values

    def __init__(self, section: Section) -> None:
        super().__init__(admin_text(section.title))
        self.section = section
        self.outer.addWidget(label(admin_text(section.intro), "muted"))
        self.notice = label("", "error")
        self.notice.hide()
        self.outer.addWidget(self.notice)
        self.read_only = False
        self.model = RowsModel(section.headers)
        self.view = table(self.model)
        self.view.setMinimumHeight(160)  # about four rows; with Spanish's second row of actions it fits 768 px
        self.view.selectionModel().selectionChanged.connect(self._selection)
        self.outer.addWidget(self.view, 1)
        form = QGridLayout()
        form.setHorizontalSpacing(10)
        form.setVerticalSpacing(6)
        self.inputs: dict[str, QWidget] = {}
        for i, f in enumerate(section.fields):
            widget = self._input(f)
            self.inputs[f.key] = widget
            col = (i % 3) * 2
            form.addWidget(label(admin_text(f.label), "muted", wrap=False), i // 3, col)
            form.addWidget(widget, i // 3, col + 1)
        for c in (1, 3, 5):
            form.setColumnStretch(c, 1)
        self.outer.addLayout(form)
        self.action_buttons: dict[str, Any] = {}
        row = QHBoxLayout()
        for i, a in enumerate(section.actions):
            if i % ACTIONS_PER_ROW == 0:  # Spanish's longer words: seven buttons in one row are cut at 1280 px
                row = QHBoxLayout()
                row.setSpacing(10)
                self.outer.addLayout(row)
            b = button(admin_text(a.label), self._actor(a.key), "primary" if a.primary else None)
            compact(b)
            self.action_buttons[a.key] = b
            row.addWidget(b)
            if i % ACTIONS_PER_ROW == ACTIONS_PER_ROW - 1 or i == len(section.actions) - 1:
                row.addStretch(1)
        self.result = label("", "subtitle")
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.outer.addWidget(self.result)
        self.outer.addWidget(self.error_label)
        self._selection()

    def _input(self, f: Field) -> QWidget:
        widget: QWidget
        if f.kind == "choice":
            combo = QComboBox()
            # as wide as its longest item (a metric's name), so a longer Spanish one is not cut off
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            for value, shown in f.choices:
                combo.addItem(admin_text(shown), value)
            widget = combo
        elif f.kind == "date":
            d = QDateEdit()
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd")
            d.setDate(QDate.currentDate())
            d.setStyleSheet(DATE_STYLE)
            widget = d
        elif f.kind == "check":
            widget = QCheckBox()
        else:
            edit = QLineEdit()
            edit.setPlaceholderText(f.placeholder)
            widget = edit
        compact(widget)
        widget.setAccessibleName(admin_text(f.label))
        return widget

    # --- values ------------------------------------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, w in self.inputs.items():
            if isinstance(w, QComboBox):
                out[key] = w.currentData()
            elif isinstance(w, QDateEdit):
                out[key] = w.date().toPython()
            elif isinstance(w, QCheckBox):
                out[key] = w.isChecked()
            elif isinstance(w, QLineEdit):
                out[key] = w.text().strip()
        return out

    def set_value(self, key: str, value: Any) -> None:
        w = self.inputs[key]
        if isinstance(w, QComboBox):
            i = w.findData(value)
            if i >= 0:
                w.setCurrentIndex(i)
        elif isinstance(w, QDateEdit) and isinstance(value, date):
            w.setDate(QDate(value.year, value.month, value.day))
        elif isinstance(w, QCheckBox):
            w.setChecked(bool(value))
        elif isinstance(w, QLineEdit):
            w.setText("" if value is None else str(value))

    def set_choices(self, key: str, choices: list[tuple[Any, str]]) -> None:
        w = self.inputs[key]
        assert isinstance(w, QComboBox)
        current = w.currentData()
        w.clear()
        for value, shown in choices:
            w.addItem(shown, value)
        i = w.findData(current)
        w.setCurrentIndex(max(i, 0))

    # --- rows and selection ---------------------------------------------------------------------------------
    def set_rows(self, rows: list[tuple[Any, ...]], items: list[Any]) -> None:
        self.model.set_rows(rows, items)
        self.view.resizeColumnsToContents()
        self._selection()

    def selected(self) -> Any:
        rows = self.view.selectionModel().selectedRows()
        return self.model.items[rows[0].row()] if rows else None

    def select_row(self, row: int) -> None:
        self.view.selectRow(row)

    def _selection(self) -> None:
        item = self.selected()
        for a in self.section.actions:
            self.action_buttons[a.key].setEnabled(not self.read_only and (item is not None or not a.needs_row))
        if item is not None:
            for form_key, attr in self.section.fill.items():
                self.set_value(form_key, getattr(item, attr, None))

    def _actor(self, key: str) -> Callable[[], None]:
        return lambda: self._act(key)

    def set_read_only(self, why: str) -> None:
        """An enrolled kiosk: the table shows the setup as of the last sync; no action can be taken here."""
        self.read_only = bool(why)
        self.notice.setText(why)
        self.notice.setVisible(self.read_only)
        for w in self.inputs.values():
            w.setEnabled(not self.read_only)
        self._selection()

    def _act(self, key: str) -> None:
        self.show_error("")
        self.result.clear()
        self.act.emit(key, self.selected(), self.values())

    def done(self, message: str) -> None:
        self.result.setText(message)

    def reset(self) -> None:
        super().reset()
        self.result.clear()
        for w in self.inputs.values():
            if isinstance(w, QLineEdit):
                w.clear()


class RotationCalendarScreen(AdminScreen):
    """The rotation of one campus as a week or a month: visits per day; cancel one or add an extra visit."""

    load = Signal(object, object, int)  # campus id, first day, days
    cancel_visit = Signal(object, object, object)  # campus id, day, technician id
    extra_visit = Signal(object, object, object, str)  # campus id, day, technician id, window

    def __init__(self) -> None:
        super().__init__(self.tr("Rotation calendar"))
        self.notice = label("", "error")
        self.notice.hide()
        self.outer.addWidget(self.notice)
        top = QHBoxLayout()
        top.setSpacing(10)
        self.campus = QComboBox()
        self.mode = QComboBox()
        self.mode.addItem(self.tr("Week"), 7)
        self.mode.addItem(self.tr("Month"), 42)
        self.prev_button = button(self.tr("◀ Earlier"), lambda: self._move(-1))
        self.next_button = button(self.tr("Later ▶"), lambda: self._move(1))
        self.heading = label("", "subtitle", wrap=False)
        for w in (self.campus, self.mode, self.prev_button, self.next_button):
            compact(w)
        self.campus.setAccessibleName(self.tr("Campus"))
        self.mode.setAccessibleName(self.tr("Week or month"))
        top.addWidget(self.campus, 2)
        top.addWidget(self.mode)
        top.addWidget(self.prev_button)
        top.addWidget(self.next_button)
        top.addWidget(self.heading, 2)
        self.outer.addLayout(top)
        self.grid = QTableWidget(1, 7)
        self.grid.setHorizontalHeaderLabels([dates(d) for d in WEEK])
        self.grid.verticalHeader().hide()
        self.grid.verticalHeader().setSectionResizeMode(self.grid.verticalHeader().ResizeMode.Stretch)
        self.grid.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.grid.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.grid.setWordWrap(True)
        self.grid.horizontalHeader().setSectionResizeMode(self.grid.horizontalHeader().ResizeMode.Stretch)
        self.grid.setMinimumHeight(260)
        self.grid.currentCellChanged.connect(lambda *_: self._day_changed())
        self.outer.addWidget(self.grid, 1)
        self.day_label = label("", "subtitle")
        self.outer.addWidget(self.day_label)
        form = QHBoxLayout()
        form.setSpacing(10)
        self.technician = QComboBox()
        self.window_edit = QLineEdit()
        self.window_edit.setPlaceholderText("13:00-15:00")
        self.technician.setAccessibleName(self.tr("Technician"))
        self.window_edit.setAccessibleName(self.tr("Time window"))
        self.cancel_button = button(self.tr("Cancel their visit that day"), self._cancel)
        self.extra_button = button(self.tr("Add an extra visit"), self._extra, "primary")
        for widget in (self.technician, self.window_edit, self.cancel_button, self.extra_button):
            compact(widget)
        form.addWidget(QLabel(self.tr("Technician")))
        form.addWidget(self.technician, 2)
        form.addWidget(QLabel(self.tr("Window")))
        form.addWidget(self.window_edit, 1)
        form.addWidget(self.cancel_button)
        form.addWidget(self.extra_button)
        self.outer.addLayout(form)
        self.result = label("", "subtitle")
        self.outer.addWidget(self.result)
        self.outer.addWidget(self.error_label)
        self.read_only = False
        self.anchor = date.today()  # the day in focus: the week or month shown holds it
        self.first = self.anchor - timedelta(days=self.anchor.weekday())
        self.calendar: Calendar | None = None
        self._selected: date | None = None
        self.campus.currentIndexChanged.connect(lambda *_: self.request())
        self.mode.currentIndexChanged.connect(lambda *_: self._mode_changed())

    def set_choices(self, campuses: list[tuple[Any, str]], technicians: list[tuple[Any, str]],
                    today: date) -> None:
        for combo, items in ((self.campus, campuses), (self.technician, technicians)):
            combo.blockSignals(True)
            current = combo.currentData()
            combo.clear()
            for value, shown in items:
                combo.addItem(shown, value)
            i = combo.findData(current)
            combo.setCurrentIndex(max(i, 0))
            combo.blockSignals(False)
        self.today = self.anchor = today
        self.first = self._start_for(today)
        self.request()

    def _days(self) -> int:
        return int(self.mode.currentData() or 7)

    def _start_for(self, day: date) -> date:
        if self._days() == 7:
            return day - timedelta(days=day.weekday())
        first = day.replace(day=1)
        return first - timedelta(days=first.weekday())

    def _mode_changed(self) -> None:
        self.first = self._start_for(self.anchor)  # the day in focus stays in view
        self.request()

    def _move(self, step: int) -> None:
        if self._days() == 7:
            self.anchor += timedelta(days=7 * step)
        else:
            a = self.anchor
            self.anchor = date(a.year + (a.month + step - 1) // 12, (a.month + step - 1) % 12 + 1, 1)
        self.first = self._start_for(self.anchor)
        self.request()

    def request(self) -> None:
        campus = self.campus.currentData()
        if campus is not None:
            self.load.emit(campus, self.first, self._days())

    def show_calendar(self, cal: Calendar) -> None:
        self.calendar = cal
        days = (cal.last - cal.first).days + 1
        weeks = days // 7
        self.grid.setRowCount(weeks)
        middle = cal.first + timedelta(days=days // 2)
        self.grid.setHorizontalHeaderLabels([dates(d) for d in WEEK])  # in the language of the moment
        # "14 Sep - 20 Sep 2026" ("14 de sept - 20 de sept de 2026"); a month and its year ("septiembre de 2026")
        self.heading.setText(dates(f"{cal.first:%d %b} - {cal.last:%d %b %Y}") if weeks == 1 else
                             self.tr("{0} {1}", "a month and its year").format(dates(f"{middle:%B}"), middle.year))
        for i in range(days):
            day = cal.first + timedelta(days=i)
            first = dates(f"{day:%d %b}")
            lines = [self.tr("{0} (today)").format(first) if day == getattr(self, "today", None) else first]
            short = list(lines)  # a month's cells are small: start time, first name, + for an extra visit
            for v in cal.on(day):
                who = rotation(v.technician)
                if v.cancelled:  # why: a holiday's name or the admin's note as typed, or the rotation's own word
                    lines.append(f"✕ {who}: {rotation(v.note or 'cancelled')}")
                    short.append(f"✕ {who}")
                else:
                    line = f"{v.start:%H:%M}-{v.end:%H:%M} {who}"
                    lines.append(self.tr("{0} (extra)").format(line) if v.extra else line)
                    short.append(f"{v.start:%H:%M} {who}{' +' if v.extra else ''}")
            item = QTableWidgetItem("\n".join(lines if weeks == 1 else short))
            if weeks > 1 and short != lines:
                item.setToolTip("\n".join(lines))  # the whole day: windows, why a visit is cancelled
            item.setData(Qt.ItemDataRole.UserRole, day.isoformat())
            item.setTextAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            if weeks > 1 and day.month != middle.month:
                item.setForeground(Qt.GlobalColor.gray)
            self.grid.setItem(i // 7, i % 7, item)
        keep = self._selected if self._selected and cal.first <= self._selected <= cal.last else None
        self.select_day(keep or (self.anchor if cal.first <= self.anchor <= cal.last else cal.first))
        self._day_changed()

    def selected_day(self) -> date | None:
        item = self.grid.currentItem()
        value = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return date.fromisoformat(value) if isinstance(value, str) else None

    def select_day(self, day: date) -> None:
        if self.calendar is None:
            return
        i = (day - self.calendar.first).days
        self.grid.setCurrentCell(i // 7, i % 7)

    def _day_changed(self) -> None:
        day = self.selected_day()
        if day is not None:
            self._selected = day
        self.day_label.setText((self.tr("Selected: {0}").format(dates(f"{day:%A %d %B %Y}")) if day else "")
                               + self.tr("   (+ an extra visit, ✕ a cancelled one)"))
        self.cancel_button.setEnabled(day is not None and not self.read_only)
        self.extra_button.setEnabled(day is not None and not self.read_only)
        self.window_edit.setEnabled(not self.read_only)

    def set_read_only(self, why: str) -> None:
        """An enrolled kiosk: the calendar shows the rotation as of the last sync; no visit can be changed here."""
        self.read_only = bool(why)
        self.notice.setText(why)
        self.notice.setVisible(self.read_only)
        self._day_changed()

    def _cancel(self) -> None:
        day = self.selected_day()
        if day is not None:
            self.show_error("")
            self.cancel_visit.emit(self.campus.currentData(), day, self.technician.currentData())

    def _extra(self) -> None:
        day = self.selected_day()
        if day is not None:
            self.show_error("")
            self.extra_visit.emit(self.campus.currentData(), day, self.technician.currentData(),
                                  self.window_edit.text().strip())

    def done(self, message: str) -> None:
        self.result.setText(message)
