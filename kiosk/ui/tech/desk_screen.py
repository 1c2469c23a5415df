"""The repair desk for technicians: the loaner pool (lend, take back, conflicts), walk-ins, low parts stock, and a
part picker on the ticket's repair form. Screens here; the domain calls run on the flow's worker."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QObject, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QGridLayout, QHBoxLayout, QLineEdit, QSpinBox

from kiosk.domain.loaners import LoanView, PoolState
from kiosk.domain.parts import StockLine
from kiosk.ui.qt_models import RowsModel
from kiosk.ui.screens.base import Screen
from kiosk.ui.tech.screens import table
from kiosk.ui.widgets import button, compact, label

if TYPE_CHECKING:
    from kiosk.ui.tech.flow import TechFlow

QUICK_ACTIONS = ("Reseated keyboard or cable", "Powerwashed and re-enrolled", "Cleared cache and profile",
                 "Swapped the charger", "Reconnected to Wi-Fi", "Showed how to fix it")
CAUSES = ("", "accidental", "intentional", "wear", "defect", "unknown")


@dataclass(frozen=True)
class DeskState:
    pool: list[PoolState]
    loans: list[LoanView]
    low: list[StockLine]
    codes: list[tuple[str, str]]
    self_service: bool


def pool_line(pool: list[PoolState], low: int) -> str:
    """The technician home's one line: the pool's state and the low-stock count."""
    if not pool:
        text = "No loaner pool at this campus"
    else:
        p = pool[0]
        text = f"Loaners: {p.available} available, {p.out} out, {p.overdue} overdue"
        if p.conflicts:
            text += f", {p.conflicts} lent twice (to settle)"
    return text + (f" · Low stock: {low} part(s)" if low else "")


class DeskScreen(Screen):
    """Lend and take back loaners, see the pool, settle conflicts, open the walk-in screen."""

    lend = Signal(str, str, str, object)  # loaner tag, reporter, broken tag, due date
    take_back = Signal(str)
    settle = Signal(object)  # loan id
    walkin = Signal()

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
        form.addWidget(self.lend_button, 1, 0)
        form.addWidget(self.back_button, 1, 1)
        form.addWidget(self.walkin_button, 1, 2)
        form.addWidget(self.settle_button, 1, 3)
        self.outer.addLayout(form)
        self.result = label("", "subtitle")
        self.outer.addWidget(self.result)
        self.outer.addWidget(self.error_label)
        self.outer.addWidget(label(self.tr("Loans out"), "subtitle"))
        self.loans = RowsModel(("Loaner", "To", "For", "Due", "State", "Lent at"))
        self.loans_view = table(self.loans)
        self.loans_view.setMinimumHeight(180)
        self.outer.addWidget(self.loans_view, 1)
        self.outer.addWidget(label(self.tr("Parts at or below their reorder level"), "subtitle"))
        self.stock = RowsModel(("Part", "Name", "Campus", "In stock", "Reorder at"))
        self.stock_view = table(self.stock)
        self.stock_view.setMinimumHeight(110)
        self.outer.addWidget(self.stock_view)
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
        self.stock.set_rows([(x.code, x.name, x.campus, x.stock, x.reorder_level) for x in state.low], list(state.low))
        self.stock_view.resizeColumnsToContents()

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
        self.set_default_due(date.today() + timedelta(days=7))

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
            self.cause.addItem(c or self.tr("cause: not recorded"), c)
        compact(self.tag, self.minutes, self.code, self.cause)
        row.addWidget(self.tag, 2)
        row.addWidget(self.minutes)
        row.addWidget(self.code, 1)
        row.addWidget(self.cause, 1)
        self.outer.addLayout(row)
        quick = QGridLayout()
        quick.setSpacing(10)
        for i, text in enumerate(QUICK_ACTIONS):
            b = button(self.tr(text), self._quick(text))
            b.setMinimumHeight(64)
            quick.addWidget(b, i // 3, i % 3)
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
            self.code.addItem(text, code)
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


class RepairDesk(QObject):
    """The repair desk's screens in technician mode, and the part picker on the ticket's repair form."""

    def __init__(self, flow: TechFlow) -> None:
        super().__init__(flow)
        self.flow = flow
        self.screen = DeskScreen()
        self.walkin_screen = WalkinScreen()
        for s in (self.screen, self.walkin_screen):
            flow.window.add(s)
            s.home_requested.connect(flow.show_home)
            s.home_button.setText(self.tr("Menu"))
        self.screen.lend.connect(self.lend)
        self.screen.take_back.connect(self.take_back)
        self.screen.settle.connect(self.settle)
        self.screen.walkin.connect(self.open_walkin)
        self.walkin_screen.log.connect(self.log_walkin)
        self._add_part_picker()

    def screens(self) -> list[Any]:
        return [self.screen, self.walkin_screen]

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
                             bool(desk_settings.get(ctx.session, "loaner.self_service")))

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

    # --- the part picker on the ticket's repair form -----------------------------------------------------
    def _add_part_picker(self) -> None:
        t = self.flow.ticket
        self.part = QComboBox()
        self.part.addItem(self.tr("Part from stock: none"), "")
        self.part_qty = QSpinBox()
        self.part_qty.setRange(1, 100)
        self.part_qty.setPrefix("x")
        compact(self.part, self.part_qty)
        self.part_button = button(self.tr("Log repair with this part"), self._repair_with_part, "small")
        t.repair_form.addWidget(self.part, 2, 0)
        t.repair_form.addWidget(self.part_qty, 2, 1)
        t.repair_form.addWidget(self.part_button, 2, 3)

    def load_parts(self) -> None:
        """The campus's parts for the picker (called when a ticket opens)."""
        from kiosk.domain import parts

        campus = self.flow.campus_id

        def run() -> list[StockLine]:
            with self.flow.db.unit() as ctx:
                return parts.stock_lines(ctx.session, campus=campus)

        def done(lines: list[StockLine]) -> None:
            current = self.part.currentData()
            self.part.clear()
            self.part.addItem(self.tr("Part from stock: none"), "")
            for x in lines:
                self.part.addItem(f"{x.code} {x.name} ({x.stock} in stock, ${x.unit_cost_cents / 100:,.2f})", x.code)
            self.part.setCurrentIndex(max(self.part.findData(current), 0))

        self.flow.work(run, done)

    def _repair_with_part(self) -> None:
        from kiosk.domain import parts, ticket_work

        t = self.flow.ticket
        code = str(self.part.currentData() or "")
        if not code:
            t.show_error(self.tr("Choose the part from stock first (or log the repair without one)."))
            return
        action, minutes, qty, number = t.repair_action.text(), t.repair_minutes.value(), self.part_qty.value(), t.number

        def run(ctx: Any) -> Any:
            parts.log_repair_with_part(ctx, number, action=action, minutes=minutes, part=code, quantity=qty)
            return ticket_work.ticket_card(ctx, number)

        self.flow._ticket_action(run)
        self.part.setCurrentIndex(0)
        self.part_qty.setValue(1)
