"""The walk-up loaner offer: after a report on a device, borrow a loaner from this campus's pool (self-service when
the district allows it, otherwise a technician confirms with badge and PIN), and a receipt with both tags."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout

from kiosk.domain.loaners import LoanView
from kiosk.ui.screens.base import Screen
from kiosk.ui.widgets import button, label

if TYPE_CHECKING:
    from kiosk.ui.flow import KioskFlow


@dataclass(frozen=True)
class Offer:
    reporter: str
    broken_tag: str
    available: int
    self_service: bool


class LoanerOfferScreen(Screen):
    borrow = Signal(str, str, str)  # loaner tag, badge, PIN

    def __init__(self) -> None:
        super().__init__(self.tr("Borrow a loaner while yours is repaired"))
        self.offer: Offer | None = None
        self.intro = label("")
        self.outer.addWidget(self.intro)
        self.loaner = QLineEdit()
        self.loaner.setPlaceholderText(self.tr("Scan the loaner's tag"))
        self.outer.addWidget(self.loaner)
        self.confirm = label(self.tr("A technician confirms: scan your badge and enter your PIN."), "subtitle")
        self.badge = QLineEdit()
        self.badge.setPlaceholderText(self.tr("Technician badge"))
        self.pin = QLineEdit()
        self.pin.setPlaceholderText(self.tr("PIN"))
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        row = QHBoxLayout()
        row.addWidget(self.badge, 2)
        row.addWidget(self.pin, 1)
        self.outer.addWidget(self.confirm)
        self.outer.addLayout(row)
        self.go = button(self.tr("Borrow this loaner"), self._borrow, "primary")
        self.outer.addWidget(self.go)
        self.outer.addWidget(self.error_label)
        self.outer.addStretch(1)

    def show_offer(self, offer: Offer) -> None:
        self.offer = offer
        self.intro.setText(self.tr("{0} loaner(s) are available here. Take one from the technician's shelf and scan "
                                   "its tag; it is lent to {1} for {2}.").format(offer.available, offer.reporter,
                                                                                  offer.broken_tag))
        for w in (self.confirm, self.badge, self.pin):
            w.setVisible(not offer.self_service)
        self.go.setEnabled(True)
        self.loaner.setFocus()

    def on_scan(self, text: str) -> None:
        """A scan here: into the badge field when it has the focus, else the loaner's tag."""
        if self.badge.hasFocus() and self.badge.isVisible():
            self.badge.setText(text)
            self.pin.setFocus()
        else:
            self.loaner.setText(text)
            (self.badge if self.badge.isVisible() and not self.badge.text() else self.go).setFocus()

    def _borrow(self) -> None:
        self.show_error("")
        self.go.setEnabled(False)
        self.borrow.emit(self.loaner.text(), self.badge.text(), self.pin.text())

    def failed(self, text: str) -> None:
        self.show_error(text)
        self.pin.clear()
        self.go.setEnabled(True)

    def reset(self) -> None:
        super().reset()
        self.offer = None
        for f in (self.loaner, self.badge, self.pin):
            f.clear()
        self.go.setEnabled(True)


class LoanReceiptScreen(Screen):
    done = Signal()
    print_requested = Signal()

    def __init__(self) -> None:
        super().__init__(self.tr("Your loaner"), with_home=False)
        row = QHBoxLayout()
        text = QVBoxLayout()
        self.lines = label("", "subtitle")
        text.addWidget(self.lines)
        text.addWidget(label(self.tr("Bring the loaner back to this kiosk when your device is fixed, and scan it. "
                                     "Take a photo of this screen, or scan the code to keep both tags."), "muted"))
        text.addStretch(1)
        row.addLayout(text, 2)
        self.qr = QLabel()
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        row.addWidget(self.qr, 1, Qt.AlignmentFlag.AlignTop)
        self.outer.addLayout(row, 1)
        self.printed = label("", "muted")
        self.outer.addWidget(self.printed)
        self.outer.addWidget(self.error_label)
        buttons = QHBoxLayout()
        self.print_button = button(self.tr("Print the receipt"), self.print_requested.emit)
        self.done_button = button(self.tr("Done"), self.done.emit, "primary")
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.done_button, 1)
        self.outer.addLayout(buttons)
        self.loan: LoanView | None = None
        self.qr_png = b""

    def show_loan(self, v: LoanView, qr_png: bytes) -> None:
        self.loan, self.qr_png = v, qr_png
        self.printed.clear()
        self.show_error("")
        self.print_button.setEnabled(True)
        self.lines.setText(self.tr("Loaner: {0}\nYour device: {1}\nDue back: {2}").format(
            v.loaner_tag, v.for_tag or "-", v.due_on.strftime("%A %d %B %Y").replace(" 0", " ")))
        pix = QPixmap()
        pix.loadFromData(qr_png)
        self.qr.setPixmap(pix.scaled(280, 280, Qt.AspectRatioMode.KeepAspectRatio))
        self.done_button.setFocus()


class LoanerOffer(QObject):
    """Offers a loaner on the walk-up receipt and lends it through the same use-case as the technician desk."""

    def __init__(self, flow: KioskFlow) -> None:
        super().__init__(flow)
        self.flow = flow
        self.screen = LoanerOfferScreen()
        self.receipt = LoanReceiptScreen()
        for s in (self.screen, self.receipt):
            flow.window.add(s)
            s.home_requested.connect(flow.go_home)
        self.receipt.done.connect(flow.go_home)
        self.receipt.print_requested.connect(self.print_receipt)
        self.screen.borrow.connect(self.borrow)
        self.offer_button = button(self.tr("Borrow a loaner while it is repaired"), self.open)
        self.offer_button.hide()
        flow.receipt.outer.insertWidget(flow.receipt.outer.count() - 1, self.offer_button)
        self._offer: Offer | None = None

    def offer(self, reporter: str | None, tag: str | None, device_id: uuid.UUID | None) -> None:
        """After a report on a device: show the offer when this campus has a loaner free for this reporter."""
        self._offer = None
        self.offer_button.hide()
        if not reporter or not tag or device_id is None:
            return
        campus = self.flow.campus_id

        def check() -> Offer | None:
            from kiosk.domain import desk_settings, loaners
            from kiosk.domain.errors import DomainError
            from kiosk.domain.models import Reporter
            from kiosk.domain.validation import parse_reporter

            with self.flow.db.unit() as ctx:
                s = ctx.session
                pool = loaners.pool(s, ctx.clock.now(), campus)
                if not pool or not pool[0].available:
                    return None
                id_number, email = parse_reporter(reporter)
                from sqlalchemy import select

                rep = s.scalars(select(Reporter).where(
                    Reporter.id_number == id_number if id_number else Reporter.email == email)).one_or_none()
                if rep is not None:
                    try:
                        loaners.check_limits(s, rep.id, desk_settings.today(s, ctx.clock.now()))
                    except DomainError:
                        return None
                return Offer(reporter, tag, pool[0].available, bool(desk_settings.get(s, "loaner.self_service")))

        def shown(offer: Offer | None) -> None:
            self._offer = offer
            self.offer_button.setVisible(offer is not None and self.flow.window.current is self.flow.receipt)

        self.flow.work(check, shown)

    def open(self) -> None:
        if self._offer is None:
            return
        offer = self._offer
        self.flow.show(self.screen)
        self.screen.show_offer(offer)

    def on_scan(self, text: str) -> bool:
        """True when the scan was for the offer screen (a loaner's tag or a technician's badge)."""
        if self.flow.window.current is not self.screen:
            return False
        self.screen.on_scan(text.strip())
        return True

    def receipt_html(self, v: LoanView) -> str:
        """The printed loan receipt: both tags, the due date, the ticket, and the QR code the screen shows."""
        from html import escape

        due = v.due_on.strftime("%A %d %B %Y").replace(" 0", " ")
        lines = [(self.tr("Loaner"), v.loaner_tag), (self.tr("Your device"), v.for_tag or "-"),
                 (self.tr("Ticket"), v.ticket or "-"), (self.tr("Due back"), due), (self.tr("Campus"), v.campus)]
        rows = "".join(f"<tr><td><b>{escape(a)}</b></td><td>{escape(b)}</td></tr>" for a, b in lines)
        title = self.tr("Loaner receipt")
        back = self.tr("Bring the loaner back to the tech room when your device is fixed, and scan it at the kiosk.")
        return (f"<h2>{escape(title)}</h2><table cellpadding='6'>{rows}</table>"
                f"<p>{escape(back)}</p><p><img src='loan-qr.png' width='180'></p>")

    def print_receipt(self) -> None:
        """Print through the labels' print path: the print dialog in a window, the default printer in kiosk mode."""
        from kiosk.ui.printing import PrintError

        v = self.receipt.loan
        if v is None:
            return
        try:
            where = self.flow.tech.printing.print_html(self.receipt_html(v), {"loan-qr.png": self.receipt.qr_png})
        except PrintError as exc:
            self.receipt.show_error(str(exc)[:1].upper() + str(exc)[1:])
            return
        self.receipt.show_error("")
        self.receipt.printed.setText(self.tr("Receipt sent to {0}.").format(where))
        self.receipt.print_button.setEnabled(False)  # one paper receipt per loan at a public kiosk

    def borrow(self, loaner: str, badge: str, pin: str) -> None:
        offer = self.screen.offer
        if offer is None:
            return
        campus = self.flow.campus_id

        def run() -> tuple[LoanView, bytes]:
            from kiosk.domain import loaners
            from kiosk.domain.db import Actor
            from kiosk.domain.errors import PermissionDenied
            from kiosk.ui.flow import qr_png

            actor = Actor(label="kiosk")
            if not offer.self_service or badge.strip():
                if not badge.strip() or not pin:
                    raise PermissionDenied(self.tr("A technician scans their badge and enters their PIN."))
                from kiosk.sync import signin

                result: Any = signin.sign_in(self.flow.db, pin, badge=badge.strip())
                if isinstance(result, signin.Refused):
                    raise PermissionDenied(result.message)
                actor = Actor(staff_id=result.staff_id, label="kiosk")
            with self.flow.db.unit(actor) as ctx:
                v = loaners.check_out(ctx, loaner_tag=loaner, reporter=offer.reporter, for_tag=offer.broken_tag,
                                      walk_up=True, campus_id=campus)
            return v, qr_png(v.receipt_payload)

        def done(result: tuple[LoanView, bytes]) -> None:
            self.receipt.show_loan(*result)
            self.screen.reset()
            self.flow.show(self.receipt)

        def failed(exc: Exception) -> None:
            from kiosk.domain.errors import DomainError

            text = str(exc) if isinstance(exc, DomainError) else self.tr("That did not work. Please try again.")
            self.screen.failed(text[:1].upper() + text[1:])

        self.flow.work(run, done, failed)
