"""'My PIN and password': a signed-in technician replaces their own PIN or password (forced after a reset)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QGridLayout, QLineEdit

from kiosk.ui.screens.base import Screen
from kiosk.ui.widgets import button, compact, label

if TYPE_CHECKING:
    from kiosk.ui.tech.flow import TechFlow


class AccountScreen(Screen):
    """Current secret, the new one twice; PIN and password each have their own row of fields."""

    change = Signal(str, str, str)  # "pin" or "password", current, new
    finished = Signal()

    def __init__(self) -> None:
        super().__init__(self.tr("My PIN and password"))
        self.notice = label("", "subtitle")
        self.outer.addWidget(self.notice)
        self.fields: dict[str, tuple[QLineEdit, QLineEdit, QLineEdit]] = {}
        for kind, title, hint in (("pin", self.tr("PIN (6 to 12 digits)"), "••••••"),
                                  ("password", self.tr("Password (at least 10 characters)"), "")):
            self.outer.addWidget(label(title, "subtitle"))
            grid = QGridLayout()
            edits = []
            for col, text in enumerate((self.tr("Current"), self.tr("New"), self.tr("New again"))):
                e = QLineEdit()
                e.setEchoMode(QLineEdit.EchoMode.Password)
                e.setPlaceholderText(hint)
                e.setAccessibleName(f"{title}: {text}")
                compact(e)
                grid.addWidget(label(text, "muted", wrap=False), 0, col)
                grid.addWidget(e, 1, col)
                edits.append(e)
            self.outer.addLayout(grid)
            b = button(self.tr("Change my PIN") if kind == "pin" else self.tr("Change my password"),
                       self._submitter(kind), "primary")
            compact(b)
            self.outer.addWidget(b)
            self.fields[kind] = (edits[0], edits[1], edits[2])
        self.result = label("", "subtitle")
        self.outer.addWidget(self.result)
        self.outer.addStretch(1)
        self.outer.addWidget(self.error_label)
        self.forced: set[str] = set()

    def _submitter(self, kind: str) -> Callable[[], None]:
        return lambda: self._submit(kind)

    def require(self, kinds: set[str]) -> None:
        """After a reset: these secrets are temporary and must be replaced before anything else."""
        self.forced = set(kinds)
        self.home_button.setVisible(not self.forced)
        names = " and ".join(sorted(self.tr("PIN") if k == "pin" else self.tr("password") for k in kinds))
        self.notice.setText(self.tr("Your {0} is temporary: choose your own now.").format(names)
                            if kinds else "")

    def _submit(self, kind: str) -> None:
        current, new, again = (e.text() for e in self.fields[kind])
        self.show_error("")
        if new != again:
            self.show_error(self.tr("The two new entries differ."))
            return
        self.change.emit(kind, current, new)

    def changed(self, kind: str) -> None:
        for e in self.fields[kind]:
            e.clear()
        self.forced.discard(kind)
        self.require(self.forced)
        self.result.setText(self.tr("Your PIN is changed.") if kind == "pin" else self.tr("Your password is changed."))
        if not self.forced:
            self.finished.emit()

    def reset(self) -> None:
        super().reset()
        self.result.clear()
        for edits in self.fields.values():
            for e in edits:
                e.clear()


class OwnAccount(QObject):
    """Runs the account changes on the worker for the signed-in technician."""

    def __init__(self, flow: TechFlow, screen: AccountScreen) -> None:
        super().__init__(flow)
        self.flow, self.screen = flow, screen
        screen.change.connect(self.change)
        screen.finished.connect(flow.show_home)

    def check_after_sign_in(self, staff_id: uuid.UUID) -> None:
        """Shows the screen, with Menu hidden, when the account signed in with a temporary PIN or password."""
        from kiosk.domain import staff_accounts

        known = self.flow.must_change_known

        def load() -> tuple[bool, bool]:
            if known is not None:  # the district service's answer at sign-in (it holds the accounts)
                return "password" in known, "pin" in known
            with self.flow.db.unit() as ctx:
                return staff_accounts.must_change(ctx.session, staff_id)

        def shown(flags: tuple[bool, bool]) -> None:
            kinds = {k for k, on in zip(("password", "pin"), flags, strict=True) if on}
            if kinds and self.flow.staff_id == staff_id:
                self.screen.reset()
                self.screen.require(kinds)
                self.flow.window.show_screen(self.screen)

        self.flow.work(load, shown)

    def open(self) -> None:
        self.screen.reset()
        self.screen.require(set())
        if self.flow.secrets_on_service:
            self.screen.notice.setText(self.tr(
                "Your PIN and password are kept by the district server: this kiosk sends the change there, so it "
                "needs the network."))
        self.flow.window.show_screen(self.screen)

    def change(self, kind: str, current: str, new: str) -> None:
        from kiosk.domain import staff_accounts

        staff_id, actor = self.flow.staff_id, self.flow.actor
        if staff_id is None:
            return
        if self.flow.secrets_on_service:
            def on_service() -> str:
                from kiosk.sync import staff_secrets

                staff_secrets.change_own_secret(self.flow.db, staff_id, kind, current, new)
                return kind

            self.flow.work(on_service, self.screen.changed)
            return

        def run() -> str:
            with self.flow.db.unit(actor) as ctx:
                if kind == "pin":
                    staff_accounts.change_own_pin(ctx, staff_id, current, new)
                else:
                    staff_accounts.change_own_password(ctx, staff_id, current, new)
            return kind

        self.flow.work(run, self.screen.changed)
