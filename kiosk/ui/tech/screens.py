"""Technician screens: menu, queue, ticket work, device record, register, room audit, and list views."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QT_TRANSLATE_NOOP, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QSpacerItem,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain.devices import HistoryItem
from kiosk.domain.models import DeviceCategory, DeviceStatus, TicketStatus
from kiosk.domain.queue import QueueRow
from kiosk.domain.ticket_work import ClockLine, EventLine, TicketCard
from kiosk.ui.language import catalog, event, history, status
from kiosk.ui.qt_models import RowsModel, local_time
from kiosk.ui.screens.base import Screen
from kiosk.ui.tech.queue_model import ROW_ROLE, QueueFilter, TicketQueueModel, format_span
from kiosk.ui.widgets import button, compact, label, scroll_area, touch_rows


def table(model: object, *, stretch_last: bool = True) -> QTableView:
    view = QTableView()
    view.setModel(model)  # type: ignore[arg-type]
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(stretch_last)
    view.setWordWrap(False)
    return view


def _change_text(e: EventLine) -> str:
    """A status change in the screen's language ("asignado → en curso"); other changes as the domain wrote them."""
    if e.kind in ("status", "created") and e.new:
        return f"{status(e.old) if e.old else '-'} → {status(e.new)}"
    if e.kind == "survey" and e.new:
        return f"{event(e.old) if e.old else '-'} → {event(e.new)}"
    return e.change


class TechHomeScreen(Screen):
    open_queue = Signal()
    find_device = Signal()
    room_audit = Signal()
    unknown_tags = Signal()
    troublesome = Signal()
    not_audited = Signal()
    labels = Signal()
    reports = Signal()
    refused = Signal()
    sync_now = Signal()
    district_setup = Signal()
    my_account = Signal()
    repair_desk = Signal()
    sign_out = Signal()
    change_campus = Signal()
    exit_kiosk = Signal()

    search_requested = Signal(str)  # what is typed, after a short pause in typing
    open_found = Signal(str)  # a device tag from the results

    def __init__(self) -> None:
        super().__init__(self.tr("Technician"), with_home=False)
        self.who = label("", "subtitle")
        self.outer.addWidget(self.who)
        self.outer.addWidget(label(self.tr("Scan any device at any time to open its record."), "muted"))
        self.search = QLineEdit()
        self.search.setObjectName("deviceSearch")
        self.search.setPlaceholderText(self.tr("Find a device: tag, serial, model, room or assignee"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumHeight(48)
        self.outer.addWidget(self.search)
        self.results_note = label("", "muted")
        self.results = RowsModel(("Tag", "Device", "Status", "Campus", "Room", "Assignee", "Serial"))
        self.results_view = table(self.results)
        self.results_view.activated.connect(self._open_found)
        self.results_view.clicked.connect(self._open_found)
        self.outer.addWidget(self.results_note)
        self.outer.addWidget(self.results_view, 1)
        self.typing = QTimer(self)
        self.typing.setSingleShot(True)
        self.typing.setInterval(120)  # results as you type, one query per pause rather than per key
        self.typing.timeout.connect(lambda: self.search_requested.emit(self.search.text()))
        self.search.textChanged.connect(self._typed)
        self.search.returnPressed.connect(self._enter)
        self.menu = QWidget()
        menu_box = QVBoxLayout(self.menu)
        menu_box.setContentsMargins(0, 0, 0, 0)
        grid = QGridLayout()
        grid.setSpacing(14)
        entries = [
            (self.tr("Work queue"), self.open_queue, "primary"),
            (self.tr("Find a device"), self.find_device, None),
            (self.tr("Room audit"), self.room_audit, None),
            (self.tr("Unknown tags to register"), self.unknown_tags, None),
            (self.tr("Troublesome devices and models"), self.troublesome, None),
            (self.tr("Rooms not audited lately"), self.not_audited, None),
            (self.tr("Print labels"), self.labels, None),
            (self.tr("Change this kiosk's campus"), self.change_campus, None),
            (self.tr("Repair desk: loaners, walk-ins, parts"), self.repair_desk, None),
        ]
        for i, (text, signal, name) in enumerate(entries):
            b = button(text, signal.emit, name)
            b.setMinimumHeight(80)
            grid.addWidget(b, i // 2, i % 2)
        menu_box.addLayout(grid)
        self.desk_line = label("", "subtitle")  # the loaner pool's state (kiosk/ui/tech/desk_screen.py)
        menu_box.addWidget(self.desk_line)
        extra = QHBoxLayout()  # shown only to admins, and only when there is something refused
        extra.setSpacing(14)
        self.reports_button = button(self.tr("Reports"), self.reports.emit, "primary")
        self.refused_button = button(self.tr("Changes the server refused"), self.refused.emit)
        self.sync_button = button(self.tr("Sync now"), self.sync_now.emit)  # shown on an enrolled kiosk
        for b in (self.reports_button, self.refused_button, self.sync_button):
            b.setMinimumHeight(80)
            b.hide()
            extra.addWidget(b)  # each as wide as its text needs ("Changes the server refused (3)" was cut short)
        extra.addStretch(1)
        menu_box.addLayout(extra)
        menu_box.addStretch(1)
        self.outer.addWidget(self.menu, 1)
        self._show_results(False)
        row = QHBoxLayout()
        self.sign_out_button = button(self.tr("Sign out (back to the walk-up kiosk)"), self.sign_out.emit)
        self.exit_button = button(self.tr("Leave kiosk mode"), self.exit_kiosk.emit, "small")
        self.account_button = button(self.tr("My PIN and password"), self.my_account.emit, "small")
        self.setup_button = button(self.tr("District setup"), self.district_setup.emit, "small")  # admins only
        self.setup_button.hide()
        row.addWidget(self.sign_out_button, 1)
        row.addWidget(self.setup_button)
        row.addWidget(self.account_button)
        row.addWidget(self.exit_button)
        self.outer.addLayout(row)
        self.outer.addWidget(self.error_label)

    def set_user(self, name: str, admin: bool) -> None:
        self.who.setText(self.tr("Signed in: {0}{1}").format(name, self.tr(" (admin)") if admin else ""))
        self.exit_button.setVisible(True)  # any signed-in technician may leave kiosk mode
        self.reports_button.setVisible(admin)
        self.setup_button.setVisible(admin)

    def set_desk(self, text: str) -> None:
        self.desk_line.setText(text)

    def set_refused(self, count: int) -> None:
        self.refused_button.setText(self.tr("Changes the server refused ({0})").format(count))
        self.refused_button.setVisible(count > 0)

    def _show_results(self, on: bool) -> None:
        self.menu.setVisible(not on)
        self.results_view.setVisible(on)
        self.results_note.setVisible(on)

    def _typed(self, text: str) -> None:
        if not text.strip():
            self.typing.stop()
            self.results.set_rows([])
            self._show_results(False)
            return
        self.typing.start()

    def _enter(self) -> None:
        if len(self.results.items) == 1:
            self.open_found.emit(self.results.items[0])
        elif self.search.text().strip():
            self.typing.stop()
            self.search_requested.emit(self.search.text())

    def current_query(self) -> str:
        return " ".join(self.search.text().split())[:80]

    def show_results(self, result: Any) -> None:
        """A ``device_search.SearchResult``; dropped if the field no longer says what was searched."""
        if result.text != self.current_query() or not result.text:
            return
        self.results.set_rows([(h.tag, h.model, status(h.status), h.campus or "", h.room or "",
                                h.assignee or "", h.serial or "") for h in result.hits], [h.tag for h in result.hits])
        self.results_view.resizeColumnsToContents()
        n = len(result.hits)
        self.results_note.setText(
            self.tr("No device matches “{0}”.").format(result.text) if n == 0 else
            self.tr("The first {0} matches: type more to narrow them.").format(n) if result.more else
            self.tr("{0} matching devices. Tap one to open it.").format(n))
        self._show_results(True)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _open_found(self, index: QModelIndex) -> None:
        if 0 <= index.row() < len(self.results.items):
            self.open_found.emit(self.results.items[index.row()])

    def reset(self) -> None:
        super().reset()
        self.typing.stop()
        self.search.clear()
        self.results.set_rows([])
        self._show_results(False)


class QueueScreen(Screen):
    open_ticket = Signal(str)
    refresh = Signal()
    view_changed = Signal(str)  # open, mine, waiting, all

    VIEWS = (("open", QT_TRANSLATE_NOOP("QueueScreen", "Open tickets")), ("mine", QT_TRANSLATE_NOOP("QueueScreen", "Mine")),
             ("waiting", QT_TRANSLATE_NOOP("QueueScreen", "Resolved, waiting to close")),
             ("all", QT_TRANSLATE_NOOP("QueueScreen", "All but closed")))

    def __init__(self) -> None:
        super().__init__(self.tr("Work queue"))
        filters = QHBoxLayout()
        self.view_choice = QComboBox()
        for key, text in self.VIEWS:
            self.view_choice.addItem(self.tr(str(text)), key)
        self.status = QComboBox()
        self.status.addItem(self.tr("Any status"), "")
        for s in TicketStatus:
            if s is not TicketStatus.CLOSED:
                self.status.addItem(status(s.value), s.value)
        self.priority = QComboBox()
        self.priority.addItem(self.tr("Any priority"), "")
        for p in ("P1", "P2", "P3", "P4"):
            self.priority.addItem(p, p)
        self.category = QComboBox()
        self.category.addItem(self.tr("Any category"), "")
        self.room = QLineEdit()
        self.room.setPlaceholderText(self.tr("Room"))
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Ticket, tag or words"))
        for combo, name in ((self.view_choice, self.tr("Which tickets")), (self.status, self.tr("Status")),
                            (self.priority, self.tr("Priority")), (self.category, self.tr("Category"))):
            combo.setAccessibleName(name)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)  # never a cut-off choice
            touch_rows(combo)
        # Two rows: the four choices on one, the typed filters and Refresh on the next. On one row at 1366 px the
        # room and search fields shrank to "R..." and, in Spanish, the choices and "Actualizar" were cut off.
        for w in (self.view_choice, self.status, self.priority, self.category, self.room, self.search):
            compact(w)
        for w in (self.view_choice, self.status, self.priority, self.category):
            filters.addWidget(w)
        filters.addStretch(1)
        typed = QHBoxLayout()
        typed.addWidget(self.room, 1)
        typed.addWidget(self.search, 3)
        typed.addWidget(button(self.tr("Refresh"), self.refresh.emit, "small"))
        self.outer.addLayout(filters)
        self.outer.addLayout(typed)
        self.count = label("", "muted")
        self.outer.addWidget(self.count)
        self.model = TicketQueueModel(now=datetime.now(UTC))
        self.proxy = QueueFilter()
        self.proxy.setSourceModel(self.model)
        self.view = table(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(TicketQueueModel.SLA, Qt.SortOrder.AscendingOrder)
        self.view.activated.connect(self._open)
        self.view.doubleClicked.connect(self._open)
        self.outer.addWidget(self.view, 1)
        # touch screens show no tooltips: the star is explained on the screen itself
        self.legend = label(self.tr("P1* = priority set by a technician (the reporter chose another). "
                                    "“paused” = on hold, the SLA clock is stopped."), "muted")
        self.outer.addWidget(self.legend)
        self.outer.addWidget(self.error_label)
        self.clock: Callable[[], datetime] | None = None  # the flow's clock: SLA columns count down from it
        self.ticker = QTimer(self)
        self.ticker.setInterval(30_000)
        self.ticker.timeout.connect(self.tick)
        self.ticker.start()
        self.view_choice.currentIndexChanged.connect(lambda _i: self.view_changed.emit(self.current_view()))
        self.status.currentIndexChanged.connect(self._apply)
        self.priority.currentIndexChanged.connect(self._apply)
        self.category.currentIndexChanged.connect(self._apply)
        self.room.textChanged.connect(self._apply)
        self.search.textChanged.connect(self._apply)

    def current_view(self) -> str:
        return str(self.view_choice.currentData() or "open")

    def tick(self) -> None:
        if self.clock is not None and self.isVisible():
            self.model.set_now(self.clock())

    def set_rows(self, rows: list[QueueRow] | tuple[QueueRow, ...], now: datetime, *, all_campuses: bool,
                 view: str = "open") -> None:
        self.model.set_rows(list(rows), now)
        i = self.view_choice.findData(view)
        if i >= 0 and i != self.view_choice.currentIndex():
            self.view_choice.blockSignals(True)
            self.view_choice.setCurrentIndex(i)
            self.view_choice.blockSignals(False)
        cats = sorted({r.category for r in rows})
        current = self.category.currentData()
        self.category.blockSignals(True)
        self.category.clear()
        self.category.addItem(self.tr("Any category"), "")
        for c in cats:
            self.category.addItem(catalog(c), c)
        i = self.category.findData(current)
        self.category.setCurrentIndex(max(0, i))
        self.category.blockSignals(False)
        self.view.setColumnHidden(TicketQueueModel.CAMPUS, not all_campuses)
        self.view.resizeColumnsToContents()
        self.view.setColumnWidth(TicketQueueModel.DESCRIPTION, min(self.view.columnWidth(
            TicketQueueModel.DESCRIPTION), 320))
        self._apply()

    def show_tag(self, tag: str) -> None:
        self.search.setText(tag)

    def _apply(self) -> None:
        self.proxy.set_filter(status=self.status.currentData() or "", priority=self.priority.currentData() or "",
                              category=self.category.currentData() or "", room=self.room.text(),
                              text=self.search.text())
        self.count.setText(self.tr("{0} of {1} tickets").format(self.proxy.rowCount(), self.model.rowCount()))
        self.legend.setVisible(self.model.overridden_count() > 0 or any(
            r.paused_left_seconds is not None for r in self.model.rows))

    def _open(self, index: QModelIndex) -> None:
        row: QueueRow = self.proxy.data(index, ROW_ROLE)
        self.open_ticket.emit(row.number)

    def reset(self) -> None:
        super().reset()
        self.search.clear()
        self.view_choice.blockSignals(True)
        self.view_choice.setCurrentIndex(0)
        self.view_choice.blockSignals(False)


class TicketScreen(Screen):
    EVENT_KINDS = (  # TicketEventKind's values, as the events table shows them
        QT_TRANSLATE_NOOP("TicketScreen", "created"), QT_TRANSLATE_NOOP("TicketScreen", "note"),
        QT_TRANSLATE_NOOP("TicketScreen", "status"), QT_TRANSLATE_NOOP("TicketScreen", "priority"),
        QT_TRANSLATE_NOOP("TicketScreen", "assignment"), QT_TRANSLATE_NOOP("TicketScreen", "report added"),
        QT_TRANSLATE_NOOP("TicketScreen", "repair"), QT_TRANSLATE_NOOP("TicketScreen", "survey"),
        QT_TRANSLATE_NOOP("TicketScreen", "escalation"))
    AUTHORS = (QT_TRANSLATE_NOOP("TicketScreen", "reporter"), QT_TRANSLATE_NOOP("TicketScreen", "system"))
    assign_me = Signal()
    assign_to = Signal(object)  # a technician's id, or None to unassign
    set_status = Signal(str, str)  # status, note or resolution
    override = Signal(str, str)  # priority, reason
    note = Signal(str, bool)  # text, public
    repair = Signal(str, str, int, str)  # action, parts, minutes, parts cost as typed ("12.50")
    open_device = Signal(str)

    def __init__(self, tz: ZoneInfo) -> None:
        super().__init__(self.tr("Ticket"))
        self.tz = tz
        self.number = ""
        self.device_tag: str | None = None
        self.card: TicketCard | None = None
        self.header = label("", "subtitle")
        self.info = label("")
        self.clocks = label("", "muted")
        top_row = QHBoxLayout()
        text_col = QVBoxLayout()
        for w in (self.header, self.info, self.clocks):
            text_col.addWidget(w)
        top_row.addLayout(text_col, 1)
        self.photo = QLabel()
        self.photo.setObjectName("ticketPhoto")
        self.photo.setFixedSize(160, 120)
        self.photo.setScaledContents(False)
        self.photo.hide()
        top_row.addWidget(self.photo, 0, Qt.AlignmentFlag.AlignTop)
        self.outer.addLayout(top_row)
        body = QHBoxLayout()
        body.setSpacing(16)
        # who and who-sees-it first, so they never scroll off to the right of a long note
        self.events = RowsModel(("When", "What", "Change", "Text", "By", "Visible to"))  # the text before who: in view
        self.events_view = table(self.events)
        body.addWidget(self.events_view, 1)
        actions_box = QWidget()
        actions = QVBoxLayout(actions_box)
        actions.setContentsMargins(0, 0, 8, 0)
        actions.setSpacing(8)
        top = QHBoxLayout()
        top.addWidget(button(self.tr("Assign to me"), self.assign_me.emit, "small"))
        self.assignee = QComboBox()
        touch_rows(self.assignee)
        assign = QHBoxLayout()  # a row of its own: beside the buttons the longest name was cut short
        assign.addWidget(self.assignee, 1)
        assign.addWidget(button(self.tr("Assign"), self._assign, "small"))
        self.device_button = button(self.tr("Device record"), lambda: self.open_device.emit(self.device_tag or ""),
                                    "small")
        top.addWidget(self.device_button)
        top.addStretch(1)
        actions.addLayout(top)
        actions.addLayout(assign)
        status = QHBoxLayout()
        status.addWidget(label(self.tr("Move to:"), "muted", wrap=False), 0, Qt.AlignmentFlag.AlignTop)
        self.status_row = QGridLayout()  # the statuses this ticket may move to, three to a row
        self.status_row.setSpacing(8)
        status.addLayout(self.status_row, 1)
        actions.addLayout(status)
        self.status_note = QLineEdit()
        self.status_note.setPlaceholderText(self.tr("Resolution or note for the status change"))
        actions.addWidget(self.status_note)
        prio = QHBoxLayout()
        self.prio = QComboBox()
        touch_rows(self.prio)
        for p in ("P1", "P2", "P3", "P4"):
            self.prio.addItem(p, p)
        self.prio_reason = QLineEdit()
        self.prio_reason.setPlaceholderText(self.tr("Reason (required)"))
        prio.addWidget(self.prio)
        prio.addWidget(self.prio_reason, 1)
        prio.addWidget(button(self.tr("Override priority"), self._override, "small"))
        actions.addLayout(prio)
        notes = QHBoxLayout()
        self.note_text = QLineEdit()
        self.note_text.setPlaceholderText(self.tr("Note"))
        self.note_public = QCheckBox(self.tr("Public"))
        notes.addWidget(self.note_text, 1)
        notes.addWidget(self.note_public)
        notes.addWidget(button(self.tr("Add note"), self._note, "small"))
        actions.addLayout(notes)
        # the repair form: a grid other modules can add rows to (the parts catalogue hooks in here)
        self.repair_form = QGridLayout()
        rep = self.repair_form
        rep.setSpacing(8)
        self.repair_action = QLineEdit()
        self.repair_action.setPlaceholderText(self.tr("Repair: what was done"))
        self.repair_parts = QLineEdit()
        self.repair_parts.setPlaceholderText(self.tr("Parts used"))
        self.repair_cost = QLineEdit()
        self.repair_cost.setPlaceholderText(self.tr("Cost $"))
        self.repair_cost.setMaximumWidth(140)
        self.repair_minutes = QSpinBox()
        self.repair_minutes.setRange(0, 1440)
        self.repair_minutes.setSuffix(self.tr(" min"))
        # action and parts get a row each: beside cost, minutes and the button at 1280 px the parts field shrank to
        # "P..." and, in Spanish, "Registrar reparación" was cut off
        rep.addWidget(self.repair_action, 0, 0, 1, 4)
        rep.addWidget(self.repair_parts, 1, 0, 1, 4)
        rep.addWidget(self.repair_cost, 2, 0)
        rep.addWidget(self.repair_minutes, 2, 1)
        rep.addWidget(button(self.tr("Log repair"), self._repair, "small"), 2, 3)
        rep.setColumnStretch(2, 1)
        actions.addLayout(rep)
        actions.addStretch(1)
        compact(self.status_note, self.prio, self.prio_reason, self.note_text, self.repair_action,
                self.repair_parts, self.repair_cost, self.repair_minutes, self.assignee)
        # the actions scroll on their own if they ever need more height; the events stay in view
        body.addWidget(scroll_area(actions_box, "ticketActions"), 1)
        self.outer.addLayout(body, 1)
        self.outer.addWidget(self.error_label)

    def _clock_text(self, which: str, c: ClockLine | None) -> str:
        if c is None:
            return ""
        if c.met is not None:
            return self.tr("{0}: met").format(which) if c.met else self.tr("{0}: missed").format(which)
        left = format_span(c.remaining_seconds or 0.0)
        if c.paused:
            return self.tr("{0}: paused while on hold, {1} of business time left").format(which, left)
        due = local_time(c.due_at, self.tz)
        if (c.remaining_seconds or 0) < 0:
            return self.tr("{0}: overdue since {1}").format(which, due)
        return self.tr("{0} by {1} ({2} of business time left)").format(which, due, left)

    def show_card(self, card: TicketCard, photo: bytes | None = None) -> None:
        self.card = card
        self.number = card.number
        self.device_tag = card.device_tag
        self.show_error("")
        override = self.tr(" (reporter: {0}; override: {1})").format(card.reporter_priority, card.override_reason) \
            if card.override_reason else ""
        self.header.setText(f"{card.number} · {status(card.status)} · {card.priority}{override}")
        who = card.reporter or self.tr("no reporter")
        kind = f" ({status(card.reporter_kind)})" if card.reporter_kind else ""
        assigned = card.assignee or self.tr("nobody yet")
        cost = f" · parts ${card.parts_cost_cents / 100:,.2f}" if card.parts_cost_cents else ""
        self.info.setText(self.tr("{0} · {1}{2}<br>{3}<br>Reported by {4}{5} · assigned to {6} · {7} min logged{8}")
                          .format(escape(catalog(card.category)), escape(card.place),
                                  f" · {card.device_tag}" if card.device_tag else "", escape(card.description),
                                  escape(who), kind, escape(assigned), card.minutes, cost))
        lines: list[str] = []
        if card.status == "closed":
            lines.append(self.tr("Closed {0}").format(local_time(card.closed_at, self.tz)))
        else:
            if card.response is not None and card.response.met is None:
                lines.append(self._clock_text(self.tr("First response"), card.response))
            lines.append(self._clock_text(self.tr("Resolve"), card.resolution_clock))
        if card.closes_on is not None:
            lines.append(self.tr("Waiting for the reporter: closes by itself after {0} unless they say "
                                 "it is not solved").format(card.closes_on.strftime("%a %d %b")))
        if card.survey:
            lines.append(self.tr("Survey: {0}").format(event(card.survey)))
        self.clocks.setText(" · ".join(x for x in lines if x))
        self.events.set_rows([
            (local_time(e.at, self.tz), self.tr(e.kind.replace("_", " ")), _change_text(e), event(e.body),
             self.tr(e.author) if e.author in self.AUTHORS else e.author,
             self.tr("everyone") if e.public else self.tr("staff"))
            for e in card.events
        ])
        self.events_view.resizeColumnsToContents()
        self.device_button.setEnabled(card.device_tag is not None)
        self.assignee.clear()
        self.assignee.addItem(self.tr("Nobody (unassign)"), "")
        for tid, name in card.technicians:  # ids as text: Qt compares them reliably
            self.assignee.addItem(name, str(tid))
        self.assignee.setCurrentIndex(max(0, self.assignee.findData(str(card.assignee_id or ""))))
        while self.status_row.count():
            item = self.status_row.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for i, st in enumerate(card.allowed):
            b = button(status(st), name="small")
            b.clicked.connect(lambda _c=False, st=st: self.set_status.emit(st, self.status_note.text()))
            self.status_row.addWidget(b, i // 3, i % 3)
        i = self.prio.findData(card.priority)
        self.prio.setCurrentIndex(max(i, 0))
        for f in (self.status_note, self.prio_reason, self.note_text, self.repair_action, self.repair_parts,
                  self.repair_cost):
            f.clear()
        self.note_public.setChecked(False)  # the next note is internal unless ticked again
        self.repair_minutes.setValue(0)
        self._show_photo(photo)

    def _show_photo(self, data: bytes | None) -> None:
        image = QImage.fromData(data) if data else QImage()
        if image.isNull():
            self.photo.clear()
            self.photo.hide()
            return
        self.photo.setPixmap(QPixmap.fromImage(image).scaled(
            self.photo.size(), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))
        self.photo.setToolTip(self.tr("The reporter's photo"))
        self.photo.show()

    def _assign(self) -> None:
        data = self.assignee.currentData()
        self.assign_to.emit(uuid.UUID(data) if data else None)

    def _override(self) -> None:
        self.override.emit(self.prio.currentData(), self.prio_reason.text())

    def _note(self) -> None:
        self.note.emit(self.note_text.text(), self.note_public.isChecked())

    def _repair(self) -> None:
        self.repair.emit(self.repair_action.text(), self.repair_parts.text(), self.repair_minutes.value(),
                         self.repair_cost.text())

    def reset(self) -> None:
        super().reset()
        self.card = None
        self.note_public.setChecked(False)
        self._show_photo(None)


class DeviceScreen(Screen):
    KINDS = (QT_TRANSLATE_NOOP("DeviceScreen", "ticket"), QT_TRANSLATE_NOOP("DeviceScreen", "event"),
             QT_TRANSLATE_NOOP("DeviceScreen", "repair"), QT_TRANSLATE_NOOP("DeviceScreen", "move"),
             QT_TRANSLATE_NOOP("DeviceScreen", "audit"))  # a history item's kind (kiosk.domain.devices)
    save = Signal(str, dict)  # tag, changes
    retire_asked = Signal(str, str)  # tag, reason: the flow answers with ask_retire (what it would do)
    retire = Signal(str, str)  # tag, reason: confirmed
    open_ticket = Signal(str)

    def __init__(self, tz: ZoneInfo) -> None:
        super().__init__(self.tr("Device"))
        self.tz = tz
        self.tag = ""
        self.header = label("", "subtitle")
        self.facts = label("")
        self.flag = label("", "error")
        self.flag.hide()
        self.outer.addWidget(self.header)
        self.outer.addWidget(self.facts)
        self.outer.addWidget(self.flag)
        body = QHBoxLayout()
        body.setSpacing(16)
        self.timeline = RowsModel(("When", "Kind", "What", "Ticket", "Minutes"))
        self.timeline_view = table(self.timeline)
        self.timeline_view.activated.connect(self._open)
        body.addWidget(self.timeline_view, 3)
        form_box = QWidget()
        form = QGridLayout(form_box)
        form.setContentsMargins(0, 0, 8, 0)
        form.setVerticalSpacing(8)
        self.room = QLineEdit()
        self.status = QComboBox()
        for s in DeviceStatus:
            self.status.addItem(status(s.value), s.value)
        self.model_field = QLineEdit()
        self.serial = QLineEdit()
        self.notes = QLineEdit()
        for i, (name, w) in enumerate(((self.tr("Room"), self.room), (self.tr("Status"), self.status),
                                       (self.tr("Model"), self.model_field), (self.tr("Serial"), self.serial),
                                       (self.tr("Notes"), self.notes))):
            compact(w)
            form.addWidget(label(name), i, 0)
            form.addWidget(w, i, 1)
        form.addWidget(button(self.tr("Save changes"), self._save, "primary"), 5, 0, 1, 2)
        form.addItem(QSpacerItem(0, 16), 6, 0)
        self.retire_reason = QLineEdit()
        self.retire_reason.setPlaceholderText(self.tr("Why retire it?"))
        compact(self.retire_reason)
        form.addWidget(self.retire_reason, 7, 0, 1, 2)
        self.retire_button = button(self.tr("Retire device…"), self._ask_retire, "small")
        form.addWidget(self.retire_button, 8, 0, 1, 2)
        self.retire_confirm = QWidget()  # nothing is retired before this says what will happen, by name
        rc = QVBoxLayout(self.retire_confirm)
        rc.setContentsMargins(0, 0, 0, 0)
        self.retire_text = label("", "error")
        rc.addWidget(self.retire_text)
        rc_row = QHBoxLayout()
        self.retire_yes = button(self.tr("Yes, retire it"), self._retire, "small")
        rc_row.addWidget(self.retire_yes)
        rc_row.addWidget(button(self.tr("Cancel"), lambda: self.retire_confirm.hide(), "small"))
        rc.addLayout(rc_row)
        self.retire_confirm.hide()
        form.addWidget(self.retire_confirm, 9, 0, 1, 2)
        form.setRowStretch(10, 1)
        body.addWidget(scroll_area(form_box, "deviceForm"), 2)
        self.outer.addLayout(body, 1)
        self.outer.addWidget(self.error_label)

    def show_device(self, d: dict[str, Any], items: list[HistoryItem], troublesome: bool) -> None:
        if d["asset_tag"] != self.tag:
            self.retire_reason.clear()  # one device's reason never carries over to the next one opened
        self.tag = d["asset_tag"]
        self.retire_confirm.hide()
        self.retire_button.setEnabled(d["status"] != "retired")
        self.show_error("")
        self.header.setText(f"{d['asset_tag']} · {d['manufacturer'] or ''} {d['model'] or ''} · "
                            f"{catalog(d['category'])}")
        cost = f"${d['purchase_cost']:,.2f}" if d["purchase_cost"] is not None else "?"
        self.facts.setText(self.tr("{0} / {1} · {2} · bought {3} for {4} · warranty to {5} · last audit {6}<br>"
                                   "{7} repairs, {8} minutes, parts: {9}").format(
            d["campus"] or "-", d["room"] or "-", status(d["status"]), d["purchase_date"] or "?", cost,
            d["warranty_end"] or "?", (d["last_audited_at"] or self.tr("never"))[:10], d["repairs"], d["total_minutes"],
            ", ".join(d["parts"]) or self.tr("none")) + (self.tr(" · parts cost ${0:,.2f}").format(d["parts_cost"])
                                                if d.get("parts_cost") else ""))
        self.flag.setText(self.tr("Troublesome: repeated repairs in a short time") if troublesome else "")
        self.flag.setVisible(troublesome)
        self.timeline.set_rows(
            [(local_time(i.at, self.tz), self.tr(i.kind), history(i.summary), i.ticket_number or "", i.minutes or "")
             for i in reversed(items)],
            [i.ticket_number for i in reversed(items)])
        self.timeline_view.resizeColumnsToContents()
        self.room.setText(d["room"] or "")
        self.status.setCurrentIndex(max(0, self.status.findData(d["status"])))
        self.model_field.setText(d["model"] or "")
        self.serial.setText(d["serial"] or "")
        self.notes.setText(d["notes"] or "")

    def _ask_retire(self) -> None:
        if len(self.retire_reason.text().strip()) < 3:
            self.show_error(self.tr("Give a reason to retire the device (at least 3 characters)."))
            return
        self.show_error("")
        self.retire_asked.emit(self.tag, self.retire_reason.text().strip())

    def ask_retire(self, plan: Any) -> None:
        """The confirmation (a ``device_work.RetirePlan``): the device, the reason, its open tickets."""
        if plan.tag != self.tag:
            return
        tickets_text = (self.tr(" Its open tickets {0} get a note saying so.").format(", ".join(plan.open_tickets))
                        if plan.open_tickets else "")
        self.retire_text.setText(self.tr("Retire {0} {1} because “{2}”? It will no longer be expected in "
                                         "audits.{3}").format(plan.tag, plan.model, escape(self.retire_reason.text()
                                                                                           .strip()), tickets_text))
        self.retire_confirm.show()

    def _retire(self) -> None:
        self.retire_confirm.hide()
        self.retire.emit(self.tag, self.retire_reason.text().strip())

    def reset(self) -> None:
        super().reset()
        self.tag = ""
        self.retire_reason.clear()
        self.retire_confirm.hide()

    def _save(self) -> None:
        self.save.emit(self.tag, {"room": self.room.text(), "status": self.status.currentData(),
                                  "model": self.model_field.text(), "serial": self.serial.text(),
                                  "notes": self.notes.text()})

    def _open(self, index: QModelIndex) -> None:
        number = self.timeline.items[index.row()]
        if number:
            self.open_ticket.emit(number)


class RegisterScreen(Screen):
    register = Signal(dict)

    def __init__(self) -> None:
        super().__init__(self.tr("Register a device"))
        form = QGridLayout()
        self.tag = QLineEdit()
        self.category = QComboBox()
        for c in DeviceCategory:
            self.category.addItem(catalog(c.value), c.value)
        self.room = QLineEdit()
        self.manufacturer = QLineEdit()
        self.model_field = QLineEdit()
        self.serial = QLineEdit()
        for i, (name, w) in enumerate(((self.tr("Asset tag"), self.tag), (self.tr("Category"), self.category),
                                       (self.tr("Room"), self.room), (self.tr("Manufacturer"), self.manufacturer),
                                       (self.tr("Model"), self.model_field), (self.tr("Serial"), self.serial))):
            w.setMinimumHeight(48)
            form.addWidget(label(name), i, 0)
            form.addWidget(w, i, 1)
        self.outer.addLayout(form)
        self.outer.addWidget(button(self.tr("Register"), self._go, "primary"))
        self.outer.addWidget(self.error_label)
        self.outer.addStretch(1)

    def prepare(self, tag: str) -> None:
        self.reset()
        self.tag.setText(tag)
        self.room.setFocus()

    def _go(self) -> None:
        self.register.emit({"tag": self.tag.text(), "category": self.category.currentData(),
                            "room": self.room.text(), "manufacturer": self.manufacturer.text(),
                            "model": self.model_field.text(), "serial": self.serial.text()})

    def reset(self) -> None:
        super().reset()
        for f in (self.tag, self.room, self.manufacturer, self.model_field, self.serial):
            f.clear()


class ListScreen(Screen):
    """A titled table of rows with an optional action on the selected row."""

    activated = Signal(object)

    def __init__(self, title: str, headers: tuple[str, ...], action: str | None = None) -> None:
        super().__init__(title)
        self.note = label("", "muted")
        self.outer.addWidget(self.note)
        self.model = RowsModel(headers)
        self.view = table(self.model)
        self.view.activated.connect(lambda index: self.activated.emit(self.model.items[index.row()]))
        self.outer.addWidget(self.view, 1)
        if action:
            self.action_button = button(action, self._act, "primary")
            self.outer.addWidget(self.action_button)
        self.outer.addWidget(self.error_label)

    def set_rows(self, rows: list[tuple[object, ...]], items: list[object], note: str = "") -> None:
        self.model.set_rows(rows, items)
        self.view.resizeColumnsToContents()
        self.note.setText(note)

    def _act(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        if rows:
            self.activated.emit(self.model.items[rows[0].row()])


class AuditScreen(Screen):
    """Room audit: pick a room, scan everything, review the reconciliation, confirm, apply, see what changed."""

    DECISIONS = (QT_TRANSLATE_NOOP("AuditScreen", "retired"), QT_TRANSLATE_NOOP("AuditScreen", "other campus"),
                 QT_TRANSLATE_NOOP("AuditScreen", "listed as missing"))  # room_audit's decisions, as it writes them

    pick_room = Signal(object)  # room id
    scan_typed = Signal(str)
    pause = Signal()
    finish = Signal()
    apply = Signal(list)  # misplaced device ids to move here
    print_missing = Signal()
    done = Signal()

    def __init__(self) -> None:
        super().__init__(self.tr("Room audit"))
        self.rooms = QListWidget()
        self.rooms.itemActivated.connect(lambda item: self.pick_room.emit(item.data(Qt.ItemDataRole.UserRole)))
        self.rooms.itemClicked.connect(lambda item: self.pick_room.emit(item.data(Qt.ItemDataRole.UserRole)))
        self.outer.addWidget(self.rooms, 1)
        self.counter = label("", "ticketNumber")
        self.last = label("", "subtitle")
        self.warning = label("", "error")
        self.scans = RowsModel(("Tag", "Device", "Result"))
        self.scans_view = table(self.scans)
        self.entry = QLineEdit()
        self.entry.setPlaceholderText(self.tr("Scan, or type a tag and press Enter"))
        self.entry.returnPressed.connect(self._typed)
        self.controls = QWidget()
        row = QHBoxLayout(self.controls)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.entry, 1)
        row.addWidget(button(self.tr("Pause"), self.pause.emit, "small"))
        row.addWidget(button(self.tr("Finish"), self.finish.emit, "primary"))
        self.scan_widgets: list[QWidget] = [self.counter, self.last, self.warning, self.scans_view, self.controls]
        for w in self.scan_widgets:
            self.outer.addWidget(w)
        # review: the reconciliation, and the misplaced devices to move, each with its own tick
        self.summary = label("", "subtitle")
        self.result = RowsModel(("Outcome", "Tag", "Device", "Registered room", "Needs a decision"))
        self.result_view = table(self.result)
        self.move_label = label(self.tr("Move into this room (tick each one, or all):"), "muted")
        self.move_list = QListWidget()
        self.move_list.setMaximumHeight(150)
        self.move_buttons = QWidget()
        mb = QHBoxLayout(self.move_buttons)
        mb.setContentsMargins(0, 0, 0, 0)
        mb.addWidget(button(self.tr("Tick all"), lambda: self._tick_all(True), "small"))
        mb.addWidget(button(self.tr("Untick all"), lambda: self._tick_all(False), "small"))
        mb.addStretch(1)
        self.apply_button = button(self.tr("Apply the audit…"), self._confirm, "primary")
        # confirmation: what will change, by name, before anything does
        self.confirm_text = label("")
        self.confirm_row = QWidget()
        cr = QHBoxLayout(self.confirm_row)
        cr.setContentsMargins(0, 0, 0, 0)
        self.confirm_button = button(self.tr("Yes, apply these changes"), self._apply, "primary")
        cr.addWidget(self.confirm_button)
        cr.addWidget(button(self.tr("Back"), lambda: self.mode("result"), "small"))
        cr.addStretch(1)
        # applied: what changed, with the missing list to print
        self.changes = RowsModel(("Change", "Tag", "Device", "Note"))
        self.changes_view = table(self.changes)
        self.applied_row = QWidget()
        ar = QHBoxLayout(self.applied_row)
        ar.setContentsMargins(0, 0, 0, 0)
        self.print_button = button(self.tr("Print the missing list"), self.print_missing.emit)
        ar.addWidget(self.print_button)
        ar.addWidget(button(self.tr("Done"), self.done.emit, "primary"))
        ar.addStretch(1)
        self.result_widgets: list[QWidget] = [self.summary, self.result_view, self.move_label, self.move_list,
                                              self.move_buttons, self.apply_button]
        self.filler = QWidget()  # keeps the confirmation together at the top
        self.filler.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.confirm_text.setObjectName("subtitle")
        self.confirm_widgets: list[QWidget] = [self.summary, self.confirm_text, self.confirm_row, self.filler]
        self.applied_widgets: list[QWidget] = [self.summary, self.changes_view, self.applied_row]
        for w in (self.summary, self.result_view, self.move_label, self.move_list, self.move_buttons,
                  self.apply_button, self.confirm_text, self.confirm_row, self.changes_view, self.applied_row,
                  self.filler):
            self.outer.addWidget(w, 1 if isinstance(w, QTableView) or w is self.filler else 0)
        self.outer.addWidget(self.error_label)
        self.expected = 0
        self.room_name = ""
        self.rec: Any = None
        self.applied: Any = None
        self.mode("rooms")

    def mode(self, which: str) -> None:
        self.current_mode = which
        self.rooms.setVisible(which == "rooms")
        for w in self.scan_widgets:
            w.setVisible(which == "scan")
        shown = {"result": self.result_widgets, "confirm": self.confirm_widgets,
                 "applied": self.applied_widgets}.get(which, [])
        for w in set(self.result_widgets + self.confirm_widgets + self.applied_widgets):
            w.setVisible(w in shown)
        if which == "result":
            has_moves = self.move_list.count() > 0
            for w in (self.move_label, self.move_list, self.move_buttons):
                w.setVisible(has_moves)
        if which == "scan":
            self.entry.setFocus()

    def set_rooms(self, rooms: list[tuple[uuid.UUID, str, str]]) -> None:
        self.rooms.clear()
        for rid, name, age in rooms:
            item = QListWidgetItem(f"{name}  ·  {age}")
            item.setData(Qt.ItemDataRole.UserRole, rid)
            self.rooms.addItem(item)
        self.mode("rooms")

    def _count_text(self, scanned: int) -> str:
        return self.tr("expected {0} / scanned {1}").format(self.expected, scanned)

    def start_scanning(self, room: str, scans: list[tuple[str, str, str]], count: int, expected: int = 0) -> None:
        self.room_name = room
        self.expected = expected
        self.title_label.setText(self.tr("Room audit: {0}").format(room))
        self.scans.set_rows(scans)
        self.scans_view.resizeColumnsToContents()
        self.counter.setText(self._count_text(count))
        self.last.setText(self.tr("Scan every device in the room."))
        self.last.setStyleSheet("")
        self.warning.setText("")
        self.mode("scan")

    def show_scan(self, r: Any) -> None:
        """One scan's result (a ``room_audit.ScanResult``): the flash, the counter, the list."""
        where = f"{r.registered_room} ({r.registered_campus})" if r.registered_room and r.registered_campus \
            else (r.registered_room or "")
        if r.decision == "retired":
            text, colour, kind = self.tr("⚠ {0} is retired: set it aside, you decide when you apply").format(
                r.tag), "#fde0e0", QT_TRANSLATE_NOOP("AuditScreen", "retired")
        elif r.decision == "other campus":
            text, colour, kind = self.tr("⚠ {0} belongs to another campus: {1}").format(r.tag, where), \
                "#fde0e0", QT_TRANSLATE_NOOP("AuditScreen", "other campus")
        elif r.outcome == "expected":
            text, colour, kind = self.tr("✓ {0} belongs here").format(r.tag), "#d7f5dd", \
                QT_TRANSLATE_NOOP("AuditScreen", "expected")
            if r.decision == "listed as missing":
                text = self.tr("✓ {0} belongs here (it was listed as missing)").format(r.tag)
        elif r.outcome == "misplaced":
            text, colour, kind = self.tr("⚠ {0} is registered in {1}").format(r.tag, where or self.tr("no room")), \
                "#fff0c2", QT_TRANSLATE_NOOP("AuditScreen", "misplaced")
        else:
            text, colour, kind = self.tr("? {0} is not a registered device").format(r.tag), "#fde0e0", \
                QT_TRANSLATE_NOOP("AuditScreen", "unknown")
        if r.expected_count:
            self.expected = r.expected_count
        self.last.setText(text)
        self.warning.setText(self.tr("Already scanned: {0}").format(r.tag) if r.repeated else "")
        self.counter.setText(self._count_text(r.distinct_count))
        self.last.setStyleSheet(f"background: {colour}; padding: 8px;")
        shown = self.tr(str(kind)) + (self.tr(" (again)") if r.repeated else "")
        self.scans.set_rows([(r.tag, r.model or "", shown)] + self.scans.rows)
        self.scans_view.resizeColumnsToContents()

    def show_result(self, rec: Any) -> None:
        """The finished audit's reconciliation (a ``room_audit.Reconciliation``)."""
        self.rec = rec
        rows = []
        for kind, items in ((QT_TRANSLATE_NOOP("AuditScreen", "missing"), rec.missing),
                            (QT_TRANSLATE_NOOP("AuditScreen", "misplaced"), rec.misplaced),
                            (QT_TRANSLATE_NOOP("AuditScreen", "found"), rec.found),
                            (QT_TRANSLATE_NOOP("AuditScreen", "unknown"), rec.unknown)):
            for i in items:
                where = f"{i.registered_room} ({i.registered_campus})" if i.registered_room else ""
                decision = self.tr(i.decision) if i.decision else ""  # one of DECISIONS
                if kind == "missing" and i.status in ("in_repair", "loaner"):
                    decision = self.tr("{0}: left as it is").format(status(i.status))
                rows.append((self.tr(str(kind)), i.tag, i.model or "", where, decision))
        self.result.set_rows(rows)
        self.result_view.resizeColumnsToContents()
        self.move_list.clear()
        for i in rec.misplaced:
            if not i.device_id:
                continue
            where = f"{i.registered_room or self.tr('no room')} ({i.registered_campus or '?'})"
            note = self.tr(" · another campus") if i.other_campus else ""
            note += self.tr(" · retired") if i.status == "retired" else ""
            item = QListWidgetItem(f"{i.tag}  {i.model or ''}  ·  " + self.tr("from {0}").format(where) + note)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            # this campus's devices are ticked; another campus's or a retired one only by a deliberate tick
            item.setCheckState(Qt.CheckState.Unchecked if (i.other_campus or i.status == "retired")
                               else Qt.CheckState.Checked)
            item.setData(Qt.ItemDataRole.UserRole, (i.device_id, i.tag))
            self.move_list.addItem(item)
        c = rec.counts()
        self.summary.setText(self.tr("{0}: {1} found, {2} missing, {3} misplaced, {4} unknown").format(
            rec.room, c["found"], c["missing"], c["misplaced"], c["unknown"]))
        self.mode("result")

    def _tick_all(self, on: bool) -> None:
        for i in range(self.move_list.count()):
            self.move_list.item(i).setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def chosen(self) -> list[tuple[uuid.UUID, str]]:
        out = []
        for i in range(self.move_list.count()):
            item = self.move_list.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(item.data(Qt.ItemDataRole.UserRole))
        return out

    def _confirm(self) -> None:
        rec = self.rec
        if rec is None:
            return
        moving = [tag for _id, tag in self.chosen()]
        marking = [i.tag for i in rec.missing if i.status in ("in_service", "spare")]
        lines = []
        if moving:
            lines.append(self.tr("Move into {0}: {1}").format(rec.room, ", ".join(moving)))
        if marking:
            lines.append(self.tr("Mark as missing: {0}").format(", ".join(marking)))
        staying = [i.tag for i in rec.misplaced if i.tag not in moving]
        if staying:
            lines.append(self.tr("Leave where they are registered: {0}").format(", ".join(staying)))
        flagged = [i.tag for i in rec.found if i.decision]
        if flagged:
            lines.append(self.tr("Left as they are, for you to decide: {0}").format(", ".join(flagged)))
        if not lines:
            lines.append(self.tr("Nothing changes except the last-audited date of the devices found."))
        self.confirm_text.setText("<br>".join(escape(x) for x in lines))
        self.mode("confirm")

    def _apply(self) -> None:
        self.confirm_button.setEnabled(False)
        self.apply.emit([device_id for device_id, _tag in self.chosen()])

    def show_applied(self, summary: Any, models: dict[str, str] | None = None) -> None:
        """What the apply changed (a ``room_audit.AppliedSummary``)."""
        self.applied = summary
        self.confirm_button.setEnabled(True)
        models = models or {}
        rows: list[tuple[str, str, str, str]] = []
        for change, tags, note in ((self.tr("moved here"), summary.moved, ""),
                                   (self.tr("marked missing"), summary.marked_missing, self.tr("follow up")),
                                   (self.tr("back in service"), summary.back_in_service, self.tr("was missing")),
                                   (self.tr("not marked"), summary.not_marked, self.tr("in repair or on loan")),
                                   (self.tr("left elsewhere"), summary.not_moved, ""),
                                   (self.tr("needs a decision"), summary.flagged, self.tr("retired, found here"))):
            rows += [(change, tag, models.get(tag, ""), note) for tag in tags]
        self.changes.set_rows(rows)
        self.changes_view.resizeColumnsToContents()
        self.summary.setText(self.tr("Applied {0}: {1} moved, {2} marked missing, {3} audited").format(
            summary.room, len(summary.moved), len(summary.marked_missing), summary.audited))
        self.print_button.setEnabled(bool(summary.missing_list))
        self.mode("applied")

    def show_error(self, text: str) -> None:
        super().show_error(text)
        self.confirm_button.setEnabled(True)

    def _typed(self) -> None:
        if self.entry.text().strip():
            self.scan_typed.emit(self.entry.text().strip())
            self.entry.clear()

    def reset(self) -> None:
        super().reset()
        self.title_label.setText(self.tr("Room audit"))
        self.rec = self.applied = None
        self.move_list.clear()
        self.mode("rooms")


class LabelsScreen(Screen):
    """Print asset labels (or save a PDF): today's new devices, a room's devices, room labels, or a list of tags."""

    make = Signal(dict)  # the choice; "print": True sends it to the printer, else a PDF is saved
    CHOICES = (("today", QT_TRANSLATE_NOOP("LabelsScreen", "Devices registered today")),
               ("room", QT_TRANSLATE_NOOP("LabelsScreen", "Every device in a room")),
               ("rooms", QT_TRANSLATE_NOOP("LabelsScreen", "Room labels (QR) for this campus")),
               ("tags", QT_TRANSLATE_NOOP("LabelsScreen", "These tags")),
               ("parts", QT_TRANSLATE_NOOP("LabelsScreen", "Part shelf labels (all, or these part codes)")))
    SHEETS = (  # the names of kiosk.domain.labels.SHEETS, so a technician reads them in the kiosk's language
        QT_TRANSLATE_NOOP("LabelsScreen", 'Avery 5160 (Letter, 30 labels 1" x 2-5/8")'),
        QT_TRANSLATE_NOOP("LabelsScreen", "Avery L7160 (A4, 21 labels 63.5 x 38.1 mm)"),
        QT_TRANSLATE_NOOP("LabelsScreen", 'Avery 5163 (Letter, 10 labels 2" x 4")'),
        QT_TRANSLATE_NOOP("LabelsScreen", 'Dymo 30252 (roll, 1-1/8" x 3-1/2")'),
        QT_TRANSLATE_NOOP("LabelsScreen", "Brother DK 62 mm continuous (cut at 32 mm)"),
    )
    CODES = (("both", QT_TRANSLATE_NOOP("LabelsScreen", "Barcode and QR")),
             ("code128", QT_TRANSLATE_NOOP("LabelsScreen", "Barcode (Code 128)")),
             ("qr", QT_TRANSLATE_NOOP("LabelsScreen", "QR code")))

    def __init__(self, sheets: list[tuple[str, str]]) -> None:
        super().__init__(self.tr("Print labels"))
        form = QGridLayout()
        self.what = QComboBox()
        for key, text in self.CHOICES:
            self.what.addItem(self.tr(str(text)), key)
        self.detail = QLineEdit()
        self.detail.setPlaceholderText(self.tr("Room name, or tags separated by commas"))
        self.sheet = QComboBox()
        for key, name in sheets:
            self.sheet.addItem(self.tr(name), key)
        self.code = QComboBox()
        for key, text in self.CODES:
            self.code.addItem(self.tr(str(text)), key)
        self.skip = QSpinBox()  # a partly used sheet: start after the labels already peeled off
        self.skip.setRange(0, 79)
        self.skip.setSuffix(self.tr(" used positions skipped"))
        self.sheet.currentIndexChanged.connect(self._sheet_changed)
        for combo in (self.what, self.sheet, self.code):
            touch_rows(combo)
        for i, (name, w) in enumerate(((self.tr("Labels for"), self.what), (self.tr("Room or tags"), self.detail),
                                       (self.tr("Label stock"), self.sheet), (self.tr("Code"), self.code),
                                       (self.tr("Partly used sheet"), self.skip))):
            w.setMinimumHeight(48)
            form.addWidget(label(name), i, 0)
            form.addWidget(w, i, 1)
        self.outer.addLayout(form)
        row = QHBoxLayout()
        self.print_button = button(self.tr("Print"), lambda: self._go(True), "primary")
        self.go = button(self.tr("Save as PDF"), lambda: self._go(False))
        row.addWidget(self.print_button, 1)
        row.addWidget(self.go, 1)
        self.outer.addLayout(row)
        self._sheet_changed()
        self.result = label("", "subtitle")
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.outer.addWidget(self.result)
        self.outer.addWidget(self.error_label)
        self.outer.addStretch(1)

    def _sheet_changed(self, _i: int = -1) -> None:
        from kiosk.domain.labels import get_sheet

        key = self.sheet.currentData()
        if not key:
            return
        stock = get_sheet(key)
        self.skip.setEnabled(not stock.roll)
        self.skip.setMaximum(0 if stock.roll else stock.per_page - 1)

    def _go(self, to_printer: bool = False) -> None:
        self.result.clear()
        self.show_error("")
        self.go.setEnabled(False)
        self.print_button.setEnabled(False)
        self.make.emit({"what": self.what.currentData(), "detail": self.detail.text().strip(),
                        "sheet": self.sheet.currentData(), "code": self.code.currentData(),
                        "skip": self.skip.value() if self.skip.isEnabled() else 0, "print": to_printer})

    def done(self, path: str, count: int, pages: int, printed_to: str = "") -> None:
        self.go.setEnabled(True)
        self.print_button.setEnabled(True)
        if printed_to:
            self.result.setText(self.tr("{0} labels on {1} page(s) sent to {2}").format(count, pages, printed_to))
        else:
            self.result.setText(self.tr("{0} labels on {1} page(s): {2}").format(count, pages, path))
        self.skip.setValue(0)  # the next sheet is a fresh one unless the technician says otherwise

    def show_error(self, text: str) -> None:
        super().show_error(text)
        self.go.setEnabled(True)
        self.print_button.setEnabled(True)

    def reset(self) -> None:
        super().reset()
        self.detail.clear()
        self.result.clear()
