"""The repair desk for technicians: the loaner pool (lend, take back, conflicts), walk-ins, low parts stock, and a
part picker on the ticket's repair form. Screens here; the domain calls run on the flow's worker."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate, QObject, QStringListModel, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
)
from sqlalchemy import select

from kiosk.domain.loaners import LoanView, PoolState
from kiosk.domain.parts import StockLine
from kiosk.ui.language import coverage, desk
from kiosk.ui.qt_models import RowsModel
from kiosk.ui.screens.base import Screen
from kiosk.ui.tech.screens import table
from kiosk.ui.widgets import button, compact, label

if TYPE_CHECKING:
    from kiosk.ui.tech.flow import TechFlow

# What the walk-in logs is the English text (the ticket's record); its button shows it in the kiosk's language.
QUICK_ACTIONS = (QT_TRANSLATE_NOOP("WalkinScreen", "Reseated keyboard or cable"),
                 QT_TRANSLATE_NOOP("WalkinScreen", "Powerwashed and re-enrolled"),
                 QT_TRANSLATE_NOOP("WalkinScreen", "Cleared cache and profile"),
                 QT_TRANSLATE_NOOP("WalkinScreen", "Swapped the charger"),
                 QT_TRANSLATE_NOOP("WalkinScreen", "Reconnected to Wi-Fi"),
                 QT_TRANSLATE_NOOP("WalkinScreen", "Showed how to fix it"))
# A damage cause's key (stored on the ticket) is also its English name; both cause combos show it in the "Status"
# context, one of language.FALLBACK_CONTEXTS, so a language switch retranslates it.
CAUSES = ("", QT_TRANSLATE_NOOP("Status", "accidental"), QT_TRANSLATE_NOOP("Status", "intentional"),
          QT_TRANSLATE_NOOP("Status", "wear"), QT_TRANSLATE_NOOP("Status", "defect"),
          QT_TRANSLATE_NOOP("Status", "unknown"))


@dataclass(frozen=True)
class DeskState:
    pool: list[PoolState]
    loans: list[LoanView]
    low: list[StockLine]
    codes: list[tuple[str, str]]
    self_service: bool
    default_due: date


def pool_line(pool: list[PoolState], low: int) -> str:
    """The technician home's one line: the pool's state and the low-stock count."""
    if not pool:
        text = QCoreApplication.translate("RepairDesk", "No loaner pool at this campus")
    else:
        p = pool[0]
        text = QCoreApplication.translate("RepairDesk", "Loaners: {0} available, {1} out, {2} overdue").format(
            p.available, p.out, p.overdue)
        if p.conflicts:
            text += QCoreApplication.translate("RepairDesk", ", {0} lent twice (to settle)").format(p.conflicts)
    if low:
        text += " · " + QCoreApplication.translate("RepairDesk", "Low stock: {0} part(s)").format(low)
    return text


class DeskScreen(Screen):
    """Lend and take back loaners, see the pool, settle conflicts, open the walk-in screen."""

    lend = Signal(str, str, str, object)  # loaner tag, reporter, broken tag, due date
    take_back = Signal(str)
    settle = Signal(object)  # loan id
    walkin = Signal()
    count = Signal()

    def __init__(self) -> None:
        super().__init__(self.tr("Repair desk"))
        self.summary = label("", "subtitle")
        self.outer.addWidget(self.summary)
        self.told = label("", "error")
        self.told.hide()
        self.outer.addWidget(self.told)
        form = QGridLayout()
        form.setHorizontalSpacing(12)
        self.loaner = QLineEdit()
        self.loaner.setPlaceholderText(self.tr("Loaner tag (scan it)"))
        self.reporter = QLineEdit()
        self.reporter.setPlaceholderText(self.tr("Student or teacher ID / email"))
        self.broken = QLineEdit()
        self.broken.setPlaceholderText(self.tr("Broken device tag (optional)"))
        self.due = QDateEdit()
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("yyyy-MM-dd")
        compact(self.loaner, self.reporter, self.broken, self.due)
        form.addWidget(self.loaner, 0, 0)
        form.addWidget(self.reporter, 0, 1)
        form.addWidget(self.broken, 0, 2)
        form.addWidget(self.due, 0, 3)
        self.lend_button = button(self.tr("Lend the loaner"), self._lend, "primary")
        self.back_button = button(self.tr("Loaner returned"), self._back)
        self.walkin_button = button(self.tr("Walk-in fixed on the spot"), self.walkin.emit)
        self.settle_button = button(self.tr("Settle the selected double loan"), self._settle, "small")
        self.count_button = button(self.tr("Count stock"), self.count.emit, "small")
        self.top.insertWidget(1, self.count_button)
        # two buttons to a row, each over two of the fields' columns: four in one row were cut off in Spanish
        form.addWidget(self.lend_button, 1, 0, 1, 2)
        form.addWidget(self.back_button, 1, 2, 1, 2)
        form.addWidget(self.walkin_button, 2, 0, 1, 2)
        form.addWidget(self.settle_button, 2, 2, 1, 2)
        self.outer.addLayout(form)
        self.result = label("", "subtitle")
        self.outer.addWidget(self.result)
        self.outer.addWidget(self.error_label)
        lists = QGridLayout()
        lists.setHorizontalSpacing(16)
        lists.addWidget(label(self.tr("Loans out"), "subtitle"), 0, 0)
        lists.addWidget(label(self.tr("Parts at or below their reorder level"), "subtitle"), 0, 1)
        self.loans = RowsModel(("Loaner", "To", "For", "Due", "State", "Lent at"))
        self.loans_view = table(self.loans)
        self.loans_view.setMinimumHeight(200)
        self.stock = RowsModel(("Part", "Name", "In stock", "Reorder at"))
        self.stock_view = table(self.stock)
        self.stock_view.setMinimumHeight(200)
        lists.addWidget(self.loans_view, 1, 0)
        lists.addWidget(self.stock_view, 1, 1)
        lists.setColumnStretch(0, 3)
        lists.setColumnStretch(1, 2)
        self.outer.addLayout(lists, 1)
        self.reset()

    def set_state(self, state: DeskState) -> None:
        self.summary.setText(pool_line(state.pool, len(state.low)))
        avail = state.pool[0].available_tags if state.pool else ()
        if avail:
            self.summary.setText(self.summary.text() + "\n" + self.tr("Available: {0}").format(", ".join(avail[:12])))
        void = [v for v in state.loans if v.state == "void"]
        self.told.setText("\n".join(self.tr(
            "Lent twice while offline: {0} to {1} does not count, it was checked out first {2}. Get it back from "
            "{1} or give them another loaner, then settle it.").format(v.loaner_tag, v.reporter, v.beaten_by or "")
            for v in void))
        self.told.setVisible(bool(void))
        self.loans.set_rows([(v.loaner_tag, v.reporter, v.for_tag or "", v.due_on.isoformat(),
                              self.tr("void (lent twice)") if v.state == "void" else
                              self.tr("{0} days late").format(v.days_late) if v.state == "overdue" else self.tr("out"),
                              v.kiosk or "") for v in state.loans], list(state.loans))
        self.loans_view.resizeColumnsToContents()
        self.stock.set_rows([(x.code, x.name, x.stock, x.reorder_level) for x in state.low], list(state.low))
        self.stock_view.resizeColumnsToContents()
        self.set_default_due(state.default_due)

    def on_tag(self, tag: str) -> None:
        """A scan on this screen: the loaner first, then the broken device."""
        if not self.loaner.text().strip():
            self.loaner.setText(tag)
            self.reporter.setFocus()
        elif not self.broken.text().strip() and tag != self.loaner.text().strip().upper():
            self.broken.setText(tag)
        else:
            self.loaner.setText(tag)

    def _lend(self) -> None:
        self.show_error("")
        qd = self.due.date()
        self.lend.emit(self.loaner.text(), self.reporter.text(), self.broken.text(),
                       date(qd.year(), qd.month(), qd.day()))

    def _back(self) -> None:
        self.show_error("")
        self.take_back.emit(self.loaner.text())

    def _settle(self) -> None:
        rows = self.loans_view.selectionModel().selectedRows()
        item = self.loans.items[rows[0].row()] if rows else None
        if item is None or item.state != "void":
            self.show_error(self.tr("Select a loan marked 'void (lent twice)' first."))
            return
        self.settle.emit(item.id)

    def done(self, text: str) -> None:
        self.result.setText(text)
        for f in (self.loaner, self.reporter, self.broken):
            f.clear()
        self.loaner.setFocus()

    def reset(self) -> None:
        super().reset()
        for f in (self.loaner, self.reporter, self.broken):
            f.clear()
        self.result.clear()

    def set_default_due(self, day: date) -> None:
        self.due.setDate(QDate(day.year, day.month, day.day))


class WalkinScreen(Screen):
    """A walk-in fixed on the spot in two taps: the device is scanned, tap what was done (and the minutes)."""

    log = Signal(str, str, int, str, str)  # tag, action, minutes, resolution code, cause

    def __init__(self) -> None:
        super().__init__(self.tr("Walk-in fixed on the spot"))
        self.outer.addWidget(label(self.tr("Scan the device, tap what you did, and it is logged and resolved."),
                                   "muted"))
        row = QHBoxLayout()
        self.tag = QLineEdit()
        self.tag.setPlaceholderText(self.tr("Device tag (scan it)"))
        self.minutes = QSpinBox()
        self.minutes.setRange(0, 1440)
        self.minutes.setSuffix(self.tr(" min"))
        self.code = QComboBox()
        self.cause = QComboBox()
        for c in CAUSES:
            self.cause.addItem(QCoreApplication.translate("Status", str(c)) if c else self.tr("cause: not recorded"), c)
        compact(self.tag, self.minutes, self.code, self.cause)
        for combo in (self.code, self.cause):  # never a cut-off choice ("Reparado en el mom..." beside a wide tag)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        row.addWidget(self.tag, 1)
        row.addWidget(self.minutes)
        row.addWidget(self.code, 1)
        row.addWidget(self.cause, 1)
        self.outer.addLayout(row)
        quick = QGridLayout()
        quick.setSpacing(10)
        for i, text in enumerate(QUICK_ACTIONS):
            b = button(self.tr(str(text)), self._quick(str(text)))
            b.setMinimumHeight(64)
            quick.addWidget(b, i // 2, i % 2)  # two to a row: at three the Spanish actions were cut short
        self.outer.addLayout(quick)
        other = QHBoxLayout()
        self.action = QLineEdit()
        self.action.setPlaceholderText(self.tr("Or type what was done"))
        compact(self.action)
        other.addWidget(self.action, 1)
        other.addWidget(button(self.tr("Log walk-in"), lambda: self._log(self.action.text()), "primary"))
        self.outer.addLayout(other)
        self.result = label("", "subtitle")
        self.outer.addWidget(self.result)
        self.outer.addWidget(self.error_label)
        self.outer.addStretch(1)
        self.reset()

    def _quick(self, text: str) -> Callable[[], None]:
        return lambda: self._log(text)

    def set_codes(self, codes: list[tuple[str, str]]) -> None:
        current = self.code.currentData()
        self.code.clear()
        for code, text in codes:
            self.code.addItem(desk(text), code)
        at = self.code.findData(current if current else "repaired_on_site")
        self.code.setCurrentIndex(max(at, 0))

    def on_tag(self, tag: str) -> None:
        self.tag.setText(tag)
        self.result.clear()

    def _log(self, action: str) -> None:
        self.show_error("")
        self.log.emit(self.tag.text(), action, self.minutes.value(), str(self.code.currentData() or ""),
                      str(self.cause.currentData() or ""))

    def done(self, text: str) -> None:
        self.result.setText(text)
        self.tag.clear()
        self.action.clear()
        self.minutes.setValue(10)

    def reset(self) -> None:
        super().reset()
        self.tag.clear()
        self.action.clear()
        self.result.clear()
        self.minutes.setValue(10)
        self.cause.setCurrentIndex(0)


class CountStockScreen(Screen):
    """Count this campus's parts by scanning their shelf labels: expected (the ledger) against counted, then
    apply the count (one stock adjustment per part that differs, in the append-only ledger)."""

    scan = Signal(str)  # a scanned or typed part label / code
    apply_count = Signal(dict)  # code -> counted

    def __init__(self) -> None:
        super().__init__(self.tr("Count stock"))
        self.outer.addWidget(label(self.tr("Scan the label of every part on the shelf, one scan per part. Parts "
                                           "this campus keeps that are not scanned are counted as none."), "muted"))
        row = QHBoxLayout()
        self.entry = QLineEdit()
        self.entry.setPlaceholderText(self.tr("Scan a part label, or type its code and press Enter"))
        self.entry.returnPressed.connect(self._typed)
        compact(self.entry)
        self.undo_button = button(self.tr("Undo the last scan"), self._undo)
        self.apply_button = button(self.tr("Apply the count"), self._apply, "primary")
        row.addWidget(self.entry, 1)
        row.addWidget(self.undo_button)
        row.addWidget(self.apply_button)
        self.outer.addLayout(row)
        self.summary = label("", "subtitle")
        self.outer.addWidget(self.summary)
        self.result = label("", "subtitle")
        self.result.setWordWrap(True)
        self.outer.addWidget(self.result)
        self.outer.addWidget(self.error_label)
        self.lines = RowsModel(("Part", "Name", "Expected", "Counted", "Difference"))
        self.view = table(self.lines)
        head = self.view.horizontalHeader()
        for col in range(5):  # the name takes the room; figures as wide as their header
            head.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch if col == 1 else
                                      QHeaderView.ResizeMode.ResizeToContents)
        self.outer.addWidget(self.view, 1)
        self.counted: dict[str, int] = {}
        self.history: list[str] = []
        self.reset()

    def _typed(self) -> None:
        text = self.entry.text().strip()
        self.entry.clear()
        if text:
            self.scan.emit(text)

    def add(self, code: str) -> None:
        """A scan the catalogue knows: one more of ``code``."""
        self.counted[code] = self.counted.get(code, 0) + 1
        self.history.append(code)

    def _undo(self) -> None:
        if not self.history:
            return
        code = self.history.pop()
        self.counted[code] -= 1
        if not self.counted[code]:
            del self.counted[code]
        self.scan.emit("")  # shown again with the ledger's figures

    def _apply(self) -> None:
        self.show_error("")
        self.apply_button.setEnabled(False)
        self.apply_count.emit(dict(self.counted))

    def show_sheet(self, sheet: Any, last: str | None = None) -> None:
        self.lines.set_rows([(x.code, x.name, x.expected, x.counted,
                              f"{x.difference:+d}" if x.difference else "0") for x in sheet.lines],
                            list(sheet.lines))
        differ = sum(1 for x in sheet.lines if x.difference)
        self.summary.setText(self.tr("{0}: {1} scans · {2} parts · {3} differ from the ledger").format(
            sheet.campus, len(self.history), len(sheet.lines), differ)
            + (self.tr(" · last: {0}").format(last) if last else ""))
        self.apply_button.setEnabled(True)

    def show_error(self, text: str) -> None:
        super().show_error(text)
        if text:
            self.apply_button.setEnabled(True)  # a refused count can be applied again once it is right

    def applied(self, text: str) -> None:
        self.counted.clear()
        self.history.clear()
        self.result.setText(text)
        self.apply_button.setEnabled(True)

    def reset(self) -> None:
        super().reset()
        self.counted = {}
        self.history = []
        self.entry.clear()
        self.summary.clear()
        self.result.clear()
        self.lines.set_rows([])
        self.apply_button.setEnabled(True)


@dataclass(frozen=True)
class TriageState:
    number: str
    cause: str
    code: str
    resolved: bool
    codes: list[tuple[str, str]]
    view: Any  # triage.TriageView | None
    checklist: list[str]
    depot: dict[str, Any] | None


class TriageScreen(Screen):
    """One ticket's cause (and so its coverage and damage incident), resolution code, fees and depot repair."""

    save = Signal(str, str)  # cause, resolution code
    fee = Signal(str, str)  # amount as typed, reason
    depot = Signal(dict)

    def __init__(self) -> None:
        super().__init__(self.tr("Cause, coverage and fees"))
        self.number = ""
        self.header = label("", "subtitle")
        self.outer.addWidget(self.header)
        row = QHBoxLayout()
        self.cause = QComboBox()
        for c in CAUSES:
            self.cause.addItem(QCoreApplication.translate("Status", str(c)) if c else self.tr("Cause: not recorded"), c)
        self.code = QComboBox()
        self.save_button = button(self.tr("Save cause and code"), lambda: self.save.emit(
            str(self.cause.currentData() or ""), str(self.code.currentData() or "")), "primary")
        for combo in (self.cause, self.code):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        compact(self.cause, self.code)
        row.addWidget(self.cause)
        row.addWidget(self.code)
        row.addWidget(self.save_button)
        row.addStretch(1)
        self.outer.addLayout(row)
        self.triage_text = label("", "subtitle")
        self.outer.addWidget(self.triage_text)
        fee = QHBoxLayout()
        self.fee_amount = QLineEdit()
        self.fee_amount.setPlaceholderText(self.tr("Fee $"))
        self.fee_amount.setMaximumWidth(160)
        self.fee_reason = QLineEdit()
        self.fee_reason.setPlaceholderText(self.tr("Reason (for the business office)"))
        compact(self.fee_amount, self.fee_reason)
        fee.addWidget(self.fee_amount)
        fee.addWidget(self.fee_reason, 1)
        fee.addWidget(button(self.tr("Record fee"), lambda: self.fee.emit(self.fee_amount.text(),
                                                                          self.fee_reason.text()), "small"))
        self.outer.addLayout(fee)
        self.outer.addWidget(label(self.tr("Depot or vendor repair"), "subtitle"))
        dep = QGridLayout()
        dep.setSpacing(8)
        self.vendor, self.case, self.shipped, self.returned, self.cost = (QLineEdit() for _ in range(5))
        for w, text in ((self.vendor, QT_TRANSLATE_NOOP("TriageScreen", "Vendor")),
                        (self.case, QT_TRANSLATE_NOOP("TriageScreen", "Case number")),
                        (self.shipped, QT_TRANSLATE_NOOP("TriageScreen", "Shipped YYYY-MM-DD")),
                        (self.returned, QT_TRANSLATE_NOOP("TriageScreen", "Returned YYYY-MM-DD")),
                        (self.cost, QT_TRANSLATE_NOOP("TriageScreen", "Cost $"))):
            w.setPlaceholderText(self.tr(str(text)))
            compact(w)
        for i, w in enumerate((self.vendor, self.case, self.shipped, self.returned, self.cost)):
            dep.addWidget(w, 0, i)
        self.outer.addLayout(dep)
        self.checks_box = QVBoxLayout()
        self.outer.addLayout(self.checks_box)
        self.checks: list[QCheckBox] = []
        self.outer.addWidget(button(self.tr("Save depot repair"), self._depot, "small"))
        self.result = label("", "subtitle")
        self.outer.addWidget(self.result)
        self.outer.addWidget(self.error_label)
        self.outer.addStretch(1)

    def set_state(self, st: TriageState) -> None:
        self.number = st.number
        self.header.setText(self.tr("Ticket {0}").format(st.number))
        self.code.clear()
        self.code.addItem(self.tr("Resolution code: none") if st.resolved else
                          self.tr("Resolution code (once resolved)"), "")
        for c, text in st.codes:
            self.code.addItem(desk(text), c)
        self.code.setEnabled(st.resolved)
        self.cause.setCurrentIndex(max(self.cause.findData(st.cause), 0))
        self.code.setCurrentIndex(max(self.code.findData(st.code), 0))
        self.show_triage(st.view)
        for box in self.checks:
            self.checks_box.removeWidget(box)
            box.deleteLater()
        done = (st.depot or {}).get("checklist", {})
        self.checks = []
        for item in st.checklist:
            box = QCheckBox(desk(item))
            box.setChecked(bool(done.get(item)))
            self.checks_box.addWidget(box)
            self.checks.append(box)
        d = st.depot or {}
        for w, key in ((self.vendor, "vendor"), (self.case, "case"), (self.shipped, "shipped"),
                       (self.returned, "returned"), (self.cost, "cost")):
            w.setText(str(d.get(key, "")))
        self.result.clear()
        self.show_error("")

    def show_triage(self, view: Any) -> None:
        if view is None:
            self.triage_text.setText(self.tr("No cause recorded yet: the coverage shows once it is."))
            return
        cause = QCoreApplication.translate("Status", view.cause)
        text = self.tr("{0}: {1}.").format(cause[:1].upper() + cause[1:], coverage(view.coverage_text))
        if view.incident_number:
            text += "\n" + self.tr("Damage incident {0} of this reporter in {1}: {2}").format(
                view.incident_number, view.school_year, desk(view.policy_action or ""))
            if view.suggested_fee_cents:
                text += self.tr(" (fee ${0:,.2f})").format(view.suggested_fee_cents / 100)
                if not self.fee_amount.text():
                    self.fee_amount.setText(f"{view.suggested_fee_cents / 100:.2f}")
                    self.fee_reason.setText(self.tr("Damage incident {0}, {1}").format(view.incident_number,
                                                                                       view.school_year))
        self.triage_text.setText(text)

    def _depot(self) -> None:
        self.show_error("")
        done = [str(i + 1) for i, box in enumerate(self.checks) if box.isChecked()]
        self.depot.emit({"vendor": self.vendor.text(), "case": self.case.text(), "shipped": self.shipped.text(),
                         "returned": self.returned.text(), "cost": self.cost.text(), "done": done})

    def done(self, text: str) -> None:
        self.result.setText(text)

    def reset(self) -> None:
        super().reset()
        for w in (self.fee_amount, self.fee_reason, self.vendor, self.case, self.shipped, self.returned, self.cost):
            w.clear()
        self.result.clear()


class RepairDesk(QObject):
    """The repair desk's screens in technician mode, and the part picker on the ticket's repair form."""

    def __init__(self, flow: TechFlow) -> None:
        super().__init__(flow)
        self.flow = flow
        self.screen = DeskScreen()
        self.walkin_screen = WalkinScreen()
        self.triage_screen = TriageScreen()
        self.count_screen = CountStockScreen()
        for s in (self.screen, self.walkin_screen, self.triage_screen, self.count_screen):
            flow.window.add(s)
            s.home_requested.connect(flow.show_home)
            s.home_button.setText(self.tr("Menu"))
        # (the triage screen goes back to its ticket, below)
        self.screen.lend.connect(self.lend)
        self.screen.take_back.connect(self.take_back)
        self.screen.settle.connect(self.settle)
        self.screen.walkin.connect(self.open_walkin)
        self.screen.count.connect(self.open_count)
        self.count_screen.scan.connect(self.count_scan)
        self.count_screen.apply_count.connect(self.apply_count)
        self.count_screen.home_requested.disconnect()
        self.count_screen.home_requested.connect(lambda: self.open(keep_result=True))
        self.count_screen.home_button.setText(self.tr("Repair desk"))
        self.walkin_screen.log.connect(self.log_walkin)
        self.triage_screen.save.connect(self.save_triage)
        self.triage_screen.fee.connect(self.record_fee)
        self.triage_screen.depot.connect(self.save_depot)
        self.triage_screen.home_requested.disconnect()
        self.triage_screen.home_requested.connect(lambda: flow.open_ticket(self.triage_screen.number))
        self.triage_screen.home_button.setText(self.tr("Back to the ticket"))
        self._add_part_picker()

    def screens(self) -> list[Any]:
        return [self.screen, self.walkin_screen, self.triage_screen, self.count_screen]

    # --- the stock count ------------------------------------------------------------------------------
    def on_scan_text(self, text: str) -> bool:
        """True when the scan was a part label for the stock count on screen (before any tag rule)."""
        if self.flow.staff_id is None or self.flow.window.current is not self.count_screen:
            return False
        self.count_scan(text)
        return True

    def open_count(self) -> None:
        self.count_screen.reset()
        self.flow.window.show_screen(self.count_screen)
        self.count_screen.entry.setFocus()
        self.count_scan("")

    def count_scan(self, text: str) -> None:
        """A scan (or typed code) checked against the catalogue, then the sheet shown again; "" shows it."""
        from kiosk.domain import stock_count

        campus = self.flow.campus_id
        screen = self.count_screen
        if campus is None:
            screen.show_error(self.tr("This kiosk has no campus."))
            return
        counted = dict(screen.counted)

        def run() -> tuple[str | None, Any]:
            with self.flow.db.read(self.flow.actor) as ctx:
                code = stock_count.known_part(ctx.session, text).code if text.strip() else None
                if code is not None:
                    counted[code] = counted.get(code, 0) + 1
                return code, stock_count.sheet(ctx.session, campus, counted)

        def done(result: tuple[str | None, Any]) -> None:
            code, sheet = result
            if code is not None:
                screen.add(code)
                screen.show_error("")
            screen.show_sheet(sheet, code)

        self.flow.work(run, done)

    def apply_count(self, counted: dict[str, int]) -> None:
        from kiosk.domain import stock_count

        campus = self.flow.campus_id
        if campus is None:
            return

        def run() -> Any:
            with self.flow.db.unit(self.flow.actor) as ctx:
                applied = stock_count.apply(ctx, campus, counted)
                return applied, stock_count.sheet(ctx.session, campus, {})

        def done(result: tuple[Any, Any]) -> None:
            applied, fresh = result
            changed = ", ".join(f"{x.code} {x.expected} → {x.counted}" for x in applied.adjusted)
            self.count_screen.applied(
                self.tr("Count applied: {0} of {1} parts adjusted in the stock ledger ({2}).").format(
                    len(applied.adjusted), len(applied.sheet.lines), changed) if applied.adjusted else
                self.tr("Count applied: every part matched the ledger, nothing to adjust."))
            self.count_screen.show_sheet(fresh)

        self.flow.work(run, done)

    def wants_tag(self) -> bool:
        return self.flow.window.current in (self.screen, self.walkin_screen)

    def on_tag(self, tag: str) -> None:
        (self.screen if self.flow.window.current is self.screen else self.walkin_screen).on_tag(tag)

    # --- loading ------------------------------------------------------------------------------------
    def _load(self) -> DeskState:
        from kiosk.domain import desk_settings, loaners, parts

        campus = self.flow.campus_id
        with self.flow.db.unit(self.flow.actor) as ctx:
            now = ctx.clock.now()
            return DeskState(loaners.pool(ctx.session, now, campus),
                             loaners.list_loans(ctx.session, now, campus=campus),
                             parts.stock_lines(ctx.session, campus=campus, low_only=True),
                             desk_settings.resolution_codes(ctx.session),
                             bool(desk_settings.get(ctx.session, "loaner.self_service")),
                             loaners.default_due(ctx.session, now))

    def refresh_home(self) -> None:
        """The pool's state on the technician home."""
        if self.flow.staff_id is None:
            return
        self.flow.work(self._load, lambda st: self.flow.home.set_desk(pool_line(st.pool, len(st.low))))

    def open(self, *, keep_result: bool = False) -> None:
        def shown(state: DeskState) -> None:
            if not keep_result:
                self.screen.result.clear()
            self.screen.set_state(state)
            self.walkin_screen.set_codes(state.codes)
            self.flow.window.show_screen(self.screen)
            if not self.screen.loaner.text():
                self.screen.loaner.setFocus()

        self.flow.work(self._load, shown)

    def open_walkin(self) -> None:
        def shown(state: DeskState) -> None:
            self.walkin_screen.set_codes(state.codes)
            self.flow.window.show_screen(self.walkin_screen)
            self.walkin_screen.tag.setFocus()

        self.flow.work(self._load, shown)

    # --- actions ------------------------------------------------------------------------------------
    def lend(self, loaner: str, reporter: str, broken: str, due: date) -> None:
        from kiosk.domain import loaners

        actor, campus = self.flow.actor, self.flow.campus_id

        def run() -> LoanView:
            with self.flow.db.unit(actor) as ctx:
                return loaners.check_out(ctx, loaner_tag=loaner, reporter=reporter, for_tag=broken.strip() or None,
                                         due=due, campus_id=campus)

        def done(v: LoanView) -> None:
            self.screen.done(self.tr("Lent {0} to {1} until {2}{3}.").format(
                v.loaner_tag, v.reporter, v.due_on.isoformat(), self.tr(" for {0}").format(v.for_tag)
                if v.for_tag else ""))
            self.open(keep_result=True)

        self.flow.work(run, done)

    def take_back(self, loaner: str) -> None:
        from kiosk.domain import loaners

        actor = self.flow.actor

        def run() -> LoanView:
            with self.flow.db.unit(actor) as ctx:
                return loaners.check_in(ctx, loaner_tag=loaner)

        def done(v: LoanView) -> None:
            late = self.tr(", {0} day(s) late").format(v.days_late) if v.days_late else self.tr(", on time")
            self.screen.done(self.tr("{0} is back from {1}{2}.").format(v.loaner_tag, v.reporter, late))
            self.open(keep_result=True)

        self.flow.work(run, done)

    def settle(self, loan_id: uuid.UUID) -> None:
        from kiosk.domain import loaners

        actor = self.flow.actor

        def run() -> LoanView:
            with self.flow.db.unit(actor) as ctx:
                return loaners.settle(ctx, loan_id)

        def done(v: LoanView) -> None:
            self.screen.done(self.tr("Settled: {0} to {1}.").format(v.loaner_tag, v.reporter))
            self.open(keep_result=True)

        self.flow.work(run, done)

    def log_walkin(self, tag: str, action: str, minutes: int, code: str, cause: str) -> None:
        from kiosk.domain import walkins

        actor = self.flow.actor

        def run() -> walkins.WalkinResult:
            with self.flow.db.unit(actor) as ctx:
                return walkins.log_walkin(ctx, tag=tag, action=action, minutes=minutes,
                                          resolution_code=code or "repaired_on_site", cause=cause or None)

        def done(r: walkins.WalkinResult) -> None:
            self.walkin_screen.done(self.tr("Logged {0}: {1}, {2} min, resolved.").format(r.number, r.tag, r.minutes))

        self.flow.work(run, done)

    # --- the ticket screen: parts from stock on the repair form, cause and resolution code ---------------
    def _add_part_picker(self) -> None:
        """A completer of the campus's parts on "Parts used" (a part named there is taken out of stock when the
        repair is logged), and a small cause / resolution code box beside the ticket's header."""
        t = self.flow.ticket
        self.parts_model = QStringListModel()
        self.completer = QCompleter(self.parts_model, t)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer.activated.connect(self._part_chosen)
        t.repair_parts.setCompleter(self.completer)
        t.repair_parts.setPlaceholderText(self.tr("Parts used (type a part code)"))
        self._costs: dict[str, int] = {}
        self.triage_button = button(self.tr("Cause, coverage, fees"), self.open_triage, "small")
        t.top.insertWidget(1, self.triage_button)  # in the title row: the ticket's panels are full

    def hook_ticket_form(self) -> None:
        """The ticket form's Log repair goes through the parts-aware use-case (call after the flow's wiring)."""
        t = self.flow.ticket
        t.repair.disconnect()
        t.repair.connect(self._log_repair)

    def _part_chosen(self, text: str) -> None:
        code = text.split(" ", 1)[0]
        t = self.flow.ticket
        t.repair_parts.setText(code)
        if code in self._costs:
            t.repair_cost.setText(f"{self._costs[code] / 100:.2f}")

    def _log_repair(self, action: str, parts_text: str, minutes: int, cost: str) -> None:
        from kiosk.domain import parts

        number = self.flow.ticket.number
        self.flow._ticket_action(lambda ctx: parts.log_repair_from_form(
            ctx, number, action=action, minutes=minutes, parts=parts_text, cost=cost))
        self.load_for_ticket(number)

    def load_for_ticket(self, number: str) -> None:
        """The campus's parts for the "Parts used" completer (called when a ticket opens)."""
        from kiosk.domain import parts

        campus = self.flow.campus_id

        def run() -> list[StockLine]:
            with self.flow.db.unit() as ctx:
                return parts.stock_lines(ctx.session, campus=campus)

        def done(lines: list[StockLine]) -> None:
            self._costs = {x.code: x.unit_cost_cents for x in lines}
            self.parts_model.setStringList([self.tr("{0} {1} ({2} left, ${3:,.2f})").format(
                x.code, x.name, x.stock, x.unit_cost_cents / 100) for x in lines])

        self.flow.work(run, done)

    # --- cause, coverage, resolution code, fees and depot repairs of one ticket ----------------------------
    def open_triage(self) -> None:
        from kiosk.domain import desk_settings, tickets, triage
        from kiosk.domain.models import DepotRepair

        number = self.flow.ticket.number

        def run() -> TriageState:
            with self.flow.db.unit() as ctx:
                s = ctx.session
                t = tickets.get_ticket(s, number)
                depot = s.scalars(select(DepotRepair).where(DepotRepair.ticket_id == t.id)).one_or_none()
                return TriageState(number, t.cause.value if t.cause else "", t.resolution_code or "",
                                   not t.status.is_open, desk_settings.resolution_codes(s), triage.view(s, number),
                                   [str(i) for i in desk_settings.get(s, "depot.checklist")],
                                   None if depot is None else {
                                       "vendor": depot.vendor, "case": depot.case_number or "",
                                       "shipped": depot.shipped_on.isoformat() if depot.shipped_on else "",
                                       "returned": depot.returned_on.isoformat() if depot.returned_on else "",
                                       "cost": f"{depot.cost_cents / 100:.2f}" if depot.cost_cents is not None else "",
                                       "checklist": dict(depot.checklist or {})})

        def shown(state: TriageState) -> None:
            self.triage_screen.set_state(state)
            self.flow.window.show_screen(self.triage_screen)

        self.flow.work(run, shown)

    def save_triage(self, cause: str, code: str) -> None:
        from kiosk.domain import triage

        number, actor = self.triage_screen.number, self.flow.actor

        def run() -> Any:
            with self.flow.db.unit(actor) as ctx:
                view = triage.triage(ctx, number, cause) if cause else None
                if code:
                    triage.set_resolution_code(ctx, number, code)
                return view

        self.flow.work(run, self.triage_screen.show_triage)

    def record_fee(self, amount: str, reason: str) -> None:
        from kiosk.domain import ticket_work, triage

        number, actor = self.triage_screen.number, self.flow.actor

        def run() -> int:
            cents = ticket_work.parse_cost(amount)
            with self.flow.db.unit(actor) as ctx:
                return triage.record_fee(ctx, number, amount_cents=cents or 0, reason=reason).amount_cents

        self.flow.work(run, lambda cents: self.triage_screen.done(
            self.tr("Fee of ${0:,.2f} recorded for the business office.").format(cents / 100)))

    def save_depot(self, values: dict[str, Any]) -> None:
        from kiosk.domain import ticket_work, triage
        from kiosk.domain.errors import InvalidInput

        number, actor = self.triage_screen.number, self.flow.actor

        def day(text: str) -> date | None:
            if not text.strip():
                return None
            try:
                return date.fromisoformat(text.strip())
            except ValueError:
                raise InvalidInput(f"a date looks like 2026-09-14, not {text!r}") from None

        def run() -> str:
            with self.flow.db.unit(actor) as ctx:
                row = triage.record_depot(ctx, number, vendor=values["vendor"], case_number=values["case"],
                                          shipped_on=day(values["shipped"]), returned_on=day(values["returned"]),
                                          cost_cents=ticket_work.parse_cost(values["cost"]), done=values["done"])
                return row.vendor

        self.flow.work(run, lambda vendor: self.triage_screen.done(
            self.tr("Depot repair with {0} saved.").format(vendor)))
