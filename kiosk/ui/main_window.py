"""The kiosk window: a stack of screens, full screen and locked down until a technician signs in."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMainWindow, QWidget

from kiosk.ui.screens.base import Screen
from kiosk.ui.widgets import CurrentPageStack


class KioskWindow(QMainWindow):
    """Only switches screens. While ``locked``, closing does nothing (Alt+F4, the close button, a WM close).

    The stack is as big as the screen shown (not its biggest screen), so the window can be 1366x768.
    """

    def __init__(self, *, windowed: bool = False) -> None:
        super().__init__()
        self.setWindowTitle(self.tr("Tech room kiosk"))
        self.windowed = windowed
        self.locked = True
        self.stack = CurrentPageStack()
        self.setCentralWidget(self.stack)
        if not windowed:
            self.setWindowFlags(Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint
                                | Qt.WindowType.WindowStaysOnTopHint)

    def add(self, screen: QWidget) -> None:
        self.stack.addWidget(screen)

    def show_screen(self, screen: QWidget) -> None:
        self.stack.setCurrentWidget(screen)

    @property
    def current(self) -> QWidget | None:
        return self.stack.currentWidget()

    def screens(self) -> list[Screen]:
        return [w for i in range(self.stack.count()) if isinstance(w := self.stack.widget(i), Screen)]

    def present(self) -> None:
        if self.windowed:
            self.resize(1366, 768)
            self.show()
        else:
            self.showFullScreen()

    def unlock(self) -> None:
        self.locked = False

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if self.locked:
            event.ignore()
        else:
            event.accept()
