"""The report flow: device card, category, 'add to the open ticket?', details, receipt, unknown tag, room pick."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QT_TRANSLATE_NOOP, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain.errors import InvalidInput
from kiosk.domain.rotation import Visit
from kiosk.domain.validation import DESCRIPTION_MAX, clean_text, parse_reporter
from kiosk.domain.walkup import CategoryChoice, DeviceCard, PublicTicket
from kiosk.ui import icons, language, theme
from kiosk.ui.qt_models import RoomListModel, RowsModel, local_time
from kiosk.ui.screens.base import Screen
from kiosk.ui.widgets import CurrentPageStack, OnScreenKeyboard, button, label


class DeviceCardScreen(Screen):
    report = Signal()
    survey = Signal()

    def __init__(self, tz: ZoneInfo) -> None:
        super().__init__(self.tr("Your device"))
        self.card: DeviceCard | None = None
        self.summary = label("", "subtitle")
        self.where = label("")
        self.outer.addWidget(self.summary)
        self.outer.addWidget(self.where)
        self.prompt = label("", "error")  # missing, retired, loaner: what to do with this device
        self.prompt.hide()
        self.outer.addWidget(self.prompt)
        self.tickets_title = label("", "subtitle")
        self.outer.addWidget(self.tickets_title)
        self.tz = tz
        self.model = RowsModel(("Ticket", "Problem", "Status", "Opened", "Last update"))
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.outer.addWidget(self.table, 1)
        self.report_button = button(self.tr("Report a problem with this device"), self.report.emit, "primary")
        self.outer.addWidget(self.report_button)
        self.survey_button = button("", self.survey.emit)
        self.survey_button.hide()
        self.outer.addWidget(self.survey_button)
        self.outer.addWidget(self.error_label)

    def show_card(self, card: DeviceCard) -> None:
        self.card = card
        self.summary.setText(f"{card.model} — {card.tag}")
        where = ", ".join(x for x in (card.room, card.campus) if x) or self.tr("no room on record")
        self.where.setText(self.tr("{0} · registered in {1}").format(language.catalog(card.category).capitalize(), where))
        n = len(card.open_tickets)
        self.tickets_title.setText(self.tr("No open tickets on this device.") if n == 0 else
                                   self.tr("Open tickets on this device: {0}").format(n))
        self.model.set_rows([(t.number, language.category(t.category, t.category_es), language.status(t.status),
                              local_time(t.opened_at, self.tz, "%a %d %b"), language.update(t.last_update))
                             for t in card.open_tickets], list(card.open_tickets))
        self.table.setVisible(n > 0)
        from kiosk.domain.walkup import status_prompt

        prompt = status_prompt(card.status)
        self.prompt.setText(self.tr(prompt) if prompt else "")
        self.prompt.setVisible(prompt is not None)
        self.report_button.setText(self.tr("Report a problem with this device"))
        self.report_button.setVisible(card.status != "retired")
        self.report_button.setFocus()
        self.survey_button.hide()

    def offer_survey(self, number: str) -> None:
        self.survey_button.setText(self.tr("Did you report ticket {0}? Tell us how the repair went").format(number))
        self.survey_button.show()


class CategoryScreen(Screen):
    chosen = Signal(object)  # CategoryChoice

    def __init__(self) -> None:
        super().__init__(self.tr("What is the problem?"))
        self.grid = QGridLayout()
        self.grid.setSpacing(14)
        self.outer.addLayout(self.grid)
        self.outer.addStretch(1)
        self.buttons: list[QPushButton] = []

    def set_categories(self, categories: list[CategoryChoice]) -> None:
        for b in self.buttons:
            b.deleteLater()
        self.buttons = []
        for cat in categories:
            text = language.category(cat.name, cat.name_es)
            if not cat.covered:
                text += "\n" + self.tr("(not covered by district support)")
            b = button(text, name="category")
            icons.set_icon(b, cat.icon, 32)  # the catalogue names the icon (resources/icons/)
            b.clicked.connect(lambda _checked=False, c=cat: self.chosen.emit(c))
            b.setAccessibleName(language.category(cat.name, cat.name_es))
            self.buttons.append(b)
        # three a row when the longest name fits (a portrait stand or a longer language gets two wider ones)
        window = self.window()
        width = (window.width() if window is not self and window.width() > 200 else theme.px(theme.DESIGN.width()))
        room = width - 2 * theme.px(28) - 2 * self.grid.spacing() - theme.px(24)
        need = max((b.sizeHint().width() for b in self.buttons), default=0)
        columns = 3 if not theme.portrait() and 3 * need <= room else 2
        for i, b in enumerate(self.buttons):
            self.grid.addWidget(b, i // columns, i % columns)
        if self.buttons:
            self.buttons[0].setFocus()


class DuplicateScreen(Screen):
    add_to_existing = Signal()
    file_new = Signal()

    def __init__(self) -> None:
        super().__init__(self.tr("This problem is already reported"))
        self.info = label("")
        self.outer.addWidget(self.info)
        self.add_button = button(self.tr("Add my report to this ticket"), self.add_to_existing.emit, "primary")
        self.new_button = button(self.tr("It is a different problem: new ticket"), self.file_new.emit)
        self.outer.addWidget(self.add_button)
        self.outer.addWidget(self.new_button)
        self.outer.addStretch(1)

    def show_ticket(self, ticket: PublicTicket) -> None:
        self.info.setText(self.tr("Ticket {0} ({1}) is open for this device: {2}.").format(
            ticket.number, language.category(ticket.category, ticket.category_es), language.status(ticket.status)))
        self.add_button.setFocus()


@dataclass
class ReportInput:
    description: str
    reporter: str
    priority: str
    photo: QImage | None
    reporter_kind: str | None = None  # "student", "teacher" or "staff" when the person was asked


URGENCY = (("P4", QT_TRANSLATE_NOOP("DetailsScreen", "Low: it can wait")),
           ("P3", QT_TRANSLATE_NOOP("DetailsScreen", "Normal")),
           ("P2", QT_TRANSLATE_NOOP("DetailsScreen", "High: I can't work")),
           ("P1", QT_TRANSLATE_NOOP("DetailsScreen", "Critical: a whole class can't work")))


REPORTER_KINDS = (("student", QT_TRANSLATE_NOOP("DetailsScreen", "Student")),
                  ("teacher", QT_TRANSLATE_NOOP("DetailsScreen", "Teacher")),
                  ("staff", QT_TRANSLATE_NOOP("DetailsScreen", "Other staff")))


class DetailsScreen(Screen):
    submitted = Signal(object)  # ReportInput
    photo_requested = Signal()

    def __init__(self) -> None:
        super().__init__(self.tr("Tell us a little more"))
        self.context = label("", "subtitle")
        self.outer.addWidget(self.context)
        form = QGridLayout()
        form.setHorizontalSpacing(16)
        form.setVerticalSpacing(6)
        self.description = QPlainTextEdit()
        self.description.setPlaceholderText(self.tr("What happened? For example: the screen is cracked"))
        self.description.setTabChangesFocus(True)
        self.description.setAccessibleName(self.tr("Description"))
        self.counter = label("", "muted")
        self.description.textChanged.connect(self._limit)
        self.reporter = QLineEdit()
        self.reporter.setPlaceholderText(self.tr("Your school ID number or school email"))
        self.reporter.setAccessibleName(self.tr("Your school ID number or school email"))
        self.reporter.setMaxLength(254)
        what = QVBoxLayout()  # the character count under the question, not on a line of its own
        what.setSpacing(4)
        what.addStretch(1)
        what.addWidget(label(self.tr("What is wrong?")))
        what.addWidget(self.counter)
        what.addStretch(1)
        form.addLayout(what, 0, 0)
        form.addWidget(self.description, 0, 1)
        form.addWidget(label(self.tr("Who are you?")), 2, 0)
        who = QHBoxLayout()
        who.addWidget(self.reporter, 3)
        # Asked only when the email's domain does not say (the domain's rule): one tap answers and sends.
        self.kind_row = QWidget()
        kinds = QHBoxLayout(self.kind_row)
        kinds.setContentsMargins(0, 0, 0, 0)
        self.kind_buttons: dict[str, QPushButton] = {}
        for kind, text in REPORTER_KINDS:
            b = button(self.tr(str(text)), self._kind_chooser(kind), "small")
            self.kind_buttons[kind] = b
            kinds.addWidget(b)
        who.addWidget(self.kind_row, 2)
        self.kind_row.hide()
        self.reporter_kind: str | None = None
        self.reporter.textEdited.connect(self._reporter_edited)
        form.addLayout(who, 2, 1)
        urgency_row = QHBoxLayout()
        self.urgency = QButtonGroup(self)
        self.urgency.setExclusive(True)
        for prio, text in URGENCY:
            b = button(self.tr(str(text)), name="small")
            b.setCheckable(True)
            b.setProperty("priority", prio)
            self.urgency.addButton(b)
            urgency_row.addWidget(b)
        form.addWidget(label(self.tr("How urgent?")), 3, 0)
        form.addLayout(urgency_row, 3, 1)
        self.outer.addLayout(form)
        row = QHBoxLayout()
        self.photo_button = button(self.tr("Add a photo (optional)"), self.photo_requested.emit, "small")
        icons.set_icon(self.photo_button, "photo", 26)
        self.photo_label = QLabel()
        self.photo: QImage | None = None
        row.addWidget(self.photo_button)
        row.addWidget(self.photo_label)
        row.addWidget(self.error_label, 4)  # beside Send, so a message never pushes the keyboard down
        row.addStretch(1)
        self.submit_button = button(self.tr("Send report"), self._submit, "primary")
        row.addWidget(self.submit_button)
        self.outer.addLayout(row)
        self.outer.addStretch(1)
        self.keyboard = OnScreenKeyboard()
        self.keyboard.attach(self.description, self.reporter)
        self.outer.addWidget(self.keyboard)
        self._limit()
        self.apply_sizes()

    def apply_sizes(self) -> None:
        """Tighter than other screens: the form, the keyboard and Send fit a 768 px screen without scrolling."""
        super().apply_sizes()
        self.root.setSpacing(8)
        self.root.setContentsMargins(28, 12, 28, 12)
        self.outer.setSpacing(8)
        self.description.setMaximumHeight(theme.px(84))
        self.photo_label.setFixedHeight(theme.px(64))
        if self.photo is not None and not self.photo.isNull():
            self.photo_label.setPixmap(QPixmap.fromImage(self.photo).scaledToHeight(theme.px(64)))

    def prepare(self, context: str, default_priority: str) -> None:
        self.context.setText(context)
        for b in self.urgency.buttons():
            b.setChecked(b.property("priority") == default_priority)
        self.submit_button.setEnabled(True)
        self.description.setFocus()

    def _limit(self) -> None:
        text = self.description.toPlainText()
        if len(text) > DESCRIPTION_MAX:
            self.description.setPlainText(text[:DESCRIPTION_MAX])
            cursor = self.description.textCursor()
            cursor.movePosition(cursor.MoveOperation.End)
            self.description.setTextCursor(cursor)
            text = text[:DESCRIPTION_MAX]
        self.counter.setText(self.tr("{0} of {1} characters").format(len(text), DESCRIPTION_MAX))

    def set_photo(self, image: QImage | None) -> None:
        self.photo = image
        if image is None or image.isNull():
            self.photo_label.clear()
            self.photo_button.setText(self.tr("Add a photo (optional)"))
        else:
            self.photo_label.setPixmap(QPixmap.fromImage(image).scaledToHeight(theme.px(64)))
            self.photo_button.setText(self.tr("Retake photo"))

    def _submit(self) -> None:
        try:
            description = clean_text(self.description.toPlainText(), field="description", max_len=DESCRIPTION_MAX,
                                     min_len=3)
            parse_reporter(self.reporter.text())
        except InvalidInput as exc:
            message = str(exc)
            self.show_error(message[:1].upper() + message[1:])
            return
        checked = self.urgency.checkedButton()
        prio = str(checked.property("priority")) if checked else "P3"
        self.show_error("")
        self.submit_button.setEnabled(False)
        self.submitted.emit(ReportInput(description, self.reporter.text().strip(), prio, self.photo,
                                        self.reporter_kind))

    def submit_failed(self, message: str) -> None:
        self.show_error(message)
        self.submit_button.setEnabled(True)

    def ask_kind(self, message: str) -> None:
        """The email's domain does not say who this is: "student or staff?" beside the field (nothing is lost)."""
        self.reporter_kind = None
        self.kind_row.show()
        self.submit_failed(message[:1].upper() + message[1:])
        self.kind_buttons["student"].setFocus()

    def _kind_chooser(self, kind: str) -> Callable[[], None]:
        return lambda: self._choose_kind(kind)

    def _choose_kind(self, kind: str) -> None:
        self.reporter_kind = kind
        self._submit()

    def _reporter_edited(self, _text: str) -> None:
        if self.kind_row.isVisible() or self.reporter_kind:  # another person or address: ask again if needed
            self.reporter_kind = None
            self.kind_row.hide()

    def reset(self) -> None:
        super().reset()
        self.description.clear()
        self.reporter.clear()
        self.reporter_kind = None
        self.kind_row.hide()
        self.set_photo(None)
        self.submit_button.setEnabled(True)


@dataclass
class Receipt:
    number: str
    added_to_existing: bool
    response_due_at: datetime | None
    next_visit: Visit | None
    qr_png: bytes


class ReceiptScreen(Screen):
    done = Signal()

    def __init__(self, tz: ZoneInfo) -> None:
        super().__init__(self.tr("Thank you! Your report is in."), with_home=False)
        self.tz = tz
        row = QHBoxLayout()
        text = QVBoxLayout()
        text.addWidget(label(self.tr("Your ticket number"), "subtitle"))
        self.number = label("", "ticketNumber")
        self.number.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        text.addWidget(self.number)
        self.response = label("")
        self.visit = label("")
        self.hint = label(self.tr("Take a photo of this screen, or write the number down. Scan the code at any "
                                  "kiosk with “Check a ticket” to see how it is going."), "muted")
        for w in (self.response, self.visit, self.hint):
            text.addWidget(w)
        text.addStretch(1)
        row.addLayout(text, 2)
        self.qr = QLabel()
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        row.addWidget(self.qr, 1, Qt.AlignmentFlag.AlignTop)
        self.outer.addLayout(row, 1)
        self.done_button = button(self.tr("Done"), self.done.emit, "primary")
        self.outer.addWidget(self.done_button)

    def show_receipt(self, r: Receipt) -> None:
        self.title_label.setText(self.tr("Added to the open ticket. Thank you!") if r.added_to_existing
                                 else self.tr("Thank you! Your report is in."))
        self.number.setText(r.number)
        self.response.setText(
            self.tr("A technician will respond by {0}.").format(local_time(r.response_due_at, self.tz))
            if r.response_due_at and not r.added_to_existing else "")
        self.response.setVisible(bool(self.response.text()))  # no blank line on a report added to a ticket
        v = r.next_visit
        self.visit.setText(self.tr("Next technician visit here: {0}, {1}–{2} ({3}).").format(
            language.dates(v.day.strftime("%A %d %B").replace(" 0", " ")), language.clock(v.start),
            language.clock(v.end), v.technician) if v else
            self.tr("No technician visit is scheduled in the next three weeks."))
        pix = QPixmap()
        pix.loadFromData(r.qr_png)
        self.qr.setPixmap(pix.scaled(theme.px(300), theme.px(300), Qt.AspectRatioMode.KeepAspectRatio))
        self.done_button.setFocus()


class UnknownTagScreen(Screen):
    report_anyway = Signal()
    try_again = Signal()

    def __init__(self) -> None:
        super().__init__(self.tr("We don't know this tag"))
        self.info = label("")
        self.outer.addWidget(self.info)
        self.outer.addWidget(label(self.tr("A technician has been told, so they can register the device. You "
                                           "can still report the problem now."), "muted"))
        self.report_button = button(self.tr("Report the problem anyway"), self.report_anyway.emit, "primary")
        self.outer.addWidget(self.report_button)
        self.outer.addWidget(button(self.tr("Type the tag again"), self.try_again.emit))
        self.outer.addStretch(1)
        self.tag = ""

    def show_tag(self, tag: str) -> None:
        self.tag = tag
        self.info.setText(self.tr("No device with tag {0} is registered.").format(tag))
        self.report_button.setFocus()


class RoomPickScreen(Screen):
    chosen = Signal(object, str)  # room id, room name

    def __init__(self) -> None:
        super().__init__(self.tr("Which room?"))
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(self.tr("Type to find a room"))
        self.outer.addWidget(self.filter)
        self.model = RoomListModel()
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.list = QListView()
        self.list.setModel(self.proxy)
        self.list.setFlow(QListView.Flow.LeftToRight)
        self.list.setWrapping(True)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setSpacing(8)
        self.list.activated.connect(self._pick)
        self.list.clicked.connect(self._pick)
        self.outer.addWidget(self.list, 1)
        self.keyboard = OnScreenKeyboard()
        self.keyboard.attach(self.filter)
        self.outer.addWidget(self.keyboard)

    def set_rooms(self, rooms: list[tuple[uuid.UUID, str]]) -> None:
        self.model.set_rooms(rooms)
        self.filter.setFocus()

    def _pick(self, index: object) -> None:
        src = self.proxy.mapToSource(index)  # type: ignore[arg-type]
        room_id, name = self.model.rooms[src.row()]
        self.chosen.emit(room_id, name)

    def reset(self) -> None:
        super().reset()
        self.filter.clear()


RATING_QUESTIONS = (("timeliness", QT_TRANSLATE_NOOP("SurveyScreen", "How quickly was it fixed?")),
                    ("courtesy", QT_TRANSLATE_NOOP("SurveyScreen", "How courteous were we?")),
                    ("communication", QT_TRANSLATE_NOOP("SurveyScreen", "How well did we keep you informed?")),
                    ("quality", QT_TRANSLATE_NOOP("SurveyScreen", "How good is the fix?")),
                    ("overall", QT_TRANSLATE_NOOP("SurveyScreen", "Overall?")))


class SurveyScreen(Screen):
    """The satisfaction survey at the kiosk, for the person who reported the ticket (they confirm their ID).

    Two steps so it fits a 1366x768 screen: who you are (with the on-screen keyboard), then the questions.
    """

    submitted = Signal(str, dict)  # reporter id/email, answers
    check_reporter = Signal(str)  # the ID typed on the first step: the flow checks it before any question

    def __init__(self) -> None:
        super().__init__(self.tr("How did we do?"))
        self.intro = label("", "subtitle")
        self.outer.addWidget(self.intro)
        self.pages = CurrentPageStack()
        who = QWidget()
        who_box = QVBoxLayout(who)
        who_box.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.reporter = QLineEdit()
        self.reporter.setPlaceholderText(self.tr("Your school ID number or email (the one on the ticket)"))
        self.reporter.returnPressed.connect(self._next)
        row.addWidget(self.reporter, 1)
        row.addWidget(button(self.tr("Next"), self._next, "primary"))
        who_box.addLayout(row)
        who_box.addStretch(1)
        self.keyboard = OnScreenKeyboard()
        self.keyboard.attach(self.reporter)
        who_box.addWidget(self.keyboard)
        questions = QWidget()
        grid = QGridLayout(questions)
        grid.setContentsMargins(0, 0, 0, 0)
        self.groups: dict[str, QButtonGroup] = {}
        solved_row = QHBoxLayout()
        self.groups["solved"] = QButtonGroup(self)
        for value, text in (("yes", QT_TRANSLATE_NOOP("SurveyScreen", "Yes")),
                            ("no", QT_TRANSLATE_NOOP("SurveyScreen", "No, it is not fixed"))):
            b = button(self.tr(str(text)), name="small")
            b.setCheckable(True)
            b.setProperty("value", value)
            self.groups["solved"].addButton(b)
            solved_row.addWidget(b)
        grid.addWidget(label(self.tr("Was the problem solved?")), 0, 0)
        grid.addLayout(solved_row, 0, 1)
        for r, (name, question) in enumerate(RATING_QUESTIONS, start=1):
            line = QHBoxLayout()
            group = QButtonGroup(self)
            for score in range(1, 6):
                b = button(str(score), name="key")
                b.setCheckable(True)
                b.setProperty("value", score)
                group.addButton(b)
                line.addWidget(b)
            self.groups[name] = group
            line.insertWidget(0, label(self.tr("1 = poor"), "muted", wrap=False))
            line.addWidget(label(self.tr("5 = excellent"), "muted", wrap=False))
            grid.addWidget(label(self.tr(str(question))), r, 0)
            grid.addLayout(line, r, 1)
        self.more = button(self.tr("Next"), self._to_comment, "primary")
        grid.addWidget(self.more, 1 + len(RATING_QUESTIONS), 0, 1, 2)
        grid.setRowStretch(2 + len(RATING_QUESTIONS), 1)
        # the comment has its own step with the on-screen keyboard: a touch-only kiosk can type it
        last = QWidget()
        last_box = QVBoxLayout(last)
        last_box.setContentsMargins(0, 0, 0, 0)
        self.comment = QLineEdit()
        self.comment.setMaxLength(500)
        self.comment.setPlaceholderText(self.tr("Anything else? (optional)"))
        send_row = QHBoxLayout()
        send_row.addWidget(self.comment, 1)
        self.send = button(self.tr("Send"), self._send, "primary")
        send_row.addWidget(self.send)
        last_box.addLayout(send_row)
        last_box.addStretch(1)
        self.comment_keyboard = OnScreenKeyboard()
        self.comment_keyboard.attach(self.comment)
        last_box.addWidget(self.comment_keyboard)
        self.pages.addWidget(who)
        self.pages.addWidget(questions)
        self.pages.addWidget(last)
        self.outer.addWidget(self.pages, 1)
        self.outer.addWidget(self.error_label)

    def prepare(self, number: str, category: str, category_es: str | None = None) -> None:
        self.reset()
        self.intro.setText(self.tr("Ticket {0} ({1}) was closed. Six quick questions:").format(
            number, language.category(category, category_es)))
        self.reporter.setFocus()

    def _next(self) -> None:
        try:
            parse_reporter(self.reporter.text())
        except InvalidInput as exc:
            self.show_error(str(exc)[:1].upper() + str(exc)[1:])
            return
        self.show_error("")
        self.check_reporter.emit(self.reporter.text().strip())

    def reporter_ok(self) -> None:
        """The flow checked the ID: this person reported the ticket. On to the questions."""
        self.show_error("")
        self.pages.setCurrentIndex(1)

    def reporter_refused(self, message: str) -> None:
        self.show_error(message[:1].upper() + message[1:])
        self.pages.setCurrentIndex(0)

    def _answers(self) -> dict[str, object] | None:
        answers: dict[str, object] = {}
        for name, group in self.groups.items():
            checked = group.checkedButton()
            if checked is None:
                self.show_error(self.tr("Please answer every question."))
                return None
            answers[name] = checked.property("value")
        return answers

    def _to_comment(self) -> None:
        if self._answers() is not None:
            self.show_error("")
            self.pages.setCurrentIndex(2)
            self.comment.setFocus()

    def _send(self) -> None:
        answers = self._answers()
        if answers is None:
            self.pages.setCurrentIndex(1)
            return
        answers["comment"] = self.comment.text().strip() or None
        self.send.setEnabled(False)
        self.submitted.emit(self.reporter.text().strip(), answers)

    def failed(self, message: str) -> None:
        self.show_error(message)
        self.send.setEnabled(True)
        self.pages.setCurrentIndex(0)

    def reset(self) -> None:
        super().reset()
        self.reporter.clear()
        self.comment.clear()
        self.send.setEnabled(True)
        self.pages.setCurrentIndex(0)
        for group in self.groups.values():
            group.setExclusive(False)
            for b in group.buttons():
                b.setChecked(False)
            group.setExclusive(True)
