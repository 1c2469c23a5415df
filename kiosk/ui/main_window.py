"""The kiosk window: a stack of screens, full screen and locked down until a technician signs in.

Full screen is kept by the window itself, not left to a window manager: on a bare X session (no window manager)
``showFullScreen()`` alone does nothing, so the window also sets its geometry to the screen's. It follows the
screen it is on (resolution changes, a monitor plugged in or out) and, while locked, a watchdog brings it back
to the front within a second if it was hidden, minimised, lowered or left behind on another desktop.
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QScreen
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

from kiosk.ui import theme
from kiosk.ui.accessibility import name_controls
from kiosk.ui.screens.base import Screen
from kiosk.ui.widgets import CurrentPageStack


def on_wayland() -> bool:
    return QGuiApplication.platformName().startswith("wayland")


WATCHDOG_MS = 500  # how often a locked kiosk checks it is still in front (the promise is "within 2 s")


class KioskWindow(QMainWindow):
    """Only switches screens. While ``locked``, closing does nothing (Alt+F4, the close button, a WM close).

    The stack is as big as the screen shown (not its biggest screen), so the window can be 1366x768.
    """

    screen_resized = Signal(object)  # the QScreen the window now fills (new size, or another monitor)

    def __init__(self, *, windowed: bool = False) -> None:
        super().__init__()
        self.setWindowTitle(self.tr("Tech room kiosk"))
        self.windowed = windowed
        self.locked = True
        self.stack = CurrentPageStack()
        self.setCentralWidget(self.stack)
        self._misses = 0  # watchdog ticks in a row that found the window out of place
        self.restored = 0  # times the watchdog had to bring the window back (tests and the log read it)
        self._screen: QScreen | None = None
        self._watchdog = QTimer(self)
        self._watchdog.setInterval(WATCHDOG_MS)
        self._watchdog.timeout.connect(self.keep_in_front)
        self._refill = QTimer(self)  # several screen signals arrive together: fill once after them
        self._refill.setSingleShot(True)
        self._refill.setInterval(50)
        self._refill.timeout.connect(self.fill_screen)
        if not windowed:
            self.setWindowFlags(Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint
                                | Qt.WindowType.WindowStaysOnTopHint)

    def add(self, screen: QWidget) -> None:
        self.stack.addWidget(screen)

    def show_screen(self, screen: QWidget) -> None:
        theme.restyle(screen)  # drawn for this screen's scale (after a new resolution it may not be yet)
        self.stack.setCurrentWidget(screen)
        name_controls(screen)  # controls a screen made since it was built (category buttons, rows) too

    @property
    def current(self) -> QWidget | None:
        return self.stack.currentWidget()

    def screens(self) -> list[Screen]:
        return [w for i in range(self.stack.count()) if isinstance(w := self.stack.widget(i), Screen)]

    def present(self) -> None:
        if self.windowed:
            self.resize(1366, 768)
            self.show()
            return
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.screenAdded.connect(self._screens_changed)
            app.screenRemoved.connect(self._screens_changed)
            app.primaryScreenChanged.connect(self._screens_changed)
        self.fill_screen()
        handle = self.windowHandle()
        if handle is not None:
            handle.screenChanged.connect(self._screens_changed)
        self._watchdog.start()

    def target_screen(self) -> QScreen | None:
        """The screen to fill: the one the window is on, else the primary one (its monitor was unplugged)."""
        screens = QGuiApplication.screens()
        current = self.screen()
        if current is not None and current in screens:
            return current
        return QGuiApplication.primaryScreen()

    def fill_screen(self) -> None:
        """Cover the whole screen, with or without a window manager to honour full screen."""
        screen = self.target_screen()
        if screen is None:
            return
        if screen is not self._screen:
            if self._screen is not None:
                with contextlib.suppress(RuntimeError, TypeError):  # the screen may be gone already
                    self._screen.geometryChanged.disconnect(self._screens_changed)
            screen.geometryChanged.connect(self._screens_changed)
            self._screen = screen
        geometry = screen.geometry()
        handle = self.windowHandle()
        if handle is not None and handle.screen() is not screen:
            handle.setScreen(screen)
        self.setMinimumSize(0, 0)
        self.setGeometry(geometry)
        if not self.isFullScreen() or not self.isVisible():
            self.showFullScreen()
        if self.geometry() != geometry:
            self.setGeometry(geometry)
        if theme.follow(screen.size()):  # the look follows the screen: type, touch targets and icons scale with it
            self.restyle()
        self.screen_resized.emit(screen)

    def restyle(self) -> None:
        """The screen shown (and what covers it) at the screen's scale now; other screens when they are shown."""
        current = self.current
        if current is not None:
            theme.restyle(current)
        for child in self.children():
            if isinstance(child, QWidget) and child is not self.stack and child.parent() is self \
                    and not child.isWindow() and child is not self.centralWidget():
                theme.restyle(child)

    def _screens_changed(self, *_args: object) -> None:
        self._refill.start()

    def needs_restoring(self) -> bool:
        """True when a locked kiosk is not covering its screen in front of everything."""
        screen = self.target_screen()
        handle = self.windowHandle()
        covers = screen is None or self.geometry() == screen.geometry()
        if on_wayland():
            # The compositor owns stacking and focus (cage shows one window, maximised, and with no keyboard
            # gives no focus): a client can only check it covers the output and ask for full screen again.
            return not self.isVisible() or not covers
        return (not self.isVisible() or self.isMinimized() or not self.isFullScreen() or not covers
                or (handle is not None and not handle.isExposed())
                or QApplication.activeWindow() is None)

    def keep_in_front(self) -> None:
        if not self.locked or self.windowed or not self.needs_restoring():
            self._misses = 0
            return
        self.restored += 1
        self._misses += 1
        handle = self.windowHandle()
        if on_wayland():  # hiding would destroy the surface; a Wayland client cannot raise or focus itself
            self.fill_screen()
            self.show()
            return
        if self.isMinimized() or (handle is not None and not handle.isExposed()) or self._misses > 1:
            # Iconified, left behind on another desktop, or still not given the focus: a window manager may
            # ignore a request to activate a window there, but it maps and focuses a window shown afresh.
            self.hide()
            self.setWindowState(self.windowState() & ~Qt.WindowState.WindowMinimized)
        self.fill_screen()
        self.show()
        self.raise_()
        self.activateWindow()
        if handle is not None:
            handle.requestActivate()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.WindowStateChange and self.locked and not self.windowed \
                and self.isMinimized():
            QTimer.singleShot(0, self.keep_in_front)

    def unlock(self) -> None:
        self.locked = False

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if self.locked:
            event.ignore()
        else:
            self._watchdog.stop()
            event.accept()
