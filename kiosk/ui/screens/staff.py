"""Staff screens: technician sign-in, choosing the kiosk's campus at first run, and the staff menu."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLineEdit, QListWidget, QListWidgetItem

from kiosk.ui.screens.base import Screen
from kiosk.ui.widgets import OnScreenKeyboard, button, label


class SignInScreen(Screen):
    sign_in = Signal(str, str)

    def __init__(self, title: str | None = None) -> None:
        super().__init__(title or self.tr("Technician sign-in"))
        self.intro = label("", "muted")
        self.outer.addWidget(self.intro)
        form = QGridLayout()
        self.username = QLineEdit()
        self.username.setPlaceholderText(self.tr("Username (or scan your badge)"))
        self.username.setAccessibleName(self.tr("Username"))
        self.password = QLineEdit()
        self.password.setPlaceholderText(self.tr("Password"))
        self.password.setAccessibleName(self.tr("Password"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.returnPressed.connect(self._go)
        form.addWidget(self.username, 0, 0)
        form.addWidget(self.password, 1, 0)
        self.go = button(self.tr("Sign in"), self._go, "primary")
        form.addWidget(self.go, 1, 1)
        self.outer.addLayout(form)
        self.outer.addWidget(self.error_label)
        self.keyboard = OnScreenKeyboard()
        self.keyboard.attach(self.username, self.password)
        self.outer.addWidget(self.keyboard)
        self.outer.addStretch(1)

    def set_intro(self, text: str) -> None:
        self.intro.setText(text)

    def badge_scanned(self, badge: str) -> None:
        self.username.setText(badge)
        self.password.clear()
        self.password.setPlaceholderText(self.tr("PIN"))
        self.password.setFocus()

    def _go(self) -> None:
        if self.username.text().strip() and self.password.text():
            self.go.setEnabled(False)
            self.sign_in.emit(self.username.text().strip(), self.password.text())

    def failed(self, message: str) -> None:
        self.password.clear()
        self.go.setEnabled(True)
        self.show_error(message)

    def reset(self) -> None:
        super().reset()
        self.username.clear()
        self.password.clear()
        self.password.setPlaceholderText(self.tr("Password"))
        self.go.setEnabled(True)
        self.username.setFocus()


class CampusPickScreen(Screen):
    chosen = Signal(object)  # campus id

    def __init__(self) -> None:
        super().__init__(self.tr("Which campus is this kiosk in?"), with_home=False)
        self.list = QListWidget()
        self.list.itemActivated.connect(self._pick)
        self.list.itemClicked.connect(self._pick)
        self.outer.addWidget(self.list, 1)

    def set_campuses(self, campuses: list[tuple[uuid.UUID, str, str]]) -> None:
        self.list.clear()
        for cid, code, name in campuses:
            item = QListWidgetItem(f"{name} ({code})")
            item.setData(Qt.ItemDataRole.UserRole, cid)
            self.list.addItem(item)
        self.list.setFocus()

    def _pick(self, item: QListWidgetItem) -> None:
        self.chosen.emit(item.data(Qt.ItemDataRole.UserRole))
